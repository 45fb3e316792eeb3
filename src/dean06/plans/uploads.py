"""The import workflow of the web page: upload → background extraction → review → save."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dean06.core.audit import audit_record
from dean06.core.exceptions import ApplicationError
from dean06.core.files import atomic_with_files, remove_on_rollback
from dean06.core.models import AuditEntry
from dean06.ingest import IngestError, extract
from dean06.ingest.model import ExtractedPlan
from dean06.orgs.selectors import unit_registry
from dean06.plans.models import PlanUpload, UploadStatus
from dean06.plans.services import ImportResult, UnitDecision, plan_import

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@atomic_with_files()
def plan_upload_create(*, file: UploadedFile, by: Any) -> PlanUpload:
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ApplicationError("Tệp quá lớn (tối đa 50 MB).")
    if not file.size:
        raise ApplicationError("Tệp rỗng: không có gì để đọc.")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    upload = PlanUpload(
        filename=(file.name or "ke-hoach")[:255], sha256=digest.hexdigest(), created_by=by
    )
    upload.file.save(upload.filename, file, save=False)
    remove_on_rollback(upload.file.storage, upload.file.name or "")
    upload.save()
    audit_record(
        action="plans.upload.created",
        actor=by,
        instance=upload,
        after={"filename": upload.filename, "sha256": upload.sha256},
    )
    return upload


def plan_upload_extract(*, upload_id: int) -> None:
    """Read the uploaded file (the background job). Progress is written as it goes."""
    upload = PlanUpload.objects.get(pk=upload_id)
    if upload.status not in (UploadStatus.QUEUED, UploadStatus.FAILED):
        return
    PlanUpload.objects.filter(pk=upload_id).update(
        status=UploadStatus.RUNNING,
        progress_message="Đang nhận dạng định dạng tệp...",
        heartbeat_at=timezone.now(),
    )

    def progress(done: int, total: int, message: str) -> None:
        PlanUpload.objects.filter(pk=upload_id).update(
            progress_done=done,
            progress_total=total,
            progress_message=message[:255],
            heartbeat_at=timezone.now(),
        )

    try:
        with upload.file.open("rb") as fh:
            data = fh.read()
        plan = extract(data, unit_registry(), filename=upload.filename, progress=progress)
    except IngestError as exc:
        _reading_ended(upload, status=UploadStatus.FAILED, error=exc.message, progress_message="")
        return
    except Exception as exc:
        _reading_ended(
            upload,
            status=UploadStatus.FAILED,
            error=f"Lỗi không mong đợi khi đọc tệp ({type(exc).__name__}).",
        )
        raise
    _reading_ended(
        upload,
        status=UploadStatus.READY,
        extracted=plan.to_dict(),
        progress_message=f"Đã đọc {len(plan.tasks)} nhiệm vụ.",
    )


def _reading_ended(upload: PlanUpload, *, status: str, **fields: Any) -> None:
    """Record how the reading job ended (read or failed), with the audit of that step; the
    progress updates in between are not audited."""
    before = {"status": upload.status, "error": upload.error}
    PlanUpload.objects.filter(pk=upload.pk).update(status=status, **fields)
    upload.refresh_from_db(fields=["status", "error"])
    audit_record(
        action="plans.upload.read" if status == UploadStatus.READY else "plans.upload.read_failed",
        actor=None,
        actor_label="dean06 (đọc tệp)",
        instance=upload,
        before=before,
        after={"status": upload.status, "error": upload.error},
        note=fields.get("progress_message", "") or upload.error,
    )


STALE_ERROR = (
    "Việc đọc tệp đã dừng giữa chừng (máy chủ bị tắt hoặc khởi động lại khi đang đọc; "
    "không có tín hiệu hoạt động trong {minutes} phút). Bấm «Đọc lại» để đọc lại tệp."
)


def _stale_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.PLAN_UPLOAD_STALE_MINUTES)


def _stale() -> Q:
    cutoff = _stale_cutoff()
    # An upload set running before heartbeats existed has none: its last save stands for it.
    return Q(status=UploadStatus.RUNNING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )


def plan_uploads_fail_stale() -> int:
    """Mark failed (and so retryable) every upload still "running" whose reading job has given
    no sign of life for PLAN_UPLOAD_STALE_MINUTES: its worker is gone with the server that ran it.

    Called when uploads are looked at; a job that was only slow and finishes later still saves
    its result over the failure.
    """
    # The progress page polls this every few seconds: a read decides first, so that the write
    # lock (SQLite takes it at the start of every transaction) is taken only when needed.
    if not PlanUpload.objects.filter(_stale()).exists():
        return 0
    return _uploads_fail_stale()


@transaction.atomic
def _uploads_fail_stale() -> int:
    minutes = settings.PLAN_UPLOAD_STALE_MINUTES
    failed = 0
    for upload in PlanUpload.objects.select_for_update().filter(_stale()):
        before = {"status": upload.status, "error": upload.error}
        # The job may have given a sign of life since the query: the condition is checked again.
        marked = (
            PlanUpload.objects.filter(_stale(), pk=upload.pk).update(
                status=UploadStatus.FAILED,
                error=STALE_ERROR.format(minutes=minutes),
                progress_message="",
            )
            == 1
        )
        if not marked:
            continue
        upload.refresh_from_db(fields=["status", "error"])
        audit_record(
            action="plans.upload.stalled",
            actor=None,
            actor_label="dean06 (tự động)",
            instance=upload,
            before=before,
            after={"status": upload.status, "error": upload.error},
            note=f"Không có tín hiệu hoạt động trong {minutes} phút.",
        )
        failed += 1
    return failed


# How many times the worker's sweep puts a dead reading back in the queue by itself before it
# leaves it failed for a person to decide (a file that kills its worker each time stops there).
AUTO_RETRIES = 1


@transaction.atomic
def plan_uploads_requeue_stalled() -> list[int]:
    """The worker's sweep (every minute): a reading whose worker died mid-job (no sign of life for
    PLAN_UPLOAD_STALE_MINUTES) is put back in the queue, once; a second death leaves it failed.
    Returns the uploads to enqueue (the caller enqueues them once this has committed).

    Never applied twice: a reading job only runs on a queued or failed upload, and what it writes
    (the extraction) replaces, never adds; a plan is made only when a person saves the review."""
    requeued: list[int] = []
    for upload in PlanUpload.objects.select_for_update().filter(_stale()):
        retries = AuditEntry.objects.filter(
            action="plans.upload.requeued", object_type="plans.planupload", object_id=str(upload.pk)
        ).count()
        if retries >= AUTO_RETRIES:
            continue  # left to plan_uploads_fail_stale: failed, with the retry button
        before = {"status": upload.status, "error": upload.error}
        marked = PlanUpload.objects.filter(_stale(), pk=upload.pk).update(
            status=UploadStatus.QUEUED,
            heartbeat_at=None,
            progress_done=0,
            progress_total=0,
            progress_message="Đọc lại tự động sau khi tiến trình đọc bị dừng.",
        )
        if not marked:
            continue
        upload.refresh_from_db(fields=["status", "error"])
        audit_record(
            action="plans.upload.requeued",
            actor=None,
            actor_label="dean06 (tự động)",
            instance=upload,
            before=before,
            after={"status": upload.status, "error": upload.error},
            note="Tiến trình đọc không còn tín hiệu: đưa lại vào hàng đợi.",
        )
        requeued.append(upload.pk)
    if not requeued:
        # Those already retried once and dead again: failed, for a person to look at.
        plan_uploads_fail_stale()
    return requeued


@transaction.atomic
def plan_upload_retry(*, upload: PlanUpload, by: Any) -> PlanUpload:
    """Put a failed upload (or one whose reading job died) back in the queue to be read again.

    The caller enqueues the reading job once this has committed.
    """
    plan_uploads_fail_stale()
    upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.FAILED:
        raise ApplicationError(
            "Chỉ đọc lại được tệp bị lỗi hoặc bị dừng giữa chừng; tệp này đang "
            f"ở trạng thái «{upload.get_status_display()}»."
        )
    before = {"status": upload.status, "error": upload.error}
    upload.status = UploadStatus.QUEUED
    upload.error = ""
    upload.progress_done = upload.progress_total = 0
    upload.progress_message = ""
    upload.heartbeat_at = None
    upload.save(
        update_fields=[
            "status",
            "error",
            "progress_done",
            "progress_total",
            "progress_message",
            "heartbeat_at",
            "updated_at",
        ]
    )
    audit_record(
        action="plans.upload.retried",
        actor=by,
        instance=upload,
        before=before,
        after={"status": upload.status, "error": upload.error},
    )
    return upload


def plan_upload_extraction(upload: PlanUpload) -> ExtractedPlan:
    if upload.extracted is None:
        raise ApplicationError("Tệp chưa được đọc xong.")
    return ExtractedPlan.from_dict(upload.extracted)


@atomic_with_files()  # the plan's copy of the file goes if the save rolls back
def plan_upload_save(
    *,
    upload: PlanUpload,
    reviewed: ExtractedPlan,
    by: Any,
    new_units: Sequence[str] = (),
) -> ImportResult:
    """Save the reviewed plan; the upload remembers which plan it became. `new_units` are the
    unresolved names the reviewer chose to add to the registry; other unresolved names stay as
    phrases on their tasks."""
    upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status not in (UploadStatus.READY, UploadStatus.SAVED):
        raise ApplicationError("Tệp này chưa sẵn sàng để lưu.")
    with upload.file.open("rb") as fh:
        data = fh.read()
    result = plan_import(
        extracted=reviewed,
        by=by,
        source_name=upload.filename,
        source_bytes=data,
        unit_decisions={name: UnitDecision(create=True) for name in new_units},
    )
    upload.plan = result.plan
    upload.status = UploadStatus.SAVED
    upload.extracted = reviewed.to_dict()
    upload.save()
    audit_record(
        action="plans.upload.saved",
        actor=by,
        instance=upload,
        after={"plan": result.plan.pk if result.plan else None, "summary": result.summary()},
    )
    return result
