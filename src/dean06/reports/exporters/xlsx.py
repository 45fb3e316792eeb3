"""The monthly report as an Excel workbook: one sheet per appendix, counts kept as numbers, the
shares and the "Tổng số" row as formulas over the counts (so the workbook stays right when a
figure is corrected in it), frozen headers, filters and an A4 landscape print set-up.

The same report gives the same bytes: the workbook's dates and the zip members' times are taken
from the report's period, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from dean06.kpis.xlsx import write_cell
from dean06.reports.content import MonthlyReport
from dean06.reports.exporters.base import Exporter, stable_zip

FONT_NAME = "Times New Roman"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.00%"
DATE_FORMAT = "dd/mm/yyyy"

LINE_HEIGHT = 15.0  # points per line of 12 pt text
MAX_ROW_HEIGHT = 409.0  # the most a spreadsheet row can be
MAX_CELL_TEXT = 32767  # the most characters a cell can hold
TITLE_ROW = 2  # row 1: "PHỤ LỤC I"; row 2: the title; row 3: the attachment line
HEADER_ROW = 4  # the first header row of every table

SHEET_DOCUMENTS = "Phụ lục I"
SHEET_TASKS = "Phụ lục II"
SHEET_SERVICES = "Phụ lục III"
SHEET_SUBMISSIONS = "Gửi báo cáo"
SHEET_FINDINGS = "Kiểm tra số liệu"

NONE_TEXT = "Không có"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
_CENTRE_TOP = Alignment(wrap_text=True, vertical="top", horizontal="center")
_RIGHT = Alignment(vertical="top", horizontal="right")


def _font(*, bold: bool = False, italic: bool = False, size: int = 12) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


_TEXT_FONT = _font()
_BOLD_FONT = _font(bold=True)


@dataclass(frozen=True)
class _Column:
    header: str
    width: float


DOCUMENT_COLUMNS = (
    _Column("STT", 6),
    _Column("Số VB", 21),
    _Column("Loại VB", 12),
    _Column("Ngày tháng", 13),
    _Column("Nội dung", 70),
    _Column("Ghi chú", 20),
)
TASK_COLUMNS = (
    _Column("STT", 6),
    _Column("Nội dung, nhiệm vụ cụ thể", 55),
    _Column("Văn bản giao nhiệm vụ", 22),
    _Column("Đơn vị chủ trì", 24),
    _Column("Tiến độ, thời gian", 24),
    _Column("Kết quả", 60),
)
UNREPORTED_HEADERS = (
    "STT",
    "Nhiệm vụ",
    "Văn bản giao nhiệm vụ",
    "Đơn vị chưa báo cáo",
    "Thời hạn",
    "",
)
# Phụ lục III: the columns in order (A..M) and their widths; the header is built apart (merged).
SERVICE_WIDTHS = (6, 45, 12, 12, 14, 12, 10, 10, 10, 8, 8, 8, 10)
SUBMISSION_COLUMNS = (
    _Column("STT", 6),
    _Column("Đơn vị", 45),
    _Column("Ngày gửi", 14),
    _Column("Tình trạng", 18),
)
FINDING_COLUMNS = (
    _Column("STT", 6),
    _Column("Mức", 12),
    _Column("Vị trí", 32),
    _Column("Nội dung", 70),
)


class XlsxExporter(Exporter):
    """Phụ lục I, II, III, the submissions and the data checks, one sheet each. There is no
    template to replace (`template` is ignored): the layout is the appendices' own."""

    format = "xlsx"
    label = "Excel (.xlsx)"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, report: MonthlyReport, *, template: bytes | None = None) -> bytes:
        wb = Workbook()
        first = wb.worksheets[0]
        first.title = SHEET_DOCUMENTS
        _documents_sheet(first, report)
        _tasks_sheet(wb.create_sheet(SHEET_TASKS), report)
        _services_sheet(wb.create_sheet(SHEET_SERVICES), report)
        _submissions_sheet(wb.create_sheet(SHEET_SUBMISSIONS), report)
        _findings_sheet(wb.create_sheet(SHEET_FINDINGS), report)
        for ws in wb.worksheets:
            _fit_rows(ws, HEADER_ROW)
        return _save(wb, report)


# --- saving, byte for byte the same --------------------------------------------------------


def fixed_time(report: MonthlyReport) -> dt.datetime:
    """The time written into the workbook: the period's last day, midnight (never the clock)."""
    return dt.datetime.combine(report.period_end, dt.time(0, 0))


