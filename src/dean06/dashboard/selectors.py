"""The leaders' dashboard as one read model: tasks by status and by group of the plan, overdue
tasks, the units' scorecard, the essential services against their targets (this period and over
recent months), reporting completeness and the deadlines ahead.

Built from the domain selectors (`tracking.selectors.status_report` and `completeness`,
`kpis.selectors.service_results` and `service_totals`), in a fixed number of queries whatever
the size of the data. Only province-wide roles see it (a ranking of units is province data), and
they all see the same: so a built dashboard is kept in the cache, keyed by the filters, the day and
a fingerprint of the data it reads (each table's row count and latest change, one query), and
made again as soon as anything it reads changes."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection, models

from dean06.accounts.permissions import Action, can, role_of
from dean06.core import clock
from dean06.core.exceptions import PermissionDeniedError
from dean06.dashboard.scorecard import Ranked, UnitCounts, rank_units
from dean06.kpis.models import PublicService, ServiceReporter, ServiceStat, Target
from dean06.kpis.selectors import (
    ServiceRow,
    service_info,
    service_results,
    service_target_defs,
    service_totals,
)
from dean06.kpis.targets import Status, target_for
from dean06.kpis.totals import NO_FIGURES
from dean06.orgs.models import Unit
from dean06.orgs.selectors import units_visible_to
from dean06.plans.models import Assignment, AssignmentRole, Plan, PlanSection, Task
from dean06.plans.selectors import plans_visible_to
from dean06.tracking.models import ProgressReport, ReportingPeriod
from dean06.tracking.periods import period_span, recent_months
from dean06.tracking.selectors import Cell, TaskRow, completeness, reporting_period, status_report
from dean06.tracking.services import period_unsaved, report_due_date
from dean06.tracking.status import URGENCY, TaskStatus, Timeliness

# How far ahead the countdowns look, how many rows the short lists show, how many months the
# sparklines and the completeness trend cover.
COUNTDOWN_DAYS = 30
SHORT_LIST = 10
SPARK_MONTHS = 12
TREND_MONTHS = 6
# How long a built dashboard is kept (it is made again at once when the data change).
CACHE_SECONDS = 15 * 60
# Every table the dashboard reads: a row added, changed or removed in any of them makes it anew.
WATCHED: tuple[type[models.Model], ...] = (
    Plan,
    PlanSection,
    Task,
    Assignment,
    ProgressReport,
    ReportingPeriod,
    Unit,
    PublicService,
    ServiceStat,
    ServiceReporter,
    Target,
)


@dataclass(frozen=True)
class DashboardFilters:
    """What the leader chose; ids are checked against what the user sees."""

    year: int | None = None  # plans of that year
    month: tuple[int, int] | None = None  # (year, month); None: the month reported on today
    plan_id: int | None = None
    unit_id: int | None = None
    section: str = ""  # a group of the plan (PlanSection code), its subgroups included


@dataclass(frozen=True)
class TaskQuery:
    """The list of tasks behind a figure, as the task list's GET parameters."""

    status: str = ""
    plan_id: int | None = None
    section: str = ""
    unit_id: int | None = None  # the tasks this unit leads
    year: int | None = None
    timeliness: str = ""

    def params(self) -> dict[str, str]:
        values = {
            "status": self.status,
            "timeliness": self.timeliness,
            "plan": self.plan_id,
            "year": self.year,
            "section": self.section,
            "unit": self.unit_id,
            "role": AssignmentRole.LEAD.value if self.unit_id is not None else "",
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    @property
    def query(self) -> str:
        return urlencode(self.params())

    def with_status(self, status: str) -> TaskQuery:
        return replace(self, status=status, timeliness="")

    def with_timeliness(self, timeliness: str) -> TaskQuery:
        return replace(self, status="", timeliness=timeliness)


@dataclass(frozen=True)
class StatusCount:
    status: TaskStatus
    count: int
    query: TaskQuery

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class TimelinessCount:
    """One of the four counts of a report on assigned tasks."""

    timeliness: Timeliness
    count: int
    query: TaskQuery

    @property
    def label(self) -> str:
        return self.timeliness.label


@dataclass(frozen=True)
class GroupRow:
    """One group of a plan (its own tasks, not its subgroups'): tasks by status."""

    plan: Plan
    section: PlanSection | None
    total: int
    cells: list[StatusCount]
    query: TaskQuery

    @property
    def code(self) -> str:
        return self.section.code if self.section else ""

    @property
    def title(self) -> str:
        return self.section.title if self.section else "Nhiệm vụ không thuộc nhóm"


@dataclass(frozen=True)
class DeadlineRow:
    """A task with its lead units and days to its deadline (negative: days overdue)."""

    row: TaskRow
    days: int

    @property
    def task(self) -> Any:
        return self.row.task

    @property
    def lead_units(self) -> list[Unit]:
        return self.row.lead_units

    @property
    def days_overdue(self) -> int:
        return -self.days


@dataclass(frozen=True)
class SparkPoint:
    label: str
    share: Decimal | None
    target: Decimal | None


@dataclass(frozen=True)
class ServiceLine:
    """A service this period (share, target, result) and its share over recent months."""

    row: ServiceRow
    points: list[SparkPoint]

    @property
    def service(self) -> Any:
        return self.row.service

    def chart_data(self) -> dict[str, Any]:
        return {
            "id": self.row.service.pk,
            "name": f"{self.row.service.order}. {self.row.service.name}",
            "labels": [p.label for p in self.points],
            "shares": [_number(p.share) for p in self.points],
            "targets": [_number(p.target) for p in self.points],
        }


@dataclass(frozen=True)
class CompletenessPoint:
    period: ReportingPeriod
    cell: Cell

    @property
    def due(self) -> int:
        """Reports due by now (those still before their due day left out)."""
        return self.cell.expected - self.cell.pending

    @property
    def on_time_percent(self) -> float | None:
        """Sent on time among the reports due by now (None: none due yet)."""
        return 100 * self.cell.on_time / self.due if self.due > 0 else None


@dataclass(frozen=True)
class ScoreRow:
    ranked: Ranked
    unit: Unit
    query: TaskQuery  # the unit's tasks in the scope shown

    @property
    def counts(self) -> UnitCounts:
        return self.ranked.counts


@dataclass
class Dashboard:
    on: dt.date
    filters: DashboardFilters
    plan: Plan | None
    unit: Unit | None
    section: str
    year: int | None
    period: ReportingPeriod
    scope: TaskQuery  # every task in the scope shown
    total: int
    by_status: list[StatusCount]
    four_counts: list[TimelinessCount]
    groups: list[GroupRow]
    group_columns: list[TaskStatus]
    overdue: list[DeadlineRow]
    countdowns: list[DeadlineRow]
    report_due: dt.date
    without_lead: int
    scorecard: list[ScoreRow]
    services: list[ServiceLine]
    service_counts: dict[str, int]
    completeness: list[CompletenessPoint]

    @property
    def period_value(self) -> str:
        return f"{self.period.year}-{self.period.number:02d}"

    @property
    def report_days_left(self) -> int:
        return (self.report_due - self.on).days

    @property
    def report_days_late(self) -> int:
        return max(0, -self.report_days_left)

    @property
    def current(self) -> CompletenessPoint | None:
        """The completeness of the period chosen."""
        return self.completeness[-1] if self.completeness else None

    def count(self, status: TaskStatus) -> StatusCount:
        return next(s for s in self.by_status if s.status is status)

    @property
    def overdue_count(self) -> StatusCount:
        return self.count(TaskStatus.OVERDUE)

    @property
    def done_count(self) -> StatusCount:
        return self.count(TaskStatus.DONE)

    @property
    def due_soon_count(self) -> StatusCount:
        return self.count(TaskStatus.DUE_SOON)

    @property
    def services_with_target(self) -> int:
        return self.service_counts.get(Status.MET, 0) + self.service_counts.get(Status.NOT_MET, 0)

    def status_chart(self) -> dict[str, Any]:
        shown = [s for s in self.by_status if s.count]
        return {
            "labels": [s.label for s in shown],
            "values": [s.count for s in shown],
            "keys": [s.status.value for s in shown],
        }

    def spark_data(self) -> list[dict[str, Any]]:
        return [line.chart_data() for line in self.services]

    def completeness_chart(self) -> dict[str, Any]:
        return {
            "labels": [p.period.label for p in self.completeness],
            "on_time": [p.cell.on_time for p in self.completeness],
            "late": [p.cell.late for p in self.completeness],
            "missing": [p.cell.missing for p in self.completeness],
            "pending": [p.cell.pending for p in self.completeness],
        }


# --- the filters' choices -----------------------------------------------------------------------


@dataclass
class FilterChoices:
    plans: list[Plan]
    years: list[int]
    units: list[Unit]
    sections: list[tuple[str, str]]  # (code, label)


def default_month(on: dt.date | None = None) -> tuple[int, int]:
    """The month the dashboard shows when none is chosen: the one units report on today."""
    period = reporting_period(on or clock.today())
    return period.year, period.number


def plan_year(plan: Plan) -> int | None:
    return plan.year or (plan.date.year if plan.date else None)


def filter_choices(user: Any) -> FilterChoices:
    """What the filters offer the user: the plans and years they see, the units that lead a
    task, the groups of the plans (three queries)."""
    plans = list(plans_visible_to(user).order_by("-year", "-date", "number"))
    years = sorted({y for y in (plan_year(p) for p in plans) if y}, reverse=True)
    led = Assignment.objects.filter(role=AssignmentRole.LEAD).values("unit_id")
    units = list(units_visible_to(user).filter(pk__in=led).order_by("level", "name"))
    sections: dict[str, str] = {}
    for code, title in (
        PlanSection.objects.filter(plan__in=[p.pk for p in plans])
        .order_by("plan__date", "plan_id", "order", "code")
        .values_list("code", "title")
    ):
        sections.setdefault(code, f"{code} — {_short(title)}")
    return FilterChoices(plans=plans, years=years, units=units, sections=list(sections.items()))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the dashboard ----------------------------------------------------------------------------


def data_fingerprint() -> str:
    """Each watched table's row count and latest change, in one query: equal fingerprints
    mean the dashboard would read the same data."""
    # Table names come from the models, never from input.
    parts = []
    for model in WATCHED:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
        parts.append(f"(SELECT MAX(updated_at) FROM {table})")  # noqa: S608
    sql = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()


def dashboard(user: Any, filters: DashboardFilters, *, use_cache: bool = True) -> Dashboard:
    """Everything the dashboard shows for the filters, as the user may see it (from the cache
    when nothing it reads has changed since it was built today)."""
    if not can(user, Action.VIEW_PROVINCE):
        raise PermissionDeniedError("Bạn không có quyền xem bảng điều khiển toàn tỉnh.")
    on = clock.today()
    if not use_cache:
        return _build(user, filters, on)
    # Every province role sees the same dashboard today; the role is in the key all the same,
    # so that a rule giving one role less could never serve it another role's dashboard.
    stamp = repr((role_of(user), filters, on.isoformat(), data_fingerprint()))
    key = "dean06.dashboard:" + hashlib.sha256(stamp.encode()).hexdigest()
    built: Dashboard | None = cache.get(key)
    if built is None:
        built = _build(user, filters, on)
        cache.set(key, built, CACHE_SECONDS)
    return built


def _build(user: Any, filters: DashboardFilters, on: dt.date) -> Dashboard:
    plan = (
        plans_visible_to(user).filter(pk=filters.plan_id).first()
        if filters.plan_id is not None
        else None
    )
    unit = (
        units_visible_to(user).filter(pk=filters.unit_id).first()
        if filters.unit_id is not None
        else None
    )
    period = period_unsaved("month", *(filters.month or default_month(on)))
    section = filters.section.strip()
    year = filters.year if plan is None else plan_year(plan)
    scope = TaskQuery(
        plan_id=plan.pk if plan else None,
        section=section,
        unit_id=unit.pk if unit else None,
        year=year if plan is None else None,
    )

    report = status_report(user, on, plan=plan, section_code=section or None)
    rows = report.rows
    if plan is None and year is not None:
        rows = [r for r in rows if plan_year(r.task.plan) == year]
    shown = rows if unit is None else [r for r in rows if _leads(r, unit.pk)]

    by_status = _by_status(shown, scope)
    groups, columns = _groups(shown, scope)
    overdue = sorted(
        (DeadlineRow(r, r.verdict.days_left or 0) for r in shown if r.status is TaskStatus.OVERDUE),
        key=lambda d: (d.days, d.task.plan_id, d.task.order),
    )
    countdowns = sorted(
        (
            DeadlineRow(r, r.verdict.days_left)
            for r in shown
            if r.status is not TaskStatus.DONE
            and r.verdict.days_left is not None
            and 0 <= r.verdict.days_left <= COUNTDOWN_DAYS
        ),
        key=lambda d: (d.days, d.task.plan_id, d.task.order),
    )

    periods = _stored_months(period, TREND_MONTHS)
    grid = completeness(user, periods, on)
    trend = [
        CompletenessPoint(p, grid.cell(unit, p) if unit is not None else grid.totals(p))
        for p in periods
    ]
    scorecard = _scorecard(rows, grid.units, grid.cells, period, scope)

    service_rows = service_results(user, period, unit=unit)
    lines = _service_lines(user, service_rows, period, unit)
    service_counts = {s.value: 0 for s in Status}
    for service_row in service_rows:
        service_counts[service_row.status.value] += 1

    return Dashboard(
        on=on,
        filters=filters,
        plan=plan,
        unit=unit,
        section=section,
        year=year,
        period=period,
        scope=scope,
        total=len(shown),
        by_status=by_status,
        four_counts=_four_counts(shown, scope),
        groups=groups,
        group_columns=columns,
        overdue=overdue,
        countdowns=countdowns,
        report_due=report_due_date(plan, period) if plan is not None else period.due_date,
        without_lead=sum(1 for r in shown if not r.lead_units),
        scorecard=scorecard,
        services=lines,
        service_counts=service_counts,
        completeness=trend,
    )


def _leads(row: TaskRow, unit_id: int) -> bool:
    return any(u.pk == unit_id for u in row.lead_units)


def _by_status(rows: Sequence[TaskRow], scope: TaskQuery) -> list[StatusCount]:
    counts = {s: 0 for s in TaskStatus}
    for row in rows:
        counts[row.status] += 1
    return [StatusCount(s, counts[s], scope.with_status(s.value)) for s in URGENCY]


def _four_counts(rows: Sequence[TaskRow], scope: TaskQuery) -> list[TimelinessCount]:
    counts = {t: 0 for t in Timeliness}
    for row in rows:
        counts[row.verdict.timeliness] += 1
    return [TimelinessCount(t, counts[t], scope.with_timeliness(t.value)) for t in Timeliness]


def _groups(rows: Sequence[TaskRow], scope: TaskQuery) -> tuple[list[GroupRow], list[TaskStatus]]:
    """Tasks by group of the plan (the task's own group), in the plan's order; the columns are
    the statuses that occur."""
    grouped: dict[tuple[int, int | None], list[TaskRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.task.plan_id, row.task.section_id)].append(row)
    occurring = {r.status for r in rows}
    columns = [s for s in URGENCY if s in occurring]
    out = []
    for members in grouped.values():
        task = members[0].task
        query = TaskQuery(
            plan_id=task.plan_id,
            section=task.section.code if task.section else "",
            unit_id=scope.unit_id,
        )
        counts = {s: 0 for s in columns}
        for row in members:
            counts[row.status] += 1
        out.append(
            GroupRow(
                plan=task.plan,
                section=task.section,
                total=len(members),
                cells=[StatusCount(s, counts[s], query.with_status(s.value)) for s in columns],
                query=query,
            )
        )
    out.sort(
        key=lambda g: (
            g.plan.date or dt.date.min,
            g.plan.pk,
            g.section is None,
            g.section.order if g.section else 0,
            g.code,
        )
    )
    return out, columns


def _stored_months(period: ReportingPeriod, count: int) -> list[ReportingPeriod]:
    """The stored monthly periods among the `count` months ending with `period` (a selector
    reads; it does not create the periods no one has used yet)."""
    wanted = recent_months(period.year, period.number, count)
    stored = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(kind="month", year__in={y for y, _ in wanted})
    }
    return [stored[w] for w in wanted if w in stored]


