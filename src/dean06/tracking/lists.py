"""The task list and the unit pages: tasks filtered by plan, year, group, unit, role and status,
searched without diacritics ("so thong tin" finds "Sở Thông tin và Truyền thông"), each with its
derived status; units with their tasks and their reports by period. Reads scoped to the acting
user, each from a fixed number of queries whatever the data size.

The search runs in Python over the tasks the user sees (a province has some 500 a year), not on a
folded column: the one `fold` rule on SQLite and PostgreSQL alike (neither has it built in, and
PostgreSQL's unaccent extension folds differently), right however a task's text was written
(plan import, the admin, any later service), no column to keep in step. The folded query becomes
one regular expression matched against each text as stored: about a millisecond for 500 tasks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from dean06.accounts.permissions import Action, can
from dean06.ingest.text import fold, unaccent
from dean06.orgs.models import Unit, UnitGroup
from dean06.orgs.selectors import units_visible_to
from dean06.plans.models import Assignment, AssignmentRole, Plan, PlanSection, Task
from dean06.plans.selectors import plans_visible_to, tasks_visible_to
from dean06.tracking.models import ProgressReport, ReportingPeriod
from dean06.tracking.periods import recent_months
from dean06.tracking.selectors import (
    STATED,
    Cell,
    completeness,
    reporting_period,
    task_facts,
)
from dean06.tracking.status import ReportFact, TaskStatus, Timeliness, Verdict, task_status

PAGE_SIZE = 30

# --- searching without diacritics (pure) ----------------------------------------------------------

# Any run of what `fold` turns into one space: punctuation, spaces, underscores.
_GAP = r"[\W_]+"
# Combining marks a decomposed (NFD) text carries after its base letter.
_MARKS = "[\u0300-\u036f]*"


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """For each ASCII letter, the lowercase letters `unaccent` folds into it (ở, ơ, ó, ... → o;
    đ → d)."""
    out: dict[str, set[str]] = {}
    for code in range(0x80, 0x2000):
        char = chr(code)
        lower = char.lower()
        if not char.isalpha() or len(lower) != 1:
            continue
        base = unaccent(lower)
        if len(base) == 1 and base.isascii() and base.isalnum() and base != lower:
            out.setdefault(base, set()).add(lower)
    return {base: "".join(sorted(chars)) for base, chars in out.items()}


def search_pattern(query: str) -> re.Pattern[str] | None:
    """A pattern that finds `query` in a text exactly when `fold(query)` is in `fold(text)` —
    without folding the text: "so thong tin" matches "Sở Thông tin", "b.1" matches "B.1.3".
    One regular-expression search per text instead of folding every task's content on every
    request (folding is ten times slower). None when the query has no letter or digit."""
    folded = fold(query)
    if not folded:
        return None
    variants = _variants()
    parts = []
    for char in folded:
        if char == " ":
            parts.append(_GAP)
        elif char in variants:
            parts.append(f"[{re.escape(char + variants[char])}]{_MARKS}")
        else:
            parts.append(f"{re.escape(char)}{_MARKS}")
    return re.compile("".join(parts), re.IGNORECASE)


def text_matches(pattern: re.Pattern[str] | None, *texts: str) -> bool:
    """Whether any of the texts holds the query (each text on its own: a phrase never runs from
    one field into the next)."""
    if pattern is None:
        return True
    return any(text and pattern.search(text) for text in texts)


def unit_matches(pattern: re.Pattern[str] | None, unit: Unit) -> bool:
    """By full name, short name or any alias ("STTTT", "Sở TT&TT")."""
    return text_matches(pattern, unit.name, unit.short_name, *(unit.aliases or ()))


# --- the task list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskFilters:
    """What the list is narrowed to; empty values mean "all"."""

    q: str = ""
    status: str = ""  # a TaskStatus value
    timeliness: str = ""  # a Timeliness value (the four counts)
    plan_id: int | None = None
    year: int | None = None
    section: str = ""  # a group's code; its subgroups are included
    unit_id: int | None = None
    role: str = ""  # lead / coordinating: of `unit_id`, else of the user's own unit

    @property
    def needs_status(self) -> bool:
        return bool(self.status or self.timeliness)


@dataclass(frozen=True)
class TaskListRow:
    task: Task
    verdict: Verdict
    leads: list[str]  # a collective by its name, not as the units it fanned out into
    coordinating: list[str]

    @property
    def days_overdue(self) -> int | None:
        """Days past the due date of a task still not done (None when it is not overdue)."""
        if self.verdict.timeliness is not Timeliness.OVERDUE or self.verdict.days_left is None:
            return None
        return max(0, -self.verdict.days_left)


@dataclass
class TaskList:
    page: Page[TaskListRow]
    total: int
    # Per status, the tasks passing the other filters (when counted): each is the `total` the
    # list shows with that status.
    by_status: dict[str, int] = field(default_factory=dict)


ORDER = (F("plan__date").desc(nulls_last=True), "plan_id", "order", "code")
# What the status of a task is derived from (`tracking.selectors.task_facts`).
FACT_FIELDS = ("due_date", "deadline_kind", "is_recurring", "start_date", "targets")


def tasks_filtered(user: Any, filters: TaskFilters) -> QuerySet[Task]:
    """The tasks the user sees, narrowed by the filters the database can apply (all but the
    search and the status)."""
    qs = tasks_visible_to(user)
    if filters.plan_id is not None:
        qs = qs.filter(plan_id=filters.plan_id)
    if filters.year is not None:
        # A plan's year; one without, the year it was issued (as the dashboard counts).
        qs = qs.filter(
            Q(plan__year=filters.year) | Q(plan__year__isnull=True, plan__date__year=filters.year)
        )
    if filters.section:
        qs = qs.filter(
            Q(section__code=filters.section) | Q(section__code__startswith=f"{filters.section}.")
        )
    role = filters.role if filters.role in AssignmentRole.values else ""
    unit_id = filters.unit_id
    if role and unit_id is None:
        unit_id = getattr(user, "unit_id", None)  # "the tasks I lead"
    if unit_id is not None:
        assigned = Assignment.objects.filter(task=OuterRef("pk"), unit_id=unit_id)
        if role:
            assigned = assigned.filter(role=role)
        qs = qs.filter(Exists(assigned))
    return qs


def _matching_task_ids(pattern: re.Pattern[str], candidates: Sequence[Task]) -> set[int]:
    """The candidates whose code or content holds the query, or that are assigned to a unit
    whose name, short name or alias holds it, or through a collective whose name does ("cac so
    ban nganh")."""
    found = {t.pk for t in candidates if text_matches(pattern, t.code, t.content)}
    units = [
        pk
        for pk, name, short, aliases in Unit.objects.values_list(
            "pk", "name", "short_name", "aliases"
        )
        if text_matches(pattern, name, short, *(aliases or ()))
    ]
    groups = [
        pk
        for pk, name, aliases in UnitGroup.objects.values_list("pk", "name", "aliases")
        if text_matches(pattern, name, *(aliases or ()))
    ]
    if units or groups:
        ids = {t.pk for t in candidates}
        assigned = Assignment.objects.filter(Q(unit_id__in=units) | Q(via_group_id__in=groups))
        found |= {
            task_id
            for task_id in assigned.values_list("task_id", flat=True).distinct()
            if task_id in ids
        }
    return found


def _fact(row: dict[str, Any], period: ReportingPeriod, zone: dt.tzinfo) -> ReportFact:
    """`tracking.selectors.report_fact` of a stated report read as a row: the day it was sent
    (an imported report: the period's due day), what it states."""
    sent = row["sent_at"]
    return ReportFact(
        period_start=period.start,
        period_end=period.end,
        state=row["state"] or "in_progress",
        submitted_on=sent.astimezone(zone).date()
        if sent is not None and row["source"] != "import"
        else period.due_date,
        completed_on=row["completed_on"],
        percent=None if row["percent_complete"] is None else float(row["percent_complete"]),
        has_difficulties=bool(row["difficulties"].strip()),
    )


def _telling_reports(
    ids: Any, on: dt.date, zone: dt.tzinfo
) -> tuple[list[dict[str, Any]], dict[int, ReportingPeriod]]:
    """The stated lead reports that can change a status on `on` (`tracking.status`), as rows:
    each assignment's latest report known by then (of the latest period among those sent by
    `on`), and those of the period under way or ended within 31 days (a recurring task's check).
    Older reports say nothing the latest does not; leaving them out keeps a year of reports
    cheap. Three queries; the rows come with their periods."""
    next_day = dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    # Known by `on` as `report_fact` dates them: the day sent; an imported or undated report,
    # the period's due day.
    known = Q(sent_at__lt=next_day) & ~Q(source="import") | (
        Q(sent_at__isnull=True) | Q(source="import")
    ) & Q(period__due_date__lte=on)
    stated = (
        ProgressReport.objects.filter(
            status__in=STATED, assignment__task__in=ids, assignment__role=AssignmentRole.LEAD
        )
        .annotate(sent_at=Coalesce("submitted_at", "accepted_at"))
        .order_by()
    )
    latest_end = dict(
        stated.filter(known)
        .values("assignment_id")
        .annotate(end=Max("period__end"))
        .values_list("assignment_id", "end")
    )
    recent_from = on - dt.timedelta(days=31)
    since = min([*latest_end.values(), recent_from])
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(end__gte=since)}
    rows = stated.filter(period__end__gte=since).values(
        "assignment_id",
        "period_id",
        "sent_at",
        "source",
        "state",
        "completed_on",
        "percent_complete",
        "difficulties",
    )
    telling = []
    for row in rows:
        period = periods[row["period_id"]]
        latest = period.end == latest_end.get(row["assignment_id"])
        if latest or (period.end >= recent_from and period.start <= on):
            telling.append(row)
    return telling, periods