def _save(wb: Workbook, report: MonthlyReport) -> bytes:
    stamp = fixed_time(report)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "dean06"
    wb.properties.lastModifiedBy = None
    wb.properties.title = _clean(report.header.subject)
    written = io.BytesIO()
    # ExcelWriter rather than Workbook.save: save() stamps `modified` with the clock.
    ExcelWriter(wb, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    return stable_zip(written.getvalue(), report.period_end)


# --- cells ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text without the control characters an XLSX file cannot hold (a vertical tab pasted
    from Word would make openpyxl refuse the whole workbook), cut to what a cell can hold."""
    text = str(ILLEGAL_CHARACTERS_RE.sub("", text))
    if len(text) > MAX_CELL_TEXT:  # Excel would "repair" the file and drop the cell
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def _put(
    ws: Worksheet,
    row: int,
    column: int,
    value: object,
    *,
    font: Font = _TEXT_FONT,
    alignment: Alignment = _WRAP,
    number_format: str | None = None,
    border: bool = True,
) -> Cell:
    """One cell of a table: text always as text (formula injection), numbers as numbers."""
    if isinstance(value, str):
        value = _clean(value)
    cell = write_cell(ws, f"{get_column_letter(column)}{row}", value)
    cell.font = font
    cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    if border:
        cell.border = _BORDER
    return cell


def _formula(ws: Worksheet, row: int, column: int, formula: str, number_format: str) -> Cell:
    """A formula the application writes on purpose (never user text: see `write_cell`)."""
    cell: Cell = ws.cell(row=row, column=column)
    cell.value = formula
    cell.font = _TEXT_FONT
    cell.alignment = _RIGHT
    cell.number_format = number_format
    cell.border = _BORDER
    return cell


def _count(ws: Worksheet, row: int, column: int, value: int | None, *, bold: bool = False) -> Cell:
    return _put(
        ws,
        row,
        column,
        value,
        font=_BOLD_FONT if bold else _TEXT_FONT,
        alignment=_RIGHT,
        number_format=COUNT_FORMAT,
    )


def _date(ws: Worksheet, row: int, column: int, value: dt.date | None, raw: str = "") -> Cell:
    """A real date (dd/mm/yyyy) or, when the record's date could not be read, its text."""
    if value is None:
        return _put(ws, row, column, raw or None, alignment=_CENTRE_TOP)
    return _put(ws, row, column, value, alignment=_CENTRE_TOP, number_format=DATE_FORMAT)


def _merged_row(
    ws: Worksheet, row: int, first: int, last: int, text: str, *, font: Font = _BOLD_FONT
) -> None:
    """A row whose text spans columns first..last (group rows, "Không có")."""
    for column in range(first, last + 1):
        _put(ws, row, column, text if column == first else None, font=font)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _header_cell(ws: Worksheet, row: int, column: int, text: str) -> None:
    _put(ws, row, column, text, font=_BOLD_FONT, alignment=_CENTRE)


def _header(ws: Worksheet, columns: Sequence[_Column], row: int = HEADER_ROW) -> None:
    for index, column in enumerate(columns, 1):
        _header_cell(ws, row, index, column.header)
        ws.column_dimensions[get_column_letter(index)].width = column.width


def _fit_rows(ws: Worksheet, first_row: int) -> None:
    """Give each table row the height its wrapped text needs. Neither LibreOffice nor Excel
    fits rows to wrapped text when they open a file, so without this the long cells of
    Phụ lục II would print as one clipped line; the estimate counts the lines the text wraps to
    at the column's width (a row spanning several rows in a merged cell keeps its height)."""
    spans: dict[str, float] = {}
    skip: set[str] = set()
    for merged in ws.merged_cells.ranges:
        anchor = f"{get_column_letter(merged.min_col)}{merged.min_row}"
        if merged.min_row != merged.max_row:
            skip.add(anchor)
            continue
        spans[anchor] = sum(
            _width(ws, column) for column in range(merged.min_col, merged.max_col + 1)
        )
    for row in ws.iter_rows(min_row=first_row):
        if not row or ws.row_dimensions[row[0].row].height is not None:
            continue
        lines = 1
        for cell in row:
            if cell.data_type != "s" or cell.coordinate in skip:  # not numbers nor formulas
                continue
            width = spans.get(cell.coordinate) or _width(ws, cell.column)
            lines = max(lines, _wrapped_lines(cell.value, width))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)


