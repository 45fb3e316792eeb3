"""The XLSX template: built, filled with openpyxl, read back; the upload saves the same figures or,
with a bad cell, nothing at all."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from dean06.accounts.roles import Role
from dean06.core.exceptions import ApplicationError
from dean06.core.models import AuditEntry
from dean06.kpis.models import ServiceStat
from dean06.kpis.selectors import service_stats_template
from dean06.kpis.services import service_stats_save, service_stats_upload
from dean06.kpis.xlsx import (
    COLUMNS,
    FIRST_ROW,
    SHEET,
    TemplateError,
    TemplateMeta,
    TemplateService,
    build_template,
    parse_template,
)
from dean06.orgs.models import Unit
from dean06.tracking.services import period_unsaved

META = TemplateMeta("STP", "Sở Tư pháp", "month", 2024, 7, "Tháng 7/2024", "all", "Toàn tỉnh")
SERVICES = [
    TemplateService("DA06-09", 9, "Đăng ký khai sinh"),
    TemplateService("DA06-10", 10, "Đăng ký khai tử"),
]


def _fill(data: bytes, values: dict[tuple[int, str], object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for (index, field), value in values.items():
        ws[f"{COLUMNS[field]}{FIRST_ROW + index}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_has_services_previous_values_validation_and_a_locked_share_formula():
    data = build_template(
        META,
        SERVICES,
        previous={"DA06-09": {"online_citizens": 5, "online_businesses": 1, "total_received": 9}},
    )
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert (
        ws[f"B{FIRST_ROW}"].value == "DA06-09"
        and ws[f"C{FIRST_ROW + 1}"].value == "Đăng ký khai tử"
    )
    assert (ws[f"D{FIRST_ROW}"].value, ws[f"E{FIRST_ROW}"].value) == (6, 9)
    share = ws[f"I{FIRST_ROW}"]
    assert share.value.startswith("=IF(") and share.protection.locked
    assert ws.protection.sheet
    assert not ws[f"F{FIRST_ROW}"].protection.locked
    [validation] = ws.data_validations.dataValidation
    assert validation.type == "whole" and validation.operator == "greaterThanOrEqual"
    assert "F7:F8" in str(validation.sqref)
    assert ws["A2"].value == "Đơn vị: Sở Tư pháp"


def test_parse_reads_back_what_was_typed_with_cell_references():
    data = _fill(
        build_template(META, SERVICES), {(0, "online_citizens"): 12, (0, "total_received"): "abc"}
    )
    parsed = parse_template(data)
    assert (parsed.unit_key, parsed.period_year, parsed.period_number) == ("STP", 2024, 7)
    code, cells = parsed.rows[0]
    assert code == "DA06-09" and cells["online_citizens"] == 12 and cells["total_received"] == "abc"
    assert parsed.cell("DA06-09", "total_received") == f"H{FIRST_ROW}"


def test_foreign_files_are_refused():
    with pytest.raises(TemplateError):
        parse_template(b"not a zip")
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(TemplateError):
        parse_template(out.getvalue())
    with pytest.raises(TemplateError):
        parse_template(build_template(META, SERVICES), known_codes={"DA06-09"})


@pytest.fixture
def stp(reference):
    return Unit.objects.get(key="STP")


def test_round_trip_download_fill_upload_gives_the_same_figures(stp, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=stp)
    period = period_unsaved("month", 2024, 7)
    template = service_stats_template(officer, stp, period, "all")
    ws = load_workbook(io.BytesIO(template))[SHEET]
    rows = {ws[f"B{r}"].value: r - FIRST_ROW for r in range(FIRST_ROW, FIRST_ROW + 25)}
    figures = {
        "DA06-09": {
            "online_citizens": 1755,
            "online_businesses": 0,
            "total_received": 1869,
            "on_time": 1800,
            "overdue": 3,
        },
        "DA06-22": {
            "online_citizens": 2045,
            "online_businesses": 0,
            "total_received": 2045,
            "staff_total": 4,
        },
    }
    filled = _fill(
        template, {(rows[c], f): v for c, values in figures.items() for f, v in values.items()}
    )
    result = service_stats_upload(unit=stp, period=period, data=filled, by=officer)
    assert result.outcome.saved, result.outcome.blocking
    stored = {s.service.code: s for s in ServiceStat.objects.select_related("service")}
    assert set(stored) == set(figures)
    for code, values in figures.items():
        for field, value in values.items():
            assert getattr(stored[code], field) == value
        assert stored[code].source == "xlsx"
    assert AuditEntry.objects.filter(action="kpis.stat.created").count() == 2
    # The next download shows what is stored.
    again = load_workbook(
        io.BytesIO(service_stats_template(officer, stp, stored["DA06-09"].period, "all"))
    )[SHEET]
    assert again[f"F{FIRST_ROW + rows['DA06-09']}"].value == 1755


def test_bad_upload_reports_each_cell_and_saves_nothing(stp, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=stp)
    period = period_unsaved("month", 2024, 7)
    template = service_stats_template(officer, stp, period, "all")
    ws = load_workbook(io.BytesIO(template))[SHEET]
    rows = {ws[f"B{r}"].value: r - FIRST_ROW for r in range(FIRST_ROW, FIRST_ROW + 25)}
    filled = _fill(
        template,
        {
            (rows["DA06-09"], "online_citizens"): 120,  # online > total
            (rows["DA06-09"], "total_received"): 100,
            (rows["DA06-10"], "online_citizens"): -5,  # negative
            (rows["DA06-10"], "total_received"): 10,
            (rows["DA06-11"], "total_received"): "nhiều",  # text in a number cell
            (rows["DA06-22"], "online_citizens"): 5,  # a good row: not saved either
            (rows["DA06-22"], "total_received"): 5,
        },
    )
    result = service_stats_upload(unit=stp, period=period, data=filled, by=officer)
    assert not result.outcome.saved
    found = {(i.service_code, i.rule): result.cells_of(i) for i in result.outcome.blocking}
    first = FIRST_ROW + rows["DA06-09"]
    assert found[("DA06-09", "svc.online_le_total")] == [f"F{first}", f"G{first}", f"H{first}"]
    assert found[("DA06-10", "svc.non_negative_int")] == [f"F{FIRST_ROW + rows['DA06-10']}"]
    assert found[("DA06-11", "svc.non_negative_int")] == [f"H{FIRST_ROW + rows['DA06-11']}"]
    assert len(found) == 3
    assert ServiceStat.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="kpis.stat").exists()


def test_upload_for_another_unit_or_period_is_refused(stp, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    other = Unit.objects.get(key="SYT")
    template = service_stats_template(secretariat, other, period_unsaved("month", 2024, 7), "all")
    with pytest.raises(ApplicationError, match="Sở Y tế"):
        service_stats_upload(
            unit=stp, period=period_unsaved("month", 2024, 7), data=template, by=secretariat
        )
    with pytest.raises(ApplicationError):
        service_stats_upload(
            unit=other, period=period_unsaved("month", 2024, 8), data=template, by=secretariat
        )


def test_grid_save_keeps_a_blank_businesses_cell_blank(stp, make_user):
    # The grid and the upload go through the same save: the same rows give the same result.
    officer = make_user(Role.UNIT_OFFICER, unit=stp)
    outcome = service_stats_save(
        unit=stp,
        period=period_unsaved("month", 2024, 7),
        rows=[("DA06-09", {"online_citizens": 3, "total_received": 4})],
        by=officer,
    )
    assert outcome.saved and ServiceStat.objects.get().online_businesses is None
