"""The monthly report is read by a background job, not in the request: the upload goes to its
page, which shows the reading's progress (refreshing itself), its failure, or the preview; the
state kept beside the file is the uploader's alone and the file is read only once."""

from __future__ import annotations

import json
import re
import shutil
import stat
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.accounts.roles import Role
from dean06.documents.models import DocumentRecord
from dean06.imports import uploads
from dean06.imports.uploads import (
    ReadingStatus,
    pending_extract,
    pending_save,
    pending_state,
    report_from_dict,
)
from dean06.ingest import IngestError
from dean06.ingest.report import extract_report
from dean06.orgs.models import Unit
from dean06.reference import seed_path

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = pytest.mark.once

SEED_003 = seed_path("003_9912287c508b6ad0.txt")
START = "/bao-cao-thang/nhap/"
CONFIRM = "/bao-cao-thang/nhap/xac-nhan/"
REFRESH = '<meta http-equiv="refresh" content="2">'


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def secretariat_user(make_user, plan_2024):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def secretariat(login, secretariat_user):
    return login(secretariat_user)


def _file(data: bytes | None = None, name: str = SEED_003.name) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SEED_003.read_bytes() if data is None else data)


def _page(token: str) -> str:
    return f"{START}{token}/"


def _kept(user, data: bytes | None = None) -> str:
    """A report kept for `user` whose reading job has not run (no worker yet)."""
    return pending_save(_file(data), by=user, month="2024-07")


def _state_file(token: str) -> Path:
    return uploads._state_path(token)


def test_the_upload_goes_to_its_page_which_shows_the_preview(secretariat):
    response = secretariat.post(START, {"file": _file(), "ky": "2024-07"})
    assert response.status_code == 302
    token = re.fullmatch(r"/bao-cao-thang/nhap/([0-9a-f]{32})/", response["Location"])[1]
    page = secretariat.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "Chưa có gì được ghi" in body and "Xác nhận nhập" in body
    assert f'name="token" value="{token}"' in body
    assert page.context["counts"]["new"] > 0
    assert 'http-equiv="refresh"' not in body  # the preview stays put
    assert DocumentRecord.objects.count() == 0


