"""Plan pages: the list, one plan, and the import (upload → progress → review → save)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
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
from dean06.plans.review import ReviewError, review_apply
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
from dean06.web.forms_plans import DeadlinePreviewForm, PlanImportForm, PlanReviewForm

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
    form = PlanImportForm()
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                upload = plan_upload_create(file=form.upload(), by=request.user)
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                extract_upload(upload.pk)
                return redirect("plan_import_review", pk=upload.pk)
    plan_uploads_fail_stale()
    uploads = PlanUpload.objects.select_related("plan")[:10]
    return render(request, "plans/import_start.html", {"uploads": uploads, "form": form})


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


def _posted_mentions(names: list[str], known: set[str]) -> list[dict[str, Any]]:
    """Unit names as the reviewer left them; a name outside the registry stays marked."""
    return [
        {"name": n, "raw": "", "uncertain": n not in known, "new": n not in known} for n in names
    ]


def _review_context(upload: PlanUpload, form: PlanReviewForm | None = None) -> dict[str, Any]:
    """The review page; after a refused save, every cell shows what the reviewer typed with its
    error beside it."""
    extracted = plan_upload_extraction(upload)
    registry = unit_registry()
    names = sorted({u.name for u in registry.units} | {g.name for g in registry.groups})
    known = set(names)
    warnings_by_task: dict[str, list[str]] = {}
    for warning in extracted.warnings:
        if warning.task:
            warnings_by_task.setdefault(warning.task, []).append(warning.message)
    rows = []
    for index, task in enumerate(extracted.tasks):
        row: dict[str, Any] = {
            "index": index,
            "task": task,
            "code": task.code,
            "content": task.content,
            "deadline_raw": task.deadline.raw,
            "lead": _mention_rows(task.lead_units),
            "coordinating": _mention_rows(task.coordinating_units),
            "skip": False,
            "errors": {},
            "deadline_text": deadline_text(task.deadline),
            "deadline_uncertain": task.deadline.kind == "unknown"
            or task.deadline.confidence < UNCERTAIN,
            "warnings": warnings_by_task.get(task.code, []),
        }
        posted = form.posted(index) if form is not None else None
        if posted is not None:
            row.update(
                code=posted["code"],
                content=posted["content"],
                deadline_raw=posted["deadline"],
                lead=_posted_mentions(posted["lead"], known),
                coordinating=_posted_mentions(posted["coord"], known),
                skip=posted["skip"],
                errors=posted["errors"],
            )
        rows.append(row)
    unresolved = sorted(
        {
            ref.name
            for task in extracted.tasks
            for ref in task.lead_units + task.coordinating_units
            if not ref.resolved and ref.name
        }
    )
    plan = {
        "number": {"value": extracted.plan.number or "", "error": ""},
        "date": {
            "value": extracted.plan.date.strftime("%d/%m/%Y") if extracted.plan.date else "",
            "error": "",
        },
        "issuer": {"value": extracted.plan.issuer or "", "error": ""},
        "title": {"value": extracted.plan.title or "", "error": ""},
    }
    if form is not None:
        plan = form.plan_values()
    errors: list[str] = []
    if form is not None:
        errors = [str(m) for messages_ in form.errors.values() for m in messages_]
    return {
        "upload": upload,
        "extracted": extracted,
        "plan": plan,
        "rows": rows,
        "unresolved": unresolved,
        "new_units": set(form.new_units()) if form is not None and form.is_valid() else set(),
        "unit_names": names,
        "general_warnings": [w for w in extracted.warnings if not w.task],
        "errors": errors,
    }


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
    form = PlanReviewForm(request.POST, count=len(extracted.tasks))
    if not form.is_valid():
        messages.error(request, "Chưa lưu: còn lỗi cần sửa (được đánh dấu bên dưới).")
        context = _review_context(upload, form)
        return render(request, "plans/import_review.html", context, status=400)
    try:
        reviewed = review_apply(extracted, form.edits(), unit_registry())
        result = plan_upload_save(
            upload=upload, reviewed=reviewed, by=request.user, new_units=form.new_units()
        )
    except ReviewError as exc:
        form.add_review_errors(exc.errors)
        messages.error(request, "Chưa lưu: còn lỗi cần sửa (được đánh dấu bên dưới).")
        context = _review_context(upload, form)
        return render(request, "plans/import_review.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        context = _review_context(upload, form)
        return render(request, "plans/import_review.html", context, status=400)
    messages.success(request, result.summary())
    if result.plan is None:  # plan_import always returns the plan it saved
        raise ApplicationError("Không lưu được kế hoạch.")
    return redirect("plan_detail", pk=result.plan.pk)


@require_manager
@require_GET
def deadline_preview(request: HttpRequest) -> JsonResponse:
    """The deadline as understood, re-parsed as the reviewer types."""
    form = DeadlinePreviewForm(request.GET)
    raw = form.phrase()
    plan_date = parse_date(form.plan_date_text())
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
