"""Reading an existing monthly report of the working group: its appendices I (documents issued),
II (progress of assigned tasks) and III (figures of the 25 essential online public services).

The text form is read here line by line; Word, Excel, PDF and scans become the plan readers'
`Document` (report_formats) and their table rows go through the same row reader. A report without
appendix tables gives the figures written in its prose (report_prose).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from dean06.ingest import report_formats
from dean06.ingest.limits import check_file_size, check_size
from dean06.ingest.model import ExtractWarning, IngestError, Source, jsonable
from dean06.ingest.readers.base import Document, Progress, Table
from dean06.ingest.report_prose import ReportFigure, find_figures
from dean06.ingest.text import ROMAN_NUMERALS, nfc, rejoin_symbols, unaccent

Number = int | float
TaskGroup = Literal["done", "recurring", "in_progress"]
Appendix = Literal["I", "II", "III"]

# Count columns of appendix III, in the order the report prints them.
SERVICE_COUNT_FIELDS: tuple[str, ...] = (
    "online_citizens",
    "online_businesses",
    "total",
    "on_time",
    "overdue",
    "staff_total",
)
# Column titles as the report prints them, for messages.
SERVICE_FIELD_LABELS: dict[str, str] = {
    "online_citizens": "Nộp trực tuyến – công dân",
    "online_businesses": "Nộp trực tuyến – doanh nghiệp",
    "total": "Tổng số tiếp nhận",
    "share_reported": "% tiếp nhận qua DVC",
    "on_time": "Đúng hạn",
    "overdue": "Quá hạn",
    "staff_total": "Nhân lực – tổng số",
    "staff_province": "Nhân lực – tỉnh",
    "staff_district": "Nhân lực – huyện",
    "staff_commune": "Nhân lực – xã",
}


# --- the dataclasses ---------------------------------------------------------------------------


@dataclass
class ReportDocument:
    """A row of appendix I: a document issued to carry out the plan."""

    group: str  # the printed group code: "I", "II", "III"
    group_title: str
    stt: str
    number: str
    type: str
    date: dt.date | None
    date_raw: str
    summary: str
    issuer: str | None = None
    note: str = ""
    source: Source = field(default_factory=Source)


@dataclass
class ReportTask:
    """A row of appendix II: one assigned task and what was reported on it."""

    group: TaskGroup
    stt: str
    content: str
    assigning_document: str = ""
    lead_unit: str = ""
    progress: str = ""
    result: str = ""
    source: Source = field(default_factory=Source)


@dataclass
class ReportService:
    """A row of appendix III (or its total row): the figures of one essential service.

    Counts are numbers as printed ("1.234" → 1234); `share_reported` is the printed percentage
    ("88,73%" → 88.73) and `share_decimals` how many decimals it was printed with. Staff by level
    are kept as printed: reports put an "x" where the level handles the service.
    """

    stt: str | None
    name: str
    online_citizens: Number | None = None
    online_businesses: Number | None = None
    total: Number | None = None
    share_reported: float | None = None
    share_decimals: int | None = None
    on_time: Number | None = None
    overdue: Number | None = None
    staff_total: Number | None = None
    staff_province: str | None = None
    staff_district: str | None = None
    staff_commune: str | None = None
    raw: dict[str, str] = field(default_factory=dict)
    source: Source = field(default_factory=Source)

    def figures(self) -> dict[str, float | None]:
        """The named numeric fields a data-quality rule may use."""
        return {
            "online_citizens": _as_float(self.online_citizens),
            "online_businesses": _as_float(self.online_businesses),
            "total": _as_float(self.total),
            "share_reported": self.share_reported,
            "share_decimals": _as_float(self.share_decimals),
            "on_time": _as_float(self.on_time),
            "overdue": _as_float(self.overdue),
            "staff_total": _as_float(self.staff_total),
        }


@dataclass
class ReportMeta:
    """What the appendices' headings say about the report they belong to."""

    period_month: int | None = None
    period_year: int | None = None
    report_number: str | None = None
    report_date: dt.date | None = None
    report_date_raw: str | None = None
    report_month: int | None = None
    report_year: int | None = None
    issuer: str | None = None
    titles: list[str] = field(default_factory=list)


