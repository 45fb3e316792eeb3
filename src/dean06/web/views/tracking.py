"""Pages of the monthly cycle: a unit's tasks and report forms, approval and acceptance queues,
the task page with its history, the completeness grid, evidence downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dean06.accounts.permissions import Action, can
from dean06.core import clock
from dean06.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from dean06.ingest.text import fold
from dean06.notifications.tasks import report_returned_notice
from dean06.orgs.models import Unit
from dean06.orgs.selectors import units_visible_to
from dean06.plans.models import Assignment
from dean06.tracking import selectors, todo
from dean06.tracking.models import Evidence, ProgressReport, ReportingPeriod, ReportStatus
from dean06.tracking.periods import PeriodError, recent_months
from dean06.tracking.services import (
    evidence_add,
    months_get_or_create,
    period_get_or_create,
    progress_report_accept,
    progress_report_approve,
    progress_report_correct,
    progress_report_return,
    progress_report_save,
    report_due_date,
)
from dean06.tracking.status import TaskStatus
from dean06.web.forms import (
    CompletenessFilterForm,
    DecisionForm,
    EvidenceForm,
    PageForm,
    ProgressReportForm,
    ReportActionForm,
    UnitTasksFilterForm,
)
from dean06.web.redirects import next_url

PAGE_SIZE = 25


def _period(month: tuple[int, int] | None) -> ReportingPeriod:
    """The month asked for (a form's `ky`), else the one units report on today."""
    if month is not None:
        return period_get_or_create("month", *month)
    period = selectors.reporting_period(clock.today())
    if period.pk is None:
        period = period_get_or_create(period.kind, period.year, period.number)
    return period


def _month_key(period: ReportingPeriod) -> str:
    return f"{period.year}-{period.number:02d}"


def _query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string without `names` (paging links keep the filters)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@require_GET
def unit_tasks(request: HttpRequest) -> HttpResponse:
    """ "Nhiệm vụ của đơn vị": every assignment of the unit as a card (lead first, what is owed
    this period first), filtered by status, role, "needs report" and words; 25 a page."""
    user: Any = request.user
    province = can(user, Action.VIEW_PROVINCE)
    current = _period(None)
    data = request.GET.copy()
    if not data.get("ky"):
        data["ky"] = _month_key(current)
    form = UnitTasksFilterForm(
        data, units=units_visible_to(user).order_by("level", "name") if province else None
    )
    form.is_valid()  # an invalid filter is left out; its error shows beside the field
    unit: Unit | None = form.value("don_vi") if province else None
    if not province and user.unit_id:
        unit = Unit.objects.filter(pk=user.unit_id).first()
    month = form.value("ky")
    period = _period(month) if month else current
    on = clock.today()
    rows = selectors.unit_assignment_rows(user, unit, period, on) if unit else []
    shown = todo.assignment_rows_filtered(
        rows,
        role=form.value("vai_tro") or "",
        status=form.value("trang_thai") or "",
        needs_report=bool(form.value("can_bao_cao")),
        query=form.value("q") or "",
    )
    page = Paginator(shown, PAGE_SIZE).get_page(form.value("trang"))
    lead = [r for r in rows if r.is_lead]
    base = _query_without(request, "trang", "trang_thai", "can_bao_cao")
    return render(
        request,
        "tracking/unit_tasks.html",
        {
            "form": form,
            "unit": unit,
            "period": period,
            "on": on,
            "page": page,
            "total": len(rows),
            "owed_count": sum(1 for r in lead if r.needs_report),
            "status_counts": [
                (s.value, s.label, n)
                for s in TaskStatus
                if (n := sum(1 for r in lead if r.verdict.status is s))
            ],
            "filter_base": base,
            "paging_base": _query_without(request, "trang"),
            "filtered": len(shown) != len(rows),
            "can_write": unit is not None and can(user, Action.WRITE_REPORT, unit),
        },
    )


def _assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("task__plan", "task__section", "unit")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not (
        can(request.user, Action.VIEW_UNIT, assignment.unit_id) or _leads_task(request, assignment)
    ):
        raise Http404("Không tìm thấy phân công.")
    return assignment


def _leads_task(request: HttpRequest, assignment: Assignment) -> bool:
    """The lead unit sees its coordinating units' reports on its task."""
    unit_id = getattr(request.user, "unit_id", None)
    return bool(
        unit_id
        and Assignment.objects.filter(
            task_id=assignment.task_id, unit_id=unit_id, role="lead"
        ).exists()
    )


def _month_period(year: int, month: int) -> ReportingPeriod:
    try:
        return period_get_or_create("month", year, month)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, assignment_id: int, year: int, month: int) -> HttpResponse:
    """One form per assignment and period: write, save as draft, send; evidence; correction."""
    assignment = _assignment(request, assignment_id)
    period = _month_period(year, month)
    report = (
        ProgressReport.objects.filter(assignment=assignment, period=period).order_by("pk").first()
    )
    can_write = can(request.user, Action.WRITE_REPORT, assignment.unit_id)
    due = report_due_date(assignment.task.plan, period)
    status = 200
    conflict: dict[str, Any] | None = None
    form = ProgressReportForm(initial=_initial(report))
    evidence_form = EvidenceForm()
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied("Chỉ cán bộ đầu mối của đơn vị được soạn báo cáo này.")
        chosen = ReportActionForm(request.POST)
        action = chosen.chosen()
        if action == "correct" and report is not None:
            return _act(
                request,
                lambda: progress_report_correct(
                    report=report, by=request.user, version=chosen.read_version()
                ),
                "Đã mở bản sửa; bản đã được tiếp nhận vẫn được lưu trong lịch sử.",
            )
        if action == "evidence" and report is not None:
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if _evidence_added(request, report, evidence_form):
                return HttpResponseRedirect(request.path)
            status = 422
        elif (form := ProgressReportForm(request.POST)).is_valid():
            try:
                report = progress_report_save(
                    assignment=assignment,
                    period=period,
                    data=form.to_input(),
                    by=request.user,
                    version=form.cleaned_data.get("version"),
                    submit=action == "submit",
                )
            except ConflictError as exc:
                conflict = exc.extra
                messages.error(request, exc.message)
                status = 409
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                fields: dict[str, str] = exc.extra.get("fields") or {}  # type: ignore[assignment]
                for name, message in fields.items():
                    form.add_error(name if name in form.fields else None, str(message))
                if not fields:
                    messages.error(request, exc.message)
                status = 422
            else:
                sent = report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
                messages.success(
                    request,
                    _sent_message(report) if sent else "Đã lưu nháp; chưa gửi.",
                )
                return HttpResponseRedirect(request.path)
        else:
            status = 422
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "period": period,
        "report": report,
        "form": form,
        "due": due,
        "late_now": clock.today() > due,
        "can_write": can_write,
        "editable": can_write and (report is None or report.status not in selectors.STATED),
        "conflict": conflict,
        "decision": DecisionForm(initial={"version": report.version if report else None}),
        "can_approve": report is not None
        and report.status == ReportStatus.SUBMITTED
        and can(request.user, Action.APPROVE_REPORT, assignment.unit_id),
        "can_accept": report is not None
        and report.status == ReportStatus.APPROVED
        and can(request.user, Action.ACCEPT_REPORT, assignment.unit_id),
        "evidence": list(report.evidence.select_related("document")) if report else [],
        "evidence_form": evidence_form,
        "versions": list(report.versions.select_related("submitted_by", "decided_by"))
        if report
        else [],
        "history": ProgressReport.objects.filter(assignment=assignment)
        .exclude(pk=report.pk if report else 0)
        .select_related("period")
        .order_by("-period__end")[:12],
    }
    return render(request, "tracking/report_form.html", context, status=status)


