"""A secretariat officer imports a plan in a real browser: upload, review, correct, save."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.plans.models import Plan, Task
from dean06.reference import seed_path
from tests.browser.conftest import open_menu

# What a person does in the browser; the services under it run on PostgreSQL in their own tests.
pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_secretariat_imports_a_plan_with_review(chromium_page, live_server, make_user, reference):
    page = chromium_page
    user = make_user(Role.SECRETARIAT)
    page.goto(live_server.url + "/")
    assert "/dang-nhap/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    open_menu(page, "Nhập và báo cáo", "Nhập kế hoạch")
    page.set_input_files("#id_file", str(seed_path("001_33c018715ba11eff.txt")))
    page.click("text=Tải lên và đọc")
    page.wait_for_selector("#review-table")
    assert page.locator("#review-table tbody tr").count() == 39
    assert page.input_value("#plan-number") == "18/KH-UBND"
    # An unresolved unit is highlighted for the reviewer.
    assert page.locator("td.units input.uncertain").count() >= 1
    # No unit name or deadline phrase is cut off in its box (on a 1280-px screen).
    cut = page.evaluate(
        """() => [...document.querySelectorAll('td.units input, textarea.deadline')]
            .filter(i => i.value && (i.scrollWidth > i.clientWidth + 1
                                     || i.scrollHeight > i.clientHeight + 1)).map(i => i.value)"""
    )
    assert cut == []
    # The deadline is parsed again as the reviewer types.
    row = page.locator('tr[data-code="A.1"]')
    row.locator("textarea.deadline").fill("Quý II/2024")
    # (a locator, not wait_for_function: the page's policy forbids the eval the latter needs)
    row.locator("output", has_text="30/06/2024").wait_for()
    # Pick a unit from the registry for the first task's extra lead slot.
    row.locator('td[data-role="lead"] input.add').fill("Sở Tư pháp")
    page.click("#save-plan")
    page.wait_for_selector("#tasks")
    assert "Đã tạo kế hoạch" in page.content()
    plan = Plan.objects.get(number="18/KH-UBND")
    task = Task.objects.get(plan=plan, code="A.1")
    assert task.due_date == dt.date(2024, 6, 30)
    assert set(task.assignments.filter(role="lead").values_list("unit__key", flat=True)) == {
        "CAT",
        "STP",
    }


def test_unit_officer_has_no_import_menu(chromium_page, live_server, make_user, reference):
    page = chromium_page
    user = make_user(Role.UNIT_OFFICER)
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Nhiệm vụ của đơn vị")
    assert page.locator("text=Nhập kế hoạch").count() == 0
    response = page.goto(live_server.url + "/ke-hoach/nhap/")
    assert response is not None and response.status == 403
    assert "Không có quyền truy cập" in page.content()
