"""The Excel reader on a rendered tracking sheet: merged ranges, dates, numbers, empty sheets."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from dean06.ingest.model import IngestError
from dean06.ingest.readers import xlsx
from scripts import samples as render


@pytest.fixture(scope="module")
def document():
    return xlsx.read(render.render_xlsx())


def _book(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_each_sheet_with_data_is_one_table_and_empty_sheets_are_skipped(document):
    assert len(document.tables) == 1
    assert document.pages == 2
    assert document.tables[0].source.page == 1


def test_xlsx_has_every_task_row_and_merged_group_rows_expanded(document):
    rows = document.tables[0].rows
    header = next(i for i, r in enumerate(rows) if r.cells[0] == "STT")
    body = rows[header + 1 :]
    tasks = [r for r in body if r.cells[1] != r.cells[4]]
    assert [r.cells[0] for r in tasks] == [r.cells[0].text for r in render.task_rows()]
    group = next(r for r in body if r.cells[0].startswith("B. NHÓM"))
    assert len(set(group.cells)) == 1
    subgroup = next(r for r in body if r.cells[1].startswith("Về pháp lý"))
    assert subgroup.cells[0] == "1"  # an int cell, not "1.0"
    assert subgroup.cells[1:] == ["Về pháp lý (02 nhiệm vụ)"] * 4


def test_xlsx_multi_line_cell_keeps_its_lines(document):
    row = next(r for r in document.tables[0].rows if r.cells[0] == "2.4")
    assert row.cells[1].count("\n") == 3
    assert "\n- Giai đoạn 2" in row.cells[1]


def test_xlsx_date_cell_is_day_month_year_and_empty_rows_are_skipped(document):
    rows = document.tables[0].rows
    updated = next(r for r in rows if r.cells[0] == "Cập nhật đến ngày")
    assert updated.cells[2] == "15/07/2024"
    lines = [r.source.line for r in rows]
    assert updated.source.line + 2 in lines and updated.source.line + 1 not in lines
    assert all(any(c for c in r.cells) for r in rows)


def test_xlsx_rows_carry_the_excel_row_number(document):
    rows = document.tables[0].rows
    assert rows[0].source.line == 1
    assert rows[0].cells[0] == "Phụ lục I"


def test_xlsx_values_are_formatted_as_people_read_them():
    def fill(sheet):
        sheet["B2"] = 3.0
        sheet["C2"] = 2.5
        sheet["D2"] = dt.datetime(2024, 3, 31)
        sheet["E2"] = 0.85
        sheet["E2"].number_format = "0%"
        sheet["F2"] = dt.datetime(2024, 3, 31, 14, 30)
        sheet["G2"] = 0.1 + 0.2

    table = xlsx.read(_book(fill)).tables[0]
    # The empty column A and row 1 are dropped.
    assert table.rows[0].cells == ["3", "2.5", "31/03/2024", "85%", "31/03/2024 14:30", "0.3"]
    assert table.rows[0].source.line == 2


def test_xlsx_vertical_merge_copies_the_top_left_value():
    def fill(sheet):
        sheet["A1"] = "1"
        sheet["A2"] = "2"
        sheet["B1"] = "Công an tỉnh"
        sheet.merge_cells("B1:B2")

    rows = xlsx.read(_book(fill)).tables[0].rows
    assert [r.cells for r in rows] == [["1", "Công an tỉnh"], ["2", "Công an tỉnh"]]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "rỗng"),
        (b"PK\x03\x04 broken zip", "hỏng"),
        (render.password_protected_ooxml(), "mật khẩu"),
    ],
)
def test_xlsx_bad_input_raises_ingest_error(data, needle):
    with pytest.raises(IngestError) as info:
        xlsx.read(data)
    assert needle in info.value.message


def test_xlsx_docx_given_as_excel_is_refused():
    with pytest.raises(IngestError, match="không phải là tệp Excel"):
        xlsx.read(render.render_docx())


def test_xlsx_workbook_without_data_is_refused():
    with pytest.raises(IngestError, match="không có dữ liệu"):
        xlsx.read(_book(lambda sheet: None))