def _sent_message(report: ProgressReport) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return "Đã gửi báo cáo; chờ lãnh đạo đơn vị duyệt."
    return "Đã gửi báo cáo tới Thường trực Tổ công tác (đơn vị chưa có tài khoản lãnh đạo)."


def _initial(report: ProgressReport | None) -> dict[str, Any]:
    if report is None:
        return {}
    fields = ProgressReportForm.base_fields
    initial = {name: getattr(report, name) for name in fields if hasattr(report, name)}
    initial["version"] = report.version
    return initial


def _decision(request: HttpRequest) -> DecisionForm:
    """The decision form posted (comment, version); a version that is not a number counts as
    none (the service then checks nothing older was read)."""
    form = DecisionForm(request.POST)
    if not form.is_valid() and "comment" in form.errors:
        # A comment that cannot be read (a NUL character): deciding without it would drop it.
        raise BadRequest(" ".join(str(e) for e in form.errors["comment"]))
    return form


def _act(request: HttpRequest, act: Any, done: str) -> HttpResponse:
    """Run one workflow step; its error becomes a message, a refusal a 403."""
    try:
        act()
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(next_url(request, request.path))


def _evidence_added(request: HttpRequest, report: ProgressReport, form: EvidenceForm) -> bool:
    """Add the uploaded file; a refusal (no file, wrong type, too large) is shown beside the
    field."""
    if not form.is_valid():
        return False
    upload = form.cleaned_data["file"]
    try:
        evidence_add(report=report, by=request.user, upload=upload)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        form.add_error("file", exc.message)
        return False
    messages.success(request, f"Đã thêm minh chứng {upload.name}.")
    return True


