"""The XLSX template a unit downloads to enter its service figures, and reading a filled one
back (pure: openpyxl, ingest's file limits and the period rules; the caller passes plain data
and checks the figures).

The template shows the previous period, accepts only non-negative whole numbers in the white
cells, computes the share in a locked column, and carries the unit and period in a hidden sheet
so that an upload for the wrong unit or period is refused.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dean06.ingest import IngestError
from dean06.ingest.limits import current as current_limits
from dean06.ingest.limits import open_zip
from dean06.kpis.entry import COUNT_FIELDS, FIELD_LABELS
from dean06.tracking.periods import PeriodError, period_label

FORMAT_VERSION = "dean06-dvc-1"
NOT_XLSX = "Tệp tải lên không phải là tệp Excel (.xlsx) đọc được."
SHEET = "Số liệu"
META_SHEET = "_dean06"
HEADER_ROW = 6
FIRST_ROW = 7
# Column of each entered count; D and E show the previous period, I the computed share.
COLUMNS: dict[str, str] = {
    "online_citizens": "F",
    "online_businesses": "G",
    "total_received": "H",
    "on_time": "J",
    "overdue": "K",
    "staff_total": "L",
    "staff_province": "M",
    "staff_district": "N",
    "staff_commune": "O",
}
SHARE_COLUMN = "I"
CODE_COLUMN = "B"
MAX_ROWS = 500

_THIN = Side(style="thin", color="A0A7B4")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F0F2F6")
_READONLY_FILL = PatternFill("solid", fgColor="EEEEEE")
_HEAD_FONT = Font(bold=True)


# A leading =, +, -, @ (or tab, carriage return) makes a spreadsheet take text for a formula or
# a DDE command: a catalogue name "=HYPERLINK(...)" must reach units as the text it is.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def write_cell(ws: Worksheet, ref: str, value: object) -> Cell:
    """Write `value` to `ws[ref]`, text always as text: every value the application puts in a
    workbook goes through here (the one formula it writes on purpose, the share, does not).

    openpyxl turns a string starting with "=" into a formula; such text is stored as a string
    with Excel's quote-prefix mark instead, which is how Excel keeps text typed as '=...: shown
    as written, no apostrophe, and still text when someone edits the cell.
    """
    cell: Cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


class TemplateError(ValueError):
    """A file that is not a filled template of this application; Vietnamese message."""


@dataclass(frozen=True)
class TemplateService:
    code: str
    order: int
    name: str


@dataclass(frozen=True)
class TemplateMeta:
    unit_key: str
    unit_name: str
    period_kind: str
    period_year: int
    period_number: int
    period_label: str
    level: str
    level_label: str = ""


def build_template(
    meta: TemplateMeta,
    services: Sequence[TemplateService],
    *,
    current: Mapping[str, Mapping[str, int | None]] | None = None,
    previous: Mapping[str, Mapping[str, int | None]] | None = None,
) -> bytes:
    """The template as XLSX bytes, pre-filled with the figures already stored (`current`)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_cell(ws, "A1", "BIỂU NHẬP SỐ LIỆU DỊCH VỤ CÔNG TRỰC TUYẾN THIẾT YẾU").font = Font(
        bold=True, size=13
    )
    write_cell(ws, "A2", f"Đơn vị: {meta.unit_name}")
    write_cell(
        ws,
        "A3",
        f"Kỳ báo cáo: {meta.period_label}" + (f" — {meta.level_label}" if meta.level_label else ""),
    )
    write_cell(
        ws,
        "A4",
        "Chỉ nhập vào các ô trắng, là số nguyên không âm. Cột tỷ lệ tự tính, không sửa. "
        "Cột «kỳ trước» để đối chiếu.",
    ).font = Font(italic=True, color="5B6478")

    headers = {
        "A": "STT",
        "B": "Mã dịch vụ",
        "C": "Tên dịch vụ công",
        "D": "Kỳ trước: trực tuyến",
        "E": "Kỳ trước: tổng số",
        SHARE_COLUMN: "Tỷ lệ trực tuyến (%)",
        **{COLUMNS[f]: FIELD_LABELS[f] for f in COUNT_FIELDS},
    }
    for column, title in headers.items():
        cell = write_cell(ws, f"{column}{HEADER_ROW}", title)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[HEADER_ROW].height = 45

    validation = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error="Chỉ nhập số nguyên không âm.",
        showInputMessage=True,
        promptTitle="Nhập số liệu",
        prompt="Số nguyên không âm.",
    )
    ws.add_data_validation(validation)

    last = FIRST_ROW + len(services) - 1
    for index, service in enumerate(services):
        row = FIRST_ROW + index
        now = (current or {}).get(service.code, {})
        before = (previous or {}).get(service.code)
        write_cell(ws, f"A{row}", service.order)
        write_cell(ws, f"B{row}", service.code)
        write_cell(ws, f"C{row}", service.name).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        if before:
            write_cell(ws, f"D{row}", _online(before))
            write_cell(ws, f"E{row}", before.get("total_received"))
        for column in "ABCDE":
            ws[f"{column}{row}"].fill = _READONLY_FILL
            ws[f"{column}{row}"].border = _BORDER
        for name in COUNT_FIELDS:
            cell = write_cell(ws, f"{COLUMNS[name]}{row}", now.get(name))
            cell.protection = Protection(locked=False)
            cell.border = _BORDER
            cell.number_format = "#,##0"
        share = ws[f"{SHARE_COLUMN}{row}"]
        # The one formula on purpose, so not through write_cell().
        share.value = f'=IF(N(H{row})>0,ROUND((N(F{row})+N(G{row}))/H{row}*100,2),"")'
        share.fill = _READONLY_FILL
        share.border = _BORDER
        share.number_format = "0.00"
    if services:
        for name in COUNT_FIELDS:
            column = COLUMNS[name]
            validation.add(f"{column}{FIRST_ROW}:{column}{last}")

    widths = {"A": 5, "B": 10, "C": 48, "D": 11, "E": 11, SHARE_COLUMN: 11}
    for index in range(1, 16):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = widths.get(letter, 13)
    ws.freeze_panes = f"D{FIRST_ROW}"
    # Locked cells (titles, services, previous period, the share formula) cannot be typed over;
    # no password: this guards against slips, not against people.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    meta_ws = wb.create_sheet(META_SHEET)
    for index, (key, value) in enumerate(
        (
            ("format", FORMAT_VERSION),
            ("unit_key", meta.unit_key),
            ("period_kind", meta.period_kind),
            ("period_year", meta.period_year),
            ("period_number", meta.period_number),
            ("level", meta.level),
        ),
        start=1,
    ):
        write_cell(meta_ws, f"A{index}", key)
        write_cell(meta_ws, f"B{index}", value)
    meta_ws.sheet_state = "veryHidden"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _online(values: Mapping[str, int | None]) -> int | None:
    citizens, businesses = values.get("online_citizens"), values.get("online_businesses")
    if citizens is None and businesses is None:
        return None
    return (citizens or 0) + (businesses or 0)


