"""Render sample documents (DOCX, XLSX, HTML, PDF, scanned PDF/PNG) from the shipped seed content:
the reader tests and the benchmark scripts share them (tests import this module).

The seed appendix (001) is parsed here on its own, simply, so that the reader tests do not depend on
the layout code they feed. Renders are cached per process: the PDF ones run LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import io
import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

HEADER = (
    "STT",
    "Nội dung, nhiệm vụ cụ thể",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời gian hoàn thành",
)
WIDTH = len(HEADER)

RowKind = Literal["header", "group", "subgroup", "task", "continuation"]


@dataclass
class SeedCell:
    """A cell as paragraphs: (text, is_list_item). `bold` when the whole cell is bold."""

    paragraphs: list[tuple[str, bool]] = field(default_factory=list)
    bold: bool = False

    @property
    def text(self) -> str:
        """The cell text as a reader should give it back: paragraphs on lines, items as "- "."""
        return "\n".join(f"- {t}" if item else t for t, item in self.paragraphs)

    @property
    def flat(self) -> str:
        return " ".join(t for t, _ in self.paragraphs)


@dataclass
class SeedRow:
    kind: RowKind
    cells: list[SeedCell]

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


def seed_text(prefix: str) -> str:
    folder = resources.files("dean06") / "data" / "seeds"
    for entry in folder.iterdir():
        if entry.name.startswith(prefix) and entry.name.endswith(".txt"):
            return entry.read_text(encoding="utf-8")
    raise FileNotFoundError(prefix)


_TAG = re.compile(r"<[^>]+>")
_BLOCK_SPLIT = re.compile(r"(</?p[^>]*>|<li[^>]*>|</li>|</?ul[^>]*>)")


def _strip(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", text))).strip()


def parse_cell(raw: str) -> SeedCell:
    """A seed cell: <p>/<li> are separate paragraphs; a <li> "- x" becomes a list item "x"."""
    bold = raw.strip().startswith("<b>") and raw.strip().endswith("</b>")
    paragraphs: list[tuple[str, bool]] = []
    in_li = False
    for piece in _BLOCK_SPLIT.split(raw):
        if _BLOCK_SPLIT.fullmatch(piece):
            in_li = piece.startswith("<li")
            continue
        text = _strip(piece)
        if not text:
            continue
        if in_li:
            paragraphs.append((text.removeprefix("- ").removeprefix("-").strip(), True))
        else:
            paragraphs.append((text, False))
    return SeedCell(paragraphs, bold)


def _kind(cells: list[SeedCell], after_header: bool) -> RowKind:
    texts = [c.flat for c in cells]
    if texts[0] == "STT" and texts[1].startswith("Nội dung"):
        return "header"
    if re.fullmatch(r"[A-ZĐ]\.\s.*", texts[0]) and not any(texts[1:]):
        return "group"
    if re.fullmatch(r"\d+", texts[0]) and cells[1].bold and not any(texts[2:]):
        return "subgroup"
    if not texts[0] and after_header:
        return "continuation"
    return "task"


@functools.cache
def seed_rows() -> tuple[SeedRow, ...]:
    """Every table row of seed 001 in order, repeated headers and page-break continuations kept."""
    rows: list[SeedRow] = []
    for line in seed_text("001_").splitlines():
        if "\t" not in line:
            continue
        raw = line.split("\t")
        raw = (raw + [""] * WIDTH)[:WIDTH]
        cells = [parse_cell(r) for r in raw]
        after_header = bool(rows) and rows[-1].kind == "header"
        rows.append(SeedRow(_kind(cells, after_header), cells))
    return tuple(rows)


@functools.cache
def clean_rows() -> tuple[SeedRow, ...]:
    """The table as its author made it: one header, page-break continuations joined back."""
    out: list[SeedRow] = []
    for row in seed_rows():
        if row.kind == "header" and out:
            continue
        if row.kind == "continuation":
            prev = out[-1]
            cells = []
            for before, more in zip(prev.cells, row.cells, strict=True):
                paragraphs = list(before.paragraphs)
                if more.paragraphs:
                    if paragraphs:
                        # The page break cut a sentence: the first piece continues the last line.
                        last, item = paragraphs[-1]
                        paragraphs[-1] = (f"{last} {more.paragraphs[0][0]}", item)
                        paragraphs.extend(more.paragraphs[1:])
                    else:
                        paragraphs = list(more.paragraphs)
                cells.append(SeedCell(paragraphs, before.bold))
            out[-1] = SeedRow(prev.kind, cells)
            continue
        out.append(SeedRow(row.kind, [SeedCell(list(c.paragraphs), c.bold) for c in row.cells]))
    return tuple(out)


def task_rows() -> list[SeedRow]:
    return [r for r in clean_rows() if r.kind == "task"]


def preamble() -> list[str]:
    """The title lines of the appendix (before the table), markdown removed."""
    lines = []
    for line in seed_text("001_").splitlines():
        if "\t" in line:
            break
        text = line.replace("**", "").strip()
        if text:
            lines.append(text)
    return lines


BodyKind = Literal["title", "h1", "h2", "h3", "bold", "bullet", "text"]


def body_lines() -> list[tuple[BodyKind, str]]:
    """The plan's opening (seed 000 up to section II): text before the appendix, without tasks."""
    out: list[tuple[BodyKind, str]] = []
    for line in seed_text("000_").splitlines():
        text = line.strip()
        if text.startswith("## **II"):
            break
        if not text:
            continue
        kind: BodyKind = "text"
        for mark, k in (("#### ", "h3"), ("### ", "h2"), ("## ", "title")):
            if text.startswith(mark):
                kind, text = k, text[len(mark) :]  # type: ignore[assignment]
                break
        else:
            if text.startswith("- "):
                kind, text = "bullet", text[2:]
            elif text.startswith("**") and text.endswith("**"):
                kind = "bold"
        out.append((kind, text.replace("**", "").strip()))
    return out


