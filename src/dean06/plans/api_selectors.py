"""Reads of plans, tasks and assignments for the REST API (`dean06.api.plans`): the scoped reads
of `plans.selectors`, narrowed by the API's filters."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from dean06.plans.models import Assignment, Plan, Task
from dean06.plans.selectors import assignments_visible_to, plans_visible_to, tasks_visible_to


def plans_for_api(user: Any, *, year: int | None = None, q: str = "") -> QuerySet[Plan]:
    qs = plans_visible_to(user)
    if year is not None:
        qs = qs.filter(year=year)
    if q.strip():
        word = q.strip()
        qs = qs.filter(Q(number__icontains=word) | Q(title__icontains=word))
    return qs.order_by("-year", "-date", "number", "pk")


def plan_get(user: Any, plan_id: int) -> Plan | None:
    return plans_visible_to(user).filter(pk=plan_id).first()


def tasks_for_api(
    user: Any,
    *,
    plan: int | None = None,
    unit: int | None = None,
    year: int | None = None,
    q: str = "",
) -> QuerySet[Task]:
    qs = tasks_visible_to(user)
    if plan is not None:
        qs = qs.filter(plan_id=plan)
    if unit is not None:
        qs = qs.filter(pk__in=Assignment.objects.filter(unit_id=unit).values("task_id"))
    if year is not None:
        qs = qs.filter(plan__year=year)
    if q.strip():
        word = q.strip()
        qs = qs.filter(Q(code__iexact=word) | Q(content__icontains=word))
    return qs.order_by("plan_id", "order", "code", "pk")


def task_get(user: Any, task_id: int) -> Task | None:
    return (
        tasks_visible_to(user)
        .filter(pk=task_id)
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit"))
        )
        .first()
    )


def assignments_for_api(
    user: Any,
    *,
    plan: int | None = None,
    unit: int | None = None,
    task: int | None = None,
    role: str = "",
) -> QuerySet[Assignment]:
    qs = assignments_visible_to(user)
    if plan is not None:
        qs = qs.filter(task__plan_id=plan)
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if task is not None:
        qs = qs.filter(task_id=task)
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("task__plan_id", "task__order", "task__code", "role", "unit__name", "pk")


def assignment_get(user: Any, assignment_id: int) -> Assignment | None:
    return assignments_visible_to(user).filter(pk=assignment_id).first()
