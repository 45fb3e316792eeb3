"""The import workflow of the web page: upload → background extraction → review → save."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from dean06.core.audit import audit_record
from dean06.core.exceptions import ApplicationError
from dean06.ingest import IngestError, extract
from dean06.ingest.model import ExtractedPlan
from dean06.orgs.selectors import unit_registry
from dean06.plans.models import PlanUpload, UploadStatus
from dean06.plans.services import ImportResult, plan_import

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@transaction.atomic
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
        status=UploadStatus.RUNNING, progress_message="Đang nhận dạng định dạng tệp..."
    )

    def progress(done: int, total: int, message: str) -> None:
        PlanUpload.objects.filter(pk=upload_id).update(
            progress_done=done, progress_total=total, progress_message=message[:255]
        )

    try:
        with upload.file.open("rb") as fh:
            data = fh.read()
        plan = extract(data, unit_registry(), filename=upload.filename, progress=progress)
    except IngestError as exc:
        PlanUpload.objects.filter(pk=upload_id).update(
            status=UploadStatus.FAILED, error=exc.message, progress_message=""
        )
        return
    except Exception as exc:
        PlanUpload.objects.filter(pk=upload_id).update(
            status=UploadStatus.FAILED,
            error=f"Lỗi không mong đợi khi đọc tệp ({type(exc).__name__}).",
        )
        raise
    PlanUpload.objects.filter(pk=upload_id).update(
        status=UploadStatus.READY,
        extracted=plan.to_dict(),
        progress_message=f"Đã đọc {len(plan.tasks)} nhiệm vụ.",
    )


def plan_upload_extraction(upload: PlanUpload) -> ExtractedPlan:
    if upload.extracted is None:
        raise ApplicationError("Tệp chưa được đọc xong.")
    return ExtractedPlan.from_dict(upload.extracted)


@transaction.atomic
def plan_upload_save(*, upload: PlanUpload, reviewed: ExtractedPlan, by: Any) -> ImportResult:
    """Save the reviewed plan; the upload remembers which plan it became."""
    upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status not in (UploadStatus.READY, UploadStatus.SAVED):
        raise ApplicationError("Tệp này chưa sẵn sàng để lưu.")
    with upload.file.open("rb") as fh:
        data = fh.read()
    result = plan_import(extracted=reviewed, by=by, source_name=upload.filename, source_bytes=data)
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
