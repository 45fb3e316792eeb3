"""Reads of the monthly cycle for the REST API (`dean06.api.tracking`, `dean06.api.exports`):
periods, progress reports the user may read (`selectors.visible_report_filter`), and the rows of
the period's exports. Each list is a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from dean06.core import clock
from dean06.plans.models import Assignment, AssignmentRole
from dean06.plans.selectors import tasks_visible_to
from dean06.tracking.models import ProgressReport, ReportingPeriod
from dean06.tracking.selectors import verdicts_for_tasks, visible_report_filter
from dean06.tracking.services import period_unsaved

Month = tuple[int, int]


def periods_for_api(
    *, year: int | None = None, kind: str = "", is_closed: bool | None = None
) -> QuerySet[ReportingPeriod]:
    """Reporting periods are the province's calendar: every signed-in user reads them."""
    qs = ReportingPeriod.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if is_closed is not None:
        qs = qs.filter(is_closed=is_closed)
    return qs.order_by("-start", "kind", "pk")


def period_get(period_id: int) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(pk=period_id).first()


def month_period(month: Month) -> ReportingPeriod:
    """The month's period as stored, or as it would be (unsaved) when nobody needed it yet."""
    return period_unsaved("month", *month)


def progress_reports_for_api(
    user: Any,
    *,
    month: Month | None = None,
    unit: int | None = None,
    plan: int | None = None,
    task: int | None = None,
    status: str = "",
) -> QuerySet[ProgressReport]:
    if not getattr(user, "is_authenticated", False):
        return ProgressReport.objects.none()
    qs = ProgressReport.objects.filter(visible_report_filter(user)).select_related(
        "assignment__task__plan", "assignment__unit", "period"
    )
    if month is not None:
        qs = qs.filter(period__kind="month", period__year=month[0], period__number=month[1])
    if unit is not None:
        qs = qs.filter(assignment__unit_id=unit)
    if plan is not None:
        qs = qs.filter(assignment__task__plan_id=plan)
    if task is not None:
        qs = qs.filter(assignment__task_id=task)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period__end", "assignment__task__plan_id", "assignment__task__code", "pk")


def progress_report_get(user: Any, report_id: int) -> ProgressReport | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ProgressReport.objects.filter(pk=report_id)
        .filter(visible_report_filter(user))
        .select_related("assignment__task__plan", "assignment__unit", "period")
        .first()
    )


# --- exports ------------------------------------------------------------------------------------


def _export_day(period: ReportingPeriod) -> dt.date:
    """Statuses are told as they stood at the period's end, or today while it runs."""
    return min(period.end, clock.today())


def task_export_rows(
    user: Any, month: Month, *, plan: int | None = None
) -> tuple[ReportingPeriod, list[dict[str, Any]]]:
    """The tasks the user sees of the plans of the period's year (or of `plan`), each with its
    lead and coordinating units and its status at the period's end."""
    period = month_period(month)
    tasks_qs = tasks_visible_to(user)
    tasks_qs = (
        tasks_qs.filter(plan_id=plan) if plan is not None else tasks_qs.filter(plan__year=month[0])
    )
    tasks = list(tasks_qs.order_by("plan_id", "order", "code", "pk"))
    units: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "coordinating": []})
    for task_id, role, name in (
        Assignment.objects.filter(task__in=[t.pk for t in tasks])
        .order_by("unit__name")
        .values_list("task_id", "role", "unit__name")
    ):
        units[task_id]["lead" if role == AssignmentRole.LEAD else "coordinating"].append(name)
    verdicts = verdicts_for_tasks(tasks, _export_day(period))
    rows = []
    for task in tasks:
        verdict = verdicts[task.pk]
        rows.append(
            {
                "plan": task.plan.number,
                "task_id": task.pk,
                "code": task.code,
                "content": task.content,
                "deadline": task.deadline_raw,
                "due_date": task.due_date,
                "lead_units": "; ".join(units[task.pk]["lead"]),
                "coordinating_units": "; ".join(units[task.pk]["coordinating"]),
                "status": verdict.status.value,
                "status_label": verdict.status.label,
                "completed_on": verdict.completed_on,
            }
        )
    return period, rows


def progress_export_rows(user: Any, month: Month) -> tuple[ReportingPeriod, list[dict[str, Any]]]:
    """Every progress report of the month the user may read."""
    period = month_period(month)
    rows = []
    for report in progress_reports_for_api(user, month=month).order_by(
        "assignment__task__plan_id", "assignment__task__code", "assignment__unit__name", "pk"
    ):
        assignment = report.assignment
        rows.append(
            {
                "period": report.period.label,
                "plan": assignment.task.plan.number,
                "task_code": assignment.task.code,
                "unit_key": assignment.unit.key,
                "unit": assignment.unit.name,
                "role": assignment.get_role_display(),
                "status": report.status,
                "status_label": report.get_status_display(),
                "state": report.state,
                "percent_complete": report.percent_complete,
                "completed_on": report.completed_on,
                "progress": report.progress,
                "figures": report.figures,
                "difficulties": report.difficulties,
                "proposals": report.proposals,
                "submitted_at": report.submitted_at,
                "accepted_at": report.accepted_at,
            }
        )
    return period, rows
