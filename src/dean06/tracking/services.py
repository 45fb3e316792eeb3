"""Writes to reporting periods (the dates come from `tracking.periods`)."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dean06.accounts.permissions import Action, can
from dean06.accounts.roles import Role
from dean06.core import clock
from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from dean06.core.files import atomic_with_files, remove_on_rollback
from dean06.plans.models import Assignment
from dean06.tracking.models import (
    Evidence,
    ProgressReport,
    ProgressState,
    ReportingPeriod,
    ReportStatus,
    ReportVersion,
)
from dean06.tracking.periods import KINDS, PERIODS_PER_YEAR, PeriodSpan, period_span


def period_unsaved(kind: str, year: int, number: int) -> ReportingPeriod:
    """The period as it would be stored, without storing it (for pages that only read)."""
    return _period_stored(kind, year, number) or _from_span(period_span(kind, year, number))


def _from_span(span: PeriodSpan) -> ReportingPeriod:
    return ReportingPeriod(
        kind=span.kind,
        year=span.year,
        number=span.number,
        start=span.start,
        end=span.end,
        due_date=span.due_date,
        label=span.label,
    )


def period_get_or_create(kind: str, year: int, number: int, *, by: Any = None) -> ReportingPeriod:
    """The stored period, created with its Decree 09/2019 dates the first time it is needed.
    Read without a transaction: nearly always it exists, and on SQLite a transaction would take
    the write lock for every page that only looks a period up."""
    existing = _period_stored(kind, year, number)
    if existing is not None:
        return existing
    period = _from_span(period_span(kind, year, number))
    period.full_clean()
    try:
        with transaction.atomic():
            period.save()
            audit_record(
                action="tracking.period.created", actor=by, instance=period, after=snapshot(period)
            )
    except IntegrityError:
        # Another request created it in between: that one is the period.
        raced = _period_stored(kind, year, number)
        if raced is None:
            raise
        return raced
    return period


def _period_stored(kind: str, year: int, number: int) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(kind=kind, year=year, number=number).order_by("pk").first()
    )


def months_get_or_create(months: Iterable[tuple[int, int]], *, by: Any = None) -> list[Any]:
    """The stored monthly periods of these (year, month) pairs, in order, in one read (creating
    any still missing)."""
    wanted = list(months)
    stored = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(
            kind="month", year__in={y for y, _ in wanted}, number__in={m for _, m in wanted}
        )
    }
    return [stored.get(key) or period_get_or_create("month", *key, by=by) for key in wanted]


@transaction.atomic
def periods_ensure(years: Iterable[int], *, by: Any = None) -> int:
    """Every period of these years (12 months, 4 quarters, 2 halves, the year), so that they
    exist without anyone creating them. Returns how many were new."""
    created = 0
    for year in years:
        for kind in KINDS:
            for number in range(1, PERIODS_PER_YEAR[kind] + 1):
                if not ReportingPeriod.objects.filter(kind=kind, year=year, number=number).exists():
                    period_get_or_create(kind, year, number, by=by)
                    created += 1
    return created


# --- progress reports ---------------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# What evidence may be: a PDF, a Word document or a picture, recognised by its first bytes (the
# name and the browser's content type can say anything).
EVIDENCE_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "ảnh PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "ảnh JPEG"),
    (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DOCX",
    ),
)
REPORT_CONTENT_FIELDS = (
    "state",
    "percent_complete",
    "completed_on",
    "progress",
    "figures",
    "result_document",
    "difficulties",
    "proposals",
    "late_reason",
)
LOCKED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED)


@dataclass
class ReportInput:
    """What the unit writes in the form for one assignment and period."""

    state: str = ""
    percent_complete: int | None = None
    completed_on: dt.date | None = None
    progress: str = ""
    figures: str = ""
    result_document: str = ""
    difficulties: str = ""
    proposals: str = ""
    late_reason: str = ""


def report_due_date(plan: Any, period: ReportingPeriod) -> dt.date:
    """When a unit's report for a period is due: the plan's reporting day in the month the period
    closes (the seeds: "trước ngày 15 hằng tháng"), else the day after the period ends."""
    day = getattr(plan, "reporting_day", None)
    if not day:
        return period.due_date
    month_end = calendar.monthrange(period.end.year, period.end.month)[1]
    return dt.date(period.end.year, period.end.month, min(day, month_end))


def _content(report: ProgressReport) -> dict[str, Any]:
    data = snapshot(report, fields=list(REPORT_CONTENT_FIELDS)) or {}
    return data


def _check_version(report: ProgressReport, version: int | None) -> None:
    """Optimistic locking: a form read at an older version is refused with both versions."""
    if version is not None and report.pk is not None and version != report.version:
        raise ConflictError(
            "Báo cáo này vừa được người khác thay đổi trong lúc bạn sửa. "
            "Xem bản đã lưu bên dưới, rồi làm lại thay đổi của bạn.",
            extra={"stored": _content(report), "stored_version": report.version},
        )


def _unit_has_leader(unit_id: int) -> bool:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(role=Role.UNIT_LEADER, unit_id=unit_id, is_active=True)
        .exists()
    )


def _validate_for_submit(report: ProgressReport, due: dt.date, on: dt.date) -> None:
    errors: dict[str, str] = {}
    if not report.state:
        errors["state"] = "Chọn tình hình thực hiện."
    if report.state == ProgressState.DONE and report.completed_on is None:
        errors["completed_on"] = "Nêu ngày hoàn thành."
    if not report.progress.strip():
        errors["progress"] = "Nêu kết quả thực hiện trong kỳ."
    if on > due and not report.late_reason.strip():
        errors["late_reason"] = f"Báo cáo gửi sau hạn {due:%d/%m/%Y}: nêu lý do báo cáo muộn."
    if errors:
        raise ApplicationError(" ".join(errors.values()), extra={"fields": errors})


RACED = (
    "Báo cáo này vừa được lưu từ một phiên làm việc khác (hai lần bấm, hai cửa sổ). Mở lại "
    "trang để xem bản đã lưu."
)


def progress_report_save(
    *,
    assignment: Assignment,
    period: ReportingPeriod,
    data: ReportInput,
    by: Any,
    version: int | None = None,
    submit: bool = False,
) -> ProgressReport:
    """Save what the unit writes for an assignment and period (a draft), and send it when
    `submit`. Sent, approved and accepted reports are locked: an accepted one is corrected with
    `progress_report_correct`; a returned one is edited and sent again.

    Two first saves of one report at once (a double click, two windows) meet the database's
    unique constraint: one is stored, the other is a ConflictError with nothing written."""
    if not can(by, Action.WRITE_REPORT, assignment.unit_id):
        raise PermissionDeniedError("Chỉ cán bộ đầu mối của đơn vị được soạn báo cáo này.")
    if period.pk is None:
        period = period_get_or_create(period.kind, period.year, period.number, by=by)
    try:
        return _report_save(
            assignment=assignment, period=period, data=data, by=by, version=version, submit=submit
        )
    except IntegrityError as exc:
        if not ProgressReport.objects.filter(assignment=assignment, period=period).exists():
            raise
        raise ConflictError(RACED) from exc


@transaction.atomic
def _report_save(
    *,
    assignment: Assignment,
    period: ReportingPeriod,
    data: ReportInput,
    by: Any,
    version: int | None,
    submit: bool,
) -> ProgressReport:
    # Ordered by its own key: the model's ordering would join the period, task, plan and unit,
    # and FOR UPDATE would then lock those rows too, making every unit's submission of the
    # month wait for the others.
    report = (
        ProgressReport.objects.select_for_update()
        .filter(assignment=assignment, period=period)
        .order_by("pk")
        .first()
    )
    if report is not None:
        _check_version(report, version)
        if report.status in LOCKED:
            raise ApplicationError(
                f"Báo cáo đang ở trạng thái «{report.get_status_display()}», không sửa được."
            )
    before = snapshot(report)
    if report is None:
        report = ProgressReport(assignment=assignment, period=period, author=by)
    for name in REPORT_CONTENT_FIELDS:
        value = getattr(data, name)
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    if report.state != ProgressState.DONE:
        report.completed_on = None
    report.source = "web"
    report.author = report.author or by
    if report.pk is not None:
        report.version += 1
    # The assignment, period and author are objects held here (no query to check they exist);
    # the one report per assignment and period is the database's constraint (above).
    _full_clean(report, given=("assignment", "period", "author"))
    written = snapshot(report) or {}
    has_leader = _send(report, by) if submit else False
    # One write, the sending included: two audit entries say what was written, then sent.
    report.save()
    as_written = {**(snapshot(report) or {}), **{f: written[f] for f in SENDING_FIELDS}}
    audit_record(
        action="tracking.report.updated" if before else "tracking.report.created",
        actor=by,
        instance=report,
        before=before,
        after=as_written,
        unit=assignment.unit,
    )
    if submit:
        _record_sending(report, by, before=as_written, has_leader=has_leader)
    return report


def _full_clean(instance: Any, *, given: Sequence[str] = ()) -> None:
    """Validate; `given` names foreign keys set from objects the caller holds (checking that
    they exist would be a query each, and their unique constraint is checked by the caller)."""
    try:
        instance.full_clean(exclude=list(given))
    except ValidationError as exc:
        messages = "; ".join(", ".join(v) for v in exc.message_dict.values())
        raise ApplicationError(messages) from exc


# What sending changes on a report; the rest is what the unit wrote.
SENDING_FIELDS = ("status", "submitted_by", "submitted_at", "return_reason", "version")


def _send(report: ProgressReport, by: Any) -> bool:
    """Check a report can be sent and mark it sent (not saved); True when its unit has a leader
    who approves it first."""
    # Timeliness is the first sending's: a report sent on time, returned and sent again after the
    # due day is not late (each sending is kept in the versions).
    first = timezone.localdate(report.submitted_at) if report.submitted_at else clock.today()
    due = report_due_date(report.assignment.task.plan, report.period)
    _validate_for_submit(report, due, first)
    has_leader = _unit_has_leader(report.assignment.unit_id)
    report.status = ReportStatus.SUBMITTED if has_leader else ReportStatus.APPROVED
    report.submitted_by = by
    report.submitted_at = report.submitted_at or clock.now()
    report.return_reason = ""
    report.version += 1
    return has_leader


def _record_sending(
    report: ProgressReport, by: Any, *, before: dict[str, Any], has_leader: bool
) -> None:
    ReportVersion.objects.create(
        report=report,
        revision=report.revision,
        content=_content(report),
        submitted_by=by,
        submitted_at=clock.now(),
    )
    audit_record(
        action="tracking.report.submitted",
        actor=by,
        instance=report,
        before=before,
        after=snapshot(report),
        unit=report.assignment.unit,
        note="" if has_leader else "Đơn vị chưa có tài khoản lãnh đạo: chuyển thẳng Thường trực.",
    )


def _locked_for_decision(report: ProgressReport, version: int | None) -> ProgressReport:
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _check_version(locked, version)
    return locked


def _decide(
    report: ProgressReport, *, status: str, by: Any, action: str, comment: str = ""
) -> ProgressReport:
    before = snapshot(report)
    now = clock.now()
    report.status = status
    if status == ReportStatus.APPROVED:
        report.approved_by, report.approved_at = by, now
    elif status == ReportStatus.ACCEPTED:
        report.accepted_by, report.accepted_at = by, now
    elif status == ReportStatus.RETURNED:
        report.returned_by, report.returned_at = by, now
        report.return_reason = comment
    report.version += 1
    report.save()
    if status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
        latest = ReportVersion.objects.filter(report=report).order_by("-id").first()
        if latest is not None:
            latest.decision, latest.decided_by, latest.decided_at = status, by, now
            latest.comment = comment
            latest.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
    audit_record(
        action=action,
        actor=by,
        instance=report,
        before=before,
        after=snapshot(report),
        unit=report.assignment.unit,
        note=comment,
    )
    return report


@transaction.atomic
def progress_report_approve(
    *, report: ProgressReport, by: Any, version: int | None = None
) -> ProgressReport:
    """The unit leader approves the officer's report; it goes to the secretariat."""
    report = _locked_for_decision(report, version)
    if not can(by, Action.APPROVE_REPORT, report.assignment.unit_id):
        raise PermissionDeniedError("Chỉ lãnh đạo đơn vị được duyệt báo cáo của đơn vị.")
    if report.status != ReportStatus.SUBMITTED:
        raise ApplicationError("Chỉ duyệt được báo cáo đang chờ lãnh đạo đơn vị duyệt.")
    return _decide(report, status=ReportStatus.APPROVED, by=by, action="tracking.report.approved")


