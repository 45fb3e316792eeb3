"""PDF reader (pdfplumber): ruled tables as Tables, the text around them line by line.

A PDF without a text layer (a scan, or a scan whose only text is a stamp's line) is handed to the
OCR reader; scanned pages inside a text PDF are OCR'd one by one when tesseract is there.
`Source` gives page and line on the page.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from dean06.ingest.limits import check_pages
from dean06.ingest.model import IngestError, MissingToolError, Source
from dean06.ingest.readers import ocr
from dean06.ingest.readers._common import clean_text, require_data
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow
from dean06.ingest.readers.merged import OpenCells, continue_merged, last_row, own_text, row_texts
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
        warnings: list[str] = []
        if not any(has_text):
            # No text layer, or only a stamp's line of it over page images: a scan.
            try:
                return ocr.read(data, progress=progress)
            except MissingToolError as exc:
                if not any(page.chars for page in pages):
                    raise
                # A scan its scanner made searchable: without OCR here, its text layer.
                has_text = [bool(page.chars) for page in pages]
                warnings.append(
                    "Tệp là bản scan có sẵn lớp chữ do máy quét nhận dạng; bảng được đọc từ lớp "
                    f"chữ đó nên có thể sai ô. {exc.message}"
                )
        blocks: list[Block] = []
        carried = Carry()  # what the page before left open
        scanned_to = 0  # the last page of the run of scanned pages read with the page before
        for number, page in enumerate(pages, start=1):
            if progress is not None and number > scanned_to:  # (a scan's run tells its own)
                progress(number - 1, len(pages), f"Đang đọc trang {number}")
            if has_text[number - 1]:
                page_blocks, carried = read_page(page, number, carried)
                blocks.extend(page_blocks)
            elif page.images and number > scanned_to:
                # Scanned pages in a row (a signed appendix scanned and attached) are read as
                # one scan: pages at once, and a table going on over their page breaks.
                scanned_to = number
                while (
                    scanned_to < len(pages)
                    and not has_text[scanned_to]
                    and pages[scanned_to].images
                ):
                    scanned_to += 1
                carried = Carry()
                blocks.extend(_ocr_pages(data, number, scanned_to, warnings, progress, len(pages)))
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
# A scanner's "searchable PDF": the page is one picture, the text layer its OCR (invisible),
# and nothing is drawn. Read as a scan: the table's rules are in the picture only, and the
# text layer's reading of the table is no better than ours.
SEARCHABLE_IMAGE_COVER = 0.9


def scanned_page(page: Any) -> bool:
    """Whether a pdfplumber page is a scan: no text, a thin text layer over page images, or a
    picture of the whole page under a text layer with nothing drawn."""
    chars = page.chars
    if not chars:
        return True
    if len(chars) > THIN_TEXT_CHARS:
        drawn = page.lines or page.rects or page.curves
        return not drawn and _image_cover(page) >= SEARCHABLE_IMAGE_COVER
    return _image_cover(page) >= SCAN_IMAGE_COVER


def _image_cover(page: Any) -> float:
    """The share of the page that its images cover."""
    area = float(page.width) * float(page.height)
    x0, top, x1, bottom = (float(v) for v in page.bbox)
    covered = 0.0
    for image in page.images:
        w = min(float(image["x1"]), x1) - max(float(image["x0"]), x0)
        h = min(float(image["bottom"]), bottom) - max(float(image["top"]), top)
        covered += max(w, 0.0) * max(h, 0.0)
    return covered / area if area > 0 else 0.0


def _ocr_pages(
    data: bytes,
    first: int,
    last: int,
    warnings: list[str],
    progress: Progress | None,
    pages: int,
) -> list[Block]:
    """Scanned pages `first` to `last` (1-based) inside a text PDF (an attached signed page, a
    scanned appendix), rendered one at a time as they are read; `progress` told of each page
    among the PDF's `pages`."""

    def page_progress(done: int, _total: int, message: str) -> None:
        if progress is not None and first - 1 + done < last:
            progress(first - 1 + done, pages, message)

    try:
        total, images = ocr.pdf_pages(data, indexes=range(first - 1, last))
        read = ocr.ocr_pages(images, total=total, first_page=first, progress=page_progress)
        return [b for page in read for b in page]
    except MissingToolError as exc:
        which = f"Trang {first}" if first == last else f"Các trang {first}–{last}"
        warnings.append(f"{which} là ảnh scan, chưa đọc được: {exc.message}")
        return []


@dataclass
class Carry:
    """What a page leaves open for the next: the columns of a table without vertical rules
    that runs to the page's end, or the open merged cells of a ruled table cut by it."""

    grid: Grid | None = None
    cells: OpenCells | None = None


