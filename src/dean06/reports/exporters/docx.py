"""The consolidated monthly report as a Word file laid out per Decree 30/2020/NĐ-CP: A4, Times New
Roman, the decree's margins, the header block, title, body, "Nơi nhận" and signature, page numbers;
each appendix on its own landscape pages with header rows repeated and no row split.

It writes on the template an administrator may replace: the template's body is cleared, its styles
and first section's page set-up kept. No custom style is relied on: what the decree fixes (fonts,
sizes, bold, alignment) is set on the runs and paragraphs themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

from dean06.kpis.shares import format_count, format_share
from dean06.reports.content import MonthlyReport, ServiceRow, ServiceTotal
from dean06.reports.exporters.base import Exporter, ExportError, stable_zip

FONT = "Times New Roman"
HEADER_SIZE = Pt(13)  # the header block (issuing body, national title), as the decree's form
TABLE_SIZE = Pt(12)
SERVICE_TABLE_SIZE = Pt(11)  # Phụ lục III has twelve columns
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NO_ROWS = "Không có"
ZERO = Pt(0)


@dataclass(frozen=True)
class Column:
    title: str
    weight: float  # share of the table's width: long text columns weigh most
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT


_C = WD_ALIGN_PARAGRAPH.CENTER
_R = WD_ALIGN_PARAGRAPH.RIGHT
_J = WD_ALIGN_PARAGRAPH.JUSTIFY

DOCUMENT_COLUMNS = (
    Column("STT", 5, _C),
    Column("Số VB", 17, _C),
    Column("Loại VB", 10, _C),
    Column("Ngày tháng", 11, _C),
    Column("Nội dung", 43, _J),
    Column("Ghi chú", 14, _C),
)
TASK_COLUMNS = (
    Column("STT", 5.5, _C),
    Column("Nội dung, nhiệm vụ cụ thể", 24, _J),
    Column("Văn bản giao nhiệm vụ", 11.5, _C),
    Column("Đơn vị chủ trì", 12, _C),
    Column("Tiến độ, thời gian", 11, _C),
    Column("Kết quả", 36, _J),
)
UNREPORTED_COLUMNS = (
    Column("STT", 5, _C),
    Column("Nhiệm vụ", 40, _J),
    Column("Văn bản giao nhiệm vụ", 17, _C),
    Column("Thời hạn", 14, _C),
    Column("Đơn vị chưa báo cáo", 24),
)
# Phụ lục III: the widths of its twelve grid columns (the header is written cell by cell).
SERVICE_WEIGHTS = (5, 24, 8.5, 9, 11.5, 8.5, 7, 7, 6.5, 6, 6.5, 5.5)
SUBMISSION_COLUMNS = (
    Column("STT", 6, _C),
    Column("Đơn vị", 50),
    Column("Ngày gửi", 18, _C),
    Column("Tình trạng", 26, _C),
)
FINDING_COLUMNS = (
    Column("STT", 6, _C),
    Column("Mức", 12, _C),
    Column("Vị trí", 28),
    Column("Nội dung", 54, _J),
)


class DocxExporter(Exporter):
    format = "docx"
    label = "Word (.docx)"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    template_name = "bao-cao-thang.docx"

    def render(self, report: MonthlyReport, *, template: bytes | None = None) -> bytes:
        document = open_template(template if template is not None else shipped_template())
        _Writer(document, report).write()
        buffer = io.BytesIO()
        document.save(buffer)
        return stable_zip(buffer.getvalue(), report.period_end)


def shipped_template() -> bytes:
    """The template shipped in the package (dean06/reports/templates/bao-cao-thang.docx)."""
    name = DocxExporter.template_name or ""
    return (resources.files("dean06.reports") / "templates" / name).read_bytes()


def open_template(data: bytes) -> Document:
    """The template opened with its body emptied; its first section's page set-up becomes the
    document's. ExportError when the file is not a Word document."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        KeyError,
        ValueError,
        zipfile.BadZipFile,
        etree.XMLSyntaxError,
    ) as exc:
        raise ExportError(
            "Mẫu báo cáo Word không mở được (không phải tệp .docx hoặc tệp bị hỏng): "
            "hãy thay bằng một tệp .docx hợp lệ hoặc xóa để dùng mẫu có sẵn."
        ) from exc
    body = document.element.body
    first = copy.deepcopy(document.sections[0]._sectPr)
    for child in list(body):
        body.remove(child)
    body.append(first)
    return document


