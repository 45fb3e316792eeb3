"""The cycle's pages: a unit's tasks and its report forms, decisions, the task page, the grid;
each role reaches what it may, and no unit reads or changes another unit's reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment
from dean06.tracking.models import ProgressReport, ReportStatus

pytestmark = pytest.mark.django_db


def _form(assignment, year=2024, month=7):
    return f"/bao-cao/{assignment.pk}/{year}/{month}/"


def _report_post(action="submit", **more):
    data = {
        "state": "in_progress",
        "percent_complete": "60",
        "progress": "Đã rà soát 120 thủ tục",
        "action": action,
    }
    data.update(more)
    return data


def test_the_officers_first_page_lists_what_is_owed_with_a_link_to_each_form(cycle, client):
    client.force_login(cycle["officer"])
    body = client.get("/").content.decode()
    assert "Việc của đơn vị: Sở Thông tin và Truyền thông" in body
    assert "Cần báo cáo tháng 7/2024" in body
    assert _form(cycle["assignment"]) in body
    # The task list pages its cards and links each to the task page and its report form.
    tasks = client.get("/bao-cao/").content.decode()
    assert "Nhiệm vụ của đơn vị: Sở Thông tin và Truyền thông" in tasks
    assert _form(cycle["assignment"]) in tasks
    assert f'href="/nhiem-vu/{cycle["assignment"].task_id}/"' in tasks
    # Search without diacritics finds the task.
    found = client.get("/bao-cao/?q=danh gia cac du lieu").content.decode()
    assert 'data-code="B.1.3"' in found
    assert 'data-code="B.1.3"' not in client.get("/bao-cao/?q=khong co gi").content.decode()


def test_the_officer_saves_a_draft_then_sends_and_the_form_locks(cycle, client):
    client.force_login(cycle["officer"])
    url = _form(cycle["assignment"])
    assert client.post(url, _report_post("save")).status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    refused = client.post(url, _report_post(progress="", version=report.version))
    assert (
        refused.status_code == 422 and "Nêu kết quả thực hiện trong kỳ." in refused.content.decode()
    )
    assert client.post(url, _report_post(version=report.version)).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED  # no leader account: straight on
    page = client.get(url).content.decode()
    assert 'id="report-form"' not in page and "Nội dung đã gửi" in page


def test_a_stale_report_form_is_refused_with_the_stored_version_shown(cycle, client):
    client.force_login(cycle["officer"])
    url = _form(cycle["assignment"])
    client.post(url, _report_post("save"))
    report = ProgressReport.objects.get()
    client.post(url, _report_post("save", progress="Bản thứ hai", version=report.version))
    stale = client.post(url, _report_post("save", progress="Bản cũ", version=report.version))
    assert stale.status_code == 409
    body = stale.content.decode()
    assert 'id="conflict"' in body and "Bản thứ hai" in body
    report.refresh_from_db()
    assert report.progress == "Bản thứ hai"


def test_the_leader_approves_and_the_secretariat_returns_then_accepts(cycle, client, make_user):
    leader = make_user(Role.UNIT_LEADER, unit=cycle["unit"])
    client.force_login(cycle["officer"])
    url = _form(cycle["assignment"])
    client.post(url, _report_post())
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(leader)
    assert "Báo cáo chờ xử lý" in client.get("/").content.decode()
    assert url in client.get("/bao-cao/cho-xu-ly/").content.decode()
    assert client.post(url, _report_post()).status_code == 403  # the leader does not write
    client.post(f"/bao-cao/phieu/{report.pk}/duyet/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    client.force_login(cycle["secretariat"])
    assert url in client.get("/bao-cao/cho-xu-ly/").content.decode()
    client.post(f"/bao-cao/phieu/{report.pk}/tra-lai/", {"comment": "Bổ sung số liệu"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "Bổ sung số liệu"
    client.force_login(cycle["officer"])
    assert "Lý do trả lại: Bổ sung số liệu" in client.get(url).content.decode()
    client.post(url, _report_post(figures="120 TTHC", version=report.version))
    client.force_login(leader)
    report.refresh_from_db()
    client.post(f"/bao-cao/phieu/{report.pk}/duyet/")
    client.force_login(cycle["secretariat"])
    client.post(f"/bao-cao/phieu/{report.pk}/tiep-nhan/")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert AuditEntry.objects.filter(action="tracking.report.accepted").count() == 1


def test_another_units_officer_cannot_read_or_change_the_report(cycle, client, make_user):
    client.force_login(cycle["officer"])
    client.post(_form(cycle["assignment"]), _report_post())
    report = ProgressReport.objects.get()
    other = make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="STP"))
    client.force_login(other)
    assert client.get(_form(cycle["assignment"])).status_code == 404
    assert client.post(_form(cycle["assignment"]), _report_post()).status_code == 404
    for step in ("duyet", "tiep-nhan", "tra-lai"):
        response = client.post(f"/bao-cao/phieu/{report.pk}/{step}/", {"comment": "x"})
        assert response.status_code == 404
    # Sở Tư pháp coordinates B.1.3 ("các sở, ngành"): it sees the task, not the lead's report.
    task = cycle["assignment"].task
    assert task.assignments.filter(unit__key="STP", role="coordinating").exists()
    page = client.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "Đã rà soát 120 thủ tục" not in page
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_the_task_page_shows_reports_versions_evidence_and_the_audit(cycle, client, settings):
    client.force_login(cycle["officer"])
    url = _form(cycle["assignment"])
    client.post(url, _report_post("save"))
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    client.post(url, {"action": "evidence", "file": pdf})
    report = ProgressReport.objects.get()
    client.post(url, _report_post(version=report.version))
    evidence = report.evidence.get()
    download = client.get(f"/bao-cao/minh-chung/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(cycle["secretariat"])
    body = client.get(f"/nhiem-vu/{cycle['assignment'].task.pk}/").content.decode()
    assert "Tháng 7/2024" in body and "Đã rà soát 120 thủ tục" in body
    assert "bien-ban.pdf" in body and "Báo cáo tiến độ: gửi" in body
    other = Unit.objects.get(key="STP")
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.UNIT_OFFICER, unit=other))
    assert client.get(f"/bao-cao/minh-chung/{evidence.pk}/").status_code == 404


def test_the_completeness_grid_for_the_secretariat_and_its_cells(cycle, client, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 20)
    client.force_login(cycle["officer"])  # a unit sees its own row only
    own = client.get("/bao-cao/tinh-hinh/?ky=2024-07").content.decode()
    assert 'data-unit="STTTT"' in own and 'data-unit="STP"' not in own
    client.force_login(cycle["secretariat"])
    body = client.get("/bao-cao/tinh-hinh/?ky=2024-07").content.decode()
    assert 'data-unit="STTTT"' in body and 'data-unit="STP"' in body
    assert "Tháng 7/2024" in body and 'class="cell missing"' in body
    unit = cycle["unit"]
    cell = client.get(f"/bao-cao/tinh-hinh/{unit.pk}/2024/7/").content.decode()
    assert "B.1.3" in cell and "chưa gửi" in cell


@pytest.mark.parametrize(
    ("role", "grid", "waiting", "form_get"),
    [
        (Role.UNIT_OFFICER, 200, 200, 200),
        (Role.UNIT_LEADER, 200, 200, 200),
        (Role.SECRETARIAT, 200, 200, 200),
        (Role.PROVINCIAL_LEADER, 200, 200, 200),
        (Role.ADMIN, 200, 200, 200),
    ],
)
def test_each_role_reaches_the_pages_it_may(
    cycle, client, make_user, role, grid, waiting, form_get
):
    unit = cycle["unit"] if role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) else None
    client.force_login(make_user(role, unit=unit))
    assert client.get("/bao-cao/tinh-hinh/").status_code == grid
    assert client.get("/bao-cao/cho-xu-ly/").status_code == waiting
    assert client.get(_form(cycle["assignment"])).status_code == form_get
    writes = client.post(_form(cycle["assignment"]), _report_post("save"))
    assert writes.status_code == (302 if role == Role.UNIT_OFFICER else 403)
    assert Assignment.objects.filter(pk=cycle["assignment"].pk).exists()


def test_the_main_cycle_pages_cost_the_same_queries_whatever_the_data(
    reference, make_user, client, settings
):
    """The officer's first page and the grid over twelve months: the same number of queries for
    a few units and reports as for a province's year."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dean06.synthetic import generate_province

    settings.DEMO_TODAY = dt.date(2024, 12, 10)
    secretariat = make_user(Role.SECRETARIAT)

    def counts(units, tasks, months):
        generate_province(units=units, tasks=tasks, months=months, end_year=2024, end_month=12)
        lead = Assignment.objects.filter(role="lead").order_by("-id").first()
        officer = make_user(Role.UNIT_OFFICER, unit=lead.unit)
        out = []
        for user, url in ((officer, "/"), (secretariat, "/bao-cao/tinh-hinh/?so_ky=12")):
            client.force_login(user)
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    assert counts(3, 3, 2) == counts(40, 40, 12)