def _scorecard(
    rows: Sequence[TaskRow],
    units: Iterable[Unit],
    cells: dict[tuple[int, int], Cell],
    period: ReportingPeriod,
    scope: TaskQuery,
) -> list[ScoreRow]:
    """Every unit that leads a task in scope or owes a report for the period, ranked."""
    known: dict[int, Unit] = {u.pk: u for u in units}
    tasks: dict[int, list[TaskStatus]] = defaultdict(list)
    for row in rows:
        for unit in row.lead_units:
            known.setdefault(unit.pk, unit)
            tasks[unit.pk].append(row.status)
    counts = []
    for unit_id, unit in known.items():
        statuses = tasks.get(unit_id, [])
        cell = cells.get((unit_id, period.pk)) if period.pk is not None else None
        counts.append(
            UnitCounts(
                unit_id=unit_id,
                name=unit.name,
                tasks=len(statuses),
                done=sum(1 for s in statuses if s is TaskStatus.DONE),
                overdue=sum(1 for s in statuses if s is TaskStatus.OVERDUE),
                reports_expected=cell.expected if cell else 0,
                reports_on_time=cell.on_time if cell else 0,
                reports_late=cell.late if cell else 0,
                reports_missing=cell.missing if cell else 0,
                reports_pending=cell.pending if cell else 0,
            )
        )
    return [
        ScoreRow(
            ranked=ranked,
            unit=known[ranked.unit_id],
            query=TaskQuery(
                plan_id=scope.plan_id,
                section=scope.section,
                unit_id=ranked.unit_id,
                year=scope.year,
            ),
        )
        for ranked in rank_units(counts)
    ]


def _service_lines(
    user: Any, rows: Sequence[ServiceRow], period: ReportingPeriod, unit: Unit | None
) -> list[ServiceLine]:
    """Each service's share over the recent months against its target, from the same one total
    as `service_results` (`kpis.selectors.service_share_series`, for every service at once)."""
    wanted = recent_months(period.year, period.number, SPARK_MONTHS)
    stored = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(kind="month", year__in={y for y, _ in wanted})
    }
    shown = [stored[w] for w in wanted if w in stored]
    totals = service_totals(user, shown, services=[r.service for r in rows], unit=unit)
    targets = service_target_defs()
    lines = []
    for row in rows:
        info = service_info(row.service)
        points = []
        for y, m in wanted:
            month = stored.get((y, m))
            figures = totals.get((row.service.pk, month.pk), NO_FIGURES) if month else NO_FIGURES
            target = target_for(info, targets, period_span("month", y, m).end)
            points.append(SparkPoint(f"{m}/{y}", figures.share, target.value if target else None))
        lines.append(ServiceLine(row=row, points=points))
    return lines


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