def read_page(page: Any, number: int, carried: Carry | None = None) -> tuple[list[Block], Carry]:
    """One page's tables and the lines outside them, in top-to-bottom order; and what runs on
    over the page's end (`carried` to the next page)."""
    carried = carried or Carry()
    tables, open_bottoms = _ruled_tables(page)
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
    unruled = find_table(words, number, carried.grid, page_rules(page))
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
    # Cells go on only from a table that ended the page before into one that opens this page.
    ruled = sorted(tables, key=lambda t: float(t.bbox[1]))
    above = carried.cells if ruled and all(top > ruled[0].bbox[1] for top, _, _ in placed) else None
    cells_left: OpenCells | None = None
    for found in ruled:
        table, last_row = _table(found, number, above)
        above = None
        placed.append((float(found.bbox[1]), 1, table))
        if found is ruled[-1] and all(top <= found.bbox[1] for top, _, _ in placed):
            last_row.cut = found.bbox[3] in open_bottoms
            cells_left = last_row
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
    grid = unruled.grid if unruled is not None and unruled.open_at_end else None
    return blocks, Carry(grid=grid, cells=cells_left)


def _ruled_tables(page: Any) -> tuple[list[Any], set[float]]:
    """The page's ruled tables, a row cut by the page's edge included; and the bottoms of the
    tables left open by the page's end.

    A browser (and some word processors) splits a table row over a page break without drawing a
    rule where the page cuts it: the column rules run on below the table's last rule (or start
    above its first). pdfplumber needs a rule on every side of a cell, so that row's text would
    fall outside the table; the rules' open ends close it."""
    tables = page.find_tables(table_settings=TABLE_SETTINGS)
    closing = _open_ends(page, [t.bbox for t in tables])
    if closing:
        settings = {**TABLE_SETTINGS, "explicit_horizontal_lines": closing}
        tables = page.find_tables(table_settings=settings)
    tables = [t for t in tables if len(t.rows) >= 1 and len(t.columns) >= 2]
    return tables, {t.bbox[3] for t in tables if any(abs(t.bbox[3] - b) < 1.0 for b in closing)}


# A column rule that runs on this far past a table's first or last rule leaves a row open.
OPEN_ROW_MIN = 6.0


def _open_ends(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[float]:
    """Where the column rules of each table end beyond its first or last horizontal rule, when
    the table's two outer rules both do (an open row cut by the page's edge)."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    ends: list[float] = []
    for x0, top, x1, bottom in boxes:

        def outer(edge: dict[str, Any], x: float) -> bool:
            return abs(float(edge["x0"]) - x) <= 2.0

        inside = [e for e in verticals if x0 - 2.0 <= float(e["x0"]) <= x1 + 2.0]
        below = [
            e
            for e in inside
            if float(e["top"]) <= bottom + 1.0 and float(e["bottom"]) > bottom + OPEN_ROW_MIN
        ]
        if any(outer(e, x0) for e in below) and any(outer(e, x1) for e in below):
            ends.append(max(float(e["bottom"]) for e in below))
        above = [
            e
            for e in inside
            if float(e["bottom"]) >= top - 1.0 and float(e["top"]) < top - OPEN_ROW_MIN
        ]
        if any(outer(e, x0) for e in above) and any(outer(e, x1) for e in above):
            ends.append(min(float(e["top"]) for e in above))
    return ends


def _page_number(text: str, top: float, height: float) -> bool:
    """A bare number alone on its line in the top or bottom margin: a page number, not
    content."""
    return bool(_PAGE_NUMBER.match(text)) and (top < 0.08 * height or top > 0.92 * height)


def _table(table: Any, number: int, above: OpenCells | None = None) -> tuple[Table, OpenCells]:
    """A pdfplumber table with merged cells expanded: every grid position gets the text of the
    cell that covers it (pdfplumber leaves None where a spanning cell continues). `above`: the
    cells the page before left open, whose empty continuations under the header take their
    text. Returns the table and the cells of its last row."""
    texts = table.extract()
    cells: list[tuple[float, float, float, float]] = []
    cell_texts: dict[int, str] = {}
    for row, extracted in zip(table.rows, texts, strict=True):
        for bbox, text in zip(row.cells, extracted, strict=True):
            if bbox is not None:
                cell_texts[len(cells)] = clean_text(text or "")
                cells.append(bbox)
    # Rows' cells are aligned on the distinct left edges of all cells; a column runs from its
    # left edge to the next one (table.columns' boxes are widened by spanning cells).
    lefts = sorted({bbox[0] for bbox in cells})
    rights = [*lefts[1:], table.bbox[2]]
    col_x = [(left + right) / 2 for left, right in zip(lefts, rights, strict=True)]
    grid: list[list[int | None]] = []  # the cell covering each grid position
    for row in table.rows:
        # The row's own height is its shortest cell's: a cell spanning the rows below widens
        # the row's box down into them.
        boxes = [bbox for bbox in row.cells if bbox is not None]
        y = (min(b[1] for b in boxes) + min(b[3] for b in boxes)) / 2
        grid.append(
            [
                next(
                    (
                        i
                        for i, (x0, top, x1, bottom) in enumerate(cells)
                        if x0 <= x <= x1 and top <= y <= bottom
                    ),
                    None,
                )
                for x in col_x
            ]
        )
    first = continue_merged(grid, cell_texts, above)
    cut = above is not None and above.cut
    # A rule drawn in one column only makes a grid row whose other cells all go on from the row
    # above: without text of its own it would repeat that row.
    out = [
        TableRow(row_texts(ids, cell_texts), Source(page=number), continued=cut and r == first)
        for r, ids in enumerate(grid)
        if r == 0 or own_text(ids, grid[r - 1], cell_texts)
    ]
    return Table(out, Source(page=number)), last_row(grid, cell_texts)