@transaction.atomic
def progress_report_accept(
    *, report: ProgressReport, by: Any, version: int | None = None, comment: str = ""
) -> ProgressReport:
    """The secretariat accepts a report: it locks."""
    report = _locked_for_decision(report, version)
    if not can(by, Action.ACCEPT_REPORT, report.assignment.unit_id):
        raise PermissionDeniedError("Chỉ Thường trực Tổ công tác được tiếp nhận báo cáo.")
    if report.status != ReportStatus.APPROVED:
        raise ApplicationError("Chỉ tiếp nhận được báo cáo đã được lãnh đạo đơn vị duyệt.")
    return _decide(
        report,
        status=ReportStatus.ACCEPTED,
        by=by,
        action="tracking.report.accepted",
        comment=comment.strip(),
    )


@transaction.atomic
def progress_report_return(
    *, report: ProgressReport, by: Any, comment: str, version: int | None = None
) -> ProgressReport:
    """Send a report back with a comment: the unit leader to its officer (a report waiting for
    the leader), the secretariat to the unit (one waiting for the secretariat)."""
    report = _locked_for_decision(report, version)
    unit_id = report.assignment.unit_id
    leader = can(by, Action.APPROVE_REPORT, unit_id) and report.status == ReportStatus.SUBMITTED
    secretariat = can(by, Action.ACCEPT_REPORT, unit_id) and report.status in (
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
    )
    if not (leader or secretariat):
        if can(by, Action.APPROVE_REPORT, unit_id) or can(by, Action.ACCEPT_REPORT, unit_id):
            raise ApplicationError(
                f"Không trả lại được báo cáo ở trạng thái «{report.get_status_display()}»."
            )
        raise PermissionDeniedError("Bạn không có quyền trả lại báo cáo này.")
    if not comment.strip():
        raise ApplicationError("Cần nêu lý do trả lại để đơn vị sửa.")
    return _decide(
        report,
        status=ReportStatus.RETURNED,
        by=by,
        action="tracking.report.returned",
        comment=comment.strip(),
    )