def _width(ws: Worksheet, column: int) -> float:
    width = ws.column_dimensions[get_column_letter(column)].width
    return float(width or 8.43)


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide (12 pt Times is a little
    narrower than the default font the width is counted in)."""
    per_line = max(1, int(width * 1.25) - 1)
    return sum(len(textwrap.wrap(part, per_line)) or 1 for part in text.splitlines() or [""])


# --- the parts every sheet shares ----------------------------------------------------------


def _appendix_title(
    ws: Worksheet, report: MonthlyReport, label: str, title: str, width: int
) -> None:
    """Row 1 "PHỤ LỤC I", row 2 the title in upper case with the period, row 3 the attachment
    line; each centred across the table."""
    period = report.period_label.upper()
    lines = (
        (label.upper(), _font(bold=True, size=13)),
        (f"{title.upper()} - {period}", _font(bold=True, size=13)),
        (report.attachment_line, _font(italic=True)),
    )
    for row, (text, font) in enumerate(lines, 1):
        _put(ws, row, 1, text, font=font, alignment=_CENTRE, border=False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[TITLE_ROW].height = 36


def _page_setup(
    ws: Worksheet, *, header_last: int, last_row: int, width: int, header_first: int = HEADER_ROW
) -> None:
    """Frozen header and STT column, a filter over the table, A4 landscape fitted to the width
    with the header rows printed on every page."""
    last_column = get_column_letter(width)
    ws.freeze_panes = f"B{header_last + 1}"
    ws.auto_filter.ref = f"A{header_last}:{last_column}{max(last_row, header_last)}"
    ws.print_title_rows = f"{header_first}:{header_last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


# --- Phụ lục I: documents ------------------------------------------------------------------


def _documents_sheet(ws: Worksheet, report: MonthlyReport) -> None:
    width = len(DOCUMENT_COLUMNS)
    _appendix_title(ws, report, "Phụ lục I", "Tổng hợp văn bản triển khai", width)
    _header(ws, DOCUMENT_COLUMNS)
    row = HEADER_ROW
    for group in report.documents:
        row += 1
        _merged_row(ws, row, 1, width, f"{group.roman}. {group.title}")
        for doc in group.rows:
            row += 1
            _put(ws, row, 1, doc.stt, alignment=_CENTRE_TOP)
            _put(ws, row, 2, doc.number)
            _put(ws, row, 3, doc.doc_type)
            _date(ws, row, 4, doc.date, doc.date_raw)
            _put(ws, row, 5, doc.summary)
            _put(ws, row, 6, doc.note)
    if not report.documents:
        row += 1
        _merged_row(ws, row, 1, width, NONE_TEXT, font=_font(italic=True))
    _page_setup(ws, header_last=HEADER_ROW, last_row=row, width=width)


# --- Phụ lục II: tasks ---------------------------------------------------------------------


def _tasks_sheet(ws: Worksheet, report: MonthlyReport) -> None:
    width = len(TASK_COLUMNS)
    _appendix_title(
        ws,
        report,
        "Phụ lục II",
        "Tiến độ thực hiện nhiệm vụ được giao theo các kế hoạch giao nhiệm vụ của UBND tỉnh",
        width,
    )
    _header(ws, TASK_COLUMNS)
    row = HEADER_ROW
    for group in report.tasks:
        row += 1
        _put(ws, row, 1, group.roman, font=_BOLD_FONT, alignment=_CENTRE_TOP)
        _merged_row(ws, row, 2, width, group.title)
        for task in group.rows:
            row += 1
            _put(ws, row, 1, task.stt, alignment=_CENTRE_TOP)
            _put(ws, row, 2, task.content)
            _put(ws, row, 3, task.assigning_document)
            _put(ws, row, 4, task.lead_unit)
            _put(ws, row, 5, task.timeframe)
            _put(ws, row, 6, task.result)
    if not report.tasks:
        row += 1
        _merged_row(ws, row, 1, width, NONE_TEXT, font=_font(italic=True))
    _page_setup(ws, header_last=HEADER_ROW, last_row=row, width=width)
    _unreported(ws, report, row + 2, width)


def _unreported(ws: Worksheet, report: MonthlyReport, row: int, width: int) -> None:
    """Below the tasks: the tasks due this period on which a unit reported nothing, with the
    units that owe the report (their own small table, outside the filter)."""
    _merged_row(ws, row, 1, width, "NHIỆM VỤ CHƯA CÓ BÁO CÁO TRONG KỲ", font=_BOLD_FONT)
    row += 1
    for index, text in enumerate(UNREPORTED_HEADERS, 1):
        _header_cell(ws, row, index, text)
    for task in report.unreported:
        row += 1
        _put(ws, row, 1, task.stt, alignment=_CENTRE_TOP)
        _put(ws, row, 2, task.content)
        _put(ws, row, 3, task.assigning_document)
        _put(ws, row, 4, "; ".join(task.owing_units))
        _put(ws, row, 5, task.timeframe)
        _put(ws, row, 6, None)
    if not report.unreported:
        _merged_row(ws, row + 1, 1, width, NONE_TEXT, font=_font(italic=True))


# --- Phụ lục III: the essential services ---------------------------------------------------

# Column numbers of Phụ lục III.
S_STT, S_NAME, S_CITIZENS, S_BUSINESSES, S_TOTAL, S_SHARE = 1, 2, 3, 4, 5, 6
S_ON_TIME, S_OVERDUE, S_STAFF, S_PROVINCE, S_DISTRICT, S_COMMUNE, S_TARGET = range(7, 14)
SERVICE_HEADER_LAST = HEADER_ROW + 2  # three header rows, as the printed report has them
SERVICE_FIRST_ROW = SERVICE_HEADER_LAST + 1

# (first row, first column, last row, last column, text), rows counted from the first header row.
SERVICE_HEADER = (
    (0, S_STT, 2, S_STT, "STT"),
    (0, S_NAME, 2, S_NAME, "Tên thủ tục hành chính"),
    (0, S_CITIZENS, 0, S_SHARE, "Số lượng công dân, doanh nghiệp thực hiện thủ tục"),
    (1, S_CITIZENS, 1, S_BUSINESSES, "Nộp trực tuyến"),
    (2, S_CITIZENS, 2, S_CITIZENS, "Công dân"),
    (2, S_BUSINESSES, 2, S_BUSINESSES, "Doanh nghiệp"),
    (1, S_TOTAL, 2, S_TOTAL, "Tổng số tiếp nhận (cả trực tuyến và trực tiếp)"),
    (1, S_SHARE, 2, S_SHARE, "% tiếp nhận qua DVC"),
    (0, S_ON_TIME, 0, S_OVERDUE, "Hồ sơ DVC được giải quyết"),
    (1, S_ON_TIME, 2, S_ON_TIME, "Đúng hạn"),
    (1, S_OVERDUE, 2, S_OVERDUE, "Quá hạn"),
    (0, S_STAFF, 0, S_COMMUNE, "Nhân lực thực hiện"),
    (1, S_STAFF, 2, S_STAFF, "Tổng số"),
    (1, S_PROVINCE, 2, S_PROVINCE, "Tỉnh"),
    (1, S_DISTRICT, 2, S_DISTRICT, "Huyện"),
    (1, S_COMMUNE, 2, S_COMMUNE, "Xã"),
    (0, S_TARGET, 2, S_TARGET, "Chỉ tiêu"),
)
# The counts the "Tổng số" row sums.
SUMMED = (
    (S_CITIZENS, "online_citizens"),
    (S_BUSINESSES, "online_businesses"),
    (S_TOTAL, "total"),
    (S_ON_TIME, "on_time"),
    (S_OVERDUE, "overdue"),
    (S_STAFF, "staff_total"),
)


def share_formula(row: int) -> str:
    """(citizens + businesses) / total of one row; empty when nothing was received."""
    c, d, e = (get_column_letter(x) for x in (S_CITIZENS, S_BUSINESSES, S_TOTAL))
    return f'=IF({e}{row}=0,"",({c}{row}+{d}{row})/{e}{row})'


def _services_sheet(ws: Worksheet, report: MonthlyReport) -> None:
    width = S_TARGET
    _appendix_title(
        ws,
        report,
        "Phụ lục III",
        f"Kết quả thực hiện {len(report.services)} dịch vụ công thiết yếu",
        width,
    )
    for top, left, bottom, right, text in SERVICE_HEADER:
        for r in range(HEADER_ROW + top, HEADER_ROW + bottom + 1):
            for col in range(left, right + 1):
                _put(
                    ws,
                    r,
                    col,
                    text if (r, col) == (HEADER_ROW + top, left) else None,
                    font=_BOLD_FONT,
                    alignment=_CENTRE,
                )
        if (top, left) != (bottom, right):
            ws.merge_cells(
                start_row=HEADER_ROW + top,
                start_column=left,
                end_row=HEADER_ROW + bottom,
                end_column=right,
            )
    for index, column_width in enumerate(SERVICE_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(index)].width = column_width
    ws.row_dimensions[HEADER_ROW + 1].height = 48

    row = SERVICE_HEADER_LAST
    for service in report.services:
        row += 1
        _put(ws, row, S_STT, service.stt, alignment=_CENTRE_TOP)
        _put(ws, row, S_NAME, service.name)
        _count(ws, row, S_CITIZENS, service.online_citizens)
        _count(ws, row, S_BUSINESSES, service.online_businesses)
        _count(ws, row, S_TOTAL, service.total)
        if service.online_citizens is None and service.online_businesses is None:
            _put(ws, row, S_SHARE, None)  # nothing online given: no share, as the report has it
        else:
            _formula(ws, row, S_SHARE, share_formula(row), SHARE_FORMAT)
        _count(ws, row, S_ON_TIME, service.on_time)
        _count(ws, row, S_OVERDUE, service.overdue)
        _count(ws, row, S_STAFF, service.staff_total)
        _put(ws, row, S_PROVINCE, service.staff_province, alignment=_CENTRE_TOP)
        _put(ws, row, S_DISTRICT, service.staff_district, alignment=_CENTRE_TOP)
        _put(ws, row, S_COMMUNE, service.staff_commune, alignment=_CENTRE_TOP)
        _put(ws, row, S_TARGET, _percent(service.target), number_format=SHARE_FORMAT)
    last = row
    if report.services:
        _service_total(ws, report, last + 1)
    else:
        _merged_row(ws, last + 1, 1, width, NONE_TEXT, font=_font(italic=True))
    _page_setup(ws, header_last=SERVICE_HEADER_LAST, last_row=last, width=width)


def _service_total(ws: Worksheet, report: MonthlyReport, row: int) -> None:
    """The "Tổng số" row: sums of the rows above, the share computed from the sums; a column no
    service has a figure in stays blank (a sum would print a 0 nobody reported)."""
    first, last = SERVICE_FIRST_ROW, row - 1
    _merged_row(ws, row, S_STT, S_NAME, "Tổng số")
    for column in range(S_CITIZENS, S_TARGET + 1):
        _put(ws, row, column, None, font=_BOLD_FONT)
    for column, name in SUMMED:
        if any(getattr(s, name) is not None for s in report.services):
            letter = get_column_letter(column)
            cell = _formula(ws, row, column, f"=SUM({letter}{first}:{letter}{last})", COUNT_FORMAT)
            cell.font = _BOLD_FONT
    _formula(ws, row, S_SHARE, share_formula(row), SHARE_FORMAT).font = _BOLD_FONT


def _percent(value: Decimal | None) -> Decimal | None:
    """A share in percent (93.90) as the fraction a "0.00%" cell holds (0.939)."""
    return None if value is None else value / 100


# --- submissions and findings --------------------------------------------------------------


def _list_sheet(
    ws: Worksheet,
    report: MonthlyReport,
    numeral: str,
    title: str,
    columns: Sequence[_Column],
    rows: Sequence[Sequence[Any]],
    *,
    date_columns: frozenset[int] = frozenset(),
) -> None:
    """An appendix that is one plain table: STT first, the `date_columns` as dates (or blank),
    one "Không có" row when empty."""
    width = len(columns)
    _appendix_title(ws, report, numeral, title, width)
    _header(ws, columns)
    row = HEADER_ROW
    for values in rows:
        row += 1
        for column, value in enumerate(values, 1):
            if column == 1:
                _put(ws, row, column, value, alignment=_CENTRE_TOP)
            elif column in date_columns:
                _date(ws, row, column, value)
            else:
                _put(ws, row, column, value)
    if not rows:
        row += 1
        _merged_row(ws, row, 1, width, NONE_TEXT, font=_font(italic=True))
    _page_setup(ws, header_last=HEADER_ROW, last_row=row, width=width)


def _submissions_sheet(ws: Worksheet, report: MonthlyReport) -> None:
    rows = [(r.stt, r.unit, r.submitted_on, r.label) for r in report.submissions]
    title = "Tình hình gửi báo cáo của các đơn vị"
    _list_sheet(
        ws, report, "Phụ lục IV", title, SUBMISSION_COLUMNS, rows, date_columns=frozenset({3})
    )


def _findings_sheet(ws: Worksheet, report: MonthlyReport) -> None:
    rows = [(f.stt, f.severity, f.where, f.message) for f in report.findings]
    title = "Kết quả kiểm tra số liệu"
    _list_sheet(ws, report, "Phụ lục V", title, FINDING_COLUMNS, rows)
