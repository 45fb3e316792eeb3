"""Locks taken when a report or a figure is saved cover that row only: the month's period, the
plan, the task and the unit are shared by every unit's submission of the month, and locking them
(FOR UPDATE over the joins a model's default ordering brings) would make all units wait for each
other on the 15th."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.kpis.models import ServiceStat
from dean06.kpis.services import service_stat_import, service_stats_save, targets_ensure_default
from dean06.orgs.models import Unit
from dean06.quality.services import rules_ensure_builtin
from dean06.tracking.services import ReportInput, progress_report_save

SHARED = ("tracking_reportingperiod", "plans_plan", "plans_task", "orgs_unit", "kpis_publicservice")


pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (FOR UPDATE): run with DATABASE_URL on PostgreSQL",
)


def _locks(queries, table: str) -> list[str]:
    """The FOR UPDATE reads of `table`."""
    return [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and f'FROM "{table}"' in q["sql"]]


def _joins_shared(sql: str) -> bool:
    after_from = sql.split(" FROM ", 1)[1]
    return any(f'JOIN "{name}' in after_from for name in SHARED)


@pytest.mark.django_db
def test_saving_a_draft_again_reads_the_report_alone(cycle):
    draft = ReportInput(state="in_progress", progress="Đang triển khai.")
    progress_report_save(
        assignment=cycle["assignment"], period=cycle["period"], data=draft, by=cycle["officer"]
    )
    with CaptureQueriesContext(connection) as queries:
        progress_report_save(
            assignment=cycle["assignment"],
            period=cycle["period"],
            data=ReportInput(state="in_progress", progress="Đã xong phần lớn."),
            by=cycle["officer"],
            version=1,
            submit=True,
        )
    locks = _locks(queries.captured_queries, "tracking_progressreport")
    assert locks, "the report is locked before it is changed"
    assert [sql for sql in locks if _joins_shared(sql)] == []


@pytest.mark.django_db
def test_saving_figures_reads_the_unit_s_figures_alone(reference, make_user):
    from dean06.accounts.roles import Role
    from dean06.tracking.services import period_get_or_create

    rules_ensure_builtin()
    targets_ensure_default()
    unit = Unit.objects.get(key="STP")
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    period = period_get_or_create("month", 2024, 7)
    cells = {"online_citizens": "50", "online_businesses": "0", "total_received": "100"}
    service_stats_save(
        unit=unit, period=period, rows=[("DA06-09", cells)], versions={"DA06-09": 0}, by=officer
    )
    with CaptureQueriesContext(connection) as queries:
        service_stats_save(
            unit=unit,
            period=period,
            rows=[("DA06-09", {**cells, "online_citizens": "60"})],
            versions={"DA06-09": 1},
            by=officer,
        )
        stat = ServiceStat.objects.get(unit=unit, period=period)
        service_stat_import(
            service=stat.service,
            unit=unit,
            period=period,
            values={"online_citizens": 70},
            by=officer,
        )
    locks = _locks(queries.captured_queries, "kpis_servicestat")
    assert len(locks) >= 2
    assert [sql for sql in locks if _joins_shared(sql)] == []
