"""What each role has to do next: a unit's owed, returned and waiting reports; the secretariat's
reports to accept, late units, overdue tasks and plan files to review — only what the user may
see, from a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, AssignmentRole
from dean06.plans.uploads import plan_upload_create, plan_upload_extract
from dean06.reference import seed_path
from dean06.tracking.models import ProgressReport, ReportStatus
from dean06.tracking.selectors import unit_assignment_rows
from dean06.tracking.services import (
    ReportInput,
    period_get_or_create,
    progress_report_return,
    progress_report_save,
)
from dean06.tracking.status import TaskStatus
from dean06.tracking.todo import (
    SHORT,
    assignment_rows_filtered,
    province_todo,
    unit_todo,
)
from tests.conftest import CYCLE_PLAN
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db

JULY_10 = dt.date(2024, 7, 10)


def _lead(cycle, code, unit=None):
    return Assignment.objects.get(
        task__code=code,
        task__plan__number="18/KH-UBND",
        unit=unit or cycle["unit"],
        role=AssignmentRole.LEAD,
    )


def _send(cycle, assignment, by=None):
    return progress_report_save(
        assignment=assignment,
        period=cycle["period"],
        data=ReportInput(state="in_progress", progress="Đã triển khai"),
        by=by or cycle["officer"],
        submit=True,
    )


def test_a_units_todo_puts_returned_then_overdue_reports_first(cycle):
    officer = cycle["officer"]
    b13 = cycle["assignment"]  # due in March, nobody reported: overdue
    other = next(
        a
        for a in Assignment.objects.filter(unit=cycle["unit"], role="lead").select_related("task")
        if a.task.code != "B.1.3" and (a.task.due_date is None or a.task.due_date > JULY_10)
    )
    returned = _send(cycle, other)
    progress_report_return(
        report=returned, by=cycle["secretariat"], comment="Bổ sung số liệu", version=None
    )

    todo = unit_todo(officer, cycle["unit"], JULY_10)

    assert todo is not None and todo.can_write and not todo.can_approve
    assert todo.period.label == "Tháng 7/2024"
    codes = [row.task.code for row in todo.owed.rows]
    # The returned report comes first (to correct), then the overdue tasks.
    assert codes[0] == other.task.code
    statuses = [row.verdict.status for row in todo.owed.rows[1:]]
    overdue = statuses.count(TaskStatus.OVERDUE)
    assert overdue >= 1 and statuses[:overdue] == [TaskStatus.OVERDUE] * overdue
    assert todo.owed.count == sum(
        1
        for r in unit_assignment_rows(officer, cycle["unit"], todo.period, JULY_10)
        if r.needs_report
    )
    assert len(todo.owed.rows) == min(SHORT, todo.owed.count)
    assert [r.pk for r in todo.returned.rows] == [returned.pk]
    assert todo.returned.rows[0].return_reason == "Bổ sung số liệu"
    assert todo.overdue == todo.counts[TaskStatus.OVERDUE.value] >= 1
    assert todo.lead == Assignment.objects.filter(unit=cycle["unit"], role="lead").count()
    assert b13.pk in [r.assignment.pk for r in todo.owed.rows[: 1 + overdue]]


def test_a_unit_leader_sees_the_reports_waiting_for_approval(cycle, make_user):
    leader = make_user(Role.UNIT_LEADER, unit=cycle["unit"])
    report = _send(cycle, cycle["assignment"])
    assert report.status == ReportStatus.SUBMITTED  # the unit has a leader now

    todo = unit_todo(leader, cycle["unit"], JULY_10)

    assert todo is not None and todo.can_approve and not todo.can_write
    assert [r.pk for r in todo.to_approve.rows] == [report.pk]
    # The officer has nothing to approve.
    mine = unit_todo(cycle["officer"], cycle["unit"], JULY_10)
    assert mine is not None and not mine.to_approve and not mine.can_approve


def test_no_unit_reads_another_units_todo(cycle, make_user):
    stranger = make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="STP"))
    assert unit_todo(stranger, cycle["unit"], JULY_10) is None
    # Returned reports of another unit never show in a unit's list.
    returned = _send(cycle, cycle["assignment"])
    progress_report_return(report=returned, by=cycle["secretariat"], comment="x")
    own = unit_todo(stranger, stranger.unit, JULY_10)
    assert own is not None and not own.returned
    assert all(r.assignment.unit_id == stranger.unit_id for r in own.owed.rows)


def test_the_secretariats_todo_lists_what_waits_and_who_is_late(cycle, settings, tmp_path):
    secretariat = cycle["secretariat"]
    approved = _send(cycle, cycle["assignment"])  # no leader account: straight to approved
    assert approved.status == ReportStatus.APPROVED
    upload = plan_upload_create(
        file=SimpleUploadedFile("ke-hoach.txt", seed_path(CYCLE_PLAN).read_bytes()),
        by=secretariat,
    )
    plan_upload_extract(upload_id=upload.pk)
    on = dt.date(2024, 7, 20)  # July's report day (15/07) has passed

    todo = province_todo(secretariat, on)

    assert todo is not None and todo.can_accept and todo.can_import
    assert [r.pk for r in todo.waiting.rows] == [approved.pk] and todo.waiting.count == 1
    assert todo.late_period is not None and todo.late_period.label == "Tháng 7/2024"
    late = {u.unit.key: u for u in todo.late_units.rows}
    assert todo.late_units.count > SHORT >= len(todo.late_units.rows)
    assert all(u.missing >= 1 for u in todo.late_units.rows)
    missing = [u.missing for u in todo.late_units.rows]
    assert missing == sorted(missing, reverse=True)  # most missing first
    if "STTTT" in late:  # Sở TT&TT sent B.1.3: one fewer missing than it owes
        assert late["STTTT"].missing < late["STTTT"].expected
    overdue = {t.task.code: t for t in todo.overdue.rows}
    assert todo.overdue.count >= 1
    b13 = cycle["assignment"].task
    if "B.1.3" in overdue:
        assert overdue["B.1.3"].days_overdue == (on - b13.due_date).days
        assert [u.key for u in overdue["B.1.3"].lead_units] == ["STTTT"]
    days = [t.days_overdue for t in todo.overdue.rows]
    assert days == sorted(days, reverse=True) and min(days) > 0
    assert [u.pk for u in todo.uploads.rows] == [upload.pk]


def test_no_late_units_before_any_report_day_has_passed(cycle):
    period_get_or_create("month", 2024, 8)
    todo = province_todo(cycle["secretariat"], dt.date(2024, 7, 10))
    assert todo is not None
    # July is due on 15/07 and no earlier month is stored: nobody is late yet.
    assert todo.late_period is None and not todo.late_units


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.UNIT_LEADER, Role.PROVINCIAL_LEADER])
def test_only_those_who_run_the_cycle_get_the_secretariats_todo(cycle, make_user, role):
    unit = cycle["unit"] if role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) else None
    assert province_todo(make_user(role, unit=unit), JULY_10) is None


def test_admin_gets_the_secretariats_todo(cycle, make_user):
    todo = province_todo(make_user(Role.ADMIN), JULY_10)
    assert todo is not None and todo.can_accept and todo.can_import


def test_the_task_list_filters_and_orders_a_units_rows(db, make_user):
    unit = UnitFactory()
    plan = PlanFactory()
    lead_late = TaskFactory(plan=plan, code="A.1", content="Đánh giá dữ liệu dân cư")
    lead_later = TaskFactory(plan=plan, code="A.2", content="Triển khai VNeID", due_date=None)
    coord = TaskFactory(plan=plan, code="A.3", content="Phối hợp tuyên truyền")
    lead_late.due_date = dt.date(2024, 3, 31)
    lead_late.save()
    AssignmentFactory(task=lead_late, unit=unit, role="lead")
    AssignmentFactory(task=lead_later, unit=unit, role="lead")
    AssignmentFactory(task=coord, unit=unit, role="coordinating")
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    period = period_get_or_create("month", 2024, 7)
    rows = unit_assignment_rows(officer, unit, period, JULY_10)

    assert [r.task.code for r in assignment_rows_filtered(rows)] == ["A.1", "A.2", "A.3"]
    assert [r.task.code for r in assignment_rows_filtered(rows, role="coordinating")] == ["A.3"]
    assert [r.task.code for r in assignment_rows_filtered(rows, status="overdue")] == ["A.1"]
    assert [r.task.code for r in assignment_rows_filtered(rows, needs_report=True)] == [
        "A.1",
        "A.2",
    ]
    # Without diacritics or case.
    assert [r.task.code for r in assignment_rows_filtered(rows, query="DANH GIA du lieu")] == [
        "A.1"
    ]
    assert assignment_rows_filtered(rows, query="không có gì") == []


def _bigger(units, tasks, months):
    from dean06.synthetic import generate_province

    generate_province(units=units, tasks=tasks, months=months, end_year=2024, end_month=7)
    # Some of the latest reports wait for the secretariat, some were returned.
    latest = ProgressReport.objects.filter(period__year=2024, period__number=7).order_by("id")
    ids = list(latest.values_list("id", flat=True))
    ProgressReport.objects.filter(pk__in=ids[::3]).update(status=ReportStatus.APPROVED)
    ProgressReport.objects.filter(pk__in=ids[1::3]).update(status=ReportStatus.RETURNED)


def test_each_todo_costs_the_same_queries_whatever_the_data(reference, make_user, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 20)
    secretariat = make_user(Role.SECRETARIAT)

    def counts(units, tasks, months):
        _bigger(units, tasks, months)
        lead = Assignment.objects.filter(role="lead").order_by("-id").first()
        officer = make_user(Role.UNIT_OFFICER, unit=lead.unit)
        leader = make_user(Role.UNIT_LEADER, unit=lead.unit)
        out = []
        for read in (
            lambda: province_todo(secretariat, dt.date(2024, 7, 20)),
            lambda: unit_todo(officer, lead.unit, dt.date(2024, 7, 20)),
            lambda: unit_todo(leader, lead.unit, dt.date(2024, 7, 20)),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert read() is not None
            out.append(len(queries))
        return out

    small = counts(3, 3, 2)
    assert small == counts(40, 60, 7)
    assert max(small) <= 14
