"""What each role has to do next, for its first page: a unit's reports owed this period, returned
ones to correct and (for its leader) reports waiting for approval; the secretariat's reports
waiting for acceptance, units late with their reports, overdue tasks and plan files read and
waiting for review. Plain data, each read from a fixed number of queries whatever the data size.

Findings, figures and notifications live in apps above this one (layers): the page adds them
through their own selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

from dean06.accounts.permissions import Action, can
from dean06.ingest.text import fold
from dean06.orgs.models import Unit
from dean06.plans.models import PlanUpload, Task, UploadStatus
from dean06.tracking.models import ProgressReport, ReportingPeriod, ReportStatus
from dean06.tracking.selectors import (
    AssignmentRow,
    completeness,
    reporting_period,
    reports_waiting,
    status_report,
    unit_assignment_rows,
)
from dean06.tracking.status import URGENCY, TaskStatus

# How many rows a first page lists in each section; "Xem tất cả" leads to the rest.
SHORT = 5

T = TypeVar("T")


@dataclass(frozen=True)
class Short(Generic[T]):
    """The first rows of a list and how many there are in all."""

    count: int
    rows: list[T]

    @property
    def more(self) -> int:
        return self.count - len(self.rows)

    def __bool__(self) -> bool:
        return self.count > 0


def _short(rows: list[T], limit: int = SHORT) -> Short[T]:
    return Short(count=len(rows), rows=rows[:limit])


def short_of(qs: QuerySet[Any], limit: int = SHORT) -> Short[Any]:
    """The first rows of a query and its count: two queries, whatever its size."""
    return Short(count=qs.count(), rows=list(qs[:limit]))


EMPTY: Short[Any] = Short(0, [])


# --- a unit ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitTodo:
    """A unit's work on day `on`: what it owes for the reporting period, in the order to do it."""

    unit: Unit
    on: dt.date
    period: ReportingPeriod  # the month units report on around `on` (may be not stored yet)
    owed: Short[AssignmentRow]  # lead assignments still to report for the period, urgent first
    returned: Short[ProgressReport]  # reports sent back to correct, any period
    to_approve: Short[ProgressReport]  # the leader's: reports sent by the officer
    overdue: int  # lead assignments past their due date, not done
    lead: int  # lead assignments
    coordinating: int
    counts: dict[str, int] = field(default_factory=dict)  # lead assignments by status
    can_write: bool = False
    can_approve: bool = False

    @property
    def period_key(self) -> str:
        return f"{self.period.year}-{self.period.number:02d}"

    @property
    def nothing_to_do(self) -> bool:
        return not (self.owed or self.returned or self.to_approve)


def _urgency(row: AssignmentRow) -> tuple[int, int, dt.date, int]:
    returned = row.current is not None and row.current.status == ReportStatus.RETURNED
    return (
        0 if returned else 1,
        URGENCY.index(row.verdict.status),
        row.task.due_date or dt.date.max,
        row.task.order,
    )


def unit_todo(user: Any, unit: Unit, on: dt.date) -> UnitTodo | None:
    """The unit's to-do list for `user` (None when the user may not see the unit). Seven
    queries at most."""
    if not can(user, Action.VIEW_UNIT, unit):
        return None
    period = reporting_period(on)
    rows = unit_assignment_rows(user, unit, period, on)
    lead = [r for r in rows if r.is_lead]
    owed = sorted((r for r in lead if r.needs_report), key=_urgency)
    counts = {s.value: 0 for s in TaskStatus}
    for row in lead:
        counts[row.verdict.status.value] += 1
    returned = list(
        ProgressReport.objects.filter(assignment__unit=unit, status=ReportStatus.RETURNED)
        .select_related("assignment__task__plan", "period", "returned_by")
        .order_by("-returned_at", "-id")
    )
    can_approve = can(user, Action.APPROVE_REPORT, unit)
    to_approve: Short[ProgressReport] = EMPTY
    if can_approve:
        to_approve = short_of(reports_waiting(user))
    return UnitTodo(
        unit=unit,
        on=on,
        period=period,
        owed=_short(owed),
        returned=_short(returned),
        to_approve=to_approve,
        overdue=counts[TaskStatus.OVERDUE.value],
        lead=len(lead),
        coordinating=len(rows) - len(lead),
        counts=counts,
        can_write=can(user, Action.WRITE_REPORT, unit),
        can_approve=can_approve,
    )