@dataclass
class ExtractedReport:
    meta: ReportMeta = field(default_factory=ReportMeta)
    documents: list[ReportDocument] = field(default_factory=list)
    tasks: list[ReportTask] = field(default_factory=list)
    services: list[ReportService] = field(default_factory=list)
    total_row: ReportService | None = None
    warnings: list[ExtractWarning] = field(default_factory=list)
    source_format: str = ""
    # Figures read from the prose of a report without appendix tables (candidates to confirm).
    figures: list[ReportFigure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as YYYY-MM-DD)."""
        data: dict[str, Any] = jsonable(asdict(self))
        return data


def _as_float(value: Number | None) -> float | None:
    return None if value is None else float(value)


# --- small text helpers ----------------------------------------------------------------------
# Kept private here: dean06.ingest.text did not exist when this module was written.

_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"</?(p|li|ul|ol|br|div|tr)\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    """A cell's text without HTML fragments, NFC, whitespace collapsed, cut symbols rejoined."""
    text = _BLOCK_TAG.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    # Tab-separated exports double the quotes inside a cell ("" for ").
    text = text.replace('""', '"')
    return rejoin_symbols(_SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip())


def _fold(text: str) -> str:
    """Lower case without diacritics (đ → d), punctuation kept, for headings and keywords."""
    return " ".join(unaccent(nfc(text)).split())


# --- numbers and dates written the Vietnamese way --------------------------------------------

_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_vn_number(text: str | None) -> Number | None:
    """A number written the Vietnamese way, or None for an empty or non-numeric cell.

    "1.234" → 1234, "12,5" → 12.5, "12,5%" → 12.5, "1.234,5" → 1234.5.
    """
    if text is None:
        return None
    s = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not s:
        return None
    sign = ""
    if s[0] in "+-":
        sign, s = s[0], s[1:]
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        # A comma alone is the decimal mark in Vietnamese, even "1,234" (= 1.234).
        s = s.replace(",", ".")
    elif _THOUSANDS.match(s):
        s = s.replace(".", "")
    s = sign + s
    if not _NUMBER.match(s):
        return None
    if "." not in s:
        # int() of the digits, not of a float: exact past 2**53 (a figure typed with 20 digits
        # must not change value). Past Python's 4300-digit conversion limit it is no number, nor
        # past what a float holds (some 300 digits): every rule compares figures as floats.
        try:
            number = int(s)
            float(number)
        except (ValueError, OverflowError):
            return None
        return number
    value = float(s)
    return value if math.isfinite(value) else None


def printed_decimals(text: str | None) -> int | None:
    """How many decimals a number was printed with ("88,73%" → 2, "0" → 0); None if no number."""
    if text is None or parse_vn_number(text) is None:
        return None
    s = text.strip().rstrip("%").strip()
    if "," in s:
        return len(s.rsplit(",", 1)[1])
    if "." in s and not _THOUSANDS.match(s.lstrip("+-")):
        return len(s.rsplit(".", 1)[1])
    return 0


_FULL_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")


def parse_document_date(text: str) -> dt.date | None:
    """A complete date "dd/mm/yyyy" (also "d/m/yyyy", "-" or "." separators); anything else → None.

    Truncated dates ("24/06/202", "07/2024", "/7/2024") give None on purpose: the report check
    flags them instead of guessing.
    """
    m = _FULL_DATE.match(text.strip())
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- reading -----------------------------------------------------------------------------------

Row = tuple[list[str], Source]


