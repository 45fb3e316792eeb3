"""The disk is full for uploads: a clear Vietnamese error, no record, no half-written file.

The files folder is a real 64 KB tmpfs (mounting needs root, as in CI; skipped otherwise)."""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.core.files import StorageFullError
from dean06.tracking.models import Evidence
from dean06.tracking.services import ReportInput, progress_report_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_disk(tmp_path, settings):
    folder = tmp_path / "files"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr!r}")
    settings.MEDIA_ROOT = folder
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def _files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_the_storage_leaves_nothing_half_written(small_disk):
    default_storage.save("nho.txt", ContentFile(b"x" * 1000))
    with pytest.raises(StorageFullError, match="hết chỗ lưu tệp"):
        default_storage.save("to.bin", ContentFile(b"x" * 200_000))
    assert [p.name for p in _files(small_disk)] == ["nho.txt"]


def test_an_evidence_upload_on_a_full_disk_says_so_and_saves_nothing(cycle, small_disk, login):
    # (`cycle` first: it sets its own files folder, which the small disk then replaces.)
    report = progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=ReportInput(state="in_progress", progress="Đang triển khai."),
        by=cycle["officer"],
    )
    client = login(cycle["officer"])
    upload = SimpleUploadedFile(
        "bien-ban.pdf", b"%PDF-1.4\n" + b"0" * 200_000, content_type="application/pdf"
    )
    response = client.post(
        f"/bao-cao/{cycle['assignment'].pk}/2024/7/",
        {"action": "evidence", "file": upload},
    )
    # The form comes back with the refusal beside the file field.
    assert response.status_code == 422
    html = response.content.decode()
    assert "Máy chủ đã hết chỗ lưu tệp" in html
    assert Evidence.objects.filter(report=report).count() == 0
    assert _files(small_disk) == []
