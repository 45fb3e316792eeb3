"""What a unit account sees of plans, tasks and assignments, and what an account without a unit
sees: nothing (an outer join's NULL must not match its missing unit)."""

from __future__ import annotations

from dean06.accounts.roles import Role
from dean06.plans.selectors import assignments_visible_to, plans_visible_to, tasks_visible_to
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UserFactory


def test_a_unit_sees_the_plans_that_assign_it_a_task(make_user):
    mine = AssignmentFactory()
    AssignmentFactory()  # another unit's task in another plan
    PlanFactory()  # a plan not yet read: no tasks
    officer = make_user(Role.UNIT_OFFICER, unit=mine.unit)

    assert list(plans_visible_to(officer)) == [mine.task.plan]
    assert list(tasks_visible_to(officer)) == [mine.task]
    assert list(assignments_visible_to(officer)) == [mine]


def test_an_account_without_role_or_unit_sees_no_plan_even_one_without_tasks(db):
    PlanFactory()  # no tasks: its LEFT JOIN row has a NULL unit
    TaskFactory()  # a task without assignments
    AssignmentFactory()
    # No role yet: an account made by single sign-on (DEAN06_OIDC_CREATE_USERS), waiting for
    # the secretariat to give it a role and a unit.
    officer = UserFactory(role="", unit=None)

    assert list(plans_visible_to(officer)) == []
    assert list(tasks_visible_to(officer)) == []
    assert list(assignments_visible_to(officer)) == []


def test_the_secretariat_sees_every_plan(make_user):
    PlanFactory()
    AssignmentFactory()
    assert plans_visible_to(make_user(Role.SECRETARIAT)).count() == 2
