"""PDF reader (pdfplumber): ruled tables as Tables, the text around them line by line.

A PDF without a text layer (a scan, or a scan whose only text is a stamp's line) is handed to the
OCR reader; scanned pages inside a text PDF are OCR'd one by one when tesseract is there.
`Source` gives page and line on the page.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from dean06.ingest.limits import check_pages
from dean06.ingest.model import IngestError, MissingToolError, Source
from dean06.ingest.readers import ocr
from dean06.ingest.readers._common import clean_text, require_data
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow
from dean06.ingest.readers.pdf_unruled import (
    Grid,
    find_table,
    lines_of,
    page_rules,
    page_words,
)

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_PAGE_NUMBER = re.compile(r"^[-–\s]*\d{1,3}[-–\s]*$")

# pdfminer logs every odd object at WARNING; a damaged file is reported through IngestError.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _password_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in (exc, exc.__cause__, exc.__context__) if e is not None}
    return (
        bool(names & {"PDFPasswordIncorrect", "PDFEncryptionError"})
        or "password" in str(exc).lower()
    )


def _encrypted() -> IngestError:
    return IngestError(
        "Tệp PDF được đặt mật khẩu (mã hóa); hãy gỡ mật khẩu rồi tải lên lại.",
        "the PDF is password-protected (encrypted)",
    )


def read(data: bytes, *, progress: Progress | None = None) -> Document:
    """Read a PDF; IngestError when it is empty, corrupt or encrypted."""
    require_data(data, "PDF", "PDF")
    if b"%PDF-" not in data[:1024]:
        raise IngestError("Tệp không phải là PDF.", "not a PDF file (no %PDF- header)")
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    # pdfium counts pages from the page tree without reading them; pdfplumber would build every
    # page first. A file pdfium cannot open gets pdfplumber's own verdict below.
    try:
        in_tree = ocr.page_count(data)
    except IngestError:
        in_tree = 0
    check_pages(in_tree)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for damaged or locked files
        if _password_error(exc):
            raise _encrypted() from exc
        if isinstance(exc, PDFSyntaxError | PSException):
            raise IngestError("Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {exc}") from exc
        raise IngestError("Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {exc!r}") from exc
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as exc:
            if _password_error(exc):
                raise _encrypted() from exc
            raise IngestError("Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {exc!r}") from exc
        if not pages:
            raise IngestError("Tệp PDF không có trang nào.", "the PDF has no pages")
        check_pages(len(pages))
        try:
            has_text = [not scanned_page(page) for page in pages]
        except Exception as exc:
            if _password_error(exc):
                raise _encrypted() from exc
            raise IngestError("Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {exc!r}") from exc
        if not any(has_text):
            # No text layer, or only a stamp's line of it over page images: a scan.
            return ocr.read(data, progress=progress)
        blocks: list[Block] = []
        warnings: list[str] = []
        carried: Grid | None = None  # an unruled table the page before left open
        for number, page in enumerate(pages, start=1):
            if progress is not None:
                progress(number - 1, len(pages), f"Đang đọc trang {number}")
            if has_text[number - 1]:
                page_blocks, carried = read_page(page, number, carried)
                blocks.extend(page_blocks)
            elif page.images:
                carried = None
                blocks.extend(_ocr_page(data, number, warnings))
            page.close()
        if progress is not None:
            progress(len(pages), len(pages), "Đã đọc xong tệp PDF")
    if not blocks:
        raise IngestError("Tệp PDF không có nội dung.", "the PDF has no text")
    return Document(blocks=blocks, format="pdf", pages=len(pages), warnings=warnings)


# A page whose text layer holds no more than a line or two (a digital signature's "SAO Y; ...;
# date" line, a stamped page number) over images that cover it is a scan: the text layer is not
# the page's content.
THIN_TEXT_CHARS = 160
SCAN_IMAGE_COVER = 0.5


def scanned_page(page: Any) -> bool:
    """Whether a pdfplumber page is a scan: no text, or a thin text layer over page images."""
    chars = page.chars
    if not chars:
        return True
    if len(chars) > THIN_TEXT_CHARS:
        return False
    area = float(page.width) * float(page.height)
    x0, top, x1, bottom = (float(v) for v in page.bbox)
    covered = 0.0
    for image in page.images:
        w = min(float(image["x1"]), x1) - max(float(image["x0"]), x0)
        h = min(float(image["bottom"]), bottom) - max(float(image["top"]), top)
        covered += max(w, 0.0) * max(h, 0.0)
    return area > 0 and covered / area >= SCAN_IMAGE_COVER


def _ocr_page(data: bytes, number: int, warnings: list[str]) -> list[Block]:
    """A scanned page inside a text PDF (an attached signed page, say)."""
    try:
        images = ocr.rasterise_pdf(data, [number - 1])
        return ocr.ocr_pages(images, first_page=number)[0]
    except MissingToolError as exc:
        warnings.append(f"Trang {number} là ảnh scan, chưa đọc được: {exc.message}")
        return []


def read_page(
    page: Any, number: int, carried: Grid | None = None
) -> tuple[list[Block], Grid | None]:
    """One page's tables and the lines outside them, in top-to-bottom order; and the columns of
    a table without vertical rules that runs to the page's end (`carried` to the next page)."""
    tables = page.find_tables(table_settings=TABLE_SETTINGS)
    tables = [t for t in tables if len(t.rows) >= 1 and len(t.columns) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    placed: list[tuple[float, int, Block]] = []
    height = float(page.height)
    words = [
        word
        for line in lines_of(page_words(page, outside))
        if not _page_number(line.text, line.top, height)
        for word in line.words
    ]
    unruled = find_table(words, number, carried, page_rules(page))
    if unruled is not None:
        first, last = unruled.lines[0], unruled.lines[-1]
        boxes.append((0.0, first.top - 0.5, float(page.width), last.bottom + 0.5))
        placed.append((first.top, 1, unruled.table))
    for line in page.filter(outside).extract_text_lines(strip=True, return_chars=False):
        text = clean_text(line["text"])
        if not text:
            continue
        top = float(line["top"])
        if _page_number(text, top, height):
            continue
        placed.append((top, 0, Paragraph(text, Source(page=number))))
    for table in tables:
        placed.append((float(table.bbox[1]), 1, _table(table, number)))
    placed.sort(key=lambda item: (item[0], item[1]))

    blocks: list[Block] = []
    line_no = 0
    for _, _, block in placed:
        if isinstance(block, Table):
            for row in block.rows:
                line_no += 1
                row.source = Source(page=number, line=line_no)
            block.source = block.rows[0].source
        else:
            line_no += 1
            block.source = Source(page=number, line=line_no)
        blocks.append(block)
    return blocks, unruled.grid if unruled is not None and unruled.open_at_end else None


def _page_number(text: str, top: float, height: float) -> bool:
    """A bare number alone on its line in the top or bottom margin: a page number, not
    content."""
    return bool(_PAGE_NUMBER.match(text)) and (top < 0.08 * height or top > 0.92 * height)


def _table(table: Any, number: int) -> Table:
    """A pdfplumber table with merged cells expanded: every grid position gets the text of the
    cell that covers it (pdfplumber leaves None where a spanning cell continues)."""
    texts = table.extract()
    cells: list[tuple[tuple[float, float, float, float], str]] = []
    for row, row_texts in zip(table.rows, texts, strict=True):
        for bbox, text in zip(row.cells, row_texts, strict=True):
            if bbox is not None:
                cells.append((bbox, clean_text(text or "")))
    # Rows' cells are aligned on the distinct left edges of all cells; a column runs from its
    # left edge to the next one (table.columns' boxes are widened by spanning cells).
    lefts = sorted({bbox[0] for bbox, _ in cells})
    rights = [*lefts[1:], table.bbox[2]]
    col_x = [(left + right) / 2 for left, right in zip(lefts, rights, strict=True)]
    out: list[TableRow] = []
    for row in table.rows:
        y = (row.bbox[1] + row.bbox[3]) / 2
        values = []
        for x in col_x:
            values.append(
                next(
                    (
                        t
                        for (x0, top, x1, bottom), t in cells
                        if x0 <= x <= x1 and top <= y <= bottom
                    ),
                    "",
                )
            )
        out.append(TableRow(values, Source(page=number)))
    return Table(out, Source(page=number))
