"""Reads of plans, tasks and assignments, scoped to what the acting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from dean06.plans.models import Assignment, AssignmentRole, Plan, Task


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """Province-wide roles see every plan; a unit sees the plans that assign it a task."""
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    qs = Plan.objects.all()
    if not user.sees_whole_province:
        qs = qs.filter(tasks__assignments__unit_id=user.unit_id).distinct()
    return qs.annotate(task_count=Count("tasks", distinct=True))


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    qs = Task.objects.select_related("plan", "section")
    if not user.sees_whole_province:
        qs = qs.filter(assignments__unit_id=user.unit_id).distinct()
    return qs


def assignments_visible_to(user: Any) -> QuerySet[Assignment]:
    if not getattr(user, "is_authenticated", False):
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
        .prefetch_related("assignments__unit", "assignments__via_group")
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
