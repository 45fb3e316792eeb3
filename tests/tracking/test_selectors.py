"""Reads of the cycle: task status over a plan, a unit's assignments, completeness and timeliness,
each scoped to the user and made of a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, Plan, Task
from dean06.tracking.selectors import (
    completeness,
    completeness_reports,
    status_report,
    unit_assignment_rows,
)
from dean06.tracking.services import ReportInput, period_get_or_create, progress_report_save
from dean06.tracking.status import TaskStatus
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _send(cycle, task_code, on, **more):
    from django.conf import settings

    settings.DEMO_TODAY = on
    assignment = Assignment.objects.get(
        task__code=task_code, task__plan__number="18/KH-UBND", unit=cycle["unit"], role="lead"
    )
    return progress_report_save(
        assignment=assignment,
        period=cycle["period"],
        data=ReportInput(state=more.pop("state", "in_progress"), progress="Kết quả", **more),
        by=cycle["officer"],
        submit=True,
    )


def test_status_report_counts_every_task_and_flags_those_without_a_lead(cycle):
    secretariat = cycle["secretariat"]
    on = dt.date(2024, 7, 10)
    report = status_report(secretariat, on, plan=Plan.objects.get(number="18/KH-UBND"))
    assert len(report.rows) == Task.objects.filter(plan__number="18/KH-UBND").count()
    assert sum(report.counts.values()) == len(report.rows)
    assert set(report.counts) == {
        "done_on_time",
        "done_late",
        "in_progress_within_term",
        "overdue",
    }
    # B.1.3 was due in March and nobody reported: overdue.
    b13 = next(r for r in report.rows if r.task.code == "B.1.3")
    assert b13.status is TaskStatus.OVERDUE and [u.key for u in b13.lead_units] == ["STTTT"]
    _send(cycle, "B.1.3", on, state="done", completed_on=dt.date(2024, 3, 25))
    again = status_report(secretariat, on, plan=Plan.objects.get(number="18/KH-UBND"))
    b13 = next(r for r in again.rows if r.task.code == "B.1.3")
    assert b13.status is TaskStatus.DONE and again.counts["done_on_time"] >= 1


def test_a_unit_officer_sees_its_own_assignments_with_what_is_owed(cycle):
    officer = cycle["officer"]
    on = dt.date(2024, 7, 10)
    rows = unit_assignment_rows(officer, cycle["unit"], cycle["period"], on)
    assert rows and all(r.assignment.unit_id == cycle["unit"].pk for r in rows)
    lead = [r for r in rows if r.is_lead]
    assert lead and all(r.needs_report for r in lead if r.verdict.status is not TaskStatus.DONE)
    assert {r.report_due for r in rows} == {dt.date(2024, 7, 15)}
    other = Unit.objects.get(key="STP")
    assert unit_assignment_rows(officer, other, cycle["period"], on) == []


def test_the_officers_page_costs_the_same_queries_for_one_task_or_many(cycle):
    on = dt.date(2024, 7, 10)
    unit = cycle["unit"]
    _send(cycle, "B.1.3", on)
    with CaptureQueriesContext(connection) as many:
        rows = unit_assignment_rows(cycle["officer"], unit, cycle["period"], on)
    assert len(rows) > 30
    small = UnitFactory()
    Assignment.objects.create(
        task=Task.objects.get(code="B.1.3", plan__number="18/KH-UBND"), unit=small, role="lead"
    )
    officer = UserFactory(role=Role.UNIT_OFFICER, unit=small)
    with CaptureQueriesContext(connection) as few:
        assert len(unit_assignment_rows(officer, small, cycle["period"], on)) == 1
    assert len(many) == len(few) <= 4


def test_completeness_on_time_late_missing_pending(cycle, settings):
    unit = cycle["unit"]
    june = period_get_or_create("month", 2024, 6)
    july = cycle["period"]
    _send(cycle, "B.1.3", dt.date(2024, 7, 12))  # July, on time
    settings.DEMO_TODAY = dt.date(2024, 7, 20)
    grid = completeness(cycle["secretariat"], [june, july], dt.date(2024, 7, 20), units=[unit])
    cell = grid.cell(unit, july)
    assert cell.expected > 1 and cell.on_time == 1
    assert cell.missing == cell.expected - 1 and cell.css == "missing"
    assert grid.cell(unit, june).missing == grid.cell(unit, june).expected
    # Before the due day, what is not sent is pending, not missing.
    early = completeness(cycle["secretariat"], [july], dt.date(2024, 7, 12), units=[unit])
    assert early.cell(unit, july).pending == cell.missing and early.cell(unit, july).missing == 0
    behind = completeness_reports(cycle["secretariat"], unit, july)
    assert len(behind) == cell.expected
    assert sum(1 for _, report in behind if report is not None) == 1


def test_a_late_report_counts_its_days_late(cycle):
    unit = cycle["unit"]
    _send(cycle, "B.1.3", dt.date(2024, 7, 19), late_reason="Chờ số liệu")
    grid = completeness(cycle["secretariat"], [cycle["period"]], dt.date(2024, 7, 20), units=[unit])
    cell = grid.cell(unit, cycle["period"])
    assert cell.late == 1 and cell.max_days_late == 4


def test_a_unit_officer_sees_only_its_own_row_of_the_grid(cycle):
    units = list(Unit.objects.filter(key__in=["STTTT", "STP"]))
    grid = completeness(cycle["officer"], [cycle["period"]], dt.date(2024, 7, 20), units=units)
    assert [u.key for u in grid.units] == ["STTTT"]