def extract_report(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    progress: Progress | None = None,
) -> ExtractedReport:
    """Read the appendices of a monthly report: the text form (tab-separated rows with HTML
    fragments, or markdown tables), Word (.docx, and .doc through LibreOffice), Excel (.xlsx),
    PDF with a text layer, scanned PDF or image (OCR). The reader is chosen by content.

    `source` is a path, the file's bytes, or the text itself (a str with a line break).
    A report without appendix tables gives the figures of its prose (`figures`).
    Raises IngestError when the file cannot be read or holds neither appendices nor figures.
    """
    if isinstance(source, str) and ("\n" in source or "\t" in source):
        check_size(len(source.encode("utf-8")), "report")
        return extract_report_rows(_text_rows(source), source_format="text")
    data, name = _read_bytes(source)
    if report_formats.is_binary(data):
        document = report_formats.read_report_document(
            data, filename=filename or name, progress=progress
        )
        return extract_report_document(document)
    return extract_report_rows(_text_rows(_decode(data, name)), source_format="text")


def extract_report_document(document: Document) -> ExtractedReport:
    """Read the appendices from a neutral `Document` (any reader's output: docx, xlsx, pdf, OCR).

    Merged cells come repeated in every cell they cover: a row whose cells all hold one text
    (after its STT, for a numbered group) is a group row, read as the text form prints it.
    """
    rows: list[Row] = []
    for block in document.blocks:
        if isinstance(block, Table):
            rows.extend(
                (_merged_group_row([_HYPHEN_WRAP.sub("", c) for c in r.cells]), r.source)
                for r in block.rows
            )
        else:
            rows.append(([block.text], block.source))
    if document.format.startswith("pdf") or document.format.endswith("ocr"):
        # Lines of a PDF count from each page's top; findings are ordered and told apart by
        # line, so they count through the document here (the page is kept).
        rows = [(cells, Source(page=src.page, line=n)) for n, (cells, src) in enumerate(rows, 1)]
    report = extract_report_rows(rows, source_format=document.format)
    for message in document.warnings:
        _warn(report, "report.reader", message)
    return report


# A line wrapped right after a hyphen inside a word or figure ("2024-\n2026"): no space there.
_HYPHEN_WRAP = re.compile(r"(?<=[^\s-]-)\n(?=\w)")
# The code of a merged group row whose numeral is missing or unreadable (OCR reads "II" as "H",
# "I" as "1"): the row reader gives it the next numeral of its appendix.
UNNUMBERED = "#"
_SHORT_NUMBER = re.compile(r"^(\S{1,4})[.)]\s+(\S.*)$")


def _merged_group_row(cells: list[str]) -> list[str]:
    """A row merged across the table is a group title: ["I. Văn bản…"]; a short code followed
    by a title merged across the rest: ["II", "NHIỆM VỤ…"]; any other row unchanged."""
    filled = [" ".join(c.split()) for c in cells if c.strip()]
    if (
        len(filled) >= 3
        and not cells[0].strip()
        and len(filled) == len(cells) - 1
        and len(set(filled)) == 1
        and parse_vn_number(filled[0]) is None
    ):
        # A title merged over every column after STT, its numeral lost (a scan, a blank cell).
        return [UNNUMBERED, filled[0]]
    if len(filled) >= 2 and len(set(filled)) == 1 and parse_vn_number(filled[0]) is None:
        title = filled[0]
        if _ROMAN_TITLED.match(title) or _fold(title).replace(" ", "") == "stt":
            return [title]
        numbered = _SHORT_NUMBER.match(title)
        return [UNNUMBERED, numbered.group(2)] if numbered else [title]
    if (
        len(filled) >= 3
        and cells[0].strip()
        and len(filled[0]) <= 4
        and len(set(filled[1:])) == 1
        and parse_vn_number(filled[1]) is None
    ):
        code = filled[0] if _ROMAN.match(_fold(filled[0])) else UNNUMBERED
        return [code, filled[1]]
    return cells


def _read_bytes(source: Path | str | bytes) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        check_file_size(len(source))
        return source, ""
    path = Path(source)
    try:
        # A file over every limit is refused before it is read into memory.
        check_file_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"Không đọc được tệp {path.name}: {exc.strerror or exc}",
            f"cannot read file {path}",
        ) from exc
    return data, path.name