# --- low-level formatting -------------------------------------------------------------------


def set_run_font(run_element: etree._Element, size: Length | None = None) -> None:
    """Times New Roman for every script on a run (w:rPr of a run or of a paragraph mark)."""
    rpr = run_element if run_element.tag == qn("w:rPr") else run_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for hint in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(hint), None)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size.pt * 2)))


def add_text(
    paragraph: Paragraph,
    text: str,
    *,
    size: Pt | None = None,
    bold: bool = False,
    italic: bool = False,
) -> None:
    """A run in Times New Roman; a line break in `text` becomes a soft break."""
    r = OxmlElement("w:r")
    r.append(copy.deepcopy(_run_properties(None if size is None else int(size), bold, italic)))
    for index, line in enumerate(text.split("\n")):
        if index:
            r.append(OxmlElement("w:br"))
        r.append(_text_element(line))
    paragraph._p.append(r)


@functools.cache
def _run_properties(size: int | None, bold: bool, italic: bool) -> etree._Element:
    """The w:rPr of a run, made once per kind and copied (python-docx's setters are slow)."""
    run = Paragraph(OxmlElement("w:p"), None).add_run()  # type: ignore[arg-type]
    set_run_font(run._r, None if size is None else Emu(size))
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    return run._r.get_or_add_rPr()


def _text_element(text: str) -> etree._Element:
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def insert_ordered(
    parent: etree._Element, element: etree._Element, successors: Sequence[str]
) -> None:
    """Insert `element` before the first child the schema wants after it (OOXML checks order)."""
    later = {qn(t) for t in successors}
    for child in parent:
        if child.tag in later:
            child.addprevious(element)
            return
    parent.append(element)


# CT_PPr and CT_TblPr children that come after w:pBdr / w:tblBorders.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")


def format_paragraph(
    paragraph: Paragraph,
    *,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    before: Pt = ZERO,
    after: Pt = ZERO,
    indent: Length | None = None,
    size: Pt | None = None,
    keep_with_next: bool = False,
) -> None:
    """Alignment, spacing, first-line indent, single line spacing and the paragraph mark's font
    (which sets the height of an empty paragraph), replacing what the paragraph had."""
    ppr = _paragraph_properties(
        align,
        int(before),
        int(after),
        int(indent or 0),
        None if size is None else int(size),
        keep_with_next,
    )
    p = paragraph._p
    old = p.pPr
    if old is not None:
        p.remove(old)
    p.insert(0, copy.deepcopy(ppr))


