"""OCR reader for scans (image-only PDFs and images): tesseract with Vietnamese data.

Ruled tables are found from the scan's own lines and read cell by cell, so rows and columns
survive; the text around them becomes Paragraphs. `Source` gives page and line on the page.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import subprocess
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dean06.ingest.limits import check_pages, check_pixels, current
from dean06.ingest.model import IngestError, Source
from dean06.ingest.readers._common import clean_text, require_data
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow
from dean06.ingest.tools import require_tesseract

DPI = 300
PAGE_TIMEOUT = 300  # seconds of tesseract per page before giving up on it
LANG = "vie"

Mask = NDArray[np.bool_]


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
    check_pixels(width * dpi / 72, height * dpi / 72, f"Trang {index + 1} của tệp PDF")
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def pdf_pages(data: bytes, dpi: int = DPI) -> tuple[int, Iterator[Any]]:
    """The number of pages of a scanned PDF and its pages as grayscale PIL images, rendered one
    at a time as they are read (200 pages at 300 dpi held at once would take gigabytes)."""
    doc = _open_pdf(data)
    total = len(doc)
    try:
        check_pages(total)
    except IngestError:
        doc.close()
        raise

    def pages() -> Iterator[Any]:
        try:
            for index in range(total):
                yield _render(doc, index, dpi)
        finally:
            doc.close()

    return total, pages()


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
                gray = frame.convert("L")
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
    for progress, when they come one at a time)."""
    tesseract = tesseract or require_tesseract(LANG)
    if total is None:
        images = list(images)
        total = len(images)
    out: list[list[Block]] = []
    for i, image in enumerate(images):
        page = first_page + i
        if progress is not None:
            progress(i, total, f"Đang nhận dạng chữ trang {page}")
        out.append(ocr_page(image, page, tesseract))
    if progress is not None:
        progress(total, total, "Đã nhận dạng xong")
    return out


# --- one page ---------------------------------------------------------------------------------


@dataclass
class _Segment:
    pos: int  # y of a horizontal line, x of a vertical one
    start: int
    end: int
    first: int = 0  # the rows (columns) the line's thickness covers, end exclusive
    last: int = 0


@dataclass
class _TableGrid:
    rows: list[tuple[int, int]]  # (top, bottom) of each row band
    columns: list[int]  # x of every column separator, outer borders included
    cells: list[list[tuple[int, int]]] = field(default_factory=list)  # per row: (first, last) col

    @property
    def top(self) -> int:
        return self.rows[0][0]

    @property
    def bottom(self) -> int:
        return self.rows[-1][1]


