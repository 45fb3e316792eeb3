"""The monthly report import page: upload → reading (a job, run at once here: DEAN06_WORKER=inline)
→ preview (nothing written) → confirm (written, every write audited); the secretariat only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.documents.models import DocumentRecord
from dean06.kpis.models import ServiceStat
from dean06.orgs.models import Unit
from dean06.quality.models import Finding
from dean06.reference import seed_path
from dean06.tracking.models import ProgressReport

SEED_003 = seed_path("003_9912287c508b6ad0.txt")
START = "/bao-cao-thang/nhap/"
CONFIRM = "/bao-cao-thang/nhap/xac-nhan/"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def secretariat(login, make_user, plan_2024):
    return login(make_user(Role.SECRETARIAT))


def _upload(client, data: bytes | None = None, month: str = "2024-07", follow: bool = True):
    """Upload a report; followed, the answer is the upload's page once its reading is done."""
    file = SimpleUploadedFile(SEED_003.name, SEED_003.read_bytes() if data is None else data)
    return client.post(START, {"file": file, "ky": month}, follow=follow)


def _counts() -> tuple[int, ...]:
    return (
        DocumentRecord.objects.count(),
        ProgressReport.objects.count(),
        ServiceStat.objects.count(),
        Finding.objects.count(),
        AuditEntry.objects.count(),
    )


def test_the_secretariat_finds_the_page_in_the_menu(secretariat):
    assert f'href="{START}"' in secretariat.get("/").content.decode()


def test_preview_writes_nothing_and_shows_what_would_change(secretariat):
    before = _counts()
    response = _upload(secretariat)
    body = response.content.decode()
    assert response.status_code == 200
    assert _counts() == before
    assert "Chưa có gì được ghi" in body and "Xác nhận nhập" in body
    assert 'data-kind="new">' in body and "3240/UBND-KGVX" in body
    assert 'data-rule="svc.share_matches"' in body
    assert response.context["counts"]["new"] > 0


def test_confirm_writes_and_every_write_is_audited(secretariat):
    preview = _upload(secretariat)
    token = preview.context["token"]
    response = secretariat.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert DocumentRecord.objects.count() == 30
    assert ServiceStat.objects.count() == 25
    assert ProgressReport.objects.count() == preview.context["counts"]["new"] - 55
    user = response.wsgi_request.user
    for model, label in (
        (DocumentRecord, "documents.documentrecord"),
        (ProgressReport, "tracking.progressreport"),
        (ServiceStat, "kpis.servicestat"),
        (Finding, "quality.finding"),
    ):
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        audited = set(
            AuditEntry.objects.filter(object_type=label, actor=user).values_list(
                "object_id", flat=True
            )
        )
        assert ids <= audited, label
    page = secretariat.get(START)
    assert "Đã nhập báo cáo" in page.content.decode()
    # The file waits no longer; the same token cannot import twice.
    written = _counts()
    again = secretariat.post(CONFIRM, {"token": token}, follow=True)
    assert "hãy tải tệp lên lại" in again.content.decode()
    assert _counts() == written


def test_cancel_writes_nothing(secretariat):
    preview = _upload(secretariat)
    before = _counts()
    secretariat.post(CONFIRM, {"token": preview.context["token"], "huy": "1"})
    assert _counts() == before


def test_a_forged_token_is_refused(secretariat):
    _upload(secretariat)
    before = _counts()
    response = secretariat.post(CONFIRM, {"token": "0" * 32}, follow=True)
    assert "hãy tải tệp lên lại" in response.content.decode()
    assert _counts() == before


def test_unit_officer_is_refused(login, make_user, plan_2024):
    officer = login(make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="STTTT")))
    assert f'href="{START}"' not in officer.get("/").content.decode()  # not in the menu
    assert officer.get(START).status_code == 403
    assert _upload(officer, follow=False).status_code == 403
    assert officer.post(CONFIRM, {"token": "0" * 32}).status_code == 403
    assert DocumentRecord.objects.count() == 0


def test_a_file_that_is_no_report_is_a_message_not_an_error(secretariat):
    response = _upload(secretariat, data="không phải báo cáo".encode())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không đọc được tệp" in body and f'href="{START}"' in body
    assert "Xác nhận nhập" not in body
    assert DocumentRecord.objects.count() == 0


def test_an_empty_file_and_a_bad_month_are_refused_in_vietnamese(secretariat):
    assert "Tệp rỗng" in _upload(secretariat, data=b"").content.decode()
    assert "kỳ báo cáo" in _upload(secretariat, month="2024-13").content.decode()