def _report(request: HttpRequest, report_id: int) -> ProgressReport:
    report = selectors.report_get_visible(request.user, report_id)
    if report is None:
        raise Http404("Không tìm thấy báo cáo.")
    return report


@require_POST
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = _decision(request)
    return _act(
        request,
        lambda: progress_report_approve(
            report=report, by=request.user, version=form.cleaned_data.get("version")
        ),
        "Đã duyệt; báo cáo chuyển tới Thường trực Tổ công tác.",
    )


@require_POST
def report_accept(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = _decision(request)
    return _act(
        request,
        lambda: progress_report_accept(
            report=report,
            by=request.user,
            version=form.cleaned_data.get("version"),
            comment=form.cleaned_data.get("comment") or "",
        ),
        "Đã tiếp nhận báo cáo.",
    )


@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)
    form = _decision(request)

    def act() -> None:
        returned = progress_report_return(
            report=report,
            by=request.user,
            comment=form.cleaned_data.get("comment") or "",
            version=form.cleaned_data.get("version"),
        )
        # The author is told why (a background job: e-mail and the inbox).
        report_returned_notice(returned.pk)

    return _act(request, act, "Đã trả lại báo cáo kèm ý kiến.")


@require_GET
def reports_waiting(request: HttpRequest) -> HttpResponse:
    """What waits for this user's decision (the leader's approvals, the secretariat's
    acceptances)."""
    waiting = selectors.reports_waiting(request.user)
    paging = PageForm(request.GET)
    page = Paginator(waiting, PAGE_SIZE).get_page(paging.number())
    return render(
        request,
        "tracking/waiting.html",
        {
            "page": page,
            "leader": not can(request.user, Action.ACCEPT_REPORT),
            "decision": DecisionForm(),
        },
    )


@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_visible(request.user, task_id)
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    on = clock.today()
    verdict = selectors.verdicts_for_tasks([task], on)[task.pk]
    return render(
        request,
        "tracking/task_detail.html",
        {
            "task": task,
            "verdict": verdict,
            "history": selectors.task_history(request.user, task),
            "period": selectors.reporting_period(on),
        },
    )


@require_GET
def completeness_grid(request: HttpRequest) -> HttpResponse:
    """Units × periods, coloured by reports on time, late, missing; each cell opens the reports
    behind it."""
    if not can(request.user, Action.SEE_COMPLETENESS) and not getattr(
        request.user, "unit_id", None
    ):
        raise PermissionDenied("Bạn không có quyền xem tình hình gửi báo cáo.")
    current = _period(None)
    data = request.GET.copy()
    if not data.get("ky"):
        data["ky"] = _month_key(current)
    form = CompletenessFilterForm(data)
    form.is_valid()
    month = form.value("ky")
    period = _period(month) if month else current
    count = form.value("so_ky") or 6
    months = recent_months(period.year, period.number, count)
    periods = months_get_or_create(months)
    units: list[Unit] = []
    query = fold(form.value("q") or "").strip()
    if can(request.user, Action.SEE_COMPLETENESS):
        led = Assignment.objects.filter(role="lead").values("unit_id")
        units = list(Unit.objects.filter(pk__in=led).order_by("level", "name"))
        if query:
            units = [u for u in units if query in fold(u.name)]
    grid = selectors.completeness(request.user, periods, clock.today(), units=units)
    rows = [(unit, [(p, grid.cell(unit, p)) for p in periods]) for unit in grid.units]
    return render(
        request,
        "tracking/completeness.html",
        {
            "periods": periods,
            "rows": rows,
            "totals": [grid.totals(p) for p in periods],
            "month_value": f"{period.year}-{period.number:02d}",
            "q": form.value("q") or "",
            "form": form,
        },
    )


@require_GET
def completeness_cell(request: HttpRequest, unit_id: int, year: int, month: int) -> HttpResponse:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not can(request.user, Action.VIEW_UNIT, unit):
        raise Http404("Không tìm thấy đơn vị.")
    period = _month_period(year, month)
    rows = selectors.completeness_reports(request.user, unit, period)
    return render(
        request,
        "tracking/completeness_cell.html",
        {"unit": unit, "period": period, "rows": rows, "on": clock.today()},
    )


@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """An evidence file, only to those who may read its report (uploads are not served
    publicly)."""
    evidence = Evidence.objects.select_related("report").filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404("Không tìm thấy minh chứng.")
    if selectors.report_get_visible(request.user, evidence.report_id) is None:
        raise Http404("Không tìm thấy minh chứng.")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.filename or "minh-chung",
        content_type=evidence.content_type or "application/octet-stream",
    )
