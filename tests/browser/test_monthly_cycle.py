"""The monthly cycle in a real browser: the 2024 plan imported; Sở TT&TT's officer reports on
B.1.3 for July 2024 on a phone; the unit leader approves; the secretariat returns it with a
comment; the officer corrects; the secretariat accepts; the completeness grid and the task history
show it; another unit's officer cannot see it."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment
from dean06.reference import seed_path
from dean06.tracking.models import ProgressReport, ReportStatus
from tests.browser.conftest import open_menu

# What a person does in the browser; the services under it run on PostgreSQL in their own tests.
pytestmark = [pytest.mark.browser, pytest.mark.once]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(page, url, user):
    page.context.clear_cookies()
    page.goto(url + "/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_report_leader_return_correct_accept(
    chromium_page, live_server, make_user, reference, settings
):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    page = chromium_page
    unit = Unit.objects.get(key="STTTT")
    secretariat = make_user(Role.SECRETARIAT)
    officer = make_user(Role.UNIT_OFFICER, unit=unit, first_name="Văn Đức", last_name="Lê")
    leader = make_user(Role.UNIT_LEADER, unit=unit)
    stranger = make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="SYT"))

    # The secretariat imports the 2024 plan.
    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, secretariat)
    open_menu(page, "Nhập và báo cáo", "Nhập kế hoạch")
    page.set_input_files("#id_file", str(seed_path("000_29642a5544120c4a.txt")))
    page.click("text=Tải lên và đọc")
    page.wait_for_selector("#review-table")
    page.click("#save-plan")
    page.wait_for_selector("#tasks")
    assignment = Assignment.objects.get(
        task__code="B.1.3", task__plan__number="18/KH-UBND", unit=unit, role="lead"
    )
    form_url = f"/bao-cao/{assignment.pk}/2024/7/"

    # The officer, on a phone, finds B.1.3 among what is owed this month and reports on it.
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, officer)
    assert "Cần báo cáo tháng 7/2024" in page.content()
    page.locator('#owed li[data-code="B.1.3"] a.button').click()
    page.wait_for_selector("#report-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.select_option("#id_state", "in_progress")
    page.fill("#id_percent_complete", "60")
    page.fill("#id_progress", "Đã đánh giá dữ liệu của 120 thủ tục hành chính")
    page.click("#submit-report")
    page.wait_for_selector("#report-status")
    assert "Chờ lãnh đạo đơn vị duyệt" in page.inner_text("#report-status")

    # The unit leader approves it.
    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, leader)
    open_menu(page, "Công việc", "Báo cáo chờ xử lý")
    page.click(f'a[href="{form_url}"]')
    page.click("#approve-report")
    page.wait_for_selector("text=Đã duyệt")

    # The secretariat returns it with a comment.
    _sign_in(page, live_server.url, secretariat)
    open_menu(page, "Công việc", "Báo cáo chờ xử lý")
    page.click(f'a[href="{form_url}"]')
    page.fill("#id_comment", "Bổ sung số thủ tục theo từng lĩnh vực")
    page.click("#return-report")
    page.wait_for_selector("text=Đã trả lại báo cáo")

    # The officer sees why, corrects and sends again; the leader approves again.
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, officer)
    page.goto(live_server.url + form_url)
    assert "Bổ sung số thủ tục theo từng lĩnh vực" in page.content()
    page.fill("#id_figures", "Tư pháp 40, đất đai 80")
    page.click("#submit-report")
    page.wait_for_selector("#report-status")
    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, leader)
    page.goto(live_server.url + form_url)
    page.click("#approve-report")
    page.wait_for_selector("text=Đã duyệt")

    # The secretariat accepts it.
    _sign_in(page, live_server.url, secretariat)
    page.goto(live_server.url + form_url)
    page.click("#accept-report")
    page.wait_for_selector("text=Đã tiếp nhận báo cáo")
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.status == ReportStatus.ACCEPTED and report.figures == "Tư pháp 40, đất đai 80"

    # The completeness grid shows the report; its cell opens it.
    open_menu(page, "Công việc", "Tình hình báo cáo")
    page.wait_for_selector("#completeness")
    cell = page.locator('tr[data-unit="STTTT"] td.cell').last
    assert cell.inner_text().startswith("1/")
    cell.locator("a").click()
    page.wait_for_selector("#cell-reports")
    assert "Thường trực đã tiếp nhận" in page.content()

    # The task history shows the report, its two sendings and who did what.
    page.goto(live_server.url + f"/nhiem-vu/{assignment.task_id}/")
    history = page.content()
    assert "Đã đánh giá dữ liệu của 120 thủ tục hành chính" in history
    assert "2 lần gửi" in history
    assert "Báo cáo tiến độ: trả lại" in history and "Báo cáo tiến độ: chấp nhận" in history

    # Another unit's officer cannot see it.
    _sign_in(page, live_server.url, stranger)
    response = page.goto(live_server.url + form_url)
    assert response is not None and response.status == 404
    page.goto(live_server.url + f"/nhiem-vu/{assignment.task_id}/")
    assert "Đã đánh giá dữ liệu của 120 thủ tục hành chính" not in page.content()
