"""Reads of plans, tasks and assignments, scoped to what the acting user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from dean06.ingest.text import expand_abbreviations, fold
from dean06.plans.continuity import TaskInput
from dean06.plans.models import Assignment, AssignmentRole, Plan, Task


def _sees_nothing(user: Any) -> bool:
    """Not signed in, or a unit role without a unit: filtering on `unit_id=None` would match
    the NULL of an outer join (a plan without tasks) and show it to such an account."""
    if not getattr(user, "is_authenticated", False):
        return True
    return not user.sees_whole_province and user.unit_id is None


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """Province-wide roles see every plan; a unit sees the plans that assign it a task."""
    if _sees_nothing(user):
        return Plan.objects.none()
    qs = Plan.objects.all()
    if not user.sees_whole_province:
        qs = qs.filter(tasks__assignments__unit_id=user.unit_id).distinct()
    return qs.annotate(task_count=Count("tasks", distinct=True))


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    if _sees_nothing(user):
        return Task.objects.none()
    qs = Task.objects.select_related("plan", "section")
    if not user.sees_whole_province:
        qs = qs.filter(assignments__unit_id=user.unit_id).distinct()
    return qs


def assignments_visible_to(user: Any) -> QuerySet[Assignment]:
    if _sees_nothing(user):
        return Assignment.objects.none()
    qs = Assignment.objects.select_related("task", "task__plan", "unit")
    if not user.sees_whole_province:
        qs = qs.filter(unit_id=user.unit_id)
    return qs


def task_counts(user: Any) -> dict[str, int]:
    qs = tasks_visible_to(user)
    return {
        "total": qs.count(),
        "recurring": qs.filter(is_recurring=True).count(),
        "with_due_date": qs.filter(due_date__isnull=False).count(),
        "needs_review": qs.filter(Q(needs_review=True) | Q(plan__needs_review=True)).count(),
    }


def plan_task_rows(plan: Plan, user: Any) -> list[dict[str, Any]]:
    """The plan's tasks the user may see, each with its lead and coordinating units."""
    tasks = (
        tasks_visible_to(user)
        .filter(plan=plan)
        .select_related("continues__plan")
        .prefetch_related(
            "assignments__unit",
            "assignments__via_group",
            Prefetch("continued_by", queryset=Task.objects.select_related("plan")),
        )
        .order_by("order", "code")
    )
    rows = []
    for task in tasks:
        lead: list[str] = []
        coordinating: list[str] = []
        for assignment in task.assignments.all():
            (lead if assignment.role == AssignmentRole.LEAD else coordinating).append(
                assignment.unit.name
            )
        rows.append({"task": task, "lead": sorted(lead), "coordinating": sorted(coordinating)})
    return rows


# --- plans of consecutive years -----------------------------------------------------------------


def _issuer_key(issuer: str) -> str:
    """A key equal for "UBND tỉnh Bắc Giang" and "Ủy ban nhân dân tỉnh Bắc Giang"."""
    return fold(expand_abbreviations(issuer or ""))


def plan_previous(plan: Plan) -> Plan | None:
    """Last year's plan of the same kind and issuer: the one with the most tasks when the issuer
    made several (the yearly plan, not a plan for one model or one campaign), then the latest.
    An issuer left blank (OCR lost the letterhead) is taken as the same issuer."""
    if plan.year is None:
        return None
    key = _issuer_key(plan.issuer)
    candidates = [
        p
        for p in Plan.objects.filter(year=plan.year - 1, kind=plan.kind)
        .exclude(pk=plan.pk)
        .annotate(task_count=Count("tasks"))
        if not key or not _issuer_key(p.issuer) or _issuer_key(p.issuer) == key
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda p: (
            _issuer_key(p.issuer) == key,
            p.task_count,
            p.date or dt.date.min,
            p.pk,
        ),
    )


def plan_following(plan: Plan) -> Plan | None:
    """Next year's plan whose previous plan is this one, if it has been imported already."""
    if plan.year is None:
        return None
    for candidate in Plan.objects.filter(year=plan.year + 1, kind=plan.kind).order_by("pk"):
        previous = plan_previous(candidate)
        if previous is not None and previous.pk == plan.pk:
            return candidate
    return None


def continuity_inputs(plan: Plan) -> list[TaskInput]:
    """The plan's tasks as the continuity matcher reads them: content, lead units (a collective
    as its key, with the member units it fanned out into) and the deadline as written."""
    leads = Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).select_related(
            "unit", "via_group"
        ),
        to_attr="lead_assignments",
    )
    inputs = []
    for task in plan.tasks.prefetch_related(leads).order_by("order", "code"):
        assignments = task.lead_assignments
        inputs.append(
            TaskInput(
                code=task.code,
                content=task.content,
                leads=frozenset(
                    a.via_group.key if a.via_group is not None else a.unit.key for a in assignments
                ),
                lead_units=frozenset(a.unit.key for a in assignments),
                deadline=task.deadline_raw,
            )
        )
    return inputs


@dataclass
class PlanContinuity:
    """For a plan's page: the plan of the year before and its tasks that no task here continues;
    the plan of the year after, if any."""

    previous: Plan | None = None
    following: Plan | None = None
    not_continued: list[dict[str, Any]] = field(default_factory=list)


def plan_continuity(plan: Plan, user: Any) -> PlanContinuity:
    previous = plan_previous(plan)
    result = PlanContinuity(previous=previous, following=plan_following(plan))
    if previous is None:
        return result
    continued = Task.objects.filter(plan=plan, continues__plan=previous).values("continues_id")
    old = (
        tasks_visible_to(user)
        .filter(plan=previous)
        .exclude(pk__in=continued)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role=AssignmentRole.LEAD).select_related(
                    "unit", "via_group"
                ),
                to_attr="lead_assignments",
            )
        )
        .order_by("order", "code")
    )
    for task in old:
        # A collective is shown by its name, not as the dozens of units it fanned out into.
        names = {
            a.via_group.name if a.via_group is not None else a.unit.name
            for a in task.lead_assignments
        }
        result.not_continued.append({"task": task, "lead": sorted(names)})
    return result
