"""Browser journeys of issue 12, each a real person's steps in Chromium on 10/07/2024 (the July
2024 cycle): every role signs in through the login form and lands on its own first page; the
provincial leader narrows the dashboard to a group and clicks through to its overdue tasks; the
secretariat searches the task list without diacritics; a unit officer on a 375-px phone reports
on a task from the first page."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from dean06.plans.models import PlanSection
from dean06.tracking.models import ProgressReport, ReportStatus
from tests.browser.conftest import open_menu
from tests.factories import AssignmentFactory, PeriodFactory, PlanFactory, TaskFactory

# What a person does in the browser; the services under it run on PostgreSQL in their own tests.
pytestmark = [pytest.mark.browser, pytest.mark.once]

ON = dt.date(2024, 7, 10)
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LONG_AGO = dt.date(2024, 3, 31)
LATER = dt.date(2024, 12, 31)

# code, group, lead unit, due date, content. On 10/07/2024 A.1, A.2 and B.2 are overdue; A.4 was
# due long ago too but is reported done.
TASKS = [
    ("A.1", "A", "STTTT", LONG_AGO, "Xây dựng Kho dữ liệu số dùng chung của tỉnh"),
    ("A.2", "A", "SYT", LONG_AGO, "Triển khai sổ sức khỏe điện tử cho người dân"),
    ("A.3", "A", "STP", LATER, "Rà soát quy trình liên thông đăng ký khai sinh, thường trú"),
    ("A.4", "A", "STP", LONG_AGO, "Số hóa hồ sơ hộ tịch lưu trữ"),
    ("B.1", "B", "STTTT", LATER, "Nâng cấp Cổng dịch vụ công trực tuyến của tỉnh"),
    ("B.2", "B", "CAT", dt.date(2024, 5, 31), "Thu nhận hồ sơ cấp căn cước cho người dân"),
    ("B.3", "B", "SYT", LATER, "Kết nối dữ liệu khám chữa bệnh bảo hiểm y tế"),
]
OVERDUE = {"A.1", "A.2", "B.2"}


@pytest.fixture
def province(reference, settings):
    """The reference units and one 2024 plan of two groups (TASKS), each task led by one unit;
    A.4 reported done in July. The dashboard's cache starts empty."""
    settings.DEMO_TODAY = ON
    cache.clear()
    july = PeriodFactory()
    plan = PlanFactory(number="05/KH-UBND", title="Kế hoạch triển khai Đề án 06 năm 2024")
    groups = {
        "A": PlanSection.objects.create(plan=plan, code="A", title="Nhóm tham mưu", order=1),
        "B": PlanSection.objects.create(plan=plan, code="B", title="Nhóm triển khai", order=2),
    }
    assignments = {}
    for order, (code, group, unit, due, content) in enumerate(TASKS):
        task = TaskFactory(
            plan=plan,
            section=groups[group],
            code=code,
            order=order,
            content=content,
            due_date=due,
            deadline_kind="date",
        )
        assignments[code] = AssignmentFactory(task=task, unit=Unit.objects.get(key=unit))
    ProgressReport.objects.create(
        assignment=assignments["A.4"],
        period=july,
        status=ReportStatus.ACCEPTED,
        state="done",
        submitted_at=dt.datetime(2024, 7, 5, 9, 0, tzinfo=dt.UTC),
        completed_on=dt.date(2024, 3, 20),
    )
    yield {"plan": plan, "assignments": assignments, "sttt": Unit.objects.get(key="STTTT")}
    cache.clear()