def task_verdicts(
    tasks: Sequence[Task], on: dt.date, *, scope: QuerySet[Task] | None = None
) -> dict[int, Verdict]:
    """Each task's status on `on` from its lead units' stated reports: the answer of
    `tracking.selectors.verdicts_for_tasks` (a test holds them equal), read from the reports
    that can still tell (`_telling_reports`) as plain rows instead of two models per report —
    a province's year of reports many times faster. `scope`, a queryset holding the tasks,
    stands in the queries for a list of their ids. Four queries."""
    ids: Any = scope.values("pk") if scope is not None else [t.pk for t in tasks]
    leads: dict[int, list[int]] = defaultdict(list)
    for task_id, assignment_id in Assignment.objects.filter(
        task__in=ids, role=AssignmentRole.LEAD
    ).values_list("task_id", "pk"):
        leads[task_id].append(assignment_id)
    zone = timezone.get_current_timezone()
    rows, periods = _telling_reports(ids, on, zone)
    facts: dict[int, list[ReportFact]] = defaultdict(list)
    for row in rows:
        facts[row["assignment_id"]].append(_fact(row, periods[row["period_id"]], zone))
    return {
        task.pk: task_status(
            task_facts(task), [facts.get(a, []) for a in leads.get(task.pk, [])], on
        )
        for task in tasks
    }