@transaction.atomic
def progress_report_correct(
    *, report: ProgressReport, by: Any, version: int | None = None
) -> ProgressReport:
    """Start a correction of an accepted report: a new revision, the accepted one kept in the
    history as it was."""
    report = _locked_for_decision(report, version)
    if not can(by, Action.WRITE_REPORT, report.assignment.unit_id):
        raise PermissionDeniedError("Chỉ cán bộ đầu mối của đơn vị được sửa báo cáo này.")
    if report.status != ReportStatus.ACCEPTED:
        raise ApplicationError("Chỉ báo cáo đã được tiếp nhận mới cần mở bản sửa.")
    if not report.versions.exists():
        # An imported report never went through the form: keep what was accepted.
        ReportVersion.objects.create(
            report=report,
            revision=report.revision,
            content=_content(report),
            submitted_at=report.accepted_at,
            decision=ReportStatus.ACCEPTED,
            decided_at=report.accepted_at,
        )
    before = snapshot(report)
    report.revision += 1
    report.status = ReportStatus.DRAFT
    report.version += 1
    report.save()
    audit_record(
        action="tracking.report.correction_started",
        actor=by,
        instance=report,
        before=before,
        after=snapshot(report),
        unit=report.assignment.unit,
    )
    return report


def _evidence_kind(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, label in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return content_type, label
    return None


@atomic_with_files()
def evidence_add(
    *,
    report: ProgressReport,
    by: Any,
    upload: UploadedFile | None = None,
    document: Any = None,
) -> Evidence:
    """Attach evidence to a report the unit is writing: a document of the register, or a file
    checked by its content (PDF, DOCX, PNG, JPEG) and size (10 MB)."""
    if not can(by, Action.WRITE_REPORT, report.assignment.unit_id):
        raise PermissionDeniedError("Chỉ cán bộ đầu mối của đơn vị được thêm minh chứng.")
    if report.status in LOCKED:
        raise ApplicationError("Báo cáo đã gửi: không thêm minh chứng được nữa.")
    evidence = Evidence(report=report, uploaded_by=by, document=document)
    if upload is not None:
        size = upload.size or 0
        if size > MAX_EVIDENCE_BYTES:
            raise ApplicationError(
                f"Tệp {upload.name} lớn hơn {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB."
            )
        if size == 0:
            raise ApplicationError(f"Tệp {upload.name} rỗng.")
        upload.seek(0)
        head = upload.read(16)
        kind = _evidence_kind(head)
        if kind is None:
            raise ApplicationError(
                f"Tệp {upload.name} không phải PDF, DOCX hay ảnh PNG/JPEG: không nhận."
            )
        content_type, _ = kind
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence.filename = (upload.name or "minh-chung")[:255]
        evidence.content_type = content_type
        evidence.size = size
        evidence.sha256 = digest.hexdigest()
        evidence.file.save(evidence.filename, upload, save=False)
        remove_on_rollback(evidence.file.storage, evidence.file.name)
    elif document is None:
        raise ApplicationError("Chọn một văn bản trong sổ hoặc tải lên một tệp.")
    _full_clean(evidence)
    evidence.save()
    audit_record(
        action="tracking.evidence.created",
        actor=by,
        instance=evidence,
        after=snapshot(evidence),
        unit=report.assignment.unit,
    )
    return evidence


# --- progress read from a monthly report --------------------------------------------------------


@transaction.atomic
def progress_report_import(
    *, assignment: Assignment, period: ReportingPeriod, values: dict[str, Any], by: Any
) -> tuple[ProgressReport, str]:
    """The progress a monthly report (Phụ lục II) gives for an assignment and period: created as
    accepted (the secretariat compiled the report), or updated where a value differs. Returns the
    report and "created", "updated" or "unchanged"; each write audited with before and after."""
    report = (
        ProgressReport.objects.select_for_update()
        .filter(assignment=assignment, period=period)
        .order_by("pk")
        .first()
    )
    if report is None:
        report = ProgressReport(
            assignment=assignment, period=period, accepted_at=timezone.now(), **values
        )
        # The row was looked up under lock just above: no other report of the assignment and
        # period exists, and both are objects in hand.
        _full_clean(report, given=("assignment", "period"))
        report.save()
        audit_record(
            action="tracking.report.imported",
            actor=by,
            instance=report,
            after=snapshot(report),
            unit=assignment.unit,
        )
        return report, "created"
    changed = [k for k, v in values.items() if getattr(report, k) != v]
    if not changed:
        return report, "unchanged"
    before = snapshot(report)
    for key in changed:
        setattr(report, key, values[key])
    report.version += 1
    _full_clean(report, given=("assignment", "period"))
    report.save()
    audit_record(
        action="tracking.report.updated",
        actor=by,
        instance=report,
        before=before,
        after=snapshot(report),
        unit=assignment.unit,
    )
    return report, "updated"
