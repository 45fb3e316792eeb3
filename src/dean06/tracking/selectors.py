"""Reads of the monthly cycle, scoped to the acting user: each task's derived status, the four
counts, a unit's assignments with what is due, completeness and timeliness per unit and period,
a task's history. Each builds its rows from a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dean06.accounts.permissions import Action, can
from dean06.core.models import AuditEntry
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, AssignmentRole, Plan, Task
from dean06.plans.selectors import tasks_visible_to
from dean06.tracking.models import (
    Evidence,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportVersion,
)
from dean06.tracking.periods import period_containing, period_span
from dean06.tracking.services import report_due_date
from dean06.tracking.status import (
    DEFAULT_DUE_SOON_DAYS,
    ReportFact,
    StagedTarget,
    TaskFacts,
    TaskStatus,
    Verdict,
    assignment_status,
    four_counts,
    task_status,
)

# Reports that state something about the work: sent, approved, accepted. A draft or a returned
# report does not (yet).
STATED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED)


def task_facts(task: Task) -> TaskFacts:
    targets = []
    for target in task.targets or []:
        start = target.get("start")
        if start and target.get("value") is not None:
            targets.append(StagedTarget(float(target["value"]), dt.date.fromisoformat(start)))
    return TaskFacts(
        due_date=task.due_date,
        deadline_kind=task.deadline_kind,
        is_recurring=task.is_recurring,
        start_date=task.start_date,
        targets=tuple(targets),
    )


def report_fact(report: ProgressReport) -> ReportFact:
    sent = report.submitted_at or report.accepted_at
    # An imported report was stated in the month's report, due the day after the period ends.
    submitted_on = (
        timezone.localdate(sent) if sent and report.source != "import" else report.period.due_date
    )
    return ReportFact(
        period_start=report.period.start,
        period_end=report.period.end,
        state=report.state or ("in_progress" if report.status in STATED else ""),
        submitted_on=submitted_on,
        completed_on=report.completed_on,
        percent=None if report.percent_complete is None else float(report.percent_complete),
        has_difficulties=bool(report.difficulties.strip()),
    )


def _stated_reports(assignment_ids: Iterable[int]) -> dict[int, list[ReportFact]]:
    reports = ProgressReport.objects.filter(
        assignment_id__in=list(assignment_ids), status__in=STATED
    ).select_related("period")
    out: dict[int, list[ReportFact]] = defaultdict(list)
    for report in reports:
        out[report.assignment_id].append(report_fact(report))
    return out


def verdicts_for_tasks(
    tasks: Sequence[Task], on: dt.date, *, due_soon_days: int = DEFAULT_DUE_SOON_DAYS
) -> dict[int, Verdict]:
    """Each task's status from its lead units' stated reports (two queries in all)."""
    leads: dict[int, list[int]] = defaultdict(list)
    for task_id, assignment_id in Assignment.objects.filter(
        task__in=[t.pk for t in tasks], role=AssignmentRole.LEAD
    ).values_list("task_id", "pk"):
        leads[task_id].append(assignment_id)
    facts = _stated_reports(a for ids in leads.values() for a in ids)
    return {
        task.pk: task_status(
            task_facts(task),
            [facts.get(a, []) for a in leads.get(task.pk, [])],
            on,
            due_soon_days=due_soon_days,
        )
        for task in tasks
    }


@dataclass(frozen=True)
class TaskRow:
    task: Task
    verdict: Verdict
    lead_units: list[Unit]

    @property
    def status(self) -> TaskStatus:
        return self.verdict.status


@dataclass
class StatusReport:
    """The tasks a user sees on a day, their status and the four counts."""

    on: dt.date
    rows: list[TaskRow]
    counts: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    without_lead: list[Task] = field(default_factory=list)


def status_report(
    user: Any,
    on: dt.date,
    *,
    plan: Plan | None = None,
    section_code: str | None = None,
    unit: Unit | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> StatusReport:
    """Every task the user sees (of a plan, a group of the plan, or led by a unit), with its
    status on day `on` and the four counts over them."""
    qs = tasks_visible_to(user).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).select_related("unit"),
            to_attr="lead_assignments",
        )
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    if section_code:
        qs = qs.filter(
            Q(section__code=section_code) | Q(section__code__startswith=f"{section_code}.")
        )
    if unit is not None:
        qs = qs.filter(assignments__unit=unit, assignments__role=AssignmentRole.LEAD).distinct()
    tasks = list(qs.order_by("plan__date", "plan_id", "order", "code"))
    if due_soon_days == DEFAULT_DUE_SOON_DAYS:
        # The same answer read from plain rows of the reports that can still tell (a test holds
        # the two equal): a province's year of reports many times faster.
        from dean06.tracking.lists import task_verdicts

        verdicts = task_verdicts(tasks, on)
    else:
        verdicts = verdicts_for_tasks(tasks, on, due_soon_days=due_soon_days)
    rows = [
        TaskRow(task, verdicts[task.pk], [a.unit for a in task.lead_assignments]) for task in tasks
    ]
    by_status = {s.value: 0 for s in TaskStatus}
    for row in rows:
        by_status[row.status.value] += 1
    return StatusReport(
        on=on,
        rows=rows,
        counts=four_counts(r.verdict for r in rows),
        by_status=by_status,
        without_lead=[r.task for r in rows if not r.lead_units],
    )


# --- a unit's assignments -----------------------------------------------------------------------


@dataclass
class AssignmentRow:
    """One of the unit's assignments: its status, due date, and the report of the period."""

    assignment: Assignment
    verdict: Verdict
    current: ProgressReport | None
    last: ProgressReport | None
    report_due: dt.date

    @property
    def task(self) -> Task:
        return self.assignment.task

    @property
    def is_lead(self) -> bool:
        return self.assignment.role == AssignmentRole.LEAD

    @property
    def needs_report(self) -> bool:
        """Owed this period: a lead assignment still open, not yet sent for the period."""
        if not self.is_lead or self.verdict.status is TaskStatus.DONE:
            return False
        return self.current is None or self.current.status in (
            ReportStatus.DRAFT,
            ReportStatus.RETURNED,
        )