def _sign_in(page, url, user):
    """Type the username and password in the login form and press the button."""
    page.context.clear_cookies()
    page.goto(url + "/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def _codes(page) -> set[str]:
    return set(
        page.locator("#task-results tbody tr").evaluate_all("rs => rs.map(r => r.dataset.code)")
    )


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _leader_home(page, live_server, province):
    assert page.locator("h1").inner_text() == "Bảng điều khiển Đề án 06"
    body = page.inner_text("main")
    assert "quá hạn" in body and "đúng hạn" in body and "Xếp hạng" in body
    assert page.inner_text("a[data-figure=overdue] b") == str(len(OVERDUE))


def _province_todo(page, live_server, province):
    assert page.locator("h1").inner_text() == "Việc cần làm"
    assert f"Nhiệm vụ quá hạn ({len(OVERDUE)})" in page.inner_text("#qua-han")
    shown = set(
        page.locator("#qua-han li[data-code]").evaluate_all("ls => ls.map(l => l.dataset.code)")
    )
    assert shown == OVERDUE


def _unit_officer_home(page, live_server, province):
    assert page.locator("h1").inner_text() == "Việc của đơn vị: Sở Thông tin và Truyền thông"
    assert "Cần báo cáo tháng 7/2024 (2)" in page.inner_text("#owed")
    for code in ("A.1", "B.1"):
        assignment = province["assignments"][code]
        link = page.locator(f'#owed li[data-code="{code}"] a.button')
        assert link.get_attribute("href") == f"/bao-cao/{assignment.pk}/2024/7/"
    assert page.locator("#cho-duyet").count() == 0


def _unit_leader_home(page, live_server, province):
    assert page.locator("h1").inner_text() == "Việc của đơn vị: Sở Thông tin và Truyền thông"
    assert "Báo cáo chờ lãnh đạo đơn vị duyệt (0)" in page.inner_text("#cho-duyet")
    assert "Cần báo cáo tháng 7/2024 (2)" in page.inner_text("#owed")


FIRST_PAGES = {
    Role.PROVINCIAL_LEADER: _leader_home,
    Role.SECRETARIAT: _province_todo,
    Role.ADMIN: _province_todo,
    Role.UNIT_LEADER: _unit_leader_home,
    Role.UNIT_OFFICER: _unit_officer_home,
}


@pytest.mark.parametrize("role", list(FIRST_PAGES))
def test_each_role_signs_in_lands_on_its_first_page_and_signs_out(
    role, chromium_page, live_server, make_user, province
):
    page = chromium_page
    page.set_viewport_size(DESKTOP)
    unit = province["sttt"] if role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) else None
    user = make_user(role, unit=unit)
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/dang-nhap/?next=/"

    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/"
    FIRST_PAGES[role](page, live_server, province)

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/dang-nhap/"
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/dang-nhap/?next=/"


def test_leader_filters_the_dashboard_and_opens_the_overdue_tasks(
    chromium_page, live_server, make_user, province
):
    page = chromium_page
    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, make_user(Role.PROVINCIAL_LEADER))
    overdue = page.locator("a[data-figure=overdue] b")
    assert overdue.inner_text() == "3"
    assert page.inner_text("a[data-figure=total] b") == str(len(TASKS))

    # One unit chosen: the figures are those of the two tasks it leads, at once (no "Xem").
    page.select_option("#id_unit", label="Sở Thông tin và Truyền thông")
    expect(overdue).to_have_text("1")
    expect(page.locator("a[data-figure=total] b")).to_have_text("2")
    expect(page.locator("#scorecard tr.chosen")).to_contain_text("Sở Thông tin và Truyền thông")

    # The whole province again, the group "A" chosen: the figures of its four tasks.
    page.select_option("#id_unit", "")
    page.select_option("#id_section", "A")
    page.get_by_role("button", name="Xem").click()
    expect(overdue).to_have_text("2")
    expect(page.locator("a[data-figure=total] b")).to_have_text("4")
    assert parse_qs(urlsplit(page.url).query)["section"] == ["A"]
    assert "nhóm A" in page.inner_text("#dashboard-body p.muted >> nth=0")
    assert set(
        page.locator("#overdue tr[data-task] th a").evaluate_all("as => as.map(a => a.textContent)")
    ) == {"A.1", "A.2"}

    # The overdue figure opens the task list narrowed to the same group and to overdue tasks.
    page.locator("a[data-figure=overdue]").click()
    page.wait_for_url(re.compile(r"/nhiem-vu/\?"))
    assert page.locator("#id_status").input_value() == "overdue"
    assert page.locator("#id_section").input_value() == "A"
    assert "2 nhiệm vụ khớp điều kiện lọc" in page.inner_text("#task-results h2")
    assert _codes(page) == {"A.1", "A.2"}
    statuses = page.locator("#task-results tbody tr").evaluate_all(
        "rs => rs.map(r => r.dataset.status)"
    )
    assert statuses == ["overdue", "overdue"]

    # Without the group, every overdue task of the province and no other.
    page.select_option("#id_section", "")
    expect(page.locator("#task-results h2")).to_contain_text("3 nhiệm vụ")
    assert _codes(page) == OVERDUE