# --- DOCX ------------------------------------------------------------------------------------


HeaderMode = Literal["mark", "physical"]


def _add_cell_paragraphs(cell: object, seed: SeedCell, bullet_style: object) -> None:
    paragraphs = seed.paragraphs or [("", False)]
    first = True
    for text, item in paragraphs:
        para = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        if item:
            para.style = bullet_style
        run = para.add_run(text)
        run.bold = seed.bold or None


def _mark_header(row: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def landscape_document(font_size: int) -> Any:
    """An empty landscape A4 Word document, 1.5 cm margins, Times New Roman (as offices print
    plan appendices and report tables)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    word = docx.Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    word.styles["Normal"].font.name = "Times New Roman"
    word.styles["Normal"].font.size = Pt(font_size)
    return word


@functools.cache
def render_docx(header: HeaderMode = "mark") -> bytes:
    """The plan as Word: body text, a page break, the appendix table with merged group rows.

    "mark": one header row marked to repeat on each page (rows joined as authored);
    "physical": the header row typed again in the body where the seed has page breaks, and the
    rows cut by those page breaks left cut (the shape of a PDF pasted back into Word).
    """
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    word = landscape_document(12)
    bullet = word.styles["List Bullet"]

    for kind, text in body_lines():
        if kind == "title":
            word.add_heading(text, level=1)
        elif kind in ("h2", "h3"):
            word.add_heading(text, level=2 if kind == "h2" else 3)
        elif kind == "bullet":
            word.add_paragraph(text, style=bullet)
        else:
            para = word.add_paragraph()
            para.add_run(text).bold = kind == "bold" or None
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in preamble():
        para = word.add_paragraph()
        para.add_run(line).bold = not line.startswith("(")

    rows = seed_rows() if header == "physical" else clean_rows()
    table = word.add_table(rows=0, cols=WIDTH)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Cm(1.4), Cm(11.5), Cm(4.6), Cm(4.6), Cm(4.5))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for i, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if row.kind == "group":
            merged = cells[0].merge(cells[WIDTH - 1])
            _add_cell_paragraphs(merged, row.cells[0], bullet)
        elif row.kind == "subgroup":
            _add_cell_paragraphs(cells[0], row.cells[0], bullet)
            merged = cells[1].merge(cells[WIDTH - 1])
            _add_cell_paragraphs(merged, row.cells[1], bullet)
        else:
            for cell, seed in zip(cells, row.cells, strict=True):
                _add_cell_paragraphs(cell, seed, bullet)
        if row.kind == "header":
            for cell in cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.bold = True
            # Only the first is marked; in "physical" mode the others are typed-in body rows.
            if i == 0:
                _mark_header(table.rows[-1])
    word.add_paragraph("Ghi chú: các đơn vị báo cáo kết quả trước ngày 15 hằng tháng.")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- XLSX ------------------------------------------------------------------------------------


UPDATED_ON = dt.date(2024, 7, 15)


@functools.cache
def render_xlsx() -> bytes:
    """A tracking sheet: title rows, a real date cell, merged group rows, wrapped multi-line cells.

    A second, empty sheet checks that empty sheets are skipped.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phụ lục I"
    r = 1
    for line in preamble():
        sheet.cell(r, 1, line).font = Font(bold=True)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=WIDTH)
        r += 1
    sheet.cell(r, 1, "Cập nhật đến ngày")
    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    date_cell = sheet.cell(r, 3, UPDATED_ON)
    date_cell.number_format = "dd/mm/yyyy"
    r += 1
    r += 1  # an empty row between the title and the table, as people leave one
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in clean_rows():
        if row.kind == "group":
            sheet.cell(r, 1, row.cells[0].text).font = Font(bold=True)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=WIDTH)
        elif row.kind == "subgroup":
            # Group numbers typed as numbers: the reader must not give "1.0".
            sheet.cell(r, 1, int(row.cells[0].text))
            sheet.cell(r, 2, row.cells[1].text).font = Font(bold=True)
            sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=WIDTH)
        else:
            for c, seed in enumerate(row.cells, start=1):
                value: object = seed.text or None
                if c == 1 and seed.text.isdigit():
                    value = int(seed.text)
                cell = sheet.cell(r, c, value)
                cell.alignment = wrap
                if row.kind == "header":
                    cell.font = Font(bold=True)
        r += 1
    book.create_sheet("Trống")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- HTML ------------------------------------------------------------------------------------


