"""OCR reader for scans (image-only PDFs and images): tesseract with Vietnamese data.

Each page is straightened and its ruled tables found (readers/ocr_grid.py, OpenCV); one tesseract
pass reads the page with word boxes, placed into the table cells so rows and columns survive;
doubtful cells are read again on their own. The text around the tables becomes Paragraphs.
`Source` gives page and line on the page.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import tempfile
import unicodedata
import warnings
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Levenshtein

from dean06.ingest.limits import check_pages, check_pixels, current
from dean06.ingest.model import IngestError, Source
from dean06.ingest.readers import ocr_grid, pdf_unruled
from dean06.ingest.readers._common import clean_text, require_data
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow
from dean06.ingest.readers.merged import OpenCells, continue_merged, last_row, row_texts
from dean06.ingest.tools import require_tesseract

DPI = 300
PAGE_TIMEOUT = 300  # seconds of tesseract per page before giving up on it
LANG = "vie"


def read(data: bytes, *, progress: Progress | None = None) -> Document:
    """OCR a scanned PDF or an image (PNG, JPEG, TIFF, ...) into paragraphs and tables."""
    require_data(data, "scan", "scan")
    tesseract = require_tesseract(LANG)
    if data.lstrip()[:5] == b"%PDF-":
        total, images = pdf_pages(data)
        fmt = "pdf-ocr"
    else:
        total, images = image_pages(data)
        fmt = "image-ocr"
    pages = ocr_pages(images, total=total, tesseract=tesseract, progress=progress)
    blocks = [b for page in pages for b in page]
    if not blocks:
        raise IngestError(
            "Không nhận dạng được chữ nào trong bản scan.", "OCR found no text in the scan"
        )
    return Document(blocks=blocks, format=fmt, pages=total)


def _open_pdf(data: bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError(
                "Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
                "the PDF is password-protected",
            ) from exc
        raise IngestError("Tệp PDF bị hỏng, không đọc được.", f"corrupt PDF: {exc}") from exc


def page_count(data: bytes) -> int:
    """The pages of a PDF, from its page tree (pdfium reads no page to count them)."""
    doc = _open_pdf(data)
    try:
        return len(doc)
    finally:
        doc.close()


def _render(doc: Any, index: int, dpi: int) -> Any:
    page = doc[index]
    # A page is as large as the file says (200 inches square is 3.6 billion pixels at 300 dpi):
    # checked before pdfium allocates the bitmap.
    width, height = page.get_size()
    scale = _scale(page, width * height, dpi / 72)
    check_pixels(width * scale, height * scale, f"Trang {index + 1} của tệp PDF")
    return ocr_grid.dropout_gray(page.render(scale=scale).to_pil())


# How far a picture is enlarged at most when its page is rendered smaller than the reading
# resolution asks (tesseract reads a 200 dpi scan better enlarged to 300).
UPSCALE = 1.5


def _scale(page: Any, area: float, scale: float) -> float:
    """The render scale of a scanned page: `scale`, unless the page would be too large at it
    because the file declares a picture at a low resolution (a scan or a phone photo saved at
    72 dpi is a page of 30 inches or more): then the picture's own resolution, enlarged at most
    UPSCALE times. A page too large at that too is refused by the pixel limit."""
    if area * scale * scale <= current().image_pixels:
        return scale
    import pypdfium2.raw as pdfium_c

    own = [
        image.get_px_size()[0] / (bounds[2] - bounds[0])
        for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
        if (bounds := image.get_bounds())[2] > bounds[0]
    ]
    return min(scale, max(own) * UPSCALE) if own else scale


def pdf_pages(
    data: bytes, dpi: int = DPI, indexes: Sequence[int] | None = None
) -> tuple[int, Iterator[Any]]:
    """The number of pages of a scanned PDF (or of the given 0-based `indexes`) and those pages
    as grayscale PIL images, rendered one at a time as they are read (200 pages at 300 dpi held
    at once would take gigabytes)."""
    doc = _open_pdf(data)
    try:
        check_pages(len(doc))
    except IngestError:
        doc.close()
        raise
    wanted = range(len(doc)) if indexes is None else indexes

    def pages() -> Iterator[Any]:
        try:
            for index in wanted:
                yield _render(doc, index, dpi)
        finally:
            doc.close()

    return len(wanted), pages()


def rasterise_pdf(data: bytes, page_indexes: list[int] | None = None, dpi: int = DPI) -> list[Any]:
    """Grayscale PIL images of a PDF's pages (all, or the given 0-based indexes)."""
    doc = _open_pdf(data)
    try:
        check_pages(len(doc))
        indexes = range(len(doc)) if page_indexes is None else page_indexes
        return [_render(doc, i, dpi) for i in indexes]
    finally:
        doc.close()