def unit_assignment_rows(
    user: Any,
    unit: Unit,
    period: ReportingPeriod,
    on: dt.date,
    *,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> list[AssignmentRow]:
    """The unit's assignments (lead first), each with its derived status on `on`, its report for
    the period and its last report — four queries whatever the number of tasks."""
    if not can(user, Action.VIEW_UNIT, unit):
        return []
    assignments = list(
        Assignment.objects.filter(unit=unit)
        .select_related("task", "task__plan", "task__section", "unit")
        .order_by("role", "task__due_date", "task__plan_id", "task__order")
    )
    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    for report in ProgressReport.objects.filter(
        assignment__in=[a.pk for a in assignments]
    ).select_related("period"):
        reports[report.assignment_id].append(report)
    rows = []
    for assignment in assignments:
        mine = sorted(reports.get(assignment.pk, []), key=lambda r: r.period.end)
        stated = [report_fact(r) for r in mine if r.status in STATED]
        verdict = assignment_status(
            task_facts(assignment.task), stated, on, due_soon_days=due_soon_days
        )
        current = next((r for r in mine if r.period_id == period.pk), None)
        last = next((r for r in reversed(mine) if r.status in STATED), None)
        rows.append(
            AssignmentRow(
                assignment=assignment,
                verdict=verdict,
                current=current,
                last=last,
                report_due=report_due_date(assignment.task.plan, period),
            )
        )
    return rows


def reporting_period(on: dt.date) -> ReportingPeriod:
    """The month a unit reports on around day `on`: until the 15th, the month that just closed
    (15th to 14th); after it, the month under way."""
    span = period_containing("month", on)
    previous = period_span("month", *_previous(span.year, span.number))
    chosen = previous if on <= previous.due_date else span
    stored = ReportingPeriod.objects.filter(
        kind="month", year=chosen.year, number=chosen.number
    ).first()
    if stored is not None:
        return stored
    return ReportingPeriod(
        kind=chosen.kind,
        year=chosen.year,
        number=chosen.number,
        start=chosen.start,
        end=chosen.end,
        due_date=chosen.due_date,
        label=chosen.label,
    )


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


# --- completeness and timeliness ------------------------------------------------------------------


class Cell:
    """One unit in one period: expected reports, on time, late (days late), missing."""

    __slots__ = ("days_late", "expected", "late", "missing", "on_time", "pending")

    def __init__(self) -> None:
        self.expected = 0
        self.on_time = 0
        self.late = 0
        self.missing = 0
        self.pending = 0  # not sent yet, still before the due day
        self.days_late: list[int] = []

    @property
    def sent(self) -> int:
        return self.on_time + self.late

    @property
    def css(self) -> str:
        """The colour of the cell in the grid."""
        if not self.expected:
            return "none"
        if self.missing:
            return "missing"
        if self.late:
            return "late"
        if self.pending:
            return "pending"
        return "ok"

    @property
    def max_days_late(self) -> int:
        return max(self.days_late, default=0)


@dataclass
class Completeness:
    periods: list[ReportingPeriod]
    units: list[Unit]
    cells: dict[tuple[int, int], Cell]  # (unit id, period id)

    def cell(self, unit: Unit, period: ReportingPeriod) -> Cell:
        return self.cells.get((unit.pk, period.pk), Cell())

    def totals(self, period: ReportingPeriod) -> Cell:
        total = Cell()
        for unit in self.units:
            cell = self.cell(unit, period)
            total.expected += cell.expected
            total.on_time += cell.on_time
            total.late += cell.late
            total.missing += cell.missing
            total.pending += cell.pending
            total.days_late += cell.days_late
        return total


def _expected(task: Task, period: ReportingPeriod, done_before: dt.date | None) -> bool:
    """A lead unit owes a report for a period when its task is in force then: its plan was
    issued before the period ended, and it was not done before the period began."""
    plan_date = task.plan.date
    if plan_date is not None and plan_date > period.end:
        return False
    return done_before is None or done_before >= period.start


def completeness(
    user: Any, periods: Sequence[ReportingPeriod], on: dt.date, *, units: Sequence[Unit] = ()
) -> Completeness:
    """Per unit and period: how many reports were expected (open lead assignments), sent on time,
    sent late (and by how many days), missing (due day passed), or still pending — as DHIS2
    reports completeness and timeliness. A unit role sees its own row only."""
    periods = [p for p in periods if p.pk is not None]
    if not can(user, Action.SEE_COMPLETENESS):
        own = getattr(user, "unit_id", None) or 0
        units = [u for u in units if can(user, Action.VIEW_UNIT, u)] or list(
            Unit.objects.filter(pk=own)
        )
    assignments = list(
        Assignment.objects.filter(role=AssignmentRole.LEAD)
        .filter(unit__in=[u.pk for u in units] if units else Unit.objects.values("pk"))
        .select_related("task", "task__plan", "unit")
    )
    reports = ProgressReport.objects.filter(
        assignment__in=[a.pk for a in assignments], period__in=periods
    ).values_list("assignment_id", "period_id", "status", "submitted_at", "source")
    sent: dict[tuple[int, int], tuple[str, dt.datetime | None, str]] = {
        (a, p): (status, at, source) for a, p, status, at, source in reports
    }
    done = _done_dates(assignments)
    unit_list = list(units) or sorted(
        {a.unit for a in assignments}, key=lambda u: (u.level, u.name)
    )
    cells: dict[tuple[int, int], Cell] = {}
    for assignment in assignments:
        for period in periods:
            if not _expected(assignment.task, period, done.get(assignment.pk)):
                continue
            cell = cells.setdefault((assignment.unit_id, period.pk), Cell())
            cell.expected += 1
            due = report_due_date(assignment.task.plan, period)
            found = sent.get((assignment.pk, period.pk))
            status, at, source = found if found else ("", None, "")
            if status in STATED:
                day = due if source == "import" or at is None else timezone.localdate(at)
                if day <= due:
                    cell.on_time += 1
                else:
                    cell.late += 1
                    cell.days_late.append((day - due).days)
            elif on > due:
                cell.missing += 1
            else:
                cell.pending += 1
    return Completeness(periods=list(periods), units=unit_list, cells=cells)


def _done_dates(assignments: Sequence[Assignment]) -> dict[int, dt.date]:
    """The day each assignment was reported done (the earliest stated one), if it was."""
    out: dict[int, dt.date] = {}
    for assignment_id, completed, end in (
        ProgressReport.objects.filter(
            assignment__in=[a.pk for a in assignments], status__in=STATED, state="done"
        )
        .order_by("period__end")
        .values_list("assignment_id", "completed_on", "period__end")
    ):
        out.setdefault(assignment_id, completed or end)
    return out


def completeness_reports(
    user: Any, unit: Unit, period: ReportingPeriod
) -> list[tuple[Assignment, ProgressReport | None]]:
    """The reports behind one cell of the grid: each lead assignment of the unit, with its report
    of the period (None: not sent)."""
    if not can(user, Action.VIEW_UNIT, unit):
        return []
    assignments = list(
        Assignment.objects.filter(unit=unit, role=AssignmentRole.LEAD)
        .select_related("task", "task__plan")
        .order_by("task__plan_id", "task__order")
    )
    done = _done_dates(assignments)
    expected = [a for a in assignments if _expected(a.task, period, done.get(a.pk))]
    reports = {
        r.assignment_id: r
        for r in ProgressReport.objects.filter(assignment__in=expected, period=period)
    }
    return [(a, reports.get(a.pk)) for a in expected]


@dataclass(frozen=True)
class OwedReport:
    """A lead assignment that owes a report for a period, and its stated report (None: none)."""

    assignment: Assignment
    report: ProgressReport | None


def period_owed_reports(period: ReportingPeriod) -> list[OwedReport]:
    """Every lead assignment of the province whose task is in force in the period (the rule of
    the completeness grid), with the report it stated for the period: what the consolidated
    report lists as reported, and as owed."""
    assignments = list(
        Assignment.objects.filter(role=AssignmentRole.LEAD)
        .select_related("task", "task__plan", "unit")
        .order_by("task__plan__date", "task__plan_id", "task__order", "task_id", "unit__name")
    )
    done = _done_dates(assignments)
    expected = [a for a in assignments if _expected(a.task, period, done.get(a.pk))]
    reports = {
        r.assignment_id: r
        for r in ProgressReport.objects.filter(
            assignment__in=[a.pk for a in expected], period=period, status__in=STATED
        )
    }
    return [OwedReport(a, reports.get(a.pk)) for a in expected]


# --- a task's history ---------------------------------------------------------------------------


@dataclass
class TaskHistory:
    task: Task
    assignments: list[Assignment]
    reports: list[ProgressReport]
    versions: dict[int, list[ReportVersion]]
    evidence: dict[int, list[Evidence]]
    audit: list[AuditEntry]
    continues: list[Task]

    @property
    def phrases(self) -> list[tuple[str, list[str]]]:
        """The responsibility as the plan wrote it, per role, lead first: each phrase once
        ("Các sở, ngành" rather than the twenty units it fanned out into)."""
        by_role: dict[str, dict[str, None]] = {AssignmentRole.LEAD: {}}
        for assignment in self.assignments:
            if assignment.phrase:
                by_role.setdefault(assignment.role, {})[assignment.phrase] = None
        return [(role, list(phrases)) for role, phrases in by_role.items() if phrases]


def task_get_visible(user: Any, task_id: int) -> Task | None:
    return tasks_visible_to(user).filter(pk=task_id).first()


def visible_report_filter(user: Any) -> Q:
    """The reports a user may read: every one for province roles; for a unit, its own, and the
    reports on tasks it leads (a coordinating unit's report is shown to the lead unit)."""
    if can(user, Action.VIEW_PROVINCE):
        return Q()
    unit_id = getattr(user, "unit_id", None) or 0
    led = Assignment.objects.filter(unit_id=unit_id, role=AssignmentRole.LEAD).values("task_id")
    return Q(assignment__unit_id=unit_id) | Q(assignment__task_id__in=led)


def task_history(user: Any, task: Task) -> TaskHistory:
    """Everything a task page shows the user: assignments, reports over time with their
    versions and evidence, the audit of the task, its assignments and reports, and the task of
    earlier years it continues."""
    assignments = list(task.assignments.select_related("unit").order_by("role", "unit__name"))
    chain: list[Task] = []
    earlier = task.continues
    while earlier is not None and len(chain) < 10:
        chain.append(earlier)
        earlier = earlier.continues
    # The history spans the years: reports on the tasks this one continues come after its own.
    reports = list(
        ProgressReport.objects.filter(assignment__task__in=[task, *chain])
        .filter(visible_report_filter(user))
        .select_related(
            "assignment__unit", "assignment__task__plan", "period", "submitted_by", "accepted_by"
        )
        .order_by("-period__end", "assignment__role", "assignment__unit__name")
    )
    versions: dict[int, list[ReportVersion]] = defaultdict(list)
    for version in ReportVersion.objects.filter(report__in=reports).select_related(
        "submitted_by", "decided_by"
    ):
        versions[version.report_id].append(version)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(report__in=reports).select_related("document"):
        evidence[item.report_id].append(item)
    keys = [("plans.task", str(task.pk))]
    keys += [("plans.assignment", str(a.pk)) for a in assignments]
    keys += [("tracking.progressreport", str(r.pk)) for r in reports]
    condition = Q()
    for object_type, object_id in keys:
        condition |= Q(object_type=object_type, object_id=object_id)
    audit = list(AuditEntry.objects.filter(condition).select_related("actor").order_by("-at")[:200])
    return TaskHistory(
        task=task,
        assignments=assignments,
        reports=reports,
        versions=dict(versions),
        evidence=dict(evidence),
        audit=audit,
        continues=chain,
    )


def report_get_visible(user: Any, report_id: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(pk=report_id)
        .filter(visible_report_filter(user))
        .select_related("assignment__task__plan", "assignment__unit", "period")
        .first()
    )


def reports_waiting(user: Any) -> QuerySet[ProgressReport]:
    """What waits for this user's decision: a unit leader's reports to approve, the
    secretariat's reports to accept."""
    qs = ProgressReport.objects.select_related(
        "assignment__task__plan", "assignment__unit", "period", "submitted_by"
    ).order_by("submitted_at")
    if can(user, Action.ACCEPT_REPORT):
        return qs.filter(status=ReportStatus.APPROVED)
    unit_id = getattr(user, "unit_id", None)
    if unit_id and can(user, Action.APPROVE_REPORT, unit_id):
        return qs.filter(status=ReportStatus.SUBMITTED, assignment__unit_id=unit_id)
    return qs.none()


# --- tasks carried over from an earlier plan ----------------------------------------------------


@dataclass(frozen=True)
class CarriedOver:
    """A task of this plan continuing a task of an earlier plan that was not done."""

    task: Task
    previous: Task
    verdict: Verdict  # the earlier task's status on the day asked


def carried_over(plan: Plan, on: dt.date) -> list[CarriedOver]:
    """The plan's tasks that carry over unfinished work: they continue (`Task.continues`) a task
    whose status on `on`, from its lead units' reports, is anything but done."""
    tasks = list(
        Task.objects.filter(plan=plan, continues__isnull=False)
        .select_related("continues__plan")
        .order_by("order", "code")
    )
    earlier = [t.continues for t in tasks if t.continues is not None]
    verdicts = verdicts_for_tasks(earlier, on)
    return [
        CarriedOver(task=t, previous=t.continues, verdict=verdicts[t.continues.pk])
        for t in tasks
        if t.continues is not None and verdicts[t.continues.pk].status != TaskStatus.DONE
    ]