def _judged(
    user: Any, on: dt.date, filters: TaskFilters, *, judge: bool
) -> tuple[list[Task], dict[int, Verdict], dict[str, int]]:
    """The tasks of the list in order (only the fields the search and the status need), and,
    when `judge`, every one's status and the count of each status among the tasks passing
    every filter but the status (each count is then the length of the list its status gives)."""
    fields = ["pk"]
    pattern = search_pattern(filters.q)
    if pattern is not None:
        fields += ["code", "content"]
    if judge:
        fields += FACT_FIELDS
    scope = tasks_filtered(user, filters)
    tasks = list(scope.select_related(None).only(*fields).order_by(*ORDER))
    if pattern is not None:
        found = _matching_task_ids(pattern, tasks)
        tasks = [t for t in tasks if t.pk in found]
    if not judge:
        return tasks, {}, {}
    verdicts = task_verdicts(tasks, on, scope=scope) if tasks else {}
    if filters.timeliness:
        tasks = [t for t in tasks if verdicts[t.pk].timeliness.value == filters.timeliness]
    by_status = {s.value: 0 for s in TaskStatus}
    for task in tasks:
        by_status[verdicts[task.pk].status.value] += 1
    if filters.status:
        tasks = [t for t in tasks if verdicts[t.pk].status.value == filters.status]
    return tasks, verdicts, by_status