@functools.cache
def _paragraph_properties(
    align: WD_ALIGN_PARAGRAPH | None,
    before: int,
    after: int,
    indent: int,
    size: int | None,
    keep_with_next: bool,
) -> etree._Element:
    """The w:pPr of one kind of paragraph, made once and copied (python-docx's setters are slow)."""
    p = OxmlElement("w:p")
    fmt = Paragraph(p, None).paragraph_format  # type: ignore[arg-type]
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Emu(before), Emu(after)
    fmt.first_line_indent = Emu(indent)
    fmt.left_indent = fmt.right_indent = Emu(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True
    if keep_with_next:
        fmt.keep_with_next = True
    ppr = p.get_or_add_pPr()
    mark = OxmlElement("w:rPr")
    insert_ordered(ppr, mark, ("w:sectPr", "w:pPrChange"))
    set_run_font(mark, None if size is None else Emu(size))
    return ppr


def add_rule(cell_or_doc: _Cell | Document, width: Length, available: Length) -> None:
    """A short centred horizontal line (the rules under the issuing body, the motto and the
    subject): the bottom border of an empty, tiny paragraph narrowed by its indents."""
    paragraph = cell_or_doc.add_paragraph()
    format_paragraph(paragraph, before=Pt(1), size=Pt(2))
    side = Emu(max(0, (int(available) - int(width)) // 2))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    insert_ordered(ppr, borders, _AFTER_PBDR)


def _set(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def table_borders(table: Table, *, visible: bool) -> None:
    """Borders set on the table itself (no "Table Grid" style needed): single lines, or none."""
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        if visible:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    insert_ordered(tblpr, borders, _AFTER_TBLBORDERS)


def fix_widths(table: Table, widths: Sequence[int]) -> None:
    """Fixed layout with each grid column's width (EMU), on the grid and on every cell."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    tblw = _set(tblpr, "w:tblW", type="dxa", w=str(sum(int(Emu(w).twips) for w in widths)))
    tblw.getparent().remove(tblw)
    tblpr.insert(1 if tblpr.find(qn("w:tblStyle")) is not None else 0, tblw)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(Emu(width).twips))
    for row in table.rows:
        index = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Emu(sum(widths[index : index + span]))
            index += span


def mark_row(row_element: etree._Element, *, header: bool) -> None:
    """w:cantSplit on every row, w:tblHeader on header rows (repeated on each page)."""
    trpr = row_element.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))
    if header and trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))


def add_row(table: Table) -> _Row:
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    return row


def narrow_cell_margins(table: Table, side: Length) -> None:
    """Left and right cell margins of a table (Word's default is 1.9 mm) for narrow columns."""
    margins = OxmlElement("w:tblCellMar")
    for name in ("left", "right"):
        el = OxmlElement(f"w:{name}")
        el.set(qn("w:w"), str(side.twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    insert_ordered(tblpr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))


def row_height(tr: etree._Element, height: Length) -> None:
    """A row at least `height` high."""
    trpr = tr.get_or_add_trPr()
    el = OxmlElement("w:trHeight")
    el.set(qn("w:val"), str(height.twips))
    el.set(qn("w:hRule"), "atLeast")
    trpr.append(el)


def write_cell(
    cell: _Cell,
    text: str,
    *,
    size: Pt,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
) -> None:
    """A cell's text, one paragraph per line, fully formatted (no inherited indent or spacing)."""
    lines = text.split("\n") if text else [""]
    paragraphs = list(cell.paragraphs)
    for index, line in enumerate(lines):
        paragraph = paragraphs[0] if index == 0 and paragraphs else cell.add_paragraph()
        format_paragraph(paragraph, align=align, before=Pt(2), after=Pt(2), size=size)
        if line:
            add_text(paragraph, line, size=size, bold=bold, italic=italic)


def add_page_number(section: object) -> None:
    """The PAGE field centred in the header; none on the first page (as the decree says)."""
    header = section.header  # type: ignore[attr-defined]
    header.is_linked_to_previous = False
    for paragraph in list(header.paragraphs)[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    for table in header.tables:
        table._tbl.getparent().remove(table._tbl)
    paragraph = header.paragraphs[0]
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)
    format_paragraph(paragraph, size=Pt(13))
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        set_run_font(run._r, Pt(13))
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run._r.append(_text_element(text or ""))
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    first = section.first_page_header  # type: ignore[attr-defined]
    first.is_linked_to_previous = False
    for p in first.paragraphs:
        for child in list(p._p):
            if child.tag != qn("w:pPr"):
                p._p.remove(child)


# --- texts -----------------------------------------------------------------------------------


def date_line(place: str, date: dt.date | None, year: int) -> str:
    """ "Bắc Giang, ngày 05 tháng 8 năm 2024": a day below 10 and the months 1 and 2 with a leading
    zero (Decree 30); blanks for the clerk when the date is not set."""
    if date is None:
        blank = " " * 6
        return f"{place}, ngày{blank}tháng{blank}năm {year}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def format_date(value: dt.date | None, raw: str) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else raw


def service_cells(row: ServiceRow | ServiceTotal) -> list[str]:
    """The ten figures' cells of a Phụ lục III row after STT and name, as printed."""
    province = district = commune = ""
    if isinstance(row, ServiceRow):
        province, district, commune = row.staff_province, row.staff_district, row.staff_commune
    return [
        format_count(row.online_citizens),
        format_count(row.online_businesses),
        format_count(row.total),
        format_share(row.share) if row.share is not None else "",
        format_count(row.on_time),
        format_count(row.overdue),
        format_count(row.staff_total),
        province,
        district,
        commune,
    ]


# --- the writer ------------------------------------------------------------------------------


class _Writer:
    def __init__(self, document: Document, report: MonthlyReport) -> None:
        self.doc = document
        self.report = report
        self.section = document.sections[0]
        self.planned: dict[int, list[int]] = {}  # each appendix table's column widths (EMU)

    def text_width(self) -> int:
        s = self.doc.sections[-1]
        return int(s.page_width or Mm(210)) - int(s.left_margin or 0) - int(s.right_margin or 0)

    def widths(self, weights: Sequence[float]) -> list[int]:
        total = sum(weights)
        width = self.text_width()
        return [int(width * w / total) for w in weights]

    def write(self) -> None:
        add_page_number(self.section)
        self.header_block()
        self.title()
        self.body()
        self.signature()
        self.appendix_documents()
        self.appendix_tasks()
        self.appendix_services()
        self.appendix_submissions()
        self.appendix_findings()

    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        align: WD_ALIGN_PARAGRAPH | None = _C,
        before: Pt = ZERO,
        after: Pt = ZERO,
        size: Pt | None = None,
        indent: Length | None = None,
        keep_with_next: bool = False,
    ) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        format_paragraph(
            paragraph,
            align=align,
            before=before,
            after=after,
            size=size,
            indent=indent,
            keep_with_next=keep_with_next,
        )
        if text:
            add_text(paragraph, text, size=size, bold=bold, italic=italic)
        return paragraph

    # --- first pages ---------------------------------------------------------------------

    def header_block(self) -> None:
        """Decree 30's header: the bodies and the national title in the first row, the number
        and the place and date in the second (so they stand on one line)."""
        h = self.report.header
        width = self.text_width()
        # The block reaches a little into the margins, as the decree's form sits on the page.
        widths = [int(width * 0.41), int(width * 0.63)]
        table = self.doc.add_table(rows=2, cols=2)
        table_borders(table, visible=False)
        fix_widths(table, widths)
        for row in table.rows:
            for cell in row.cells:
                cell._tc.remove(cell.paragraphs[0]._p)
        (left, right), (number, place) = (row.cells for row in table.rows)
        self._cell_line(left, h.superior_body.upper(), size=HEADER_SIZE)
        self._cell_line(left, h.issuing_body.upper(), size=HEADER_SIZE, bold=True)
        add_rule(left, Mm(28), Emu(widths[0]))
        self._cell_line(number, h.number_symbol, size=HEADER_SIZE, before=Pt(6))
        self._cell_line(right, NATIONAL_TITLE, size=HEADER_SIZE, bold=True)
        self._cell_line(right, MOTTO, size=Pt(14), bold=True)
        add_rule(right, Mm(60), Emu(widths[1]))
        self._cell_line(
            place,
            date_line(h.place, h.date, self.report.year),
            size=Pt(14),
            italic=True,
            before=Pt(6),
        )

    def _cell_line(
        self,
        cell: _Cell,
        text: str,
        *,
        size: Pt,
        bold: bool = False,
        italic: bool = False,
        before: Pt = ZERO,
    ) -> None:
        paragraph = cell.add_paragraph()
        format_paragraph(paragraph, before=before, size=size)
        add_text(paragraph, text, size=size, bold=bold, italic=italic)

    def title(self) -> None:
        h = self.report.header
        self.paragraph(h.title.upper(), bold=True, before=Pt(18), keep_with_next=True)
        self.paragraph(h.subject, bold=True, keep_with_next=True)
        add_rule(self.doc, Mm(45), Emu(self.text_width()))
        self.paragraph(after=Pt(6))

    def body(self) -> None:
        indent = Emu(Mm(10))
        for section in self.report.body:
            if section.heading:
                self.paragraph(
                    section.heading,
                    bold=True,
                    align=_J,
                    after=Pt(6),
                    indent=indent,
                    keep_with_next=True,
                )
            for text in section.paragraphs:
                self.paragraph(text, align=_J, after=Pt(6), indent=indent)

    def signature(self) -> None:
        h = self.report.header
        width = self.text_width()
        widths = [int(width * 0.45), int(width * 0.55)]
        table = self.doc.add_table(rows=1, cols=2)
        table_borders(table, visible=False)
        fix_widths(table, widths)
        mark_row(table.rows[0]._tr, header=False)
        left, right = table.rows[0].cells
        for cell in (left, right):
            cell._tc.remove(cell.paragraphs[0]._p)
        receive = left.add_paragraph()
        format_paragraph(receive, align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(6), size=Pt(12))
        add_text(receive, "Nơi nhận:", size=Pt(12), bold=True, italic=True)
        for recipient in h.recipients:
            line = left.add_paragraph()
            format_paragraph(line, align=WD_ALIGN_PARAGRAPH.LEFT, size=Pt(11))
            add_text(line, f"- {recipient}", size=Pt(11))
        self._cell_line(right, h.signer_role.upper(), size=Pt(14), bold=True, before=Pt(6))
        if h.signer_title:
            self._cell_line(right, h.signer_title.upper(), size=Pt(14), bold=True)
        for _ in range(4):  # room to sign and seal
            self._cell_line(right, "", size=Pt(14))
        self._cell_line(right, h.signer_name, size=Pt(14), bold=True)

    # --- appendices ----------------------------------------------------------------------

    def appendix(self, numeral: str, title: str) -> None:
        """A new landscape section with the appendix's name, title and attachment line."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if section.orientation != WD_ORIENT.LANDSCAPE:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        # Appendix pages are numbered from their first page on.
        section.different_first_page_header_footer = False
        self.paragraph(f"Phụ lục {numeral}", bold=True, keep_with_next=True)
        self.paragraph(title.upper(), bold=True, keep_with_next=True)
        self.paragraph(self.report.attachment_line, italic=True, after=Pt(12), keep_with_next=True)

    def table(
        self,
        columns: Sequence[Column],
        *,
        size: Pt,
        header_rows: int = 1,
        weights: Sequence[float] | None = None,
    ) -> Table:
        width_of = self.widths(weights or [c.weight for c in columns])
        table: Table = self.doc.add_table(rows=header_rows, cols=len(width_of))
        table_borders(table, visible=True)
        if header_rows == 1:
            for cell, column in zip(table.rows[0].cells, columns, strict=True):
                self.header_cell(cell, column.title, size)
        self.planned[id(table._tbl)] = width_of
        return table

    def header_cell(self, cell: _Cell, text: str, size: Pt) -> None:
        write_cell(cell, text, size=size, bold=True, align=_C)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def row(
        self,
        table: Table,
        values: Sequence[str],
        columns: Sequence[Column] | None,
        *,
        size: Pt,
        bold: bool = False,
        align: Sequence[WD_ALIGN_PARAGRAPH] | None = None,
    ) -> None:
        cells = add_row(table).cells
        aligns = align or [c.align for c in columns or ()]
        for cell, value, how in zip(cells, values, aligns, strict=True):
            write_cell(cell, value, size=size, bold=bold, align=how)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def merged_row(
        self, table: Table, first: str | None, text: str, *, size: Pt, italic: bool = False
    ) -> None:
        """A group row: the title merged across the table (after its numeral when `first`)."""
        cells = add_row(table).cells
        start = 0
        if first is not None:
            write_cell(cells[0], first, size=size, bold=True, align=_C)
            start = 1
        merged = cells[start].merge(cells[-1])
        for paragraph in merged.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        align = _C if italic else WD_ALIGN_PARAGRAPH.LEFT
        write_cell(merged, text, size=size, bold=not italic, italic=italic, align=align)

    def finish(self, table: Table, header_rows: int) -> None:
        for index, tr in enumerate(table._tbl.tr_lst):
            mark_row(tr, header=index < header_rows)
        fix_widths(table, self.planned[id(table._tbl)])

    def appendix_documents(self) -> None:
        r = self.report
        self.appendix("I", f"Tổng hợp văn bản triển khai {r.period_label}")
        table = self.table(DOCUMENT_COLUMNS, size=TABLE_SIZE)
        for group in r.documents:
            self.merged_row(table, None, f"{group.roman}. {group.title}", size=TABLE_SIZE)
            for d in group.rows:
                values = [
                    str(d.stt),
                    d.number,
                    d.doc_type,
                    format_date(d.date, d.date_raw),
                    d.summary,
                    d.note,
                ]
                self.row(table, values, DOCUMENT_COLUMNS, size=TABLE_SIZE)
        if not r.documents:
            self.merged_row(table, None, NO_ROWS, size=TABLE_SIZE, italic=True)
        self.finish(table, 1)

    def appendix_tasks(self) -> None:
        r = self.report
        self.appendix(
            "II",
            "Tiến độ thực hiện nhiệm vụ được giao theo các kế hoạch giao nhiệm vụ của UBND tỉnh",
        )
        table = self.table(TASK_COLUMNS, size=TABLE_SIZE)
        for group in r.tasks:
            self.merged_row(table, group.roman, group.title.upper(), size=TABLE_SIZE)
            for t in group.rows:
                values = [
                    str(t.stt),
                    t.content,
                    t.assigning_document,
                    t.lead_unit,
                    t.timeframe,
                    t.result,
                ]
                self.row(table, values, TASK_COLUMNS, size=TABLE_SIZE)
        if not r.tasks:
            self.merged_row(table, None, NO_ROWS, size=TABLE_SIZE, italic=True)
        self.finish(table, 1)
        self.paragraph(
            "NHIỆM VỤ CHƯA CÓ BÁO CÁO TRONG KỲ",
            bold=True,
            before=Pt(12),
            after=Pt(6),
            keep_with_next=True,
        )
        table = self.table(UNREPORTED_COLUMNS, size=TABLE_SIZE)
        for u in r.unreported:
            values = [
                str(u.stt),
                u.content,
                u.assigning_document,
                u.timeframe,
                "\n".join(u.owing_units),
            ]
            self.row(table, values, UNREPORTED_COLUMNS, size=TABLE_SIZE)
        if not r.unreported:
            self.merged_row(table, None, NO_ROWS, size=TABLE_SIZE, italic=True)
        self.finish(table, 1)

    def appendix_services(self) -> None:
        r = self.report
        size = SERVICE_TABLE_SIZE
        self.appendix("III", "Kết quả thực hiện 25 dịch vụ công thiết yếu")
        table = self.table((), size=size, header_rows=3, weights=SERVICE_WEIGHTS)
        self.service_header(table, size)
        figures = [_R] * 7 + [_C] * 3
        for s in r.services:
            values = [str(s.stt), s.name, *service_cells(s)]
            self.row(table, values, None, size=size, align=[_C, WD_ALIGN_PARAGRAPH.LEFT, *figures])
        if r.service_total is not None:
            cells = add_row(table).cells
            merged = cells[0].merge(cells[1])
            for paragraph in merged.paragraphs[1:]:
                paragraph._p.getparent().remove(paragraph._p)
            write_cell(merged, "Tổng số", size=size, bold=True, align=_C)
            for cell, value, how in zip(
                cells[2:], service_cells(r.service_total), figures, strict=True
            ):
                write_cell(cell, value, size=size, bold=True, align=how)
            if r.services:
                # The total row never lands alone at the top of a page: the last service keeps
                # with it.
                for cell in table.rows[-2].cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        self.finish(table, 3)
        narrow_cell_margins(table, Mm(1.2))
        # LibreOffice repeats a header without growing its rows for the text of a cell merged
        # down from the row above: the two lower rows get the height that text needs.
        for tr, height in zip(table._tbl.tr_lst[1:3], (Mm(8), Mm(13)), strict=True):
            row_height(tr, height)

    def service_header(self, table: Table, size: Pt) -> None:
        """The seed's header: three rows of merged cells."""
        spans = (
            # (first row, first column, last row, last column, title)
            (0, 0, 2, 0, "STT"),
            (0, 1, 2, 1, "Tên thủ tục hành chính"),
            (0, 2, 0, 5, "Số lượng công dân, doanh nghiệp thực hiện thủ tục"),
            (0, 6, 0, 7, "Hồ sơ DVC được giải quyết"),
            (0, 8, 0, 11, "Nhân lực thực hiện"),
            (1, 2, 1, 3, "Nộp trực tuyến"),
            (2, 2, 2, 2, "Công dân"),
            (2, 3, 2, 3, "Doanh nghiệp"),
            (1, 4, 2, 4, "Tổng số tiếp nhận (cả trực tuyến và trực tiếp)"),
            (1, 5, 2, 5, "% tiếp nhận qua DVC"),
            (1, 6, 2, 6, "Đúng hạn"),
            (1, 7, 2, 7, "Quá hạn"),
            (1, 8, 2, 8, "Tổng số"),
            (1, 9, 2, 9, "Tỉnh"),
            (1, 10, 2, 10, "Huyện"),
            (1, 11, 2, 11, "Xã"),
        )
        for top, left, bottom, right, title in spans:
            cell = table.cell(top, left)
            if (top, left) != (bottom, right):
                cell = cell.merge(table.cell(bottom, right))
            # merge() keeps each merged cell's empty paragraph: one is enough.
            for paragraph in cell.paragraphs[1:]:
                paragraph._p.getparent().remove(paragraph._p)
            self.header_cell(cell, title, size)

    def appendix_submissions(self) -> None:
        r = self.report
        self.appendix("IV", "Tình hình gửi báo cáo của các đơn vị")
        table = self.table(SUBMISSION_COLUMNS, size=TABLE_SIZE)
        for s in r.submissions:
            sent = s.submitted_on.strftime("%d/%m/%Y") if s.submitted_on else ""
            values = [str(s.stt), s.unit, sent, s.label]
            self.row(table, values, SUBMISSION_COLUMNS, size=TABLE_SIZE)
        if not r.submissions:
            self.merged_row(table, None, NO_ROWS, size=TABLE_SIZE, italic=True)
        self.finish(table, 1)

    def appendix_findings(self) -> None:
        r = self.report
        self.appendix("V", "Kết quả kiểm tra số liệu")
        table = self.table(FINDING_COLUMNS, size=TABLE_SIZE)
        for f in r.findings:
            values = [str(f.stt), f.severity, f.where, f.message]
            self.row(table, values, FINDING_COLUMNS, size=TABLE_SIZE)
        if not r.findings:
            self.merged_row(table, None, NO_ROWS, size=TABLE_SIZE, italic=True)
        self.finish(table, 1)
