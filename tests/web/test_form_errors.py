"""Every form of the figures, quality, notification, plan and report pages: a bad input shows its
Vietnamese error beside the field it concerns, keeps what was typed, answers without an error
page and writes nothing."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import IndicatorKind, IndicatorValue, ServiceStat
from dean06.notifications.models import InboxItem
from dean06.orgs.models import Unit
from dean06.plans.models import Plan, PlanUpload
from dean06.quality.models import ValidationRule
from dean06.quality.services import rules_ensure_builtin
from dean06.reference import seed_path
from dean06.tracking.models import ReportingPeriod
from tests.factories import IndicatorFactory

SEED_001 = "001_33c018715ba11eff.txt"


def _beside(response, field: str, words: str) -> None:
    """The page holds `words` in the error element of `field`."""
    body = html.unescape(response.content.decode())
    errors = re.findall(rf'data-field="{re.escape(field)}"[^>]*>([^<]*)<', body)
    assert any(words in e for e in errors), (field, errors)
    assert "Traceback" not in body


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stp(reference):
    return Unit.objects.get(key="STP")


# --- figures ------------------------------------------------------------------------------------


def test_an_unreadable_month_is_said_beside_the_month_field(stp, make_user, login):
    client = login(make_user(Role.UNIT_OFFICER, unit=stp))
    response = client.get("/so-lieu/", {"ky": "tháng mười ba"})
    assert response.status_code == 200
    _beside(response, "ky", "Không hiểu kỳ")
    indicators = client.get("/chi-tieu/", {"ky": "2024-13"})
    assert indicators.status_code == 200


def test_an_upload_without_a_file_is_refused_beside_the_file_field(stp, make_user, login):
    client = login(make_user(Role.UNIT_OFFICER, unit=stp))
    url = f"/so-lieu/2024/7/don-vi/{stp.pk}/tai-len/"
    response = client.post(url, {"cap": "all"})
    assert response.status_code == 422
    _beside(response, "file", "Hãy chọn tệp XLSX")
    empty = client.post(url, {"cap": "all", "file": SimpleUploadedFile("a.xlsx", b"")})
    assert empty.status_code == 422
    _beside(empty, "file", "Tệp trống")
    broken = client.post(url, {"cap": "all", "file": SimpleUploadedFile("a.xlsx", b"not xlsx")})
    assert broken.status_code == 422
    assert not ServiceStat.objects.exists()


def test_indicator_value_errors_stand_beside_their_field_and_keep_the_input(stp, make_user, login):
    rules_ensure_builtin()
    indicator = IndicatorFactory(kind=IndicatorKind.RATIO)
    indicator.reporting_units.add(stp)
    client = login(make_user(Role.UNIT_OFFICER, unit=stp))
    url = f"/chi-tieu/{indicator.pk}/2024/7/don-vi/{stp.pk}/"
    response = client.post(url, {"numerator": "11", "denominator": "10", "cause": "Chờ số"})
    assert response.status_code == 422
    _beside(response, "numerator", "không được lớn hơn mẫu số")
    body = response.content.decode()
    assert 'value="11"' in body and 'value="10"' in body and "Chờ số" in body
    assert not IndicatorValue.objects.exists()


# --- quality ------------------------------------------------------------------------------------


RULE = {
    "code": "svc.thu",
    "scope": "service_stat",
    "name": "Thử",
    "left": "online_citizens",
    "operator": "<=",
    "right": "total",
    "severity": "warning",
    "importance": "low",
    "message": "Thông báo",
    "tolerance": "0",
    "active": "on",
    "missing": "skip_if_any_missing",
}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"right": "__import__('os')"}, "right", "Chỉ được gọi các hàm"),
        ({"left": "khong_co_truong"}, "left", "trường không có"),
        ({"name": ""}, "name", "Cần nhập tên"),
        ({"tolerance": "năm"}, "tolerance", "phải là một số"),
        ({"code": "Mã Sai!"}, "code", ""),
        ({"operator": ""}, "operator", "Chọn phép so sánh"),
    ],
)
def test_a_bad_rule_is_refused_beside_the_field(make_user, login, change, field, words):
    rules_ensure_builtin()
    client = login(make_user(Role.ADMIN))
    before = ValidationRule.objects.count()
    entries = AuditEntry.objects.count()
    response = client.post("/kiem-tra/quy-tac/moi/", {**RULE, **change})
    assert response.status_code == 422
    _beside(response, field, words)
    assert 'id="rule-error"' in response.content.decode()
    assert 'value="Thông báo"' in response.content.decode() or "Thông báo</textarea>" in (
        response.content.decode()
    )
    assert ValidationRule.objects.count() == before
    assert AuditEntry.objects.count() == entries


def test_a_duplicate_rule_code_is_said_beside_the_code(make_user, login):
    rules_ensure_builtin()
    client = login(make_user(Role.ADMIN))
    response = client.post("/kiem-tra/quy-tac/moi/", {**RULE, "code": "svc.online_le_total"})
    assert response.status_code == 422
    _beside(response, "code", "Đã có quy tắc mã")


def test_running_rules_for_a_bad_month_is_refused_beside_the_month(make_user, login):
    client = login(make_user(Role.SECRETARIAT))
    response = client.post("/kiem-tra/chay/", {"ky": "2024-13"})
    assert response.status_code == 400
    _beside(response, "ky", "Kỳ số 13")
    assert not ReportingPeriod.objects.exists()
    listing = client.get("/kiem-tra/", {"ky": "không phải tháng", "trang_thai": "la"})
    assert listing.status_code == 200
    _beside(listing, "ky", "Không hiểu kỳ")
    _beside(listing, "trang_thai", "")


# --- notifications ------------------------------------------------------------------------------


def test_the_log_filter_says_what_it_cannot_use(make_user, login):
    client = login(make_user(Role.SECRETARIAT))
    response = client.get(
        "/thong-bao/nhat-ky/", {"loai": "khong-co", "ky": "abc", "trang_thai": "x", "trang": "z"}
    )
    assert response.status_code == 200
    for field in ("loai", "ky", "trang_thai"):
        _beside(response, field, "")


def test_marking_an_unknown_notice_read_changes_nothing(make_user, login):
    user = make_user(Role.SECRETARIAT)
    client = login(user)
    response = client.post("/thong-bao/da-doc/", {"muc": "abc"})
    assert response.status_code == 302
    assert not InboxItem.objects.filter(read_at__isnull=False).exists()


# --- plans --------------------------------------------------------------------------------------


@pytest.fixture
def secretariat(login, make_user, reference):
    return login(make_user(Role.SECRETARIAT))


def test_a_plan_import_without_file_or_text_is_refused_beside_the_file(secretariat):
    response = secretariat.post("/ke-hoach/nhap/", {"text": "   "})
    assert response.status_code == 200
    _beside(response, "file", "Hãy chọn một tệp kế hoạch")
    assert not PlanUpload.objects.exists()


def _review_post(response):
    extracted = response.context["extracted"]
    form = {
        "plan-number": extracted.plan.number or "",
        "plan-date": extracted.plan.date.strftime("%d/%m/%Y") if extracted.plan.date else "",
        "plan-issuer": extracted.plan.issuer or "",
        "plan-title": extracted.plan.title or "",
    }
    for i, task in enumerate(extracted.tasks):
        form[f"task-{i}-code"] = task.code
        form[f"task-{i}-content"] = task.content
        form[f"task-{i}-deadline"] = task.deadline.raw
        form[f"task-{i}-lead"] = [u.name for u in task.lead_units] + [""]
        form[f"task-{i}-coord"] = [u.name for u in task.coordinating_units] + [""]
    return form


def test_review_errors_stand_in_their_rows_and_every_edit_is_kept(secretariat):
    data = seed_path(SEED_001).read_bytes()
    start = secretariat.post("/ke-hoach/nhap/", {"file": SimpleUploadedFile(SEED_001, data)})
    url = start["Location"]
    form = _review_post(secretariat.get(url))
    form["plan-number"] = ""
    form["plan-date"] = "31/02/2024"
    form["plan-issuer"] = "UBND tỉnh (đã sửa)"
    form["task-0-lead"] = [""]
    form["task-1-content"] = "Nội dung đã sửa của nhiệm vụ hai"
    form["task-2-content"] = ""
    response = secretariat.post(url, form)
    assert response.status_code == 400
    _beside(response, "plan-number", "Cần nhập số, ký hiệu")
    _beside(response, "plan-date", "không đúng dạng")
    _beside(response, "task-0-lead", "cần ít nhất một đơn vị chủ trì")
    _beside(response, "task-2-content", "cần nội dung")
    body = html.unescape(response.content.decode())
    assert 'value="UBND tỉnh (đã sửa)"' in body and 'value="31/02/2024"' in body
    assert "Nội dung đã sửa của nhiệm vụ hai</textarea>" in body
    assert not Plan.objects.exists()


# --- monthly report import ----------------------------------------------------------------------


def test_a_report_upload_with_a_bad_month_or_no_file_is_refused_beside_the_field(
    make_user, login, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    client = login(make_user(Role.SECRETARIAT))
    file = SimpleUploadedFile("bao-cao.txt", b"BAO CAO")
    response = client.post("/bao-cao-thang/nhap/", {"ky": "2024-13", "file": file})
    assert response.status_code == 400
    _beside(response, "ky", "Chọn kỳ báo cáo (tháng) hợp lệ")
    missing = client.post("/bao-cao-thang/nhap/", {"ky": "2024-07"})
    assert missing.status_code == 400
    _beside(missing, "file", "Hãy chọn tệp báo cáo tháng")
    assert 'value="2024-07"' in missing.content.decode()
    kept = tmp_path / "report-imports"
    assert not kept.exists() or not any(kept.iterdir())


def test_report_list_pages_read_any_page_number(make_user, login):
    client = login(make_user(Role.SECRETARIAT))
    assert client.get("/bao-cao-tong-hop/", {"trang": "abc"}).status_code == 200


def test_a_refused_decision_on_a_finding_stands_beside_its_text(make_user, login):
    from dean06.quality.models import Finding, FindingStatus

    secretariat = make_user(Role.SECRETARIAT)
    warning = Finding.objects.create(
        rule_code="svc.outlier",
        severity="warning",
        message="m",
        scope="service_stat",
        status=FindingStatus.EXPLAINED,
        explanation="Điểm tiếp nhận mới",
    )
    client = login(secretariat)
    entries = AuditEntry.objects.count()
    # A return needs its comment: the list comes back, the error under that finding's field.
    response = client.post(
        f"/kiem-tra/phat-hien/{warning.pk}/tra-lai/",
        {"text": "", "next": "/kiem-tra/?trang_thai=cho"},
    )
    assert response.status_code == 400
    _beside(response, "text", "Cần nêu lý do trả lại")
    assert f'aria-describedby="y-kien-{warning.pk}-loi"' in response.content.decode()
    warning.refresh_from_db()
    assert warning.status == FindingStatus.EXPLAINED
    assert AuditEntry.objects.count() == entries