def image_pages(data: bytes) -> tuple[int, Iterator[Any]]:
    """The number of frames of an image file (a multi-page TIFF has several) and the frames,
    grayscale at ~300 dpi, decoded one at a time as they are read.

    Every frame's size is checked first, from its header: no pixel is decoded before the whole
    file is known to be within DEAN06_MAX_IMAGE_MEGAPIXELS and DEAN06_MAX_PDF_PAGES.
    """
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        # PIL warns at its own MAX_IMAGE_PIXELS and refuses at twice that; a warning printed
        # in the middle of a command's output helps no one, so it is an error here too.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            scales: list[float] = []
            for index, frame in enumerate(ImageSequence.Iterator(image), start=1):
                check_pages(index, "Tệp ảnh")
                dpi = frame.info.get("dpi", (0, 0))[0] or 0
                # Tesseract wants ~10 px stroke height; phone photos and 150 dpi scans are small.
                scale = DPI / dpi if 0 < dpi < 250 else (2.0 if frame.width < 1600 else 1.0)
                what = f"Trang {index} của tệp ảnh" if index > 1 else "Ảnh"
                check_pixels(frame.width * max(scale, 1.0), frame.height * max(scale, 1.0), what)
                scales.append(scale)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        limit = current().image_pixels
        raise IngestError(
            f"Ảnh quá lớn để nhận dạng chữ (giới hạn {limit / 1e6:.0f} triệu điểm ảnh).",
            f"image too large: {exc}",
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as exc:
        raise _not_an_image(exc) from exc

    def frames() -> Iterator[Any]:
        for frame, scale in zip(ImageSequence.Iterator(image), scales, strict=False):
            try:
                gray = ocr_grid.dropout_gray(frame)
            except (OSError, ValueError, EOFError) as exc:  # pixel data cut short or damaged
                raise _not_an_image(exc) from exc
            if scale > 1.01:
                gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
            yield gray

    return len(scales), frames()


def _not_an_image(exc: BaseException) -> IngestError:
    return IngestError("Tệp không phải là ảnh hoặc PDF đọc được.", f"not a readable image: {exc}")


def ocr_pages(
    images: Iterable[Any],
    *,
    total: int | None = None,
    tesseract: str | None = None,
    progress: Progress | None = None,
    first_page: int = 1,
) -> list[list[Block]]:
    """The blocks of each page image, in reading order (`total`: how many `images` will give,
    for progress, when they come one at a time).

    Pages are read by OCR a few at a time, one per processor (`ocr_workers`): reading a page
    depends on no other page. They are then placed one after the other, in order, since a table
    a page leaves open goes on on the next. Images are taken from `images` in this thread only
    (a PDF's renderer is not thread-safe), no more than the workers ahead of the page placed."""
    tesseract = tesseract or require_tesseract(LANG)
    if total is None:
        images = list(images)
        total = len(images)
    out: list[list[Block]] = []
    carry = Carry()
    pages = iter(images)
    ahead: deque[Future[_PageReading]] = deque()
    workers = ocr_workers()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dean06-ocr")
    try:
        for i in itertools.count():
            while len(ahead) < workers and (image := next(pages, None)) is not None:
                ahead.append(pool.submit(_read_page, image, tesseract))
            if not ahead:
                break
            page = first_page + i
            if progress is not None:
                progress(i, total, f"Đang nhận dạng chữ trang {page}")
            out.append(_place(ahead.popleft().result(), page, carry))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if progress is not None:
        progress(total, total, "Đã nhận dạng xong")
    return out


# Pages read at once at most: each tesseract holds a few hundred MB of a 300 dpi page.
OCR_WORKERS_MAX = 4


def ocr_workers() -> int:
    """How many pages are read by OCR at once: the processors this process may use, at most
    OCR_WORKERS_MAX (tesseract itself runs one thread per page)."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        available = os.cpu_count() or 1
    return max(1, min(available, OCR_WORKERS_MAX))


# --- one page ---------------------------------------------------------------------------------


@dataclass
class _Word:
    line: tuple[int, int, int]  # tesseract's (block, paragraph, line)
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


@dataclass
class _Job:
    """One image given to tesseract: a table cell, or a whole page."""

    image: Any
    table: int | None = None
    row: int = 0
    cell: tuple[int, int] = (0, 0)
    text: str = ""
    lines: list[tuple[int, str]] = field(default_factory=list)  # (top y, text) for the page text
    words: list[_Word] = field(default_factory=list)

    @property
    def conf(self) -> float:
        """The weakest word's confidence (0-100), lone marks aside; -1 without words."""
        return min((w.conf for w in self.words if not _marks_only(w)), default=-1.0)

    def set_words(self, words: list[_Word]) -> None:
        self.words = words
        self.lines = _lines(words)
        self.text = "\n".join(text for _, text in self.lines)


# A cell whose weakest word tesseract is less sure of is read again on its own (psm 6): the
# page pass sees the cell in its table's company, the crop is cleaner to segment. A lone comma
# read with little confidence is no reason: a long cell costs as much as a tenth of a page.
REREAD_BELOW = 55.0
# The page pass reads the page as one column of lines of any size (psm 4): full automatic layout
# (psm 3) takes a table's narrow first column of lone numbers for noise and drops it.
PAGE_PSM = 4
CODE_SURE = 85.0


# A Vietnamese syllable, diacritics folded away: onset, one to three vowels, coda.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)
# The five tone marks (NFD combining characters); a syllable carries at most one.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _tones(text: str) -> int:
    return sum(ch in _TONES for ch in unicodedata.normalize("NFD", text))


def _syllable(text: str) -> bool:
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch)
    )
    return bool(_SYLLABLE.match(bare.replace("đ", "d")))