def test_secretariat_searches_tasks_without_diacritics(
    chromium_page, live_server, make_user, province
):
    page = chromium_page
    page.set_viewport_size(DESKTOP)
    _sign_in(page, live_server.url, make_user(Role.SECRETARIAT))
    open_menu(page, "Công việc", "Nhiệm vụ")
    assert _codes(page) == {code for code, *_ in TASKS}

    # By the lead unit's name, typed without diacritics as on any keyboard.
    search = page.locator("#id_q")
    search.press_sequentially("so thong tin")
    rows = page.locator("#task-results tbody tr")
    expect(rows).to_have_count(2)
    assert _codes(page) == {"A.1", "B.1"}
    assert "2 nhiệm vụ khớp điều kiện lọc" in page.inner_text("#task-results h2")
    assert all(
        "Sở Thông tin và Truyền thông" in text
        for text in page.locator("#task-results tbody td[data-label='Chủ trì']").all_inner_texts()
    )
    assert parse_qs(urlsplit(page.url).query) == {"q": ["so thong tin"]}  # kept in the address

    # By the task's content: "so suc khoe dien tu" finds "sổ sức khỏe điện tử".
    search.fill("")
    search.press_sequentially("so suc khoe dien tu")
    expect(rows).to_have_count(1)
    assert _codes(page) == {"A.2"}
    assert "Triển khai sổ sức khỏe điện tử" in page.inner_text("#task-results tbody")

    # The same address opened again (a bookmark) gives the same list.
    page.goto(page.url)
    assert page.locator("#id_q").input_value() == "so suc khoe dien tu"
    assert _codes(page) == {"A.2"}


def test_unit_officer_reports_on_a_phone(chromium_page, live_server, make_user, province):
    page = chromium_page
    officer = make_user(Role.UNIT_OFFICER, unit=province["sttt"])
    make_user(Role.UNIT_LEADER, unit=province["sttt"])  # who approves what the officer sends
    assignment = province["assignments"]["B.1"]
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, officer)
    assert page.url == live_server.url + "/"
    assert "Cần báo cáo tháng 7/2024" in page.inner_text("#owed")
    assert _no_horizontal_scroll(page)

    page.locator('#owed li[data-code="B.1"] a.button').click()
    page.wait_for_selector("#report-form")
    assert page.url == live_server.url + f"/bao-cao/{assignment.pk}/2024/7/"
    assert _no_horizontal_scroll(page)
    text = "Đã nâng cấp Cổng dịch vụ công, kết nối thanh toán trực tuyến 45 thủ tục"
    page.select_option("#id_state", "in_progress")
    page.fill("#id_percent_complete", "45")
    page.fill("#id_progress", text)
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_selector("#report-status")

    assert "Đã gửi báo cáo; chờ lãnh đạo đơn vị duyệt." in page.inner_text("ul.messages")
    assert page.inner_text("#report-status") == "Chờ lãnh đạo đơn vị duyệt"
    assert text in page.inner_text("#report-view")
    assert _no_horizontal_scroll(page)
    report = ProgressReport.objects.get(assignment=assignment, period__year=2024, period__number=7)
    assert report.status == ReportStatus.SUBMITTED
    assert report.progress == text and report.percent_complete == 45
    assert report.submitted_by_id == officer.pk

    # Back on the first page, the task is no longer owed.
    page.goto(live_server.url + "/")
    assert "Cần báo cáo tháng 7/2024 (1)" in page.inner_text("#owed")
    assert page.locator('#owed li[data-code="B.1"]').count() == 0
    assert _no_horizontal_scroll(page)
