"""Upgrading keeps the data: a database at the schema of the commit where the production issue
started (cd0d364^), holding a province's records, is migrated to this version and everything is
still there and usable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migration of each app at that commit.
BASELINE = [
    ("accounts", "0001_initial"),
    ("core", "0002_auditentry_actor_label"),
    ("documents", "0003_working_group_documents"),
    ("kpis", "0004_servicereporter"),
    ("notifications", "0001_initial"),
    ("orgs", "0001_initial"),
    ("plans", "0003_vietnamese_labels"),
    ("quality", "0003_finding_explanation"),
    ("reports", "0003_snapshot_and_template"),
    ("tracking", "0003_report_workflow"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_earlier_schema_upgrades_with_its_data():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BASELINE)
    try:
        Unit = old.get_model("orgs", "Unit")
        Plan = old.get_model("plans", "Plan")
        Task = old.get_model("plans", "Task")
        Assignment = old.get_model("plans", "Assignment")
        Period = old.get_model("tracking", "ReportingPeriod")  # noqa: N806
        Report = old.get_model("tracking", "ProgressReport")  # noqa: N806
        Document = old.get_model("documents", "DocumentRecord")  # noqa: N806
        User = old.get_model("accounts", "User")
        unit = Unit.objects.create(key="STTTT", name="Sở Thông tin và Truyền thông")
        user = User.objects.create(username="stttt", role="unit_officer", unit=unit)
        plan = Plan.objects.create(number="18/KH-UBND", year=2024, title="Kế hoạch 2024")
        task = Task.objects.create(plan=plan, code="B.1.3", content="Triển khai ứng dụng VNeID")
        assignment = Assignment.objects.create(task=task, unit=unit, role="lead")
        period = Period.objects.create(
            kind="month",
            year=2024,
            number=7,
            start=dt.date(2024, 7, 1),
            end=dt.date(2024, 7, 31),
            due_date=dt.date(2024, 8, 15),
        )
        Report.objects.create(
            assignment=assignment, period=period, status="submitted", progress="Đã triển khai"
        )
        Document.objects.create(number="125/KH-CAT", summary="Kế hoạch tuyên truyền", period=period)
    finally:
        _migrate(latest)

    from dean06.accounts.models import User as NewUser
    from dean06.documents.models import DocumentRecord
    from dean06.plans.models import Task as NewTask
    from dean06.tracking.models import ProgressReport

    report = ProgressReport.objects.select_related("assignment__task", "period").get()
    assert report.assignment.task.code == "B.1.3" and report.period.number == 7
    assert report.progress == "Đã triển khai" and report.status == "submitted"
    assert NewTask.objects.get().plan.number == "18/KH-UBND"
    assert DocumentRecord.objects.get().number == "125/KH-CAT"
    assert NewUser.objects.get().unit.key == "STTTT"
    assert user.pk == NewUser.objects.get().pk