def split_glued(word: str) -> str:
    """Two words tesseract printed without their space split again: "vịcó", "Tốngsố" (a
    Vietnamese syllable carries one tone mark, so a word with two that falls into two well-formed
    syllables is two words) and "UBNDtỉnh" (an abbreviation, then a syllable)."""
    core = word.strip(".,;:()\"'“”")
    if len(core) < 4 or not core.isalpha():
        return word
    # An abbreviation run into the next word ("UBNDtỉnh", "CCCDvà"): capitals, then a syllable
    # in small letters ("VNeID" is no such case: its tail is not a syllable).
    head = len(core) - len(core.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ"))
    tail = core[head:]
    if head >= 2 and tail.islower() and _syllable(tail):
        return word.replace(core, f"{core[:head]} {tail}", 1)
    if _tones(core) != 2:
        return word
    for cut in range(1, len(core)):
        first, second = core[:cut], core[cut:]
        if _tones(first) == 1 and _tones(second) == 1 and _syllable(first) and _syllable(second):
            return word.replace(core, f"{first} {second}", 1)
    return word


_WORD_CHARS = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd"})


# Signs that carry meaning on their own (a "%" column heading); dust never looks like them.
_SIGNS = frozenset("%&#@§")


def _marks_only(word: _Word) -> bool:
    # Modifier letters ("ˆ", "ˇ": a stray accent, category Lm) are marks here, not letters.
    return not any(unicodedata.category(ch) in _WORD_CHARS or ch in _SIGNS for ch in word.text)


def _lines(words: list[_Word]) -> list[tuple[int, str]]:
    """(top, text) of each of tesseract's lines among `words`, top to bottom. Dust, JPEG noise
    and a seal's edge come back as lone marks ("+", "*", "„", "_"): a word without a letter or
    digit is dropped at a line's end or when tesseract doubts it, a line of marks only at all."""
    by_line: dict[tuple[int, int, int], list[_Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    lines = []
    for found in by_line.values():
        found.sort(key=lambda w: w.left)
        found = [w for w in found if not (_marks_only(w) and w.conf < 60)]
        while found and _marks_only(found[-1]):
            found.pop()
        if not any(not _marks_only(w) for w in found):
            continue
        tokens = [split_glued(w.text) for w in found]
        for i, token in enumerate(tokens[:-1]):
            # A full stop inside a line before a word in small letters is dust ("thường. xuyên").
            core = token[:-1]
            after = tokens[i + 1][:1]
            if token.endswith(".") and core.isalpha() and not core.isupper() and after.islower():
                tokens[i] = core
        text = clean_text(" ".join(tokens))
        if text:
            lines.append((min(w.top for w in found), text, found[-1].conf))
    lines.sort(key=lambda item: item[0])
    out = []
    for i, (top, text, last_conf) in enumerate(lines):
        after = lines[i + 1][1] if i + 1 < len(lines) else ""
        # A speck after a line's last word reads as "." or ",": a sentence does not go on in
        # small letters after a full stop, and a comma tesseract doubts there is dust too.
        if after[:1].islower() and (
            (text.endswith(".") and not text.endswith(".."))
            or (text.endswith(",") and last_conf < 60)
        ):
            text = text[:-1].rstrip()
        out.append((top, text))
    return out


def flatten_light(gray: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The page divided by its own paper: grey paper, a lamp's gradient and a dark edge become
    white, strokes keep their contrast (the background is estimated on a small copy)."""
    import cv2

    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    # The brightest pixels around are the paper; a median smooths away what is left of text.
    paper = cv2.medianBlur(cv2.dilate(small, np.ones((7, 7), np.uint8)), 9)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(paper, 1), scale=255)
    return np.asarray(flat, dtype=np.uint8)


@dataclass
class Carry:
    """What a page leaves to the next: the columns of an unruled table that ran to its end, or
    the last row's cells of a ruled one (a cell merged down goes on over the page break)."""

    grid: pdf_unruled.Grid | None = None
    cells: OpenCells | None = None


def ocr_page(image: Any, page: int, tesseract: str, carry: Carry | None = None) -> list[Block]:
    """One page: straightened, its ruled tables found, read by one tesseract pass whose words
    are placed into the table cells; only doubtful cells are read again on their own. A table
    without vertical rules is rebuilt from the words' boxes (with `carry`, one the page before
    left open goes on)."""
    return _place(_read_page(image, tesseract), page, carry)


@dataclass
class _PageReading:
    """What OCR read of a page before it is placed among the pages: its grid, the text of each
    ruled cell, and the words outside the ruled tables. Nothing here depends on other pages."""

    found: ocr_grid.PageGrid
    cell_jobs: dict[tuple[int, int, tuple[int, int]], _Job]
    outside: list[_Word]


def _read_page(image: Any, tesseract: str) -> _PageReading:
    """The OCR of one page (deskew, grid, the page pass, the doubtful cells again)."""
    from PIL import Image

    gray, _angle = ocr_grid.deskew(flatten_light(ocr_grid.as_gray(image)))
    found = ocr_grid.page_grid(gray)
    grids, tol = found.tables, found.tol

    # Rules would be read as "|", "_" or "I": remove them before recognition. The band is
    # widened by `m` pixels: a rescanned or straightened rule has a grey fringe (")" or "l").
    m = 2
    rules = np.zeros(gray.shape, dtype=np.bool_)
    for seg in found.horizontal:
        rules[max(seg.first - m, 0) : seg.last + m, seg.start : seg.end] = True
    for seg in found.vertical:
        # Tall letters make short vertical runs too: only a table's own rules are erased.
        if any(
            g.top - tol <= seg.start
            and seg.end <= g.bottom + tol
            and any(abs(seg.pos - x) <= tol for x in g.columns)
            for g in grids
        ):
            rules[seg.start : seg.end, max(seg.first - m, 0) : seg.last + m] = True
    # Light grey to white: the specks of a JPEG scan make tesseract see marks ("1" read "Xi").
    # Dark strokes keep their grey edges (a hard threshold thickens "5" into "9").
    clean = gray.copy()
    clean[(gray > 170) | rules] = 255

    page_job = _Job(Image.fromarray(clean))
    _run_tesseract([page_job], tesseract, psm=PAGE_PSM)

    pad = 4
    cell_jobs: dict[tuple[int, int, tuple[int, int]], _Job] = {}
    boxes: list[tuple[int, int, int, int, _Job]] = []  # x0, y0, x1, y1 of each cell
    for t, grid in enumerate(grids):
        for r, (top, bottom) in enumerate(grid.rows):
            for first, last in grid.cells[r]:
                x0, x1 = grid.columns[first], grid.columns[last]
                job = _Job(None, t, r, (first, last))
                cell_jobs[(t, r, (first, last))] = job
                boxes.append((x0, top, x1, bottom, job))
    outside: list[_Word] = []
    in_cells: dict[int, list[_Word]] = {}
    for word in page_job.words:
        cx, cy = word.left + word.width // 2, word.top + word.height // 2
        home = next((job for x0, y0, x1, y1, job in boxes if x0 <= cx < x1 and y0 <= cy < y1), None)
        if home is not None:
            in_cells.setdefault(id(home), []).append(word)
        elif not any(
            g.columns[0] - tol <= cx <= g.columns[-1] + tol and g.top - tol <= cy <= g.bottom + tol
            for g in grids
        ):
            outside.append(word)  # text around the tables (inside a table: a rule's remnant)

    reread: list[_Job] = []
    for x0, y0, x1, y1, job in boxes:
        job.set_words(in_cells.get(id(job), []))
        cx0, cx1, cy0, cy1 = x0 + pad + m, x1 - pad - m, y0 + pad + m, y1 - pad - m
        if cx1 - cx0 < 4 or cy1 - cy0 < 4:
            continue
        # The first column's numbers ("7", "II", "2.10") stand alone: a page's layout analysis
        # drops or misjoins such specks of text, so they are read on their own unless sure.
        sure = REREAD_BELOW if job.cell[0] > 0 else CODE_SURE
        if job.words and job.conf >= sure and job.cell != (0, 1):
            continue  # read well in the page pass; no crop needed
        ys, xs = _letter_ink(clean[cy0:cy1, cx0:cx1])
        has_ink = len(ys) > 0
        if has_ink:
            # Trimmed to its ink: a tall cell's blank lower part only gives tesseract room to
            # find lines in the grain.
            margin = 5 * pad  # diacritics above and below are separate, small marks
            cy0, cy1 = (
                max(cy0, cy0 + int(ys.min()) - margin),
                min(cy1, cy0 + int(ys.max()) + margin),
            )
            cx0, cx1 = (
                max(cx0, cx0 + int(xs.min()) - margin),
                min(cx1, cx0 + int(xs.max()) + margin),
            )
        job.image = _framed(Image.fromarray(clean[cy0:cy1, cx0:cx1]), 3 * pad)
        if has_ink and (not job.words or job.conf < sure):
            reread.append(job)
    again = [_Job(job.image) for job in reread]
    _run_tesseract(again, tesseract, psm=6)
    for job, second in zip(reread, again, strict=True):
        if not second.words:
            continue
        if job.cell[0] == 0 and (
            (_CODE.match(job.text) and not _CODE.match(second.text))
            or (_NUMBER_CODE.match(job.text) and not _NUMBER_CODE.match(second.text))
        ):
            continue  # a task number the page pass read stays (a lone digit is hard to crop)
        if (
            not job.words
            or (job.cell[0] == 0 and _CODE.match(second.text) and not _CODE.match(job.text))
            or _mean_conf(second) > _mean_conf(job)
        ):
            job.set_words(second.words)
    for t in range(len(grids)):
        _fix_code_column(
            [j for j in cell_jobs.values() if j.table == t and j.cell == (0, 1) and j.image],
            tesseract,
        )
    return _PageReading(found, cell_jobs, outside)


def _place(reading: _PageReading, page: int, carry: Carry | None) -> list[Block]:
    """A page's tables and paragraphs in reading order; a table the page before left open
    (`carry`) goes on, and this page says what it leaves open."""
    found, cell_jobs, outside = reading.found, reading.cell_jobs, reading.outside
    grids = found.tables
    placed: list[tuple[int, Block]] = []
    unruled = _unruled_table(outside, page, found.horizontal, carry.grid if carry else None)
    if carry is not None:
        carry.grid = unruled.grid if unruled is not None and unruled.open_at_end else None
    if unruled is not None:
        table_top, table_bottom = unruled.lines[0].top, unruled.lines[-1].bottom
        placed.append((int(table_top), unruled.table))
        outside = [w for w in outside if not table_top <= w.top + w.height / 2 <= table_bottom]
    lines = _lines(outside)
    above = carry.cells if carry is not None else None
    if grids and any(top < grids[0].top for top, _ in lines):
        above = None  # cells go on only into a table that opens the page
    for t, grid in enumerate(grids):
        texts = {(r, span): cell_jobs[(t, r, span)].text for r, span in _grid_cells(grid)}
        table, last_row = _grid_table(grid, texts, page, above)
        above = None
        placed.append((grid.top, table))
        if carry is not None and t == len(grids) - 1:
            ends_page = not any(top > grid.bottom for top, _ in lines)
            carry.cells = last_row if ends_page else None
    if carry is not None and not grids:
        carry.cells = None
    for top, text in lines:
        placed.append((top, Paragraph(text, Source(page=page))))
    placed.sort(key=lambda item: item[0])
    blocks: list[Block] = []
    line_no = 0
    for _, block in placed:
        if isinstance(block, Table):
            for row in block.rows:
                line_no += 1
                row.source = Source(page=page, line=line_no)
            block.source = block.rows[0].source if block.rows else Source(page=page)
        else:
            line_no += 1
            block.source = Source(page=page, line=line_no)
        blocks.append(block)
    return blocks


def _grid_cells(grid: ocr_grid.TableGrid) -> list[tuple[int, tuple[int, int]]]:
    return [(r, span) for r in range(len(grid.rows)) for span in grid.cells[r]]


def _grid_table(
    grid: ocr_grid.TableGrid,
    texts: dict[tuple[int, tuple[int, int]], str],
    page: int,
    above: OpenCells | None,
) -> tuple[Table, OpenCells]:
    """A ruled table's rows from its cells' texts. A cell merged down over several rows (no
    rule between them in its columns) gives its text to every row it covers; `above`: the
    last row of the page before, whose merged cells go on empty under this page's header.
    Returns the table and its last row's cells."""
    # A cell joined to the one above is that cell: each chain of joined cells is one cell,
    # named by its first (row, columns), with the texts of its rows.
    head: dict[tuple[int, tuple[int, int]], tuple[int, tuple[int, int]]] = {}
    merged: dict[tuple[int, tuple[int, int]], str] = {}
    for r, span in _grid_cells(grid):
        joined = r < len(grid.joined) and span in grid.joined[r]
        key = head[(r, span)] = head[(r - 1, span)] if joined else (r, span)
        merged[key] = " ".join(t for t in (merged.get(key, ""), texts[(r, span)]) if t)
    cells: list[list[tuple[int, tuple[int, int]] | None]] = []
    for r in range(len(grid.rows)):
        ids: list[tuple[int, tuple[int, int]] | None] = [None] * (len(grid.columns) - 1)
        for span in grid.cells[r]:
            for c in range(*span):
                ids[c] = head[(r, span)]
        cells.append(ids)
    continue_merged(cells, merged, above)
    rows = [TableRow(row_texts(ids, merged), Source(page=page)) for ids in cells]
    return Table(rows, Source(page=page)), last_row(cells, merged)


def _unruled_table(
    words: list[_Word],
    page: int,
    rules: list[ocr_grid.Segment],
    carried: pdf_unruled.Grid | None,
) -> pdf_unruled.Found | None:
    """A table printed without vertical rules among the words outside the ruled tables, from
    the words' boxes (readers/pdf_unruled.py, as for a digital PDF)."""
    kept = [
        pdf_unruled.Word(split_glued(w.text), w.left, w.left + w.width, w.top, w.top + w.height)
        for w in words
        if not (_marks_only(w) and w.conf < 60)
    ]
    found = [(float(seg.start), float(seg.end), float(seg.pos)) for seg in rules]
    return pdf_unruled.find_table(kept, page, carried, rules=found)


def _letter_ink(crop: NDArray[np.uint8]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rows and columns of a crop's ink that counts for "this cell has something": strokes as
    tall as a letter, not dust."""
    import cv2

    dark = (crop < 128).astype(np.uint8)
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    keep = stats[:, cv2.CC_STAT_HEIGHT] >= 12
    keep[0] = False  # the background
    ys, xs = np.nonzero(keep[labels])
    return ys, xs


def _mean_conf(job: _Job) -> float:
    return sum(w.conf for w in job.words) / len(job.words) if job.words else -1.0


_CODE = re.compile(r"^(?:[A-ZĐ]\.?|[IVX]{1,4}(?:\.\d{1,3})*\.?|\d{1,3}(?:\.\d{1,3})*\.?)$")
_NUMBER_CODE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
# Letters tesseract gives for digits in a short isolated cell ("5" read as "s").
_DIGIT_LOOKALIKES = str.maketrans(
    {"s": "5", "S": "5", "o": "0", "O": "0", "l": "1", "I": "1", "|": "1", "i": "1", "B": "8",
     "Z": "2", "z": "2", "g": "9", ",": "."}
)  # fmt: skip


def _fix_code_column(cells: list[_Job], tesseract: str) -> None:
    """Task numbers in a table's first column ("1", "2.10", "A") are short and often bold: when
    most cells of the column are numbers, re-read the odd ones with digits only ("v2" -> "2"),
    then repair a number that breaks its neighbours' sequence ("5.1", "9.2", "5.3")."""
    cells = sorted(cells, key=lambda j: j.row)
    for job in cells:
        # The column's header "STT" is bold and short: tesseract gives "SIT", "5TT", "STI",
        # "SITT" (a letter changed, added or lost).
        word = job.text.replace(" ", "").upper()
        near = 2 <= len(word) <= 4 and Levenshtein.distance(word, "STT") == 1
        if near and not any(ch.isdigit() for ch in word.replace("5", "S")):
            job.text = "STT"
    short = [j for j in cells if j.text and len(j.text) <= 8]
    if len(short) < 2 or sum(bool(_CODE.match(j.text)) for j in short) < 0.6 * len(short):
        return
    odd = [
        j
        for j in short
        if not _CODE.match(j.text)
        and (
            len(j.text) <= 2
            or any(ch.isdigit() for ch in j.text)
            or _NUMBER_CODE.match(j.text.translate(_DIGIT_LOOKALIKES))
        )
    ]
    # "1,2" and "s" are read as digits first; what still is not a number is read again.
    for job in odd:
        if _NUMBER_CODE.match(job.text.translate(_DIGIT_LOOKALIKES)):
            job.text = job.text.translate(_DIGIT_LOOKALIKES)
    odd = [j for j in odd if not _NUMBER_CODE.match(j.text)]
    if odd:
        again = [_Job(j.image) for j in odd]
        _run_tesseract(again, tesseract, psm=7, config=["tessedit_char_whitelist=0123456789."])
        for job, reread in zip(odd, again, strict=True):
            if _NUMBER_CODE.match(reread.text):
                job.text = reread.text
    # A short non-number between two numbers of a run ("4", "Đ", "6") is the missing number.
    for prev, job, nxt in zip(cells, cells[1:], cells[2:], strict=False):
        if (
            _NUMBER_CODE.match(prev.text)
            and _NUMBER_CODE.match(nxt.text)
            and job.text
            and len(job.text) <= 2
            and not _NUMBER_CODE.match(job.text)
        ):
            before, after = _parts(prev.text), _parts(nxt.text)
            if (
                before[:-1] == after[:-1]
                and after[-1] == before[-1] + 2
                and len(before) == len(after)
            ):
                job.text = ".".join(str(n) for n in [*before[:-1], before[-1] + 1])
    numbered = [j for j in cells if _NUMBER_CODE.match(j.text)]
    for prev, job, nxt in zip(numbered, numbered[1:], numbered[2:], strict=False):
        before, after = _parts(prev.text), _parts(nxt.text)
        if len(before) != len(after) or before[:-1] != after[:-1] or after[-1] != before[-1] + 2:
            continue
        expected = [*before[:-1], before[-1] + 1]
        now = _parts(job.text)
        wrong_digit = len(now) == len(expected) and (
            sum(a != b for a, b in zip(now, expected, strict=True)) == 1
        )
        lost_dot = job.text.replace(".", "") == "".join(str(n) for n in expected)
        if now != expected and (wrong_digit or lost_dot):
            dot = "." if job.text.endswith(".") and len(now) == len(expected) else ""
            job.text = ".".join(str(n) for n in expected) + dot

    # A dot lost at a run's edge ("51" above "5.2", "5.3" above "54"): one neighbour says it.
    coded = [j for j in cells if _NUMBER_CODE.match(j.text)]
    for i, job in enumerate(coded):
        digits = job.text.rstrip(".")
        if "." in digits or len(digits) < 2:
            continue
        for other, step in ((coded[i + 1] if i + 1 < len(coded) else None, -1),
                            (coded[i - 1] if i > 0 else None, 1)):  # fmt: skip
            parts = _parts(other.text) if other is not None else []
            if len(parts) < 2 or parts[-1] + step < 1:
                continue
            expected = [*parts[:-1], parts[-1] + step]
            if digits == "".join(str(n) for n in expected):
                job.text = ".".join(str(n) for n in expected)
                break

    _settle_runs(cells)

    # A group number right above its first task ("9" above "5.1") takes the task's prefix.
    for head, first in itertools.pairwise(cells):
        if not _NUMBER_CODE.match(first.text) or not head.text or len(head.text) > 3:
            continue
        sub = _parts(first.text)
        if len(sub) != 2 or sub[1] != 1:
            continue
        if _NUMBER_CODE.match(head.text):
            if len(_parts(head.text)) == 1 and _parts(head.text)[0] != sub[0]:
                head.text = str(sub[0]) + ("." if head.text.endswith(".") else "")
        elif not _CODE.match(head.text) and (
            len(head.text) <= 2 or any(ch.isdigit() for ch in head.text)
        ):
            head.text = str(sub[0])


def _settle_runs(cells: list[_Job]) -> None:
    """A run of sub-numbers counts up in its last part ("0.1", "9.2", "5.3", "5.4": 1, 2, 3, 4):
    the prefix most of the run shares is the run's own, and a bold "5" misread as "0" or "9"
    takes it. Rows without a number (a task continued from the page before) do not break a run."""

    previous: list[tuple[int, ...]] = []  # the prefix of the run before

    def settle(run: list[_Job]) -> None:
        if len(run) < 3:
            if run:
                previous[:] = [tuple(_parts(run[0].text)[:-1])]
            return
        ranked = Counter(tuple(_parts(j.text)[:-1]) for j in run).most_common()
        prefix, count = ranked[0]
        tied = [p for p, n in ranked if n == count]
        if len(tied) > 1:
            # "9.1", "9.2", "5.3", "5.4" after "4.2": the group after 4 is 5.
            after = [(*b[:-1], b[-1] + 1) for b in previous if b]
            tied = [p for p in tied if p in after]
        if count < 2 or len(tied) != 1:
            return
        prefix = tied[0]
        previous[:] = [prefix]
        for job in run:
            parts = _parts(job.text)
            if tuple(parts[:-1]) != prefix:
                dot = "." if job.text.endswith(".") else ""
                job.text = ".".join(str(n) for n in [*prefix, parts[-1]]) + dot

    run: list[_Job] = []
    for job in cells:
        if not job.text:
            continue
        parts = _parts(job.text) if _NUMBER_CODE.match(job.text) else []
        if len(parts) < 2:
            settle(run)
            run = []
            continue
        before = _parts(run[-1].text) if run else []
        if len(before) == len(parts) and parts[-1] == before[-1] + 1:
            run.append(job)
        else:
            settle(run)
            run = [job]
    settle(run)


def _parts(code: str) -> list[int]:
    return [int(p) for p in code.rstrip(".").split(".")]


def _framed(image: Any, margin: int) -> Any:
    """The crop on a white margin: tesseract misreads glyphs that touch the image edge."""
    from PIL import ImageOps

    return ImageOps.expand(image, border=margin, fill=255)


def _run_tesseract(
    jobs: list[_Job], tesseract: str, *, psm: int = 6, config: list[str] | None = None
) -> None:
    """OCR every job's image in one tesseract process (a list file), reading TSV word boxes."""
    if not jobs:
        return
    with tempfile.TemporaryDirectory(prefix="dean06-ocr-") as tmp:
        folder = Path(tmp)
        paths = []
        for i, job in enumerate(jobs):
            path = folder / f"{i:05d}.png"
            # Fast, light compression: a page PNG at the default level costs a third of a second.
            job.image.save(path, dpi=(DPI, DPI), compress_level=1)
            paths.append(str(path))
        listing = folder / "images.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        env = dict(os.environ)
        # Tesseract's own threads only fight over 2 cores; one thread is as fast and leaves room.
        env.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            done = subprocess.run(
                [
                    tesseract,
                    str(listing),
                    "stdout",
                    "-l",
                    LANG,
                    "--psm",
                    str(psm),
                    "--dpi",
                    str(DPI),
                    *[arg for c in config or [] for arg in ("-c", c)],
                    "tsv",
                ],
                capture_output=True,
                timeout=PAGE_TIMEOUT,
                check=False,
                env=env,
            )
        except subprocess.TimeoutExpired as exc:
            raise IngestError(
                "Nhận dạng chữ quá lâu, đã dừng; hãy thử bản scan rõ hơn hoặc ít trang hơn.",
                "tesseract timed out",
            ) from exc
        if done.returncode != 0:
            raise IngestError(
                "Không nhận dạng được chữ trong bản scan (tesseract báo lỗi).",
                f"tesseract failed: {done.stderr.decode('utf-8', 'replace')[-300:]}",
            )
    words: dict[int, list[_Word]] = {}
    for raw in done.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        parts = raw.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        left, top, width, height = (int(v) for v in parts[6:10])
        words.setdefault(int(parts[1]) - 1, []).append(
            _Word(
                (int(parts[2]), int(parts[3]), int(parts[4])),
                left,
                top,
                width,
                height,
                float(parts[10]),
                text,
            )
        )
    for i, job in enumerate(jobs):
        job.set_words(words.get(i, []))