@dataclass
class ParsedUpload:
    """A filled template: who and when it is for, its rows as typed, and where each cell is."""

    unit_key: str
    period_kind: str
    period_year: int
    period_number: int
    level: str
    rows: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    # (service code, field) → the cell reference ("F7") for messages.
    cells: dict[tuple[str, str], str] = field(default_factory=dict)
    row_numbers: dict[str, int] = field(default_factory=dict)

    def cell(self, code: str, name: str) -> str:
        return self.cells.get((code, name), "")


def parse_template(data: bytes, *, known_codes: set[str] | None = None) -> ParsedUpload:
    """Read a filled template back. Cells are returned as typed (the caller checks the numbers);
    a file that is not our template, or has rows for unknown services, raises TemplateError."""
    if not data.startswith(b"PK\x03\x04"):
        raise TemplateError(NOT_XLSX)
    try:
        # Sizes, member count, DTDs and merged ranges are checked from the zip before openpyxl
        # reads it; a template holds a few dozen KB of XML, so its limit is far below a plan's.
        open_zip(
            data,
            what_vi="Tệp tải lên",
            what_en="uploaded file",
            xml_total_bytes=current_limits().figures_xml_bytes,
        ).close()
    except IngestError as exc:
        raise TemplateError(exc.message) from exc
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except Exception as exc:  # openpyxl lets KeyError, lxml, expat and zip errors out of damage
        raise TemplateError(NOT_XLSX) from exc
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        raise TemplateError(
            "Tệp không phải là biểu mẫu tải từ hệ thống: hãy tải biểu mẫu của đơn vị và kỳ báo "
            "cáo, điền số liệu rồi tải lên."
        )
    meta = {
        str(row[0]): row[1]
        for row in wb[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True)
        if row and row[0]
    }
    if meta.get("format") != FORMAT_VERSION:
        raise TemplateError("Biểu mẫu thuộc phiên bản khác: hãy tải biểu mẫu mới.")
    try:
        parsed = ParsedUpload(
            unit_key=str(meta["unit_key"]),
            period_kind=str(meta["period_kind"]),
            period_year=int(str(meta["period_year"])),
            period_number=int(str(meta["period_number"])),
            level=str(meta["level"]),
        )
        # A hand-edited hidden sheet must not reach the period arithmetic with a kind or a
        # number it cannot name.
        period_label(parsed.period_kind, parsed.period_year, parsed.period_number)
    except (KeyError, ValueError, PeriodError) as exc:
        raise TemplateError("Biểu mẫu thiếu thông tin đơn vị hoặc kỳ báo cáo.") from exc
    ws = wb[SHEET]
    seen: set[str] = set()
    for row in range(FIRST_ROW, min(ws.max_row, FIRST_ROW + MAX_ROWS) + 1):
        code_value = ws[f"{CODE_COLUMN}{row}"].value
        if code_value is None or not str(code_value).strip():
            continue
        code = str(code_value).strip()
        if known_codes is not None and code not in known_codes:
            raise TemplateError(f"Ô {CODE_COLUMN}{row}: không có dịch vụ công mã «{code}».")
        if code in seen:
            raise TemplateError(f"Ô {CODE_COLUMN}{row}: dịch vụ mã «{code}» xuất hiện hai lần.")
        seen.add(code)
        cells: dict[str, object] = {}
        for name in COUNT_FIELDS:
            ref = f"{COLUMNS[name]}{row}"
            value = ws[ref].value
            if isinstance(value, str) and value.startswith("="):
                # A formula typed into an entry cell: its value is unknown without Excel.
                value = f"công thức {value}"
            cells[name] = value
            parsed.cells[(code, name)] = ref
        parsed.rows.append((code, cells))
        parsed.row_numbers[code] = row
    return parsed