def _names(assignments: Iterable[Assignment]) -> list[str]:
    names: list[str] = []
    for assignment in assignments:
        group = assignment.via_group
        name = group.name if group is not None else assignment.unit.name
        if name not in names:
            names.append(name)
    return names


def task_rows(
    tasks: Sequence[Task], on: dt.date, verdicts: dict[int, Verdict]
) -> list[TaskListRow]:
    """The rows of one page: tasks with plan, group, units and status (six queries, or two
    when the statuses are known)."""
    ids = [t.pk for t in tasks]
    loaded = {
        t.pk: t
        for t in Task.objects.filter(pk__in=ids)
        .select_related("plan", "section")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit", "via_group").order_by(
                    "unit__name"
                ),
                to_attr="listed_assignments",
            )
        )
    }
    page = [loaded[pk] for pk in ids if pk in loaded]
    missing = [t for t in page if t.pk not in verdicts]
    if missing:
        verdicts = {**verdicts, **task_verdicts(missing, on)}
    rows = []
    for task in page:
        assignments = task.listed_assignments
        rows.append(
            TaskListRow(
                task=task,
                verdict=verdicts[task.pk],
                leads=_names(a for a in assignments if a.role == AssignmentRole.LEAD),
                coordinating=_names(
                    a for a in assignments if a.role == AssignmentRole.COORDINATING
                ),
            )
        )
    return rows


def task_list(
    user: Any,
    on: dt.date,
    filters: TaskFilters,
    *,
    page: Any = 1,
    per_page: int = PAGE_SIZE,
    with_counts: bool = False,
) -> TaskList:
    """One page of the tasks the user sees that pass the filters, in plan order (newest plan
    first), each with its status on `on`. `with_counts` also counts the tasks of each status
    (over every page, whatever status the filters ask for)."""
    judge = filters.needs_status or with_counts
    tasks, verdicts, by_status = _judged(user, on, filters, judge=judge)
    paginator = Paginator(tasks, per_page)
    current = paginator.get_page(page)
    rows = task_rows(list(current.object_list), on, verdicts)
    # The page's rows in place of its tasks; the paginator still counts the tasks.
    shown: Page[TaskListRow] = Page(rows, current.number, cast(Any, paginator))
    return TaskList(page=shown, total=paginator.count, by_status=by_status)


# --- choices of the filters -----------------------------------------------------------------------


def filter_plans(user: Any) -> list[Plan]:
    return list(plans_visible_to(user).order_by(F("date").desc(nulls_last=True), "number"))


def plan_years(plans: Iterable[Plan]) -> list[int]:
    """The years of these plans, newest first (a plan without a year: the year it was
    issued)."""
    years = {p.year or (p.date.year if p.date else None) for p in plans}
    return sorted((y for y in years if y), reverse=True)


