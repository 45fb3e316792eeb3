"""/api/plans, /api/tasks, /api/assignments: what the caller may see (a unit role: the plans
and tasks that assign it something, its own assignments)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dean06.api.auth import acting_user
from dean06.api.common import Paging, PathId, found
from dean06.api.schemas import (
    ERRORS,
    AssignmentFilters,
    AssignmentOut,
    PlanFilters,
    PlanOut,
    TaskDetailOut,
    TaskFilters,
    TaskOut,
)
from dean06.plans.api_selectors import (
    assignment_get,
    assignments_for_api,
    plan_get,
    plans_for_api,
    task_get,
    tasks_for_api,
)

router = Router()


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="Danh sách kế hoạch")
@paginate(Paging)
def plan_list(request: HttpRequest, filters: Query[PlanFilters]) -> Any:
    return plans_for_api(acting_user(request), year=filters.year, q=filters.q)


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="Một kế hoạch")
def plan_detail(request: HttpRequest, plan_id: PathId) -> Any:
    return found(plan_get(acting_user(request), plan_id), "Không tìm thấy kế hoạch.")


@router.get("/tasks", response={200: list[TaskOut], **ERRORS}, summary="Danh sách nhiệm vụ")
@paginate(Paging)
def task_list(request: HttpRequest, filters: Query[TaskFilters]) -> Any:
    return tasks_for_api(
        acting_user(request), plan=filters.plan, unit=filters.unit, year=filters.year, q=filters.q
    )


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **ERRORS}, summary="Một nhiệm vụ")
def task_detail(request: HttpRequest, task_id: PathId) -> Any:
    return found(task_get(acting_user(request), task_id), "Không tìm thấy nhiệm vụ.")


@router.get(
    "/assignments", response={200: list[AssignmentOut], **ERRORS}, summary="Danh sách phân công"
)
@paginate(Paging)
def assignment_list(request: HttpRequest, filters: Query[AssignmentFilters]) -> Any:
    return assignments_for_api(
        acting_user(request),
        plan=filters.plan,
        unit=filters.unit,
        task=filters.task,
        role=filters.role,
    )


@router.get(
    "/assignments/{assignment_id}", response={200: AssignmentOut, **ERRORS}, summary="Một phân công"
)
def assignment_detail(request: HttpRequest, assignment_id: PathId) -> Any:
    return found(assignment_get(acting_user(request), assignment_id), "Không tìm thấy phân công.")