def binarize(gray: NDArray[np.uint8]) -> Mask:
    """Dark pixels, with Otsu's threshold (scans differ in contrast)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1)
    threshold = int(np.argmax(between[:255]))
    threshold = min(max(threshold, 90), 200)
    return gray <= threshold


def _runs(mask_1d: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) of the True runs of a 1-D mask, end exclusive."""
    padded = np.concatenate(([False], mask_1d, [False])).astype(np.int8)
    diff = np.diff(padded)
    starts = np.flatnonzero(diff == 1)
    ends = np.flatnonzero(diff == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def line_mask(dark: Mask, length: int, axis: int) -> Mask:
    """Pixels on a straight dark run of at least `length` along `axis` (1: horizontal)."""
    arr = dark if axis == 1 else dark.T
    height, width = arr.shape
    if width < length:
        return np.zeros_like(dark)
    cs = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(arr, axis=1, out=cs[:, 1:])
    full = (cs[:, length:] - cs[:, :-length]) == length  # a full window starts here
    # A pixel is on a line when some full window covers it.
    starts = np.zeros((height, width + 1), dtype=np.int32)
    starts[:, 1 : full.shape[1] + 1] = np.cumsum(full, axis=1)
    idx = np.arange(width)
    lo = np.maximum(idx - length + 1, 0)
    hi = np.minimum(idx, full.shape[1] - 1)
    covered = (starts[:, hi + 1] - starts[:, lo]) > 0
    covered &= arr
    return covered if axis == 1 else covered.T


def segments(mask: Mask, axis: int, min_length: int) -> list[_Segment]:
    """The lines of a line mask: consecutive rows (or columns) make one thick line."""
    arr = mask if axis == 1 else mask.T
    rows_with_lines = np.flatnonzero(arr.any(axis=1))
    out: list[_Segment] = []
    for first, last in _runs(np.isin(np.arange(arr.shape[0]), rows_with_lines)):
        band: Mask = np.asarray(arr[first:last].any(axis=0), dtype=np.bool_)
        for start, end in _runs(band):
            if end - start >= min_length:
                out.append(_Segment((first + last - 1) // 2, start, end, first, last))
    return out


def find_tables(h_lines: list[_Segment], v_lines: list[_Segment], tol: int) -> list[_TableGrid]:
    """Ruled tables: horizontal rules joined by vertical rules, read as row bands and cells."""
    h_sorted = sorted(h_lines, key=lambda s: s.pos)
    tables: list[list[_Segment]] = []
    for line in h_sorted:
        if tables:
            prev = tables[-1][-1]
            joined = any(
                v.start <= prev.pos + tol
                and v.end >= line.pos - tol
                and max(prev.start, line.start) - tol <= v.pos <= min(prev.end, line.end) + tol
                for v in v_lines
            )
            if joined:
                tables[-1].append(line)
                continue
        tables.append([line])
    grids = []
    for group in tables:
        if len(group) < 2:
            continue
        top, bottom = group[0].pos, group[-1].pos
        inside = [v for v in v_lines if v.end > top + tol and v.start < bottom - tol]
        xs = _cluster(sorted(v.pos for v in inside), tol)
        if len(xs) < 2:
            continue
        grid = _TableGrid(rows=[], columns=xs)
        for upper, lower in itertools.pairwise(group):
            if lower.pos - upper.pos <= 2 * tol:
                continue  # a double rule, not a row
            height = lower.pos - upper.pos
            present = [
                i
                for i, x in enumerate(xs)
                if any(
                    abs(v.pos - x) <= tol
                    and min(v.end, lower.pos) - max(v.start, upper.pos) >= 0.6 * height
                    for v in inside
                )
            ]
            if len(present) < 2:
                continue
            grid.rows.append((upper.pos, lower.pos))
            grid.cells.append(list(itertools.pairwise(present)))
        if grid.rows:
            grids.append(grid)
    return grids


def _cluster(values: list[int], tol: int) -> list[int]:
    out: list[list[int]] = []
    for v in values:
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(c) / len(c)) for c in out]


@dataclass
class _Job:
    """One image given to tesseract: a table cell, or the page outside its tables."""

    image: Any
    table: int | None = None
    row: int = 0
    cell: tuple[int, int] = (0, 0)
    text: str = ""
    lines: list[tuple[int, str]] = field(default_factory=list)  # (top y, text) for the page text


def skew_angle(image: Any, limit: float = 3.0) -> float:
    """The rotation (degrees) that makes text rows and rules horizontal: the angle whose row
    profile of dark pixels is the most peaked (projection profile), coarse then fine."""
    from PIL import Image

    small = image.convert("L")
    small = small.resize(
        (max(1, small.width // 4), max(1, small.height // 4)), Image.Resampling.BILINEAR
    )
    ink = Image.fromarray((binarize(np.asarray(small, dtype=np.uint8)) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rotated = np.asarray(ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0))
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    def best(candidates: NDArray[np.float64]) -> float:
        return float(max(candidates, key=sharpness))

    coarse = best(np.arange(-limit, limit + 1e-9, 0.25))
    return best(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.05))


def deskew(image: Any) -> Any:
    """The page turned straight: a scan fed at a slant breaks rules into steps and lines of text
    into pieces, which costs both the table grid and the recognition."""
    from PIL import Image

    angle = skew_angle(image)
    if abs(angle) < 0.1:
        return image
    return image.convert("L").rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )


def ocr_page(image: Any, page: int, tesseract: str) -> list[Block]:
    from PIL import Image

    image = deskew(image)
    gray = np.asarray(image.convert("L"), dtype=np.uint8)
    dark = binarize(gray)
    width = dark.shape[1]
    unit = 1.0  # pages come at ~300 dpi (rasterised so, or images scaled to it)
    min_run = max(30, round(70 * unit))
    h_mask = line_mask(dark, min_run, axis=1)
    v_mask = line_mask(dark, max(20, round(40 * unit)), axis=0)
    tol = max(6, round(12 * unit))
    h_lines = segments(h_mask, 1, max(min_run, width // 10))
    v_lines = segments(v_mask, 0, max(20, round(30 * unit)))
    grids = find_tables(h_lines, v_lines, tol)

    # Rules would be read as "|", "_" or "I": remove them before recognition. Only long rules:
    # a letter's bar or a dash is a short run and must stay. The band is widened by `m` pixels:
    # a rescanned or straightened rule has a grey fringe that reads as ")" or "l".
    m = 2
    rules = np.zeros_like(dark)
    for seg in h_lines:
        rules[max(seg.first - m, 0) : seg.last + m, seg.start : seg.end] = True
    for seg in v_lines:
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
    jobs: list[_Job] = []
    rest = clean.copy()
    pad = max(3, round(6 * unit))
    for t, grid in enumerate(grids):
        rest[
            max(grid.top - pad, 0) : grid.bottom + pad,
            grid.columns[0] - pad : grid.columns[-1] + pad,
        ] = 255
        for r, (top, bottom) in enumerate(grid.rows):
            for first, last in grid.cells[r]:
                x0, x1 = grid.columns[first] + pad, grid.columns[last] - pad
                y0, y1 = top + pad, bottom - pad
                if x1 - x0 < 4 or y1 - y0 < 4:
                    continue
                crop = clean[y0:y1, x0:x1]
                if (crop < 128).sum() < 8:  # blank cell
                    continue
                jobs.append(_Job(_framed(Image.fromarray(crop), pad * 3), t, r, (first, last)))
    page_job = None
    if (rest < 128).sum() >= 8:
        page_job = _Job(Image.fromarray(rest))
        jobs.append(page_job)
    _run_tesseract(jobs, tesseract)
    for t in range(len(grids)):
        _fix_code_column([j for j in jobs if j.table == t and j.cell == (0, 1)], tesseract)

    placed: list[tuple[int, Block]] = []
    line_no = 0
    for t, grid in enumerate(grids):
        texts: dict[tuple[int, tuple[int, int]], str] = {
            (j.row, j.cell): j.text for j in jobs if j.table == t
        }
        ncols = len(grid.columns) - 1
        rows = []
        for r, (top, _bottom) in enumerate(grid.rows):
            cells = [""] * ncols
            for first, last in grid.cells[r]:
                for c in range(first, last):
                    cells[c] = texts.get((r, (first, last)), "")
            rows.append((top, cells))
        table = Table([TableRow(cells, Source(page=page)) for _, cells in rows], Source(page=page))
        placed.append((grid.top, table))
    if page_job is not None:
        for top, text in page_job.lines:
            placed.append((top, Paragraph(text, Source(page=page))))
    placed.sort(key=lambda item: item[0])
    blocks: list[Block] = []
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
        # The column's header "STT" is bold and short: tesseract gives "SIT", "5TT", "STI".
        word = job.text.replace(" ", "").upper()
        near = len(word) == 3 and sum(a != b for a, b in zip(word, "STT", strict=True)) == 1
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
            job.image.save(path, dpi=(DPI, DPI))
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
    words: dict[int, dict[tuple[int, int, int], list[tuple[int, int, str]]]] = {}
    for raw in done.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        parts = raw.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        page_num = int(parts[1]) - 1
        key = (int(parts[2]), int(parts[3]), int(parts[4]))
        words.setdefault(page_num, {}).setdefault(key, []).append(
            (int(parts[7]), int(parts[6]), text)
        )
    for i, job in enumerate(jobs):
        lines = []
        for key in sorted(words.get(i, {})):
            found = sorted(words[i][key], key=lambda w: w[1])
            top = min(w[0] for w in found)
            lines.append((top, clean_text(" ".join(w[2] for w in found))))
        lines.sort(key=lambda item: item[0])
        job.lines = [(top, text) for top, text in lines if text]
        job.text = "\n".join(text for _, text in job.lines)