def _list_order(row: AssignmentRow) -> tuple[int, int, int, dt.date, int, int]:
    return (
        0 if row.is_lead else 1,
        0 if row.needs_report else 1,
        URGENCY.index(row.verdict.status),
        row.task.due_date or dt.date.max,
        row.task.plan_id,
        row.task.order,
    )


def assignment_rows_filtered(
    rows: list[AssignmentRow],
    *,
    role: str = "",
    status: str = "",
    needs_report: bool = False,
    query: str = "",
) -> list[AssignmentRow]:
    """A unit's task list as its page shows it: lead assignments first, those owed this period
    first among them, then the most urgent; kept to the filters given. The words are matched
    without diacritics or case ("danh gia" finds "Đánh giá") over the task's code and content."""
    words = fold(query).strip()
    out = []
    for row in rows:
        if role and row.assignment.role != role:
            continue
        if status and row.verdict.status.value != status:
            continue
        if needs_report and not row.needs_report:
            continue
        if words and words not in fold(f"{row.task.code} {row.task.content}"):
            continue
        out.append(row)
    out.sort(key=_list_order)
    return out


# --- the secretariat ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateUnit:
    """A unit that owes reports for a period whose due day has passed."""

    unit: Unit
    missing: int
    expected: int


@dataclass(frozen=True)
class OverdueTask:
    task: Task
    lead_units: list[Unit]
    days_overdue: int


@dataclass(frozen=True)
class ProvinceTodo:
    """What waits for the secretariat (or an administrator) on day `on`."""

    on: dt.date
    waiting: Short[ProgressReport]  # approved reports to accept or return
    late_period: ReportingPeriod | None  # the last month whose report day has passed
    late_units: Short[LateUnit]
    overdue: Short[OverdueTask]
    uploads: Short[PlanUpload]  # plan files read, waiting for a person's review
    can_accept: bool = False
    can_import: bool = False

    @property
    def late_period_key(self) -> str:
        period = self.late_period
        return f"{period.year}-{period.number:02d}" if period else ""


def last_closed_period(on: dt.date) -> ReportingPeriod | None:
    """The last stored month whose report day was before `on`: reports still owed for it are
    late. A read: no period is created here."""
    return (
        ReportingPeriod.objects.filter(kind="month", due_date__lt=on)
        .order_by("-due_date", "-end")
        .first()
    )


def late_units(user: Any, period: ReportingPeriod | None, on: dt.date) -> list[LateUnit]:
    """The units with reports still missing for `period` on `on`, most missing first (the
    completeness grid's rule: lead assignments in force, not sent by the due day)."""
    if period is None or not can(user, Action.SEE_COMPLETENESS):
        return []
    grid = completeness(user, [period], on)
    out = []
    for unit in grid.units:
        cell = grid.cell(unit, period)
        if cell.missing:
            out.append(LateUnit(unit=unit, missing=cell.missing, expected=cell.expected))
    out.sort(key=lambda u: (-u.missing, u.unit.name))
    return out


def overdue_tasks(user: Any, on: dt.date) -> list[OverdueTask]:
    """The tasks the user sees that are past their due date and not done, longest overdue
    first, with their lead units."""
    report = status_report(user, on)
    out = [
        OverdueTask(
            task=row.task,
            lead_units=row.lead_units,
            days_overdue=-(row.verdict.days_left or 0),
        )
        for row in report.rows
        if row.status is TaskStatus.OVERDUE
    ]
    out.sort(key=lambda t: (-t.days_overdue, t.task.code))
    return out


def province_todo(user: Any, on: dt.date) -> ProvinceTodo | None:
    """The secretariat's to-do list (None for those who do not run the province's cycle).
    Eleven queries at most, whatever the number of units, tasks and reports."""
    can_accept = can(user, Action.ACCEPT_REPORT)
    can_import = can(user, Action.IMPORT_PLAN)
    if not (can_accept or can_import):
        return None
    waiting: Short[ProgressReport] = EMPTY
    if can_accept:
        waiting = short_of(reports_waiting(user))
    period = last_closed_period(on)
    uploads: Short[PlanUpload] = EMPTY
    if can_import:
        uploads = _short(
            list(
                PlanUpload.objects.filter(status=UploadStatus.READY)
                .select_related("created_by")
                .order_by("created_at")
            )
        )
    return ProvinceTodo(
        on=on,
        waiting=waiting,
        late_period=period,
        late_units=_short(late_units(user, period, on)),
        overdue=_short(overdue_tasks(user, on)),
        uploads=uploads,
        can_accept=can_accept,
        can_import=can_import,
    )
