"""The monthly cycle's writes: the officer writes and sends, the leader approves, the secretariat
accepts or returns; accepted reports lock and a correction is a new revision; each step audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dean06.accounts.roles import Role
from dean06.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from dean06.core.models import AuditEntry
from dean06.orgs.models import Unit
from dean06.tracking.models import Evidence, ReportStatus
from dean06.tracking.services import (
    ReportInput,
    evidence_add,
    progress_report_accept,
    progress_report_approve,
    progress_report_correct,
    progress_report_return,
    progress_report_save,
)

pytestmark = pytest.mark.django_db
PLAN = "000_29642a5544120c4a.txt"


def _send(cycle, data=None):
    """The unit's officer writes and sends this month's report at once."""
    return progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=_input() if data is None else data,
        by=cycle["officer"],
        submit=True,
    )


def _input(**more):
    values = {"state": "in_progress", "percent_complete": 60, "progress": "Đã rà soát 120 TTHC"}
    values.update(more)
    return ReportInput(**values)


def test_officer_leader_secretariat_return_correct_accept(cycle, make_user):
    unit, officer, secretariat = cycle["unit"], cycle["officer"], cycle["secretariat"]
    leader = make_user(Role.UNIT_LEADER, unit=unit)
    draft = progress_report_save(
        assignment=cycle["assignment"], period=cycle["period"], data=_input(), by=officer
    )
    assert draft.status == ReportStatus.DRAFT and draft.author == officer
    sent = progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=_input(),
        by=officer,
        version=draft.version,
        submit=True,
    )
    assert sent.status == ReportStatus.SUBMITTED  # the unit has a leader account
    with pytest.raises(PermissionDeniedError):
        progress_report_accept(report=sent, by=officer)
    with pytest.raises(ApplicationError):
        progress_report_accept(report=sent, by=secretariat)  # the leader approves first
    approved = progress_report_approve(report=sent, by=leader, version=sent.version)
    assert approved.status == ReportStatus.APPROVED and approved.approved_by == leader
    with pytest.raises(ApplicationError):
        progress_report_return(report=approved, by=secretariat, comment="  ")
    returned = progress_report_return(
        report=approved, by=secretariat, comment="Bổ sung số TTHC đã rà soát theo lĩnh vực"
    )
    assert returned.status == ReportStatus.RETURNED
    assert returned.return_reason.startswith("Bổ sung")
    again = progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=_input(progress="Đã rà soát 120 TTHC: tư pháp 40, đất đai 80"),
        by=officer,
        version=returned.version,
        submit=True,
    )
    approved = progress_report_approve(report=again, by=leader)
    accepted = progress_report_accept(report=approved, by=secretariat)
    assert accepted.status == ReportStatus.ACCEPTED
    with pytest.raises(ApplicationError):  # accepted reports lock
        progress_report_save(
            assignment=cycle["assignment"], period=cycle["period"], data=_input(), by=officer
        )
    correction = progress_report_correct(report=accepted, by=officer)
    assert correction.status == ReportStatus.DRAFT and correction.revision == 2
    versions = list(correction.versions.order_by("id"))
    assert [(v.revision, v.decision) for v in versions] == [(1, "returned"), (1, "accepted")]
    assert versions[0].comment.startswith("Bổ sung")
    assert versions[1].content["progress"].endswith("đất đai 80")
    actions = list(
        AuditEntry.objects.filter(object_type="tracking.progressreport")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "tracking.report.created",
        "tracking.report.updated",
        "tracking.report.submitted",
        "tracking.report.approved",
        "tracking.report.returned",
        "tracking.report.updated",
        "tracking.report.submitted",
        "tracking.report.approved",
        "tracking.report.accepted",
        "tracking.report.correction_started",
    ]


def test_without_a_leader_account_a_sent_report_goes_straight_to_the_secretariat(cycle):
    report = _send(cycle)
    assert report.status == ReportStatus.APPROVED
    entry = AuditEntry.objects.get(action="tracking.report.submitted")
    assert "chưa có tài khoản lãnh đạo" in entry.note


def test_a_stale_form_is_refused_with_the_stored_version(cycle):
    first = progress_report_save(
        assignment=cycle["assignment"], period=cycle["period"], data=_input(), by=cycle["officer"]
    )
    progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=_input(progress="Bản của người thứ nhất"),
        by=cycle["officer"],
        version=first.version,
    )
    with pytest.raises(ConflictError) as refused:
        progress_report_save(
            assignment=cycle["assignment"],
            period=cycle["period"],
            data=_input(progress="Bản cũ"),
            by=cycle["officer"],
            version=first.version,
        )
    assert refused.value.extra["stored"]["progress"] == "Bản của người thứ nhất"


def test_sending_needs_a_state_and_a_result_and_a_late_one_its_reason(cycle, settings):
    with pytest.raises(ApplicationError) as missing:
        _send(cycle, ReportInput())
    assert set(missing.value.extra["fields"]) == {"state", "progress"}
    settings.DEMO_TODAY = dt.date(2024, 7, 20)  # after the 15th
    with pytest.raises(ApplicationError) as late:
        _send(cycle)
    assert "late_reason" in late.value.extra["fields"]
    sent = _send(cycle, _input(late_reason="Chờ số liệu của các huyện"))
    assert timezone.localdate(sent.submitted_at) == dt.date(2024, 7, 20)


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.PROVINCIAL_LEADER, Role.SECRETARIAT])
def test_only_the_units_officer_writes_its_report(cycle, make_user, role):
    unit = cycle["unit"] if role == Role.UNIT_LEADER else None
    with pytest.raises(PermissionDeniedError):
        progress_report_save(
            assignment=cycle["assignment"],
            period=cycle["period"],
            data=_input(),
            by=make_user(role, unit=unit),
        )


def test_another_units_officer_can_neither_write_nor_approve(cycle, make_user):
    other = Unit.objects.get(key="STP")
    with pytest.raises(PermissionDeniedError):
        progress_report_save(
            assignment=cycle["assignment"],
            period=cycle["period"],
            data=_input(),
            by=make_user(Role.UNIT_OFFICER, unit=other),
        )
    make_user(Role.UNIT_LEADER, unit=cycle["unit"])
    sent = _send(cycle)
    with pytest.raises(PermissionDeniedError):
        progress_report_approve(report=sent, by=make_user(Role.UNIT_LEADER, unit=other))


def test_evidence_is_checked_by_content_and_size(cycle):
    report = progress_report_save(
        assignment=cycle["assignment"], period=cycle["period"], data=_input(), by=cycle["officer"]
    )
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.7\n" + b"x" * 100)
    added = evidence_add(report=report, by=cycle["officer"], upload=pdf)
    assert added.content_type == "application/pdf" and added.size == 109
    assert AuditEntry.objects.filter(action="tracking.evidence.created").count() == 1
    fake = SimpleUploadedFile("anh.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ApplicationError, match="không phải PDF"):
        evidence_add(report=report, by=cycle["officer"], upload=fake)
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ApplicationError, match="lớn hơn 10 MB"):
        evidence_add(report=report, by=cycle["officer"], upload=big)
    assert Evidence.objects.count() == 1


def test_periods_exist_without_anyone_creating_them(db, settings):
    from dean06 import bootstrap
    from dean06.tracking.models import ReportingPeriod
    from dean06.tracking.tasks import periods_keep

    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    list(bootstrap.periods_ensure_around_today())
    assert ReportingPeriod.objects.filter(year=2025, kind="month").count() == 12
    assert ReportingPeriod.objects.filter(year=2023, kind="quarter").count() == 4
    settings.DEMO_TODAY = dt.date(2025, 1, 2)  # a new year: the daily job adds the next one
    periods_keep.call_local()
    assert ReportingPeriod.objects.filter(year=2026).count() == 19


def test_a_report_sent_on_time_returned_and_sent_again_late_stays_on_time(cycle, settings):
    from dean06.tracking.selectors import completeness

    sent = _send(cycle)
    returned = progress_report_return(report=sent, by=cycle["secretariat"], comment="Bổ sung")
    settings.DEMO_TODAY = dt.date(2024, 7, 18)  # after the due day: no late reason asked
    again = progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=_input(figures="120 TTHC"),
        by=cycle["officer"],
        version=returned.version,
        submit=True,
    )
    assert timezone.localdate(again.submitted_at) == dt.date(2024, 7, 10)
    assert [timezone.localdate(v.submitted_at) for v in again.versions.order_by("id")] == [
        dt.date(2024, 7, 10),
        dt.date(2024, 7, 18),
    ]
    grid = completeness(
        cycle["secretariat"], [cycle["period"]], dt.date(2024, 7, 20), units=[cycle["unit"]]
    )
    assert grid.cell(cycle["unit"], cycle["period"]).on_time == 1


def test_a_first_sending_is_one_insert_and_two_entries_written_then_sent(cycle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = _send(cycle)
    writes = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if '"tracking_progressreport"' in q["sql"].split(" WHERE ")[0]
        and q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert writes == ["INSERT"]  # no insert-then-update on the deadline day's busiest path
    written, sent = AuditEntry.objects.filter(
        object_type="tracking.progressreport", object_id=str(report.pk)
    ).order_by("id")
    assert (written.action, sent.action) == ("tracking.report.created", "tracking.report.submitted")
    assert written.before is None
    assert written.after["id"] == report.pk and written.after["status"] == ReportStatus.DRAFT
    assert written.after["progress"] == "Đã rà soát 120 TTHC"
    assert written.after["submitted_at"] is None
    assert sent.before == written.after
    assert sent.after["status"] == ReportStatus.APPROVED  # no leader account: straight on
    assert sent.after["submitted_by"] == cycle["officer"].pk
    assert sent.after["version"] == written.after["version"] + 1
    assert report.versions.count() == 1
