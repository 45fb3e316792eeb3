"""A reading left "running" by a stopped server becomes failed and may be read again; a rolled-back
upload or import leaves no file behind in files/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from dean06.accounts.roles import Role
from dean06.core.files import atomic_with_files, remove_on_rollback
from dean06.core.models import AuditEntry
from dean06.ingest import extract
from dean06.orgs.selectors import unit_registry
from dean06.plans import uploads
from dean06.plans.models import Plan, PlanUpload, UploadStatus
from dean06.plans.services import plan_import
from dean06.plans.uploads import (
    plan_upload_create,
    plan_upload_extract,
    plan_upload_extraction,
    plan_upload_retry,
    plan_upload_save,
    plan_uploads_fail_stale,
)
from dean06.reference import seed_path

SEED_001 = "001_33c018715ba11eff.txt"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _stored(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _seed_file() -> SimpleUploadedFile:
    return SimpleUploadedFile(SEED_001, seed_path(SEED_001).read_bytes())


def _running(minutes_ago: float, **fields) -> PlanUpload:
    """An upload a reading job set running, last heard of `minutes_ago`."""
    upload = plan_upload_create(file=_seed_file(), by=None)
    values = {
        "status": UploadStatus.RUNNING,
        "heartbeat_at": timezone.now() - dt.timedelta(minutes=minutes_ago),
        "progress_message": "Đang nhận dạng chữ trang 3",
        **fields,
    }
    PlanUpload.objects.filter(pk=upload.pk).update(**values)
    return upload


# --- a reading whose worker is gone ------------------------------------------------------------


def test_a_running_upload_without_heartbeat_becomes_failed_and_audited(media, reference, settings):
    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    stale = _running(11)
    alive = _running(2)
    assert plan_uploads_fail_stale() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.status == UploadStatus.FAILED
    assert "dừng giữa chừng" in stale.error and "10 phút" in stale.error
    assert alive.status == UploadStatus.RUNNING
    entry = AuditEntry.objects.get(action="plans.upload.stalled")
    assert entry.object_id == str(stale.pk) and entry.actor_label == "dean06 (tự động)"
    assert (entry.before["status"], entry.after["status"]) == ("running", "failed")
    assert plan_uploads_fail_stale() == 0  # done once


def test_the_timeout_is_configurable(media, reference, settings):
    upload = _running(3)
    settings.PLAN_UPLOAD_STALE_MINUTES = 5
    assert plan_uploads_fail_stale() == 0
    settings.PLAN_UPLOAD_STALE_MINUTES = 2
    assert plan_uploads_fail_stale() == 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED


def test_a_running_upload_from_before_heartbeats_is_judged_by_its_last_save(
    media, reference, settings
):
    upload = _running(0, heartbeat_at=None, updated_at=timezone.now() - dt.timedelta(hours=2))
    assert plan_uploads_fail_stale() == 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED


def test_every_progress_step_of_a_reading_is_a_heartbeat(media, reference, monkeypatch):
    upload = plan_upload_create(file=_seed_file(), by=None)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    real_extract = uploads.extract
    beats = []

    def reading(data, registry, *, filename, progress):
        assert PlanUpload.objects.get(pk=upload.pk).heartbeat_at > long_ago  # set on start
        PlanUpload.objects.filter(pk=upload.pk).update(heartbeat_at=long_ago)
        progress(1, 3, "Đang nhận dạng chữ trang 1")
        beats.append(PlanUpload.objects.get(pk=upload.pk).heartbeat_at)
        return real_extract(data, registry, filename=filename, progress=progress)

    monkeypatch.setattr(uploads, "extract", reading)
    plan_upload_extract(upload_id=upload.pk)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY
    assert beats and beats[0] > long_ago + dt.timedelta(minutes=59)


def test_the_pages_show_a_dead_reading_as_failed_and_retry_reads_it_again(
    media, reference, login, make_user, settings
):
    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    client = login(make_user(Role.SECRETARIAT))
    upload = _running(30)
    status = client.get(f"/ke-hoach/nhap/{upload.pk}/trang-thai/").json()
    assert status["status"] == "failed" and "Đọc lại" in status["error"]
    page = client.get(f"/ke-hoach/nhap/{upload.pk}/").content.decode()
    assert "Không đọc được tệp" in page
    assert f'action="/ke-hoach/nhap/{upload.pk}/doc-lai/"' in page  # the retry button

    response = client.post(f"/ke-hoach/nhap/{upload.pk}/doc-lai/")
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY  # read again (inline, without a worker)
    assert upload.error == ""
    retried = AuditEntry.objects.get(action="plans.upload.retried")
    assert retried.before["status"] == "failed" and retried.after["status"] == "queued"
    assert retried.actor is not None


def test_a_stale_running_upload_can_be_retried_directly(media, reference, make_user, settings):
    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    upload = _running(30)
    plan_upload_retry(upload=upload, by=make_user(Role.SECRETARIAT))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.QUEUED and upload.heartbeat_at is None


def test_an_upload_being_read_or_read_is_not_retried(media, reference, make_user, settings):
    from dean06.core.exceptions import ApplicationError

    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    by = make_user(Role.SECRETARIAT)
    for upload in (_running(1), plan_upload_create(file=_seed_file(), by=None)):
        plan_upload_extract(upload_id=upload.pk)  # a no-op on the running one
        with pytest.raises(ApplicationError, match="Chỉ đọc lại được"):
            plan_upload_retry(upload=upload, by=by)
    assert not AuditEntry.objects.filter(action="plans.upload.retried").exists()


def test_the_retry_url_of_a_ready_upload_says_why_and_changes_nothing(
    media, reference, login, make_user
):
    client = login(make_user(Role.SECRETARIAT))
    upload = plan_upload_create(file=_seed_file(), by=None)
    plan_upload_extract(upload_id=upload.pk)
    response = client.post(f"/ke-hoach/nhap/{upload.pk}/doc-lai/", follow=True)
    assert "Chỉ đọc lại được" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY


# --- files of what was rolled back -------------------------------------------------------------


def test_a_failed_upload_leaves_no_file(media, reference, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit failed")

    monkeypatch.setattr("dean06.plans.uploads.audit_record", broken)
    with pytest.raises(RuntimeError):
        plan_upload_create(file=_seed_file(), by=None)
    assert not PlanUpload.objects.exists()
    assert _stored(media) == []


def test_a_failed_import_leaves_no_file_in_plans(media, reference, monkeypatch):
    data = seed_path(SEED_001).read_bytes()
    extracted = extract(data, unit_registry(), filename=SEED_001)

    def broken(*args, **kwargs):
        raise RuntimeError("sections failed")

    # Fails after the source file has been stored.
    monkeypatch.setattr("dean06.plans.services._sync_sections", broken)
    with pytest.raises(RuntimeError):
        plan_import(extracted=extracted, by=None, source_name=SEED_001, source_bytes=data)
    assert not Plan.objects.exists()
    assert _stored(media / "plans") == []

    monkeypatch.undo()  # the same import, succeeding, keeps its file
    plan_import(extracted=extracted, by=None, source_name=SEED_001, source_bytes=data)
    stored = _stored(media / "plans")
    assert len(stored) == 1 and stored[0].read_bytes() == data
    assert Plan.objects.get().source_file.name == f"plans/{stored[0].parent.name}/{stored[0].name}"


def test_a_failed_save_of_a_reviewed_upload_leaves_no_file_in_plans(
    media, reference, make_user, monkeypatch
):
    upload = plan_upload_create(file=_seed_file(), by=None)
    plan_upload_extract(upload_id=upload.pk)
    upload.refresh_from_db()
    reviewed = plan_upload_extraction(upload)

    def broken(**kwargs):
        raise RuntimeError("audit failed")

    # plan_import has finished and stored the file; the save around it then fails.
    monkeypatch.setattr("dean06.plans.uploads.audit_record", broken)
    with pytest.raises(RuntimeError):
        plan_upload_save(upload=upload, reviewed=reviewed, by=make_user(Role.SECRETARIAT))
    assert not Plan.objects.exists()
    assert _stored(media / "plans") == []
    assert len(_stored(media / "uploads")) == 1  # the upload itself was committed before


def test_files_go_when_the_block_is_marked_for_rollback(media, db):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    with atomic_with_files():
        name = default_storage.save("plans/x.txt", ContentFile(b"x"))
        remove_on_rollback(default_storage, name)
        transaction.set_rollback(True)
    assert _stored(media) == []
    with atomic_with_files():
        name = default_storage.save("plans/y.txt", ContentFile(b"y"))
        remove_on_rollback(default_storage, name)
    assert [p.name for p in _stored(media)] == ["y.txt"]


def test_the_reading_jobs_outcome_is_audited(media, reference):
    good = plan_upload_create(file=_seed_file(), by=None)
    plan_upload_extract(upload_id=good.pk)
    entry = AuditEntry.objects.get(action="plans.upload.read", object_id=str(good.pk))
    assert entry.before["status"] == UploadStatus.QUEUED and entry.after["status"] == "ready"
    assert "nhiệm vụ" in entry.note and entry.actor_label == "dean06 (đọc tệp)"

    bad = plan_upload_create(file=SimpleUploadedFile("x.docx", b"PK\x03\x04 not a zip"), by=None)
    plan_upload_extract(upload_id=bad.pk)
    entry = AuditEntry.objects.get(action="plans.upload.read_failed", object_id=str(bad.pk))
    assert entry.after["status"] == "failed" and entry.after["error"]


# --- the worker's sweep: a reading whose worker died is read again, once -----------------------


def test_the_sweep_reads_a_dead_reading_again_once_and_never_twice(
    media, reference, settings, django_capture_on_commit_callbacks
):
    from dean06.plans.tasks import extract_upload, requeue_stalled_uploads

    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    dead = _running(11)  # its worker was killed mid-job
    alive = _running(2)
    with django_capture_on_commit_callbacks(execute=True):
        requeue_stalled_uploads.call_local()  # the periodic job (jobs run inline in tests)
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == UploadStatus.READY and dead.extracted["tasks"]
    assert alive.status == UploadStatus.RUNNING
    requeued = AuditEntry.objects.get(action="plans.upload.requeued")
    assert requeued.object_id == str(dead.pk) and requeued.after["status"] == "queued"

    # The dead worker's job delivered late, or the sweep running again: nothing is read twice.
    extract_upload.call_local(dead.pk)
    with django_capture_on_commit_callbacks(execute=True):
        requeue_stalled_uploads.call_local()
    reads = AuditEntry.objects.filter(action="plans.upload.read", object_id=str(dead.pk))
    assert reads.count() == 1


def test_a_reading_that_dies_again_is_left_failed_for_a_person(media, reference, settings):
    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    upload = _running(11)
    assert uploads.plan_uploads_requeue_stalled() == [upload.pk]
    # Its second worker dies too.
    PlanUpload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(minutes=11)
    )
    assert uploads.plan_uploads_requeue_stalled() == []
    upload.refresh_from_db()
    assert upload.status == UploadStatus.FAILED and "Đọc lại" in upload.error
