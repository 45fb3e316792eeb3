"""A province of a chosen size for the dashboard's tests, and a clean cache for each test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from dean06.plans.models import PlanSection
from dean06.tracking.models import ProgressReport, ReportStatus
from tests.factories import (
    AssignmentFactory,
    PeriodFactory,
    PlanFactory,
    ServiceStatFactory,
    TaskFactory,
    UnitFactory,
)

ON = dt.date(2024, 7, 10)
SENT = dt.datetime(2024, 7, 5, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_demo_day(settings):
    settings.DEMO_TODAY = ON
    return ON


def build_province(units: int, tasks: int, *, figures: bool = False) -> dict:
    """`units` units leading `tasks` tasks of one plan in two groups: every third task overdue
    (due 31/03/2024), every fourth reported done; July reports sent for half of them (on time,
    on 05/07); service figures of June and July per unit."""
    june = PeriodFactory(
        number=6,
        start=dt.date(2024, 5, 15),
        end=dt.date(2024, 6, 14),
        due_date=dt.date(2024, 6, 15),
        label="Tháng 6/2024",
    )
    july = PeriodFactory()
    plan = PlanFactory()
    groups = [
        PlanSection.objects.create(plan=plan, code="A", title="Nhóm tham mưu", order=1),
        PlanSection.objects.create(plan=plan, code="B", title="Nhóm triển khai", order=2),
    ]
    made = [UnitFactory() for _ in range(units)]
    for i in range(tasks):
        due = dt.date(2024, 3, 31) if i % 3 == 0 else dt.date(2024, 12, 31)
        task = TaskFactory(
            plan=plan,
            section=groups[i % 2],
            code=f"T.{i}",
            order=i,
            due_date=due,
            deadline_kind="date",
        )
        assignment = AssignmentFactory(task=task, unit=made[i % units])
        if i % 4 == 1:
            ProgressReport.objects.create(
                assignment=assignment,
                period=july,
                status=ReportStatus.ACCEPTED,
                state="done",
                submitted_at=SENT,
                completed_on=dt.date(2024, 7, 1),
            )
        elif i % 2 == 1:
            ProgressReport.objects.create(
                assignment=assignment,
                period=july,
                status=ReportStatus.ACCEPTED,
                state="in_progress",
                submitted_at=SENT,
            )
    if figures:
        for unit in made:
            for period in (june, july):
                ServiceStatFactory(
                    unit=unit,
                    period=period,
                    service_code="DA06-09",
                    online_citizens=40,
                    online_businesses=10,
                    total_received=100,
                )
    return {"plan": plan, "units": made, "june": june, "july": july, "groups": groups}