def filter_sections(user: Any, plan_id: int | None) -> list[tuple[str, str]]:
    """(code, label): a plan's groups with their titles; across plans, the codes alone."""
    visible = tasks_visible_to(user)
    if plan_id is not None:
        sections = PlanSection.objects.filter(
            plan_id=plan_id, plan__in=visible.values("plan_id")
        ).order_by("order", "code")
        return [(s.code, f"{s.code}. {s.title[:70]}") for s in sections]
    codes = visible.exclude(section=None).values_list("section__code", flat=True)
    tops = {code.split(".")[0] for code in codes.order_by().distinct()}
    return [(code, code) for code in sorted(tops)]


def filter_units(user: Any) -> list[Unit]:
    """The units a list can be narrowed to: for a province role, every unit given a task; for a
    unit, its own."""
    if can(user, Action.VIEW_PROVINCE):
        assigned = Assignment.objects.values("unit_id")
        return list(Unit.objects.filter(pk__in=assigned).order_by("level", "name"))
    return list(units_visible_to(user).order_by("level", "name"))


# --- units ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    lead_count: int
    coordinating_count: int


def unit_list(
    user: Any,
    on: dt.date,
    *,
    q: str = "",
    level: str = "",
    current_only: bool = False,
    page: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Page[UnitRow]:
    """The units the user sees (a unit role: its own), searched by name, short name or alias
    without diacritics, of one level, with the number of tasks each leads and coordinates."""
    qs = units_visible_to(user).annotate(
        lead_count=Count("assignments", filter=Q(assignments__role=AssignmentRole.LEAD)),
        coordinating_count=Count(
            "assignments", filter=Q(assignments__role=AssignmentRole.COORDINATING)
        ),
    )
    if level:
        qs = qs.filter(level=level)
    if current_only:
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    pattern = search_pattern(q)
    units = [u for u in qs.order_by("level", "name") if unit_matches(pattern, u)]
    paginator = Paginator(units, per_page)
    current = paginator.get_page(page)
    rows = [UnitRow(u, u.lead_count, u.coordinating_count) for u in current.object_list]
    return Page(rows, current.number, cast(Any, paginator))


def unit_get_visible(user: Any, unit_id: int) -> Unit | None:
    """The unit if the user may see it (a unit role: its own only)."""
    unit = Unit.objects.select_related("parent", "replaced_by").filter(pk=unit_id).first()
    if unit is None or not can(user, Action.VIEW_UNIT, unit):
        return None
    return unit


@dataclass(frozen=True)
class PeriodCell:
    period: ReportingPeriod
    cell: Cell


@dataclass
class UnitPage:
    unit: Unit
    replaces: list[Unit]
    lead: TaskList
    coordinating: TaskList
    periods: list[PeriodCell]


def unit_periods(user: Any, unit: Unit, on: dt.date, *, months: int = 6) -> list[PeriodCell]:
    """The unit's reports per month, newest first: expected, on time, late, missing (the
    completeness grid's row for the unit). Months never opened have no reports to count."""
    current = reporting_period(on)
    wanted = recent_months(current.year, current.number, months)
    stored = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(
            kind="month", year__in={y for y, _ in wanted}, number__in={m for _, m in wanted}
        )
    }
    periods = [stored[key] for key in wanted if key in stored]
    grid = completeness(user, periods, on, units=[unit])
    return [PeriodCell(p, grid.cell(unit, p)) for p in reversed(periods)]


def unit_page(user: Any, unit: Unit, on: dt.date, *, rows: int = 10) -> UnitPage:
    """What a unit's page shows: its lead and coordinating tasks (the first `rows` of each, and
    their counts by status), its reports by period, the units it replaced."""
    lead = task_list(
        user,
        on,
        TaskFilters(unit_id=unit.pk, role=AssignmentRole.LEAD),
        per_page=rows,
        with_counts=True,
    )
    coordinating = task_list(
        user,
        on,
        TaskFilters(unit_id=unit.pk, role=AssignmentRole.COORDINATING),
        per_page=rows,
        with_counts=True,
    )
    return UnitPage(
        unit=unit,
        replaces=list(unit.replaces.order_by("name")),
        lead=lead,
        coordinating=coordinating,
        periods=unit_periods(user, unit, on),
    )
