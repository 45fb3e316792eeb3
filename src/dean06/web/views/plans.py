"""Plan pages: the list, one plan, and the import (upload → progress → review → save)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dean06.core.clock import today
from dean06.core.exceptions import ApplicationError
from dean06.ingest.deadlines import parse_date, parse_deadline
from dean06.ingest.present import deadline_text
from dean06.orgs.selectors import unit_registry
from dean06.plans import selectors
from dean06.plans.models import PlanUpload, UploadStatus
from dean06.plans.review import ReviewEdits, ReviewError, TaskEdit, review_apply
from dean06.plans.tasks import extract_upload
from dean06.plans.uploads import (
    plan_upload_create,
    plan_upload_extraction,
    plan_upload_retry,
    plan_upload_save,
    plan_uploads_fail_stale,
)
from dean06.tracking.selectors import carried_over
from dean06.web.access import require_manager

UNCERTAIN = 0.85


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "plans/plan_list.html", {"plans": selectors.plans_visible_to(request.user)}
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plans_visible_to(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404("Không có kế hoạch này.")
    rows = selectors.plan_task_rows(plan, request.user)
    # Tasks continuing last year's unfinished ones: marked on their rows.
    carried = {c.task.pk: c for c in carried_over(plan, today())}
    for row in rows:
        row["carried"] = carried.get(row["task"].pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "continuity": selectors.plan_continuity(plan, request.user),
            "carried_count": sum(1 for row in rows if row["carried"]),
            "continuing_count": sum(1 for row in rows if row["task"].continues_id),
        },
    )


@require_manager
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        file = request.FILES.get("file")
        pasted = request.POST.get("text", "").strip()
        if file is None and pasted:
            # Text pasted from an e-mail or a web page is read like a .txt file.
            file = SimpleUploadedFile("van-ban-dan.txt", pasted.encode("utf-8"), "text/plain")
        if file is None:
            messages.error(request, "Hãy chọn một tệp kế hoạch hoặc dán nội dung kế hoạch.")
        else:
            try:
                upload = plan_upload_create(file=file, by=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                extract_upload(upload.pk)
                return redirect("plan_import_review", pk=upload.pk)
    plan_uploads_fail_stale()
    uploads = PlanUpload.objects.select_related("plan")[:10]
    return render(request, "plans/import_start.html", {"uploads": uploads})


def _upload(pk: int) -> PlanUpload:
    return get_object_or_404(PlanUpload, pk=pk)


@require_manager
@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    plan_uploads_fail_stale()  # a reading whose server died shows as failed, ready to retry
    upload = _upload(pk)
    return JsonResponse(
        {
            "status": upload.status,
            "percent": upload.percent,
            "message": upload.progress_message,
            "error": upload.error,
        }
    )


def _mention_rows(refs: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": ref.name,
            "raw": ref.raw,
            "uncertain": (not ref.resolved) or ref.confidence < UNCERTAIN,
            "new": not ref.resolved,
        }
        for ref in refs
    ]


def _review_context(upload: PlanUpload, errors: dict[str, str] | None = None) -> dict[str, Any]:
    extracted = plan_upload_extraction(upload)
    warnings_by_task: dict[str, list[str]] = {}
    for warning in extracted.warnings:
        if warning.task:
            warnings_by_task.setdefault(warning.task, []).append(warning.message)
    rows = []
    for index, task in enumerate(extracted.tasks):
        rows.append(
            {
                "index": index,
                "task": task,
                "lead": _mention_rows(task.lead_units),
                "coordinating": _mention_rows(task.coordinating_units),
                "deadline_text": deadline_text(task.deadline),
                "deadline_uncertain": task.deadline.kind == "unknown"
                or task.deadline.confidence < UNCERTAIN,
                "warnings": warnings_by_task.get(task.code, []),
            }
        )
    registry = unit_registry()
    names = sorted({u.name for u in registry.units} | {g.name for g in registry.groups})
    unresolved = sorted(
        {
            ref.name
            for task in extracted.tasks
            for ref in task.lead_units + task.coordinating_units
            if not ref.resolved and ref.name
        }
    )
    return {
        "upload": upload,
        "extracted": extracted,
        "rows": rows,
        "unresolved": unresolved,
        "unit_names": names,
        "general_warnings": [w for w in extracted.warnings if not w.task],
        "errors": errors or {},
    }


def _edits_from_post(request: HttpRequest, count: int) -> ReviewEdits:
    post = request.POST
    tasks = []
    for index in range(count):
        prefix = f"task-{index}-"
        if prefix + "code" not in post:
            continue
        tasks.append(
            TaskEdit(
                index=index,
                code=post.get(prefix + "code", ""),
                content=post.get(prefix + "content", ""),
                deadline_raw=post.get(prefix + "deadline", ""),
                lead=post.getlist(prefix + "lead"),
                coordinating=post.getlist(prefix + "coord"),
                skip=post.get(prefix + "skip") == "1",
            )
        )
    return ReviewEdits(
        number=post.get("plan-number", ""),
        date=post.get("plan-date", ""),
        issuer=post.get("plan-issuer", ""),
        title=post.get("plan-title", ""),
        tasks=tasks,
    )


@require_manager
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan_uploads_fail_stale()
    upload = _upload(pk)
    if upload.status in (UploadStatus.QUEUED, UploadStatus.RUNNING, UploadStatus.FAILED):
        return render(request, "plans/import_progress.html", {"upload": upload})
    if request.method == "GET":
        return render(request, "plans/import_review.html", _review_context(upload))
    extracted = plan_upload_extraction(upload)
    try:
        reviewed = review_apply(
            extracted, _edits_from_post(request, len(extracted.tasks)), unit_registry()
        )
        result = plan_upload_save(
            upload=upload,
            reviewed=reviewed,
            by=request.user,
            new_units=request.POST.getlist("new-unit"),
        )
    except ReviewError as exc:
        messages.error(request, "Chưa lưu: còn lỗi cần sửa (được đánh dấu bên dưới).")
        return render(
            request, "plans/import_review.html", _review_context(upload, exc.errors), status=400
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return render(request, "plans/import_review.html", _review_context(upload), status=400)
    messages.success(request, result.summary())
    if result.plan is None:  # plan_import always returns the plan it saved
        raise ApplicationError("Không lưu được kế hoạch.")
    return redirect("plan_detail", pk=result.plan.pk)


@require_manager
@require_GET
def deadline_preview(request: HttpRequest) -> JsonResponse:
    """The deadline as understood, re-parsed as the reviewer types."""
    raw = request.GET.get("q", "")[:500]
    plan_date = parse_date(request.GET.get("ngay", "") or "")
    deadline = parse_deadline(raw, plan_date=plan_date, year=plan_date.year if plan_date else None)
    return JsonResponse(
        {
            "kind": deadline.kind,
            "due_date": deadline.due_date.isoformat() if deadline.due_date else None,
            "recurring": deadline.recurring,
            "text": deadline_text(deadline),
            "uncertain": deadline.kind == "unknown" or deadline.confidence < UNCERTAIN,
        }
    )


@require_manager
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload(pk)
    try:
        plan_upload_retry(upload=upload, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        extract_upload(upload.pk)
    return redirect("plan_import_review", pk=pk)
