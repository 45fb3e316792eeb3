from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from dean06.plans.models import Assignment, AssignmentRole, Task
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory


def test_task_code_is_unique_within_a_plan_only(db):
    plan = PlanFactory()
    TaskFactory(plan=plan, code="B.2.7")
    TaskFactory(code="B.2.7")  # another plan
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(plan=plan, code="B.2.7", content="trùng")


def test_same_plan_number_in_another_year_is_another_plan(db):
    PlanFactory(number="18/KH-UBND", date=dt.date(2024, 1, 23))
    PlanFactory(number="18/KH-UBND", date=dt.date(2023, 1, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(number="18/KH-UBND", date=dt.date(2024, 1, 23))


def test_due_date_cannot_precede_start(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskFactory(start_date=dt.date(2024, 5, 1), due_date=dt.date(2024, 4, 1))


def test_one_assignment_per_task_unit_and_role(db):
    assignment = AssignmentFactory()
    Assignment.objects.create(
        task=assignment.task, unit=assignment.unit, role=AssignmentRole.COORDINATING
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            task=assignment.task, unit=assignment.unit, role=AssignmentRole.LEAD
        )


def test_a_task_may_continue_last_years_task(db):
    old = TaskFactory(plan=PlanFactory(date=dt.date(2023, 1, 20)))
    new = TaskFactory(continues=old)
    assert list(old.continued_by.all()) == [new]
