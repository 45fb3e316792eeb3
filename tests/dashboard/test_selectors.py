"""The dashboard's read model: counts by status and group, overdue tasks, the scorecard, the
services' shares over time, completeness; scoped to province roles; a fixed number of queries;
kept in the cache until the data change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.accounts.roles import Role
from dean06.core.exceptions import PermissionDeniedError
from dean06.dashboard.selectors import DashboardFilters, dashboard, filter_choices
from dean06.tracking.models import ProgressReport, ReportStatus
from dean06.tracking.selectors import status_report
from dean06.tracking.status import TaskStatus
from tests.dashboard.conftest import ON, build_province

pytestmark = pytest.mark.django_db


def _counts(d):
    return {s.status: s.count for s in d.by_status}


def test_tasks_by_status_and_by_group_agree_with_the_status_report(make_user, on_demo_day):
    world = build_province(3, 12)
    leader = make_user(Role.PROVINCIAL_LEADER)
    d = dashboard(leader, DashboardFilters())
    counts = _counts(d)
    assert d.total == 12
    assert counts[TaskStatus.OVERDUE] == 3 and counts[TaskStatus.DONE] == 3
    assert counts[TaskStatus.IN_PROGRESS] == 2 and counts[TaskStatus.NOT_STARTED] == 4
    reference = status_report(leader, ON)
    assert {TaskStatus(k): v for k, v in reference.by_status.items()} == counts
    assert {t.timeliness.value: t.count for t in d.four_counts} == reference.counts
    # Groups in the plan's order, each row's cells adding up to its total.
    assert [(g.code, g.total) for g in d.groups] == [("A", 6), ("B", 6)]
    for group in d.groups:
        assert sum(c.count for c in group.cells) == group.total
        assert group.query.params() == {"plan": str(world["plan"].pk), "section": group.code}
    overdue_by_group = {
        g.code: next(c.count for c in g.cells if c.status is TaskStatus.OVERDUE) for g in d.groups
    }
    assert overdue_by_group == {"A": 2, "B": 1}


def test_overdue_tasks_come_with_their_lead_units_and_days_overdue(make_user, on_demo_day):
    world = build_province(3, 12)
    d = dashboard(make_user(Role.SECRETARIAT), DashboardFilters())
    assert [o.task.code for o in d.overdue] == ["T.0", "T.3", "T.6"]
    assert {o.days_overdue for o in d.overdue} == {(ON - dt.date(2024, 3, 31)).days}
    assert all(o.lead_units == [world["units"][0]] for o in d.overdue)
    assert d.overdue_count.query.params() == {"status": "overdue"}
    # The report of the period is due on the 15th: five days left on the 10th.
    assert d.report_due == dt.date(2024, 7, 15) and d.report_days_left == 5


def test_filters_narrow_to_a_unit_a_group_a_year(make_user, on_demo_day):
    world = build_province(3, 12)
    leader = make_user(Role.PROVINCIAL_LEADER)
    first = world["units"][0]
    mine = dashboard(leader, DashboardFilters(unit_id=first.pk))
    assert mine.unit == first and mine.total == 4 and _counts(mine)[TaskStatus.OVERDUE] == 3
    assert mine.overdue_count.query.params() == {
        "status": "overdue",
        "unit": str(first.pk),
        "role": "lead",
    }
    # The ranking still places the unit among all the units.
    assert len(mine.scorecard) == 3
    group = dashboard(leader, DashboardFilters(section="A", plan_id=world["plan"].pk))
    assert group.total == 6 and group.plan == world["plan"]
    assert group.scope.params() == {"plan": str(world["plan"].pk), "section": "A"}
    assert dashboard(leader, DashboardFilters(year=2023)).total == 0
    in_year = dashboard(leader, DashboardFilters(year=2024))
    assert in_year.total == 12 and in_year.scope.params() == {"year": "2024"}
    choices = filter_choices(leader)
    assert choices.years == [2024] and ("A", "A — Nhóm tham mưu") in choices.sections
    assert {u.pk for u in choices.units} == {u.pk for u in world["units"]}


def test_the_scorecard_ranks_units_x_of_n(make_user, on_demo_day):
    world = build_province(3, 12)
    d = dashboard(make_user(Role.PROVINCIAL_LEADER), DashboardFilters())
    by_unit = {s.unit.pk: s for s in d.scorecard}
    first, second, third = world["units"]
    # July's reports are not due before the 15th: the overdue tasks decide.
    assert by_unit[first.pk].ranked.label == "3/3"
    assert by_unit[first.pk].counts.overdue == 3 and by_unit[first.pk].counts.done == 1
    assert by_unit[second.pk].ranked.label == by_unit[third.pk].ranked.label == "1/3"
    assert by_unit[second.pk].ranked.tied
    assert by_unit[second.pk].counts.reports_on_time == 2
    assert by_unit[second.pk].counts.reports_pending == 2
    # In June nobody reported: every unit missed its four reports.
    june = dashboard(make_user(Role.PROVINCIAL_LEADER), DashboardFilters(month=(2024, 6)))
    assert {s.counts.reports_missing for s in june.scorecard} == {4}
    assert june.current is not None and june.current.cell.missing == 12


def test_completeness_over_recent_months_ends_with_the_period(make_user, on_demo_day):
    build_province(3, 12)
    d = dashboard(make_user(Role.PROVINCIAL_LEADER), DashboardFilters())
    assert [p.period.label for p in d.completeness] == ["Tháng 6/2024", "Tháng 7/2024"]
    july = d.completeness[-1].cell
    assert (july.expected, july.on_time, july.pending, july.missing) == (12, 6, 6, 0)
    assert d.completeness_chart()["on_time"] == [0, 6]


def test_services_this_period_and_their_shares_over_time_against_the_target(
    make_user, on_demo_day, reference
):
    world = build_province(2, 4, figures=True)
    leader = make_user(Role.PROVINCIAL_LEADER)
    d = dashboard(leader, DashboardFilters())
    line = next(s for s in d.services if s.service.code == "DA06-09")
    assert line.row.share == Decimal("50.00") or line.row.share == 50
    assert len(line.points) == 12 and line.points[-1].label == "7/2024"
    assert [p.share for p in line.points[-2:]] == [line.row.share, line.row.share]
    assert all(p.share is None for p in line.points[:-2])
    assert line.points[-1].target is not None
    data = line.chart_data()
    assert data["shares"][-1] == 50.0 and data["targets"][-1] == float(line.points[-1].target)
    assert sum(d.service_counts.values()) == len(d.services)
    # One unit chosen: its own figures.
    mine = dashboard(leader, DashboardFilters(unit_id=world["units"][0].pk))
    assert next(s for s in mine.services if s.service.code == "DA06-09").row.total == 100


def test_only_province_roles_see_the_dashboard(make_user, on_demo_day):
    build_province(2, 4)
    for role in (Role.UNIT_OFFICER, Role.UNIT_LEADER):
        with pytest.raises(PermissionDeniedError):
            dashboard(make_user(role), DashboardFilters())
    for role in (Role.PROVINCIAL_LEADER, Role.SECRETARIAT, Role.ADMIN):
        assert dashboard(make_user(role), DashboardFilters()).total == 4


def _queries(user, **filters):
    with CaptureQueriesContext(connection) as captured:
        dashboard(user, DashboardFilters(**filters), use_cache=False)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(make_user, on_demo_day, reference):
    leader = make_user(Role.PROVINCIAL_LEADER)
    build_province(2, 4, figures=True)
    small = _queries(leader)
    small_unit = _queries(leader, unit_id=ProgressReport.objects.first().assignment.unit_id)
    build_province(15, 90, figures=True)
    assert _queries(leader) == small <= 25
    assert _queries(leader, unit_id=ProgressReport.objects.last().assignment.unit_id) == small_unit


def test_a_built_dashboard_is_kept_until_the_data_change(make_user, on_demo_day):
    world = build_province(3, 12)
    leader = make_user(Role.PROVINCIAL_LEADER)
    first = dashboard(leader, DashboardFilters())
    with CaptureQueriesContext(connection) as again:
        second = dashboard(leader, DashboardFilters())
    assert len(again) == 1  # the fingerprint of the data, nothing else
    assert _counts(second) == _counts(first)
    # A unit reports a task done: the next dashboard says so.
    task = world["plan"].tasks.get(code="T.2")
    ProgressReport.objects.create(
        assignment=task.assignments.get(),
        period=world["july"],
        status=ReportStatus.ACCEPTED,
        state="done",
        submitted_at=dt.datetime(2024, 7, 6, 9, 0, tzinfo=dt.UTC),
        completed_on=dt.date(2024, 7, 5),
    )
    third = dashboard(leader, DashboardFilters())
    assert _counts(third)[TaskStatus.DONE] == _counts(first)[TaskStatus.DONE] + 1
