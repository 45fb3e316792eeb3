"""A unit officer enters figures in the grid in real Chromium: types, moves with the keyboard,
pastes a block from Excel, sees the share computed, gets an error on a cell, fixes it, saves."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from dean06.kpis.models import ServiceStat
from dean06.orgs.models import Unit
from dean06.quality.services import rules_ensure_builtin

# What a person does in the browser; the services under it run on PostgreSQL in their own tests.
pytestmark = [pytest.mark.browser, pytest.mark.once]


def _cell(code: str, field: str) -> str:
    return f'input[name="c-{code}-{field}"]'


def _share(page, code: str) -> str:
    return page.inner_text(f'tr[data-code="{code}"] [data-share]').strip()


def _focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_grid_entry_in_chromium(transactional_db, reference, live_server, logged_in, make_user):
    rules_ensure_builtin()
    unit = Unit.objects.get(key="STP")
    page = logged_in(make_user(Role.UNIT_OFFICER, unit=unit))
    page.goto(f"{live_server.url}/so-lieu/2024/7/don-vi/{unit.pk}/")
    assert page.locator("#entry-grid tbody tr").count() == 25

    # Type a row, moving right with the arrow keys: online above total.
    page.click(_cell("DA06-09", "online_citizens"))
    page.keyboard.type("120")
    page.keyboard.press("ArrowRight")
    assert _focused(page) == "c-DA06-09-online_businesses"
    page.keyboard.type("0")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("100")
    assert _share(page, "DA06-09") == "120,00%"

    # Arrow down and Enter move down a column; Enter does not submit the form.
    page.keyboard.press("ArrowDown")
    assert _focused(page) == "c-DA06-10-total_received"
    page.keyboard.press("Enter")
    assert _focused(page) == "c-DA06-11-total_received"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert _focused(page) == "c-DA06-10-online_citizens"
    assert ServiceStat.objects.count() == 0

    # Paste two rows copied from Excel, starting at the focused cell.
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', '676\\t0\\t749\\r\\n527\\t0\\t573\\r\\n');
            const event = new ClipboardEvent(
                'paste', {clipboardData: data, bubbles: true, cancelable: true});
            document.activeElement.dispatchEvent(event);
        }"""
    )
    assert page.input_value(_cell("DA06-11", "total_received")) == "573"
    assert _share(page, "DA06-10") == "90,25%"
    assert _share(page, "DA06-11") == "91,97%"

    # Submit: the server marks the cells of the bad row, and nothing is saved.
    page.click("#save")
    page.wait_for_selector('tr[data-code="DA06-09"] td.has-error')
    assert page.locator("td.has-error").count() == 3
    assert "lớn hơn tổng số tiếp nhận" in page.inner_text("#issues")
    assert page.input_value(_cell("DA06-10", "online_citizens")) == "676"
    assert ServiceStat.objects.count() == 0

    # Fix it and save.
    page.fill(_cell("DA06-09", "online_citizens"), "90")
    page.dispatch_event(_cell("DA06-09", "online_citizens"), "input")
    assert _share(page, "DA06-09") == "90,00%"
    page.click("#save")
    page.wait_for_selector(".messages li.success")
    saved = {
        s.service.code: (s.online_citizens, s.online_businesses, s.total_received)
        for s in ServiceStat.objects.select_related("service")
    }
    assert saved == {
        "DA06-09": (90, 0, 100),
        "DA06-10": (676, 0, 749),
        "DA06-11": (527, 0, 573),
    }
    assert _share(page, "DA06-10") == "90,25%"
