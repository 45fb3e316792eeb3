"""The figures pages: each role reaches what it may; the grid saves or shows errors per cell."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import IndicatorKind, IndicatorValue, ServiceStat
from dean06.kpis.services import targets_ensure_default
from dean06.kpis.xlsx import COLUMNS, FIRST_ROW, SHEET
from dean06.orgs.models import Unit
from dean06.quality.services import rules_ensure_builtin
from tests.factories import IndicatorFactory, PeriodFactory, ServiceStatFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def units(reference):
    rules_ensure_builtin()
    targets_ensure_default()
    return Unit.objects.get(key="STP"), Unit.objects.get(key="SYT")


def _grid(unit, year=2024, month=7):
    return f"/so-lieu/{year}/{month}/don-vi/{unit.pk}/"


def _post(code, **cells):
    return {f"c-{code}-{name}": value for name, value in cells.items()}


def test_officer_opens_own_grid_with_25_services(units, make_user, login):
    own, _ = units
    response = login(make_user(Role.UNIT_OFFICER, unit=own)).get(_grid(own))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('name="c-DA06-') == 25 * 9
    assert "Tháng 7/2024" in body and "grid.js" in body and "Kiểm tra và lưu" in body


def test_officer_cannot_read_or_write_another_units_figures(units, make_user, login):
    own, other = units
    ServiceStatFactory(unit=other, period=PeriodFactory(), online_citizens=5, total_received=9)
    client = login(make_user(Role.UNIT_OFFICER, unit=own))
    assert client.get(_grid(other)).status_code == 404
    assert client.get(_grid(other) + "mau.xlsx").status_code == 404
    response = client.post(_grid(other), _post("DA06-09", online_citizens="1", total_received="1"))
    assert response.status_code == 404
    assert client.get(f"/so-lieu/?ky=2024-07&don_vi={other.pk}").status_code == 404
    stat = ServiceStat.objects.get()
    assert (stat.online_citizens, stat.total_received) == (5, 9)
    assert not AuditEntry.objects.filter(action__startswith="kpis.stat").exists()


@pytest.mark.parametrize("role", [Role.PROVINCIAL_LEADER, Role.UNIT_LEADER])
def test_readers_see_a_read_only_grid_and_cannot_post(units, make_user, login, role):
    own, _ = units
    client = login(make_user(role, unit=own if role == Role.UNIT_LEADER else None))
    response = client.get(_grid(own))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chế độ chỉ xem" in body and 'id="save"' not in body
    response = client.post(_grid(own), _post("DA06-09", online_citizens="1", total_received="1"))
    assert response.status_code == 403
    upload = client.post(_grid(own) + "tai-len/", {"file": io.BytesIO(b"x")})
    assert upload.status_code == 403
    assert ServiceStat.objects.count() == 0


def test_grid_error_is_shown_on_the_cells_and_nothing_is_saved(units, make_user, login):
    own, _ = units
    client = login(make_user(Role.UNIT_OFFICER, unit=own))
    data = {
        **_post("DA06-09", online_citizens="120", online_businesses="0", total_received="100"),
        **_post("DA06-10", online_citizens="5", total_received="10"),
    }
    response = client.post(_grid(own), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "lớn hơn tổng số tiếp nhận" in body
    assert 'value="120"' in body  # what was typed stays in the grid
    grid_rows = {r.service.code: r for r in response.context["rows"]}
    assert grid_rows["DA06-09"].cells[0].errors and not grid_rows["DA06-10"].cells[0].errors
    assert ServiceStat.objects.count() == 0


def test_grid_saves_and_redirects_with_audit(units, make_user, login):
    own, _ = units
    officer = make_user(Role.UNIT_OFFICER, unit=own)
    client = login(officer)
    response = client.post(
        _grid(own),
        _post("DA06-09", online_citizens="1.755", online_businesses="0", total_received="1869"),
    )
    assert response.status_code == 302
    stat = ServiceStat.objects.get()
    assert (stat.online_citizens, stat.total_received, stat.unit) == (1755, 1869, own)
    assert AuditEntry.objects.get(action="kpis.stat.created").actor == officer
    page = client.get(response["Location"]).content.decode()
    assert "93,90%" in page and "Đã lưu số liệu" in page


def test_warning_needs_a_reason_in_the_form(units, make_user, login):
    own, _ = units
    client = login(make_user(Role.SECRETARIAT))
    client.post(_grid(own, month=6), _post("DA06-09", online_citizens="10", total_received="10"))
    data = _post("DA06-09", online_citizens="100", total_received="100")
    refused = client.post(_grid(own), data)
    assert refused.status_code == 422
    keys = [item["issue"].key for item in refused.context["blocking"]]
    assert keys and 'name="accept-' in refused.content.decode()
    accepted = client.post(_grid(own), {**data, **{f"accept-{k}": "Mở rộng dịch vụ" for k in keys}})
    assert accepted.status_code == 302
    assert ServiceStat.objects.get(period__number=7).online_citizens == 100


def test_template_download_fill_upload_through_the_pages(units, make_user, login):
    own, _ = units
    client = login(make_user(Role.UNIT_OFFICER, unit=own))
    response = client.get(_grid(own) + "mau.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb[SHEET]
    row = next(r for r in range(FIRST_ROW, FIRST_ROW + 25) if ws[f"B{r}"].value == "DA06-20")
    ws[f"{COLUMNS['online_citizens']}{row}"] = 1014
    ws[f"{COLUMNS['total_received']}{row}"] = 1761
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "so-lieu.xlsx"
    uploaded = client.post(_grid(own) + "tai-len/", {"file": out, "cap": "all"})
    assert uploaded.status_code == 302
    stat = ServiceStat.objects.get()
    assert (stat.service.code, stat.online_citizens, stat.total_received) == ("DA06-20", 1014, 1761)


def test_bad_upload_shows_cell_references(units, make_user, login):
    own, _ = units
    client = login(make_user(Role.UNIT_OFFICER, unit=own))
    wb = load_workbook(io.BytesIO(client.get(_grid(own) + "mau.xlsx").content))
    ws = wb[SHEET]
    ws[f"H{FIRST_ROW}"] = "không rõ"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "x.xlsx"
    response = client.post(_grid(own) + "tai-len/", {"file": out})
    assert response.status_code == 422
    assert f"[H{FIRST_ROW}]" in response.content.decode()
    assert ServiceStat.objects.count() == 0


def test_index_shows_met_not_met_no_data(units, make_user, login):
    own, _ = units
    period = PeriodFactory()
    ServiceStatFactory(
        unit=own,
        period=period,
        service_code="DA06-09",
        online_citizens=1755,
        online_businesses=0,
        total_received=1869,
    )
    ServiceStatFactory(
        unit=own,
        period=period,
        service_code="DA06-20",
        online_citizens=1014,
        online_businesses=0,
        total_received=1761,
    )
    response = login(make_user(Role.PROVINCIAL_LEADER)).get("/so-lieu/?ky=2024-07")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-code="DA06-09" data-status="met"' in body
    assert 'data-code="DA06-20" data-status="not_met"' in body
    assert 'data-code="DA06-01" data-status="no_data"' in body


def test_charts_are_png_and_follow_the_data(units, make_user, login):
    own, _ = units
    client = login(make_user(Role.SECRETARIAT))
    empty = client.get("/so-lieu/bieu-do/2024/7.png")
    assert empty.status_code == 200 and empty["Content-Type"] == "image/png"
    assert empty.content[:8] == PNG
    ServiceStatFactory(
        unit=own,
        period=PeriodFactory(),
        service_code="DA06-09",
        online_citizens=50,
        total_received=100,
    )
    filled = client.get("/so-lieu/bieu-do/2024/7.png?tai=1")
    assert filled.content[:8] == PNG and filled.content != empty.content
    assert filled["Content-Disposition"].startswith("attachment")
    service = ServiceStat.objects.get().service
    line = client.get(f"/so-lieu/bieu-do/dich-vu/{service.pk}.png?ky=2024-07")
    assert line.status_code == 200 and line.content[:8] == PNG


def test_indicator_entry_page(units, make_user, login):
    own, _ = units
    indicator = IndicatorFactory(kind=IndicatorKind.RATIO)
    indicator.reporting_units.add(own)
    client = login(make_user(Role.UNIT_OFFICER, unit=own))
    url = f"/chi-tieu/{indicator.pk}/2024/7/don-vi/{own.pk}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"numerator": "11", "denominator": "10"})
    assert refused.status_code == 422 and "không được lớn hơn mẫu số" in refused.content.decode()
    assert not IndicatorValue.objects.exists()
    assert client.post(url, {"numerator": "9", "denominator": "10"}).status_code == 302
    assert IndicatorValue.objects.get().numerator == 9
    page = login(make_user(Role.UNIT_OFFICER, unit=own)).get(
        f"/chi-tieu/{indicator.pk}/2024/8/don-vi/{own.pk}/"
    )
    assert "Kỳ trước: 9/10 (90,00%)" in page.content.decode()


def test_navigation_lists_the_figures_pages(units, make_user, login):
    body = login(make_user(Role.UNIT_OFFICER, unit=units[0])).get("/so-lieu/").content.decode()
    assert "Số liệu DVC" in body and "Kiểm tra số liệu" in body and "Quy tắc kiểm tra" not in body


@pytest.mark.parametrize(
    ("numerator", "denominator", "message"),
    [
        ("NaN", "10", "không phải là số"),
        ("Infinity", "10", "không phải là số"),
        ("1e400", "1e401", "quá lớn"),
        ("9", "1" + "0" * 29, "quá lớn"),
    ],
)
def test_indicator_value_that_is_no_number_is_a_message_not_an_error_page(
    units, make_user, login, numerator, denominator, message
):
    own, _ = units
    indicator = IndicatorFactory(kind=IndicatorKind.RATIO)
    indicator.reporting_units.add(own)
    client = login(make_user(Role.UNIT_OFFICER, unit=own))
    url = f"/chi-tieu/{indicator.pk}/2024/7/don-vi/{own.pk}/"
    response = client.post(url, {"numerator": numerator, "denominator": denominator})
    assert response.status_code == 422 and message in response.content.decode()
    assert not IndicatorValue.objects.exists()