def _html_cell(seed: SeedCell) -> str:
    parts: list[str] = []
    items: list[str] = []
    for text, item in seed.paragraphs:
        if item:
            items.append(f"<li>{html.escape(text)}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        parts.append(
            f"<p>{html.escape(text)}</p>" if len(seed.paragraphs) > 1 else html.escape(text)
        )
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    body = "".join(parts)
    return f"<b>{body}</b>" if seed.bold else body


def rowspans(rows: list[SeedRow]) -> list[list[int]]:
    """For each task row and column 2..4, how many following rows repeat the same text (rowspan),
    0 for a cell covered by the span of a row above. Spans never cross group rows."""
    spans = [[1] * WIDTH for _ in rows]
    for col in (2, 3, 4):
        i = 0
        while i < len(rows):
            j = i + 1
            if rows[i].kind == "task" and rows[i].cells[col].text:
                while (
                    j < len(rows)
                    and rows[j].kind == "task"
                    and rows[j].cells[col].text == rows[i].cells[col].text
                ):
                    spans[j][col] = 0
                    j += 1
            spans[i][col] = j - i
            i = j
    return spans


@functools.cache
def render_html(charset: str = "utf-8") -> bytes:
    """A web page: headings and paragraphs, then the table with colspan group rows and rowspan
    for units and deadlines repeated on consecutive rows."""
    out = [
        "<!DOCTYPE html><html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "<title>Kế hoạch 18/KH-UBND</title><style>td{border:1px solid}</style></head><body>",
    ]
    items: list[str] = []
    for kind, text in body_lines():
        if kind == "bullet":
            items.append(f"<li>{html.escape(text)}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        tag = {"title": "h1", "h2": "h2", "h3": "h3"}.get(kind, "p")
        out.append(f"<{tag}>{html.escape(text)}</{tag}>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    for line in preamble():
        out.append(f"<p><b>{html.escape(line)}</b></p>")
    rows = list(clean_rows())
    spans = rowspans(rows)
    out.append('<table border="1" cellspacing="0"><thead><tr>')
    out.extend(f"<th>{html.escape(h)}</th>" for h in HEADER)
    out.append("</tr></thead><tbody>")
    for row, span in zip(rows[1:], spans[1:], strict=True):
        out.append("<tr>")
        if row.kind == "group":
            out.append(f'<td colspan="{WIDTH}">{_html_cell(row.cells[0])}</td>')
        elif row.kind == "subgroup":
            out.append(f"<td>{_html_cell(row.cells[0])}</td>")
            out.append(f'<td colspan="{WIDTH - 1}">{_html_cell(row.cells[1])}</td>')
        else:
            for col, seed in enumerate(row.cells):
                if span[col] == 0:
                    continue
                attr = f' rowspan="{span[col]}"' if span[col] > 1 else ""
                out.append(f"<td{attr}>{_html_cell(seed)}</td>")
        out.append("</tr>\n")
    out.append("</tbody></table><p>Nơi nhận: như trên.</p></body></html>")
    return "".join(out).encode(charset, errors="xmlcharrefreplace")


# --- PDF -------------------------------------------------------------------------------------


def soffice_missing_reason() -> str | None:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) is not installed: apt install libreoffice-writer-nogui"
    return None


def tesseract_missing_reason() -> str | None:
    """Why scans cannot be read here (tesseract or its Vietnamese data missing), or None."""
    from dean06.ingest.tools import tesseract_languages

    path = shutil.which("tesseract")
    if path is None:
        return "tesseract is not installed: apt install tesseract-ocr tesseract-ocr-vie"
    if "vie" not in tesseract_languages(path):
        return "tesseract has no Vietnamese data: apt install tesseract-ocr-vie"
    return None


def docx_convert(data: bytes, target: str, suffix: str, timeout: int = 180) -> bytes:
    """Convert a .docx with LibreOffice headless in a private profile (a shared one would lock);
    `target` is LibreOffice's filter ("pdf", "doc:MS Word 97"), `suffix` the file it writes."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "source.docx"
        src.write_bytes(data)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(folder),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (folder / f"source.{suffix}").read_bytes()


def docx_to_pdf(data: bytes, timeout: int = 180) -> bytes:
    return docx_convert(data, "pdf", "pdf", timeout)


@functools.cache
def render_pdf(header: HeaderMode = "mark") -> bytes:
    """The DOCX render printed to PDF by LibreOffice: a text layer and ruling lines."""
    return docx_to_pdf(render_docx(header))


def rasterise(pdf: bytes, dpi: int = 300, pages: int | None = None) -> list[object]:
    """PIL images of the PDF's pages (grayscale, as a scanner gives them)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        count = len(doc) if pages is None else min(pages, len(doc))
        return [doc[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(count)]
    finally:
        doc.close()


def ocr_text(images: list[object], dpi: int, lang: str = "eng", psm: int | None = None) -> str:
    """The pages read by the tesseract command as an office runs it, page by page, joined by a
    form feed (tesseract's own page separator): the form of the OCR-text fixtures."""
    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, image in enumerate(images):
            path = Path(tmp) / f"page-{i + 1:02d}.png"
            image.save(path, dpi=(dpi, dpi))  # type: ignore[attr-defined]
            options = ["--psm", str(psm)] if psm is not None else []
            done = subprocess.run(
                ["tesseract", str(path), "-", "-l", lang, *options],
                check=True,
                capture_output=True,
                timeout=600,
            )
            pages.append(done.stdout.decode("utf-8", errors="replace").rstrip("\n\f") + "\n")
    return "\f".join(pages)


def images_to_pdf(images: list[object], dpi: int = 300) -> bytes:
    out = io.BytesIO()
    first, *rest = images
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=dpi)  # type: ignore[attr-defined]
    return out.getvalue()


@functools.cache
def render_scanned_pdf(pages: int | None = None, dpi: int = 300) -> bytes:
    """An image-only PDF (no text layer) of the PDF render: what a scanner produces."""
    return images_to_pdf(rasterise(render_pdf(), dpi=dpi, pages=pages), dpi=dpi)


@functools.cache
def render_scanned_page_pdf(page: int = 2, dpi: int = 300) -> bytes:
    """One page of the PDF render as an image-only PDF (page 3 holds the title and first rows)."""
    return images_to_pdf([rasterise(render_pdf(), dpi=dpi, pages=page + 1)[page]], dpi=dpi)


@functools.cache
def render_scanned_png(page: int = 0, dpi: int = 300) -> bytes:
    image = rasterise(render_pdf(), dpi=dpi, pages=page + 1)[page]
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))  # type: ignore[attr-defined]
    return out.getvalue()