def test_an_evidence_upload_refused_is_shown_beside_the_field(cycle, client):
    client.force_login(cycle["officer"])
    url = _form(cycle["assignment"])
    client.post(url, _report_post("save"))
    report = ProgressReport.objects.get()
    missing = client.post(url, {"action": "evidence"})
    assert missing.status_code == 422
    body = missing.content.decode()
    assert 'id="id_file-error"' in body and "Chọn một tệp để tải lên." in body
    exe = SimpleUploadedFile("cai-dat.exe", b"MZ\x90\x00 not a document")
    wrong = client.post(url, {"action": "evidence", "file": exe})
    assert wrong.status_code == 422
    body = wrong.content.decode()
    assert 'id="id_file-error"' in body and "không phải PDF, DOCX hay ảnh PNG/JPEG" in body
    assert not report.evidence.exists()
    assert not AuditEntry.objects.filter(action__startswith="tracking.evidence").exists()


def test_the_waiting_list_is_paged(cycle, client, make_user):
    """More than a page of reports waiting: the list links to the next page."""
    from dean06.tracking.services import ReportInput, progress_report_save

    led = Assignment.objects.filter(role="lead").select_related("unit")[:30]
    for assignment in led:
        officer = make_user(Role.UNIT_OFFICER, unit=assignment.unit)
        progress_report_save(
            assignment=assignment,
            period=cycle["period"],
            data=ReportInput(state="in_progress", progress="Đã làm"),
            by=officer,
            submit=True,
        )
    client.force_login(cycle["secretariat"])
    first = client.get("/bao-cao/cho-xu-ly/").content.decode()
    assert "Trang 1/2" in first and "?trang=2" in first
    second = client.get("/bao-cao/cho-xu-ly/?trang=2")
    assert second.status_code == 200 and "Trang 2/2" in second.content.decode()
    assert client.get("/bao-cao/cho-xu-ly/?trang=abc").status_code == 200
