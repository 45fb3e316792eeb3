"""Two first saves of one report at once (a double click on "Gửi báo cáo", two windows): the
database lets one through; the other gets a conflict in words, never an error page, and nothing of
it is written."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from dean06.core.exceptions import ConflictError
from dean06.core.models import AuditEntry
from dean06.tracking.models import ProgressReport, ReportVersion
from dean06.tracking.services import RACED, ReportInput, progress_report_save

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once need PostgreSQL's row-level concurrency: run with DATABASE_URL",
)


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_simultaneous_first_saves_is_a_conflict(cycle):
    assignment, period, officer = cycle["assignment"], cycle["period"], cycle["officer"]
    first_inserted = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        # The first save's transaction stays open (its row not yet visible) while the second
        # reads, finds no report and inserts: the second waits on the unique index.
        try:
            with transaction.atomic():
                progress_report_save(
                    assignment=assignment,
                    period=period,
                    data=ReportInput(state="in_progress", progress="Bản thứ nhất."),
                    by=officer,
                    submit=True,
                )
                first_inserted.set()
                second_thread.join(timeout=1.0)  # the second is blocked on the index by now
        finally:
            connections.close_all()

    def second() -> None:
        first_inserted.wait(10)
        try:
            progress_report_save(
                assignment=assignment,
                period=period,
                data=ReportInput(state="in_progress", progress="Bản thứ hai."),
                by=officer,
                submit=True,
            )
            outcome["second"] = "saved"
        except Exception as exc:  # the outcome is the assertion below
            outcome["second"] = exc
        finally:
            connections.close_all()

    second_thread = threading.Thread(target=second)
    first_thread = threading.Thread(target=first)
    second_thread.start()
    first_thread.start()
    first_thread.join(20)
    second_thread.join(20)

    assert isinstance(outcome["second"], ConflictError), outcome
    assert str(outcome["second"]) == RACED
    report = ProgressReport.objects.get(assignment=assignment, period=period)
    assert report.progress == "Bản thứ nhất."
    assert ReportVersion.objects.filter(report=report).count() == 1
    # The first save's two entries (written, sent); none of the second.
    assert (
        AuditEntry.objects.filter(
            object_id=str(report.pk), action__startswith="tracking.report"
        ).count()
        == 2
    )