# --- an encrypted PDF, written by hand (no PDF writer with encryption is installed) ----------


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypted_pdf(user_password: str = "matkhau", text: str = "Ke hoach so 18") -> bytes:  # noqa: S107
    """A one-page PDF under the standard security handler (RC4 40-bit, revision 2) that needs
    `user_password` to open (PDF 1.7 reference, algorithms 3.1-3.4)."""
    permissions = -44
    doc_id = hashlib.md5(b"dean06-test", usedforsecurity=False).digest()
    user = (user_password.encode("latin-1") + _PAD)[:32]
    owner_key = hashlib.md5((b"owner" + _PAD)[:32], usedforsecurity=False).digest()[:5]
    o_entry = _rc4(owner_key, user)
    key = hashlib.md5(
        user + o_entry + permissions.to_bytes(4, "little", signed=True) + doc_id,
        usedforsecurity=False,
    ).digest()[:5]
    u_entry = _rc4(key, _PAD)

    def obj_key(num: int) -> bytes:
        seed = key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")
        return hashlib.md5(seed, usedforsecurity=False).digest()[:10]

    content = zlib.compress(f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    stream = _rc4(obj_key(4), content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_entry.hex().encode()
        + b"> /U <"
        + u_entry.hex().encode()
        + b"> /P %d >>" % permissions,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n"
        b"startxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, doc_id.hex().encode(), doc_id.hex().encode(), xref)
    )
    return bytes(out)


def password_protected_ooxml() -> bytes:
    """The shape of a password-protected .docx/.xlsx: an OLE compound file (CFB) whose directory
    names the "EncryptionInfo" and "EncryptedPackage" streams (contents are irrelevant here)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1C] = b"\x3e\x00\x03\x00"  # minor/major version 3
    header[0x1C:0x1E] = b"\xfe\xff"  # little-endian byte order mark
    header[0x1E:0x20] = b"\x09\x00"  # 512-byte sectors
    directory = bytearray(512)
    for i, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        directory[i * 128 : i * 128 + len(raw)] = raw
        directory[i * 128 + 64 : i * 128 + 66] = len(raw).to_bytes(2, "little")
    return bytes(header + directory + bytes(1024))


# --- the monthly report (seed 003) -----------------------------------------------------------

ReportRowKind = Literal["header", "group", "row"]


@dataclass
class ReportTableSpec:
    """One appendix of seed 003: its heading lines and its table rows (cells as SeedCell)."""

    headings: list[str]
    rows: list[tuple[ReportRowKind, list[SeedCell]]]
    width: int


_ROMAN_ROW = re.compile(r"^(I{1,3}|IV|V|VI{1,3})\.?(\s.*)?$")


@functools.cache
def report_tables() -> tuple[ReportTableSpec, ...]:
    """The appendices of seed 003 as their author made them: one header (its rows), group rows,
    data rows; repeated headers dropped (a page break repeats them), page-break continuations kept
    as rows with an empty STT (the reader joins them as it does in the text form)."""
    specs: list[ReportTableSpec] = []
    headings: list[str] = []
    current: ReportTableSpec | None = None
    in_header = False
    skipping_repeat = False
    for line in seed_text("003_").splitlines():
        if "\t" not in line:
            text = _strip(line)
            if not text:
                continue
            if current is not None:
                specs.append(current)
                current = None
            headings.append(text)
            continue
        raw = [c.replace('""', '"') for c in line.split("\t")]
        first = _strip(raw[0])
        if first == "STT":
            if current is not None and not in_header:
                skipping_repeat = True  # a header repeated after a page break
                continue
            current = ReportTableSpec(headings, [], len(raw))
            headings, in_header, skipping_repeat = [], True, False
        elif current is None:
            continue
        elif in_header or skipping_repeat:
            if not first and not _strip(raw[1]):
                if in_header:
                    current.rows.append(("header", [parse_cell(r) for r in raw]))
                continue
            in_header = skipping_repeat = False
        cells = [parse_cell(r) for r in (raw + [""] * current.width)[: current.width]]
        texts = [c.flat for c in cells]
        if first == "STT":
            kind: ReportRowKind = "header"
        elif _ROMAN_ROW.match(texts[0]) and sum(1 for t in texts if t) <= 2:
            kind = "group"
        else:
            kind = "row"
        current.rows.append((kind, cells))
    if current is not None:
        specs.append(current)
    return tuple(specs)


def _header_spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merged areas (top, left, bottom, right) of a multi-row header typed as a grid: a title
    spans the empty cells to its right that have titles below them, and the empty cells below it."""
    spans = []
    height, width = len(rows), len(rows[0])
    covered: set[tuple[int, int]] = set()
    for r in range(height):
        for c in range(width):
            if not rows[r][c] or (r, c) in covered:
                continue
            right = c
            while (
                right + 1 < width
                and not rows[r][right + 1]
                and any(rows[below][right + 1] for below in range(r + 1, height))
            ):
                right += 1
            bottom = r
            if right == c:
                while bottom + 1 < height and not rows[bottom + 1][c]:
                    bottom += 1
            spans.append((r, c, bottom, right))
            covered |= {(y, x) for y in range(r, bottom + 1) for x in range(c, right + 1)}
    return spans


# Column widths (cm) of the three appendices on a landscape A4 page, as their author set them.
_REPORT_WIDTHS: dict[int, dict[int, tuple[float, ...]]] = {
    6: {0: (1.4, 3.6, 2.4, 2.5, 12.8, 3.5), 1: (1.4, 8.4, 3.4, 3.6, 4.0, 5.8)},
    12: {2: (1.6, 6.0, 1.9, 2.1, 2.6, 2.0, 1.8, 1.8, 1.8, 1.6, 1.6, 1.6)},
}


@functools.cache
def render_report_docx() -> bytes:
    """The July 2024 monthly report (seed 003) as Word: each appendix a heading and a landscape
    table; multi-row header with merged cells marked to repeat on each page; group rows merged."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    word = landscape_document(11)
    bullet = word.styles["List Bullet"]
    for number, spec in enumerate(report_tables()):
        if number:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for line in spec.headings:
            para = word.add_paragraph()
            para.add_run(line).bold = not line.startswith("(")
        table = word.add_table(rows=0, cols=spec.width)
        table.style = "Table Grid"
        table.autofit = False
        widths = [Cm(w) for w in _REPORT_WIDTHS[spec.width][number]]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        header = [cells for kind, cells in spec.rows if kind == "header"]
        for kind, cells in spec.rows:
            row = table.add_row()
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
            if kind == "group":
                first = 0 if not cells[1].flat else 1
                if first:
                    _add_cell_paragraphs(row.cells[0], cells[0], bullet)
                merged = row.cells[first].merge(row.cells[spec.width - 1])
                _add_cell_paragraphs(merged, cells[first], bullet)
            elif kind == "row":
                for cell, seed in zip(row.cells, cells, strict=True):
                    _add_cell_paragraphs(cell, seed, bullet)
            else:
                # Tall enough for the merged titles: LibreOffice draws a merged title that does
                # not fit its rows over the first row of the next page.
                row.height, row.height_rule = Cm(1.1), WD_ROW_HEIGHT_RULE.AT_LEAST
                _mark_header(row)
        # Header cells after all header rows exist: merges span rows.
        texts = [[c.flat for c in cells] for cells in header]
        for top, left, bottom, right in _header_spans(texts):
            area = table.cell(top, left).merge(table.cell(bottom, right))
            seed = header[top][left]
            _add_cell_paragraphs(area, SeedCell(seed.paragraphs, True), bullet)
    # Word ends a body with a paragraph; a table last in the body is lost by LibreOffice's .doc.
    word.add_paragraph()
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


@functools.cache
def render_report_xlsx() -> bytes:
    """The July 2024 report as a workbook, one sheet per appendix: heading rows merged across the
    table, the multi-row header with merged ranges, group rows merged; cells typed as printed."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    first_sheet = book.active
    assert first_sheet is not None
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, spec in enumerate(report_tables()):
        sheet = first_sheet if number == 0 else book.create_sheet()
        sheet.title = f"Phụ lục {'I' * (number + 1)}"
        r = 1
        for line in spec.headings:
            sheet.cell(r, 1, line).font = Font(bold=True)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=spec.width)
            r += 1
        header = [cells for kind, cells in spec.rows if kind == "header"]
        texts = [[c.text for c in cells] for cells in header]
        for top, left, bottom, right in _header_spans(texts):
            sheet.cell(r + top, left + 1, texts[top][left]).font = Font(bold=True)
            if (top, left) != (bottom, right):
                sheet.merge_cells(
                    start_row=r + top,
                    start_column=left + 1,
                    end_row=r + bottom,
                    end_column=right + 1,
                )
        r += len(header)
        for kind, cells in spec.rows:
            if kind == "header":
                continue
            if kind == "group":
                first = 0 if not cells[1].flat else 1
                if first:
                    sheet.cell(r, 1, cells[0].text)
                sheet.cell(r, first + 1, cells[first].text).font = Font(bold=True)
                sheet.merge_cells(
                    start_row=r, start_column=first + 1, end_row=r, end_column=spec.width
                )
            else:
                for c, seed in enumerate(cells, start=1):
                    sheet.cell(r, c, seed.text or None).alignment = wrap
            r += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@functools.cache