def test_with_a_worker_the_upload_only_queues_the_reading(secretariat, monkeypatch):
    """DEAN06_WORKER=embedded or external: the request keeps the file and queues the job; the
    page waits until a worker has run it."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import MemoryStorage

    from dean06.imports.tasks import read_report

    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", MemoryStorage(HUEY.name))
    response = secretariat.post(START, {"file": _file(), "ky": "2024-07"})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    waiting = secretariat.get(response["Location"]).content.decode()
    assert "đang chờ được đọc" in waiting and REFRESH in waiting
    task = HUEY.dequeue()
    assert task.name.endswith("read_report") and task.args == (token,)
    # What a worker does, without its closing of the test's database connection.
    read_report.call_local(*task.args)
    assert "Xác nhận nhập" in secretariat.get(response["Location"]).content.decode()


def test_a_reading_in_progress_shows_its_page_and_refreshes(client, secretariat_user, monkeypatch):
    """The real job, its reader stopped on page 3 of 9: the page shows where it is."""
    client.force_login(secretariat_user)
    token = _kept(secretariat_user)
    seen = {}

    def reader_on_page_3(path, *, filename=None, progress=None):
        progress(2, 9, "Đang nhận dạng chữ trang 3")
        seen["page"] = client.get(_page(token))
        return extract_report(path, filename=filename)

    monkeypatch.setattr(uploads, "extract_report", reader_on_page_3)
    assert client.get(_page(token)).context["pending"].status == ReadingStatus.QUEUED
    pending_extract(token=token)
    body = seen["page"].content.decode()
    assert "Đang đọc tệp… (trang 3/9)" in body
    assert "Đang nhận dạng chữ trang 3" in body
    assert REFRESH in body
    assert "Xác nhận nhập" not in body
    after = client.get(_page(token)).content.decode()
    assert "Xác nhận nhập" in after and REFRESH not in after


def test_a_queued_reading_refreshes_too(client, secretariat_user):
    client.force_login(secretariat_user)
    body = client.get(_page(_kept(secretariat_user))).content.decode()
    assert "đang chờ được đọc" in body and REFRESH in body


def test_a_failed_reading_shows_its_message_and_a_way_to_upload_again(
    client, secretariat_user, monkeypatch
):
    def broken(path, *, filename=None, progress=None):
        raise IngestError("Tệp PDF bị hỏng, không mở được.", "broken PDF")

    monkeypatch.setattr(uploads, "extract_report", broken)
    client.force_login(secretariat_user)
    token = _kept(secretariat_user)
    pending_extract(token=token)
    body = client.get(_page(token)).content.decode()
    assert "Không đọc được tệp: Tệp PDF bị hỏng, không mở được." in body
    assert f'href="{START}"' in body and "Tải tệp lên lại" in body
    assert REFRESH not in body and "Xác nhận nhập" not in body


def test_an_unexpected_error_fails_the_reading_and_is_raised_for_the_log(
    client, secretariat_user, monkeypatch
):
    def crashing(path, *, filename=None, progress=None):
        raise ZeroDivisionError

    monkeypatch.setattr(uploads, "extract_report", crashing)
    token = _kept(secretariat_user)
    with pytest.raises(ZeroDivisionError):
        pending_extract(token=token)
    state = pending_state(token, by=secretariat_user)
    assert state.status == ReadingStatus.FAILED
    assert state.error == "Lỗi không mong đợi khi đọc tệp (ZeroDivisionError)."


def test_a_reading_silent_past_the_stale_limit_is_shown_failed(client, secretariat_user, settings):
    settings.PLAN_UPLOAD_STALE_MINUTES = 10
    client.force_login(secretariat_user)
    token = _kept(secretariat_user)
    state = json.loads(_state_file(token).read_text(encoding="utf-8"))
    state.update(status="reading", done=4, total=9, updated=time.time() - 9 * 60)
    _state_file(token).write_text(json.dumps(state), encoding="utf-8")
    assert REFRESH in client.get(_page(token)).content.decode()  # 9 minutes: still alive

    state["updated"] = time.time() - 11 * 60
    _state_file(token).write_text(json.dumps(state), encoding="utf-8")
    body = client.get(_page(token)).content.decode()
    assert "dừng giữa chừng" in body and "10 phút" in body
    assert REFRESH not in body


def test_confirm_imports_the_reading_kept_without_reading_the_file_again(secretariat, monkeypatch):
    page = secretariat.post(START, {"file": _file(), "ky": "2024-07"}, follow=True)
    token = page.context["token"]

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(uploads, "extract_report", must_not_read)
    pending_extract(token=token)  # a second run of the job does nothing
    response = secretariat.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert DocumentRecord.objects.count() == 30
    assert not list(Path(uploads._folder()).glob(f"{token}*"))  # confirmed: nothing kept


def test_confirm_before_the_reading_is_done_is_refused(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.post(START, {"file": _file(), "ky": "2024-07"})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    state = json.loads(_state_file(token).read_text(encoding="utf-8"))
    state.update(status="reading", report=None)
    _state_file(token).write_text(json.dumps(state), encoding="utf-8")
    answer = client.post(CONFIRM, {"token": token}, follow=True)
    assert "chưa được đọc xong" in answer.content.decode()
    assert DocumentRecord.objects.count() == 0


def test_a_unit_officer_cannot_see_an_upload_page(login, make_user, secretariat_user):
    token = _kept(secretariat_user)
    pending_extract(token=token)
    officer = login(make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="STTTT")))
    response = officer.get(_page(token))
    assert response.status_code == 403
    assert "3240/UBND-KGVX" not in response.content.decode()


def test_another_secretariat_users_upload_is_answered_as_missing(
    login, make_user, secretariat_user
):
    token = _kept(secretariat_user)
    pending_extract(token=token)
    other = login(make_user(Role.SECRETARIAT))
    response = other.get(_page(token), follow=True)
    body = response.content.decode()
    assert "Tệp đã tải lên không còn" in body
    assert "3240/UBND-KGVX" not in body and "Xác nhận nhập" not in body


@pytest.mark.parametrize("token", ["0" * 32, "../../etc/passwd", "ABC", ""])
def test_a_forged_token_is_refused_on_the_page(secretariat, token):
    # The start page's ?phien= form reaches the token check with any text; the path form only
    # routes a slug.
    body = secretariat.get(f"{START}?phien={token}", follow=True).content.decode()
    assert "hãy tải tệp lên lại" in body
    assert "Xác nhận nhập" not in body
    if token and "/" not in token:
        answer = secretariat.get(_page(token), follow=True).content.decode()
        assert "hãy tải tệp lên lại" in answer


def test_the_kept_file_and_its_state_are_private(secretariat_user):
    token = _kept(secretariat_user)
    pending_extract(token=token)
    kept = sorted(Path(uploads._folder()).glob(f"{token}*"))
    assert [p.name for p in kept] == [f"{token}.state.json", f"{token}.txt"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in kept} == {0o600}
    assert stat.S_IMODE(Path(uploads._folder()).stat().st_mode) == 0o700


PROSE_ONLY = (
    "BÁO CÁO\nTrong tháng, tỷ lệ hồ sơ trực tuyến đạt 45,5%; "
    "đã tiếp nhận 1.234 hồ sơ, trong đó 1.200 hồ sơ giải quyết đúng hạn.\n"
)


def test_a_report_read_but_refused_by_the_import_says_why(secretariat):
    page = secretariat.post(
        START, {"file": _file(PROSE_ONLY.encode()), "ky": "2024-07"}, follow=True
    )
    body = page.content.decode()
    assert "Không nhập được báo cáo này" in body and "số liệu trong lời văn" in body
    assert f'href="{START}"' in body and "Xác nhận nhập" not in body
    assert REFRESH not in body


def test_the_extracted_report_survives_its_json():
    report = extract_report(SEED_003)
    assert report.documents and report.tasks and report.services and report.total_row
    again = report_from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report


def test_a_report_with_figures_in_prose_only_survives_its_json():
    report = extract_report(PROSE_ONLY)
    assert report.figures
    assert report_from_dict(json.loads(json.dumps(report.to_dict()))) == report


needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None
    or shutil.which("pdftoppm") is None
    or shutil.which("soffice") is None,
    reason="tesseract, pdftoppm and LibreOffice are needed: "
    "apt install tesseract-ocr-vie poppler-utils libreoffice-writer",
)


@pytest.mark.once
@pytest.mark.slow
@needs_ocr
def test_a_scan_is_read_page_by_page_by_the_job(secretariat, monkeypatch):
    """A real scan of the report's first three pages (appendix I) through the page: the job
    writes its progress page by page and the page ends on the preview."""
    from scripts import samples

    pages = samples.pdftoppm_pages(samples.render_report_pdf(), dpi=200)[:3]
    scan = samples.images_to_pdf([samples.degrade(p) for p in pages], dpi=200)
    written: list[tuple[str, int, int]] = []
    write = uploads._state_write

    def recording(token, state):
        written.append((state["status"], state["done"], state["total"]))
        write(token, state)

    monkeypatch.setattr(uploads, "_state_write", recording)
    page = secretariat.post(
        START, {"file": _file(scan, "bao-cao.pdf"), "ky": "2024-07"}, follow=True
    )
    assert "Xác nhận nhập" in page.content.decode(), page.content.decode()[:2000]
    assert page.context["report"].documents
    reading = [(done, total) for status, done, total in written if status == "reading"]
    assert sorted(set(reading)) == [(0, 0), (0, 3), (1, 3), (2, 3), (3, 3)]
    assert written[-1][0] == "read"