def _decode(data: bytes, name: str = "") -> str:
    what = f" {name}" if name else ""
    if not data or data.isspace():
        raise IngestError(f"Tệp{what} rỗng.", "empty file")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(
            f"Định dạng tệp{what} chưa được hỗ trợ (tệp nhị phân không rõ loại).",
            "unsupported format: unknown binary file",
        )
    check_size(len(data), "report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"Tệp{what} không phải văn bản UTF-8.", "file is not UTF-8 text") from exc


def _text_rows(text: str) -> list[Row]:
    """Cells of each line: tab-separated, or a markdown table row (| a | b |)."""
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if "\t" not in line and stripped.startswith("|") and stripped.endswith("|"):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
        else:
            cells = line.split("\t")
        rows.append((cells, Source(line=number)))
    return rows


_APPENDIX_HEADING = re.compile(r"^phu luc\s+([ivx]+|\d+)\b")
_ROMAN = re.compile(r"^(i{1,3}|iv|v|vi{1,3}|ix|x)\.?$")
_ROMAN_TITLED = re.compile(r"^(I{1,3}|IV|V|VI{1,3}|IX|X)\.\s*(\S.*)$")
_INTEGER = re.compile(r"^0*(\d{1,4})\.?$")
_PERIOD = re.compile(r"thang\s+(\d{1,2})\s*[/-]\s*(\d{4})")
_ATTACHED = re.compile(
    r"^\(?\s*kem theo bao cao so\s*(?P<number>\S*)\s+ngay\s+(?P<date>[\d/ .\-]*?)"
    r"\s+cua\s+(?P<issuer>.+?)\)?$"
)
_APPENDIX_NUMBER = {"i": "I", "1": "I", "ii": "II", "2": "II", "iii": "III", "3": "III"}


@dataclass
class _State:
    appendix: Appendix | None = None
    header: list[list[str]] = field(default_factory=list)
    in_header: bool = False
    repeated: bool = False
    columns: dict[str, int] = field(default_factory=dict)
    group: str = ""
    group_title: str = ""
    task_group: TaskGroup | None = None
    groups: int = 0  # group rows seen in this appendix
    last: ReportDocument | ReportTask | ReportService | None = None


def extract_report_rows(rows: Iterable[Row], *, source_format: str = "") -> ExtractedReport:
    """Read the appendices from rows of cells (each with its source line)."""
    report = ExtractedReport(source_format=source_format)
    st = _State()
    # Every row, cleaned: the prose a report without appendices is read from.
    prose: list[tuple[list[str], Source]] = []
    for raw_cells, src in rows:
        cells = [_clean(c) for c in raw_cells]
        prose.append((cells, src))
        while cells and not cells[-1]:
            cells.pop()
        if not cells or all(set(c) <= set("-–: ") for c in cells):
            continue
        first = _fold(cells[0])
        # A narrow first column wraps its title inside the word in print ("ST T", "Tổn g số").
        is_stt = first.replace(" ", "") == "stt"
        heading = _APPENDIX_HEADING.match(first)
        if heading and len([c for c in cells if c]) == 1:
            # Appendices after the third (who reported, data checks) are not read.
            st = _State(appendix=_APPENDIX_NUMBER.get(heading.group(1)))  # type: ignore[arg-type]
            continue
        if is_stt and _lists_what_is_owed(cells):
            # A table of what was not reported ("Đơn vị chưa báo cáo") inside an appendix is
            # not part of it: its rows are not tasks done.
            st = _State()
            continue
        if is_stt and st.in_header:
            # A multi-row header whose STT cell is merged down repeats it on every header row.
            if not st.repeated:
                st.header.append(cells)
            continue
        if is_stt:
            appendix = _classify_header(cells) or st.appendix
            # A header repeated after a page break: keep the row being read, it may continue.
            st.repeated = appendix == st.appendix and bool(st.columns)
            st.appendix, st.in_header = appendix, True
            if not st.repeated:
                st.header, st.columns, st.last = [cells], {}, None
            continue
        if st.in_header and not cells[0]:
            if st.repeated and cells in st.header:
                continue
            if not st.repeated and not _has_number(cells):
                st.header.append(cells)
                continue
        if st.in_header:
            st.in_header = False
            if not st.repeated:
                st.columns = _map_columns(st.appendix, st.header)
        # Headings sit between an appendix's name and its table; inside a table a single cell
        # is a group row ("I. VĂN BẢN CỦA UBND TỈNH"), not a heading.
        single = len([c for c in cells if c]) == 1 and cells[0]
        if single and not st.columns and _read_title(report.meta, cells[0]):
            continue
        if st.appendix == "I":
            _document_row(report, st, cells, src)
        elif st.appendix == "II":
            _task_row(report, st, cells, src)
        elif st.appendix == "III":
            _service_row(report, st, cells, src)
    if not (report.documents or report.tasks or report.services):
        report.figures = find_figures(
            (" ".join(c for c in cells if c), src) for cells, src in prose
        )
        if not report.figures:
            raise IngestError(
                "Không tìm thấy phụ lục nào của báo cáo (văn bản, tiến độ nhiệm vụ, dịch vụ công).",
                "no report appendix found",
            )
        _warn(
            report,
            "report.no_appendix",
            "Báo cáo không có bảng phụ lục (văn bản, tiến độ nhiệm vụ, 25 DVC); đã đọc "
            f"{len(report.figures)} số liệu trong lời văn, cần người xác nhận trước khi dùng.",
        )
        return report
    _check_numbering(report)
    return report


def _read_title(meta: ReportMeta, text: str) -> bool:
    """Headings between an appendix's name and its table: the period and the report attached to."""
    folded = _fold(text)
    attached = _ATTACHED.match(folded)
    if attached:
        # Take the printed pieces from the original text, at the same positions as the folded.
        number = text[attached.start("number") : attached.end("number")].strip()
        date_raw = text[attached.start("date") : attached.end("date")].strip()
        meta.report_number = meta.report_number or number or None
        meta.report_date_raw = meta.report_date_raw or date_raw or None
        meta.report_date = meta.report_date or parse_document_date(date_raw)
        m = re.search(r"(\d{1,2})\s*/\s*(\d{4})$", date_raw)
        if m and meta.report_month is None:
            meta.report_month, meta.report_year = int(m.group(1)), int(m.group(2))
        meta.issuer = meta.issuer or text[attached.start("issuer") : attached.end("issuer")].strip()
        return True
    if text.isupper() or folded.startswith(("tong hop", "tien do", "ket qua")):
        meta.titles.append(text)
        period = _PERIOD.search(folded)
        if period and meta.period_month is None:
            meta.period_month, meta.period_year = int(period.group(1)), int(period.group(2))
        return True
    return False


def _lists_what_is_owed(cells: Sequence[str]) -> bool:
    folded = " ".join(_fold(c) for c in cells)
    return "chua bao cao" in folded or "chua gui" in folded


def _classify_header(cells: Sequence[str]) -> Appendix | None:
    folded = " ".join(_fold(c) for c in cells)
    if "loai vb" in folded or "so vb" in folded or "so, ky hieu" in folded:
        return "I"
    if "van ban giao" in folded or "chu tri" in folded:
        return "II"
    if "thu tuc" in folded or "tiep nhan" in folded or "dich vu cong" in folded:
        return "III"
    return None


_DEFAULT_COLUMNS: dict[Appendix, dict[str, int]] = {
    "I": {"stt": 0, "number": 1, "type": 2, "date": 3, "summary": 4, "note": 5},
    "II": {"stt": 0, "content": 1, "document": 2, "lead": 3, "progress": 4, "result": 5},
    "III": {
        "stt": 0,
        "name": 1,
        "online_citizens": 2,
        "online_businesses": 3,
        "total": 4,
        "share_reported": 5,
        "on_time": 6,
        "overdue": 7,
        "staff_total": 8,
        "staff_province": 9,
        "staff_district": 10,
        "staff_commune": 11,
    },
}


def _map_columns(appendix: Appendix | None, header: list[list[str]]) -> dict[str, int]:
    """Which column holds which field, from the header rows (merged cells may span several).

    Each column is named by its lowest header cell that names a field (a scan may garble the
    lowest piece of a merged title); the group above it (a merged cell printed only in its first
    column) tells apart the two "Tổng số" of appendix III.
    """
    if appendix is None:
        return {}
    width = max(len(r) for r in header)
    labels: list[list[str]] = [[] for _ in range(width)]
    groups = [""] * width
    for r_index, row in enumerate(header):
        for c in range(width):
            cell = _fold(row[c]) if c < len(row) else ""
            if cell:
                labels[c].insert(0, cell)
            if r_index == 0 and c > 1:
                groups[c] = cell or groups[c - 1]
    found: dict[str, int] = {}
    for c, candidates in enumerate(labels):
        key = next(
            (k for k in (_column_key(appendix, lab, groups[c]) for lab in candidates) if k), None
        )
        if key == "total" and "total" in found:
            # A second "Tổng số" in appendix III is the staff's (its group title may be lost).
            key = "staff_total"
        if key and key not in found:
            found[key] = c
    default = _DEFAULT_COLUMNS[appendix]
    # A header we do not understand falls back to the layout of the known report.
    essential = {"I": ("number", "type", "date"), "II": ("content",), "III": ("total", "name")}
    if not all(k in found for k in essential[appendix]):
        return dict(default)
    return found


def _column_key(appendix: Appendix, label: str, group: str) -> str | None:
    if label == "stt":
        return "stt"
    if appendix == "I":
        rules = (
            ("so", "number"),
            ("loai", "type"),
            ("ngay", "date"),
            ("noi dung", "summary"),
            ("trich yeu", "summary"),
            ("ghi chu", "note"),
            ("co quan", "note"),
            ("don vi", "note"),
        )
        return next((key for word, key in rules if _starts(label, word)), None)
    if appendix == "II":
        rules = (
            ("noi dung", "content"),
            ("nhiem vu", "content"),
            ("van ban", "document"),
            ("don vi chu tri", "lead"),
            ("chu tri", "lead"),
            ("tien do", "progress"),
            ("thoi gian", "progress"),
            ("ket qua", "result"),
        )
        return next((key for word, key in rules if _starts(label, word)), None)
    level = {"tinh": "staff_province", "huyen": "staff_district", "xa": "staff_commune"}
    if "nhan luc" in group:
        level |= {"tong so": "staff_total"}
    # The levels (tỉnh, huyện, xã) are the staff's columns even when their group title is lost.
    by_level = next((v for k, v in level.items() if label == k or label.startswith(k + " ")), None)
    if by_level or "nhan luc" in group:
        return by_level
    rules = (
        ("ten", "name"),
        ("cong dan", "online_citizens"),
        ("doanh nghiep", "online_businesses"),
        ("tong so", "total"),
        ("%", "share_reported"),
        ("ty le", "share_reported"),
        ("dung han", "on_time"),
        ("qua han", "overdue"),
    )
    return next((key for word, key in rules if _starts(label, word)), None)


def _starts(label: str, word: str) -> bool:
    """`label` begins with `word`, also when a scan lost the space between words ("tốngsố")."""
    return label.startswith(word) or label.replace(" ", "").startswith(word.replace(" ", ""))


def _cell(cells: Sequence[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return cells[index] if index is not None and index < len(cells) else ""


def _group_row(cells: Sequence[str], st: _State) -> tuple[str, str] | None:
    """("II", "NHIỆM VỤ ...") for a group row: a roman numeral and a title, nothing else.

    A merged title row whose numeral could not be read (UNNUMBERED) takes the next numeral.
    """
    if len([c for c in cells if c]) > 2:
        return None
    found: tuple[str, str] | None = None
    titled = _ROMAN_TITLED.match(cells[0])
    if cells[0] == UNNUMBERED and len(cells) > 1 and cells[1]:
        found = ROMAN_NUMERALS[min(st.groups, len(ROMAN_NUMERALS) - 1)], cells[1]
    elif _ROMAN.match(_fold(cells[0])) and len(cells) > 1 and cells[1]:
        found = cells[0].rstrip(".").upper(), cells[1]
    elif titled and not any(cells[1:]):
        found = titled.group(1), titled.group(2).strip()
    if found:
        st.groups += 1
    return found


def _continue(previous: Any, cells: Sequence[str], columns: dict[str, int]) -> None:
    """A row with an empty STT continues the row above across a page break: append its cells."""
    for key, index in columns.items():
        if key == "stt" or index >= len(cells) or not cells[index]:
            continue
        name = {"document": "assigning_document", "lead": "lead_unit"}.get(key, key)
        current = getattr(previous, name, None)
        if isinstance(current, str):
            setattr(previous, name, rejoin_symbols(f"{current} {cells[index]}".strip()))


def _document_row(report: ExtractedReport, st: _State, cells: list[str], src: Source) -> None:
    columns = st.columns or _DEFAULT_COLUMNS["I"]
    group = _group_row(cells, st)
    if group:
        st.group, st.group_title = group
        st.last = None
        return
    stt = _INTEGER.match(cells[0])
    if not stt:
        if not cells[0] and st.last is not None:
            _continue(st.last, cells, columns)
        else:
            _warn(report, "report.row_skipped", f"Bỏ qua dòng {src.line} ở Phụ lục I: {cells[0]}")
        return
    date_raw = _cell(cells, columns, "date")
    note = _cell(cells, columns, "note")
    document = ReportDocument(
        group=st.group,
        group_title=st.group_title,
        stt=cells[0].rstrip("."),
        number=_cell(cells, columns, "number"),
        type=_document_type(_cell(cells, columns, "type")),
        date=parse_document_date(date_raw),
        date_raw=date_raw,
        summary=_cell(cells, columns, "summary"),
        issuer=note or _issuer_of_group(st.group_title),
        note=note,
        source=src,
    )
    report.documents.append(document)
    st.last = document


# The kinds of administrative documents (GLOSSARY.md, Decree 30/2020 on official documents).
_DOCUMENT_TYPES = (
    "Công văn",
    "Kế hoạch",
    "Quyết định",
    "Thông báo",
    "Báo cáo",
    "Chỉ thị",
    "Nghị quyết",
    "Tờ trình",
    "Hướng dẫn",
    "Giấy mời",
    "Chương trình",
    "Đề án",
)
_TYPE_BY_LETTERS = {unaccent(t).replace(" ", ""): t for t in _DOCUMENT_TYPES}


def _document_type(text: str) -> str:
    """The type as printed; a known type whose words a scan ran together ("Côngvăn") is
    spelled as the known type, only when every letter and accent is the same."""
    if " " in text or not text:
        return text
    known = _TYPE_BY_LETTERS.get(unaccent(text).replace(" ", ""))
    return known if known and known.replace(" ", "") == text else text


def _issuer_of_group(title: str) -> str | None:
    """The issuer a group names ("Văn bản của UBND tỉnh" → "UBND tỉnh"); "các đơn vị" names none."""
    m = re.match(r"(?i)^văn bản (của|do)\s+(.+)$", title)
    if not m or _fold(m.group(2)).startswith("cac "):
        return None
    return m.group(2).strip()


def _task_group(title: str, order: int) -> TaskGroup:
    folded = _fold(title)
    if "thuong xuyen" in folded:
        return "recurring"
    if "dang" in folded or "chua" in folded:
        return "in_progress"
    if "hoan thanh" in folded:
        return "done"
    return ("done", "recurring", "in_progress")[min(order, 2)]


def _task_row(report: ExtractedReport, st: _State, cells: list[str], src: Source) -> None:
    columns = st.columns or _DEFAULT_COLUMNS["II"]
    group = _group_row(cells, st)
    if group:
        order = len({t.group for t in report.tasks})
        st.group, st.group_title = group
        st.task_group = _task_group(group[1], order)
        st.last = None
        return
    if not _INTEGER.match(cells[0]):
        if not cells[0] and st.last is not None:
            _continue(st.last, cells, columns)
        else:
            _warn(report, "report.row_skipped", f"Bỏ qua dòng {src.line} ở Phụ lục II: {cells[0]}")
        return
    if st.task_group is None:
        _warn(report, "report.task_without_group", f"Nhiệm vụ ở dòng {src.line} không thuộc nhóm.")
        st.task_group = "in_progress"
    task = ReportTask(
        group=st.task_group,
        stt=cells[0].rstrip("."),
        content=_cell(cells, columns, "content"),
        assigning_document=_cell(cells, columns, "document"),
        lead_unit=_cell(cells, columns, "lead"),
        progress=_cell(cells, columns, "progress"),
        result=_cell(cells, columns, "result"),
        source=src,
    )
    report.tasks.append(task)
    st.last = task


def _service_row(report: ExtractedReport, st: _State, cells: list[str], src: Source) -> None:
    columns = st.columns or _DEFAULT_COLUMNS["III"]
    first = _fold(cells[0]).replace(" ", "")
    is_total = first.startswith(("tong", "cong")) or (
        not first and _fold(_cell(cells, columns, "name")).startswith(("tong", "cong"))
    )
    if not is_total and not _INTEGER.match(cells[0]):
        if not cells[0] and isinstance(st.last, ReportService) and not _has_number(cells):
            _continue(st.last, cells, {"name": columns["name"]})
        else:
            _warn(report, "report.row_skipped", f"Bỏ qua dòng {src.line} ở Phụ lục III: {cells[0]}")
        return
    raw = {k: _cell(cells, columns, k) for k in (*SERVICE_COUNT_FIELDS, "share_reported")}
    share_raw = raw["share_reported"]
    share = parse_vn_number(share_raw)
    service = ReportService(
        stt=None if is_total else cells[0].rstrip("."),
        name=(cells[0] if is_total else _cell(cells, columns, "name")),
        online_citizens=parse_vn_number(raw["online_citizens"]),
        online_businesses=parse_vn_number(raw["online_businesses"]),
        total=parse_vn_number(raw["total"]),
        share_reported=None if share is None else float(share),
        share_decimals=printed_decimals(share_raw),
        on_time=parse_vn_number(raw["on_time"]),
        overdue=parse_vn_number(raw["overdue"]),
        staff_total=parse_vn_number(raw["staff_total"]),
        staff_province=_mark(_cell(cells, columns, "staff_province")),
        staff_district=_mark(_cell(cells, columns, "staff_district")),
        staff_commune=_mark(_cell(cells, columns, "staff_commune")),
        raw={k: v for k, v in raw.items() if v},
        source=src,
    )
    if is_total:
        if report.total_row is not None:
            _warn(
                report,
                "report.two_total_rows",
                f"Phụ lục III có hơn một dòng tổng (dòng {src.line}).",
            )
        report.total_row = service
    else:
        report.services.append(service)
    st.last = service


def _mark(text: str) -> str | None:
    """A staff level's cell as printed; its check mark "x" in lower case (scans read "X")."""
    return ("x" if text.lower() == "x" else text) or None


def _has_number(cells: Sequence[str]) -> bool:
    return any(parse_vn_number(c) is not None for c in cells[1:])


def _warn(report: ExtractedReport, code: str, message: str) -> None:
    report.warnings.append(ExtractWarning(code=code, message=message))


def _check_numbering(report: ExtractedReport) -> None:
    """Warn when an appendix's STT do not run 1, 2, 3... within a group (a lost or split row)."""

    def gaps(stts: Iterator[tuple[str, str]]) -> list[str]:
        expected: dict[str, int] = {}
        out = []
        for group, stt in stts:
            n = int(_INTEGER.match(stt).group(1)) if _INTEGER.match(stt) else None  # type: ignore[union-attr]
            want = expected.get(group, 0) + 1
            if n is not None and n != want:
                out.append(f"{group or '-'}: {want} → {n}")
            expected[group] = n if n is not None else want
        return out

    for label, found in (
        ("I", gaps((d.group, d.stt) for d in report.documents)),
        ("II", gaps((t.group, t.stt) for t in report.tasks)),
        ("III", gaps(("", s.stt or "") for s in report.services)),
    ):
        if found:
            _warn(
                report,
                "report.numbering_gap",
                f"Số thứ tự ở Phụ lục {label} không liên tục: {', '.join(found)}.",
            )


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