def render_report_pdf() -> bytes:
    """The Word render of the report printed to PDF by LibreOffice (text layer, ruled tables)."""
    return docx_to_pdf(render_report_docx())


def docx_to_doc(data: bytes, timeout: int = 180) -> bytes:
    """A .docx saved as legacy Word 97 (.doc) by LibreOffice, as old offices still send."""
    return docx_convert(data, "doc:MS Word 97", "doc", timeout)


@functools.cache
def render_report_doc() -> bytes:
    return docx_to_doc(render_report_docx())


def degrade(image: object, seed: int = 6) -> object:
    """A light scanner's touch: a small rotation, a little blur and grain (deterministic)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    tilted = image.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)  # type: ignore[attr-defined]
    soft = tilted.filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.asarray(soft, dtype=np.int16) + rng.normal(0, 8, soft.size[::-1]).astype(np.int16)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def pdftoppm_pages(pdf: bytes, dpi: int = 200) -> list[object]:
    """The PDF's pages as grayscale images made by poppler's pdftoppm (as a scan station does)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "in.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",  # PGM: a scan station's raw pages, and 5x faster than PNG's compression
                str(folder / "in.pdf"),
                str(folder / "p"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        return [Image.open(p).convert("L") for p in sorted(folder.glob("p-*.pgm"))]


@functools.cache
def render_report_scan(dpi: int = 200) -> bytes:
    """The PDF render rasterised at `dpi` by pdftoppm, lightly degraded, as an image-only PDF."""
    return images_to_pdf([degrade(p) for p in pdftoppm_pages(render_report_pdf(), dpi)], dpi=dpi)
