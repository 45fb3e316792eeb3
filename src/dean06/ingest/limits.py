"""How much of a file dean06 will read, and the checks that enforce it before any parser runs.

Every limit has its default here and an environment variable to change it (docs/deploy.md lists
them). A file over a limit raises IngestError naming the limit: one line and exit 2 in the CLI, a
message on the web pages. The defaults come from measurements: the worst file of each kind that
passes them reads in about 15 s and 400 MB at most (dense XML costs ~0.5-0.9 s and ~25 MB per
unpacked MB; plain text ~15 s per MB of one-character lines; HTML ~2.5 s per MB).
"""

from __future__ import annotations

import io
import math
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from dean06.ingest.model import IngestError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits in force (bytes, counts, pixels); `current()` reads them from the environment."""

    text_bytes: int  # plain text and Markdown, PDF and OCR text dumps, monthly reports
    html_bytes: int
    office_bytes: int  # .docx / .xlsx as uploaded (packed)
    pdf_bytes: int
    image_bytes: int
    xml_part_bytes: int  # one XML part of a .docx / .xlsx, unpacked
    xml_total_bytes: int  # all XML parts of one package together, unpacked
    unpacked_bytes: int  # everything in one package (images included), unpacked
    zip_members: int
    table_cells: int  # cells of all tables of one file once merged cells are spread out
    image_pixels: int  # one scanned page or image, at the resolution it is read (OCR)
    pdf_pages: int
    figures_xml_bytes: int  # all XML of an uploaded figures template together, unpacked

    @property
    def file_bytes(self) -> int:
        """The largest file of any kind: a file over it is refused before it is even read."""
        return max(
            self.text_bytes, self.html_bytes, self.office_bytes, self.pdf_bytes, self.image_bytes
        )


@dataclass(frozen=True)
class _Setting:
    field: str
    env: str
    default: float
    unit: int  # bytes per unit of the variable (MB), 1 for counts, 10**6 for megapixels


SETTINGS: tuple[_Setting, ...] = (
    _Setting("text_bytes", "DEAN06_MAX_TEXT_MB", 1, MB),
    _Setting("html_bytes", "DEAN06_MAX_HTML_MB", 5, MB),
    _Setting("office_bytes", "DEAN06_MAX_OFFICE_MB", 50, MB),
    _Setting("pdf_bytes", "DEAN06_MAX_PDF_MB", 100, MB),
    _Setting("image_bytes", "DEAN06_MAX_IMAGE_MB", 50, MB),
    _Setting("xml_part_bytes", "DEAN06_MAX_XML_PART_MB", 10, MB),
    _Setting("xml_total_bytes", "DEAN06_MAX_XML_TOTAL_MB", 15, MB),
    _Setting("unpacked_bytes", "DEAN06_MAX_UNPACKED_MB", 100, MB),
    _Setting("zip_members", "DEAN06_MAX_ZIP_MEMBERS", 10_000, 1),
    _Setting("table_cells", "DEAN06_MAX_TABLE_CELLS", 500_000, 1),
    _Setting("image_pixels", "DEAN06_MAX_IMAGE_MEGAPIXELS", 40, 1_000_000),
    _Setting("pdf_pages", "DEAN06_MAX_PDF_PAGES", 200, 1),
    _Setting("figures_xml_bytes", "DEAN06_MAX_FIGURES_XML_MB", 5, MB),
)
_ENV = {s.field: s.env for s in SETTINGS}


def current() -> Limits:
    """The limits, from the environment (read on every call, so a change needs no restart of
    the code that asks; a long-running server still needs one to see a new environment)."""
    values: dict[str, int] = {}
    for setting in SETTINGS:
        raw = os.environ.get(setting.env, "").strip()
        number = setting.default
        if raw:
            try:
                number = float(raw.replace(",", "."))
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or number <= 0:
                raise IngestError(
                    f"Cấu hình {setting.env}={raw!r} không hợp lệ: cần một số dương.",
                    f"invalid {setting.env}={raw!r}: a positive number is needed",
                )
        values[setting.field] = max(1, int(number * setting.unit))
    return Limits(**values)


# --- messages ---------------------------------------------------------------------------------


def size_text(n: int, *, limit: bool = False) -> str:
    """Bytes as people read them, Vietnamese decimal comma: "400 MB", "1,5 MB", "12 KB".

    A size is rounded up and a limit down, so that a file one byte over a limit never reads as
    the limit itself.
    """
    rounding = math.floor if limit else math.ceil
    if n >= MB:
        text = f"{rounding(n * 10 / MB) / 10:.1f}".removesuffix(".0")
        return text.replace(".", ",") + " MB"
    return f"{max(1, rounding(n / 1024))} KB"


def count_text(n: int) -> str:
    """A count with Vietnamese thousands dots: 100.000."""
    return f"{n:,}".replace(",", ".")


def _too_big(
    what_vi: str, what_en: str, size: int, limit: int, field: str, when_vi: str = ""
) -> IngestError:
    return IngestError(
        f"{what_vi} quá lớn{when_vi}: {size_text(size)}, giới hạn {size_text(limit, limit=True)}.",
        f"{what_en} too large: {size} bytes > {limit} ({_ENV[field]})",
    )


# --- files as given ---------------------------------------------------------------------------

# Reader kinds (detect.py) → (limit, Vietnamese and English name of the kind).
_KINDS: dict[str, tuple[str, str, str]] = {
    "docx": ("office_bytes", "Tệp Word", "Word file"),
    "xlsx": ("office_bytes", "Tệp Excel", "Excel file"),
    "office": ("office_bytes", "Tệp Word/Excel", "Office file"),
    "pdf": ("pdf_bytes", "Tệp PDF", "PDF file"),
    "image": ("image_bytes", "Tệp ảnh", "image file"),
    "html": ("html_bytes", "Trang HTML", "HTML page"),
    "text": ("text_bytes", "Tệp văn bản", "text file"),
    "pdf-text": ("text_bytes", "Tệp văn bản", "text file"),
    "ocr-text": ("text_bytes", "Tệp văn bản", "text file"),
    "report": ("text_bytes", "Tệp báo cáo", "report file"),
}


def check_file_size(size: int) -> None:
    """Refuse a file larger than the largest limit of any kind, before reading it into memory."""
    limits = current()
    if size > limits.file_bytes:
        raise IngestError(
            f"Tệp quá lớn: {size_text(size)}; không loại tệp nào được quá "
            f"{size_text(limits.file_bytes, limit=True)}.",
            f"file too large: {size} bytes > {limits.file_bytes}, the largest limit of any kind",
        )


def check_size(size: int, kind: str) -> None:
    """Refuse a file of `kind` (a reader kind of detect.py, or "report") over its size limit."""
    field, what_vi, what_en = _KINDS[kind]
    limit = getattr(current(), field)
    if size > limit:
        raise _too_big(what_vi, what_en, size, limit, field)


# --- zip packages (.docx, .xlsx) --------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
_CHUNK = 1 << 20
# Declarations that a genuine Office part never has: a DTD is how XML entities (external files,
# "billion laughs") come in. The UTF-16 forms, since OOXML allows UTF-16 parts.
_DTD_MARKS = tuple(
    mark.encode(codec)
    for mark in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("ascii", "utf-16-le", "utf-16-be")
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# Elements whose range openpyxl spreads into one object per cell while loading (merged ranges,
# hyperlinks): a few bytes of `ref="A1:XFD1048576"` would make 17 billion of them.
_RANGE_ELEMENT = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?(?:mergeCell|hyperlink)\b[^>]*?\sref\s*=\s*["']([^"']*)["']"""
)
_RANGE = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?")
_TAIL = 512  # bytes kept between chunks so that a mark cut in two is still seen


def zip_member_count(data: bytes) -> int | None:
    """The number of entries in a zip's central directory, counted from the raw bytes and
    stopping early, or None when the end record is not found (zipfile then says it is corrupt).

    zipfile builds an object per entry before anyone can look at the count; ten million tiny
    entries would cost gigabytes. The count in the end record can lie, so the headers are
    walked the way zipfile walks them (it ignores that count too).
    """
    limit = current().zip_members
    eocd = data.rfind(_EOCD, max(0, len(data) - 22 - 65535))
    if eocd < 0 or eocd + 22 > len(data):
        return None
    cd_size: int = struct.unpack_from("<I", data, eocd + 12)[0]
    end = eocd
    locator = eocd - 20
    if locator >= 56 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        record = locator - 56
        if data[record : record + 4] == _EOCD64:
            cd_size = struct.unpack_from("<Q", data, record + 40)[0]
            end = record
    pos = max(0, end - cd_size)
    count = 0
    while pos + 46 <= end and data[pos : pos + 4] == _CENTRAL:
        count += 1
        if count > limit:
            break
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
    return count


def check_zip_members(data: bytes, what_vi: str = "Tệp nén", what_en: str = "zip file") -> None:
    """Refuse a zip with more entries than DEAN06_MAX_ZIP_MEMBERS, before zipfile reads it."""
    limit = current().zip_members
    count = zip_member_count(data)
    if count is not None and count > limit:
        raise IngestError(
            f"{what_vi} có quá nhiều thành phần bên trong (hơn {count_text(limit)}).",
            f"too many members in the {what_en}: more than {limit} ({_ENV['zip_members']})",
        )


def open_zip(
    data: bytes,
    *,
    what_vi: str,
    what_en: str,
    xml_total_bytes: int | None = None,
) -> zipfile.ZipFile:
    """The zip package in `data` once it is known to unpack within the limits.

    First from the directory alone, before anything is decompressed: the number of members,
    each XML part's declared size, the declared totals. Then every member is decompressed in
    1 MB chunks, counting the bytes actually produced (a declared size can lie), looking for
    DTD declarations and for huge merged ranges. python-docx and openpyxl decompress the package
    themselves and cannot be bounded from outside; this pass makes sure that what they will read
    is what was counted here (zipfile stops at the declared size and checks the CRC).
    `xml_total_bytes` overrides the XML total (an uploaded figures template is held to less).
    """
    budget = _Budget(current(), what_vi, what_en, xml_total_bytes)
    check_zip_members(data, what_vi, what_en)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    # NotImplementedError: a zip made by a later version of the format ("zip file version 6.4").
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
        OSError,
    ) as exc:
        raise IngestError(
            f"{what_vi} bị hỏng hoặc không đúng định dạng.", f"corrupt {what_en}: {exc}"
        ) from exc
    declared_xml = 0
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            budget.check_part(info.filename, info.file_size)
            declared_xml += info.file_size
    budget.check_totals(sum(info.file_size for info in infos), declared_xml)

    total = xml_total = cells = 0
    for info in infos:
        name = info.filename.lower()
        is_xml = name.endswith(_XML_SUFFIXES)
        size = 0
        tail = b""
        for index, chunk in enumerate(_member_chunks(package, info, what_vi, what_en)):
            if index == 0:
                # A part is XML by its content, whatever its name: content types decide.
                head = chunk.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
                is_xml = is_xml or not head or head.startswith(b"<")
            size += len(chunk)
            total += len(chunk)
            xml_total += len(chunk) if is_xml else 0
            budget.check_totals(total, xml_total)
            if not is_xml:
                continue
            budget.check_part(info.filename, size)
            window = tail + chunk
            # SVG pictures may carry a DOCTYPE; no Office library parses them.
            if not name.endswith(".svg") and any(mark in window for mark in _DTD_MARKS):
                raise IngestError(
                    f"{what_vi} chứa khai báo DOCTYPE/ENTITY mà tệp Office thật không có; "
                    "tệp bị từ chối vì lý do an toàn.",
                    f"{info.filename} declares a DTD or entities; refused",
                )
            cells, tail = _range_cells(window, cells, what_vi, what_en, budget.limits.table_cells)
    return package


class _Budget:
    """The size limits of one package, with the messages that name them."""

    def __init__(
        self, limits: Limits, what_vi: str, what_en: str, xml_total_bytes: int | None
    ) -> None:
        self.limits = limits
        self.what_vi, self.what_en = what_vi, what_en
        self.xml_total = xml_total_bytes or limits.xml_total_bytes
        self.xml_total_field = "figures_xml_bytes" if xml_total_bytes else "xml_total_bytes"

    def check_part(self, name: str, size: int) -> None:
        limit = self.limits.xml_part_bytes
        if size > limit:
            raise IngestError(
                f"{self.what_vi} quá lớn khi giải nén: phần {name} là {size_text(size)}, giới "
                f"hạn {size_text(limit, limit=True)} mỗi phần.",
                f"{self.what_en}: part {name} unpacks to {size} bytes or more > {limit} "
                f"({_ENV['xml_part_bytes']})",
            )

    def check_totals(self, total: int, xml_total: int) -> None:
        if total > self.limits.unpacked_bytes:
            raise _too_big(
                self.what_vi,
                f"{self.what_en} unpacked",
                total,
                self.limits.unpacked_bytes,
                "unpacked_bytes",
                " khi giải nén",
            )
        if xml_total > self.xml_total:
            raise _too_big(
                f"Nội dung XML của {self.what_vi[:1].lower()}{self.what_vi[1:]}",
                f"XML of the {self.what_en}",
                xml_total,
                self.xml_total,
                self.xml_total_field,
                " khi giải nén",
            )


def _member_chunks(
    package: zipfile.ZipFile, info: zipfile.ZipInfo, what_vi: str, what_en: str
) -> Iterator[bytes]:
    try:
        with package.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    except (
        zipfile.BadZipFile,
        NotImplementedError,
        RuntimeError,
        EOFError,
        OSError,
        zlib.error,
    ) as exc:
        # Bad CRC, a truncated member, an encrypted member, an unknown compression method.
        raise IngestError(
            f"{what_vi} bị hỏng hoặc không đúng định dạng.",
            f"corrupt {what_en}: member {info.filename}: {exc}",
        ) from exc


def _range_cells(
    window: bytes, cells: int, what_vi: str, what_en: str, limit: int
) -> tuple[int, bytes]:
    """Add the cells of the merged ranges and hyperlinks ending in `window`; the tail to carry
    over (what follows the last complete element, at most _TAIL bytes)."""
    last_end = 0
    for match in _RANGE_ELEMENT.finditer(window):
        last_end = match.end()
        for part in match.group(1).split():
            cells += range_area(part)
        if cells > limit:
            raise IngestError(
                f"{what_vi} có vùng ô gộp hoặc liên kết trải trên quá nhiều ô (giới hạn "
                f"{count_text(limit)} ô).",
                f"merged ranges or hyperlinks cover more than {limit} cells "
                f"({_ENV['table_cells']})",
            )
    return cells, window[max(last_end, len(window) - _TAIL) :]


def range_area(ref: bytes) -> int:
    """Cells in a range like b"A1:C10" (1 for a single cell, 0 for what is not a range)."""
    match = _RANGE.fullmatch(ref.strip())
    if match is None:
        return 0
    col1, row1, col2, row2 = match.groups()
    if col2 is None or row2 is None:
        return 1
    width = abs(_column_number(col2) - _column_number(col1)) + 1
    height = abs(int(row2) - int(row1)) + 1
    return width * height


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


# --- tables, images, pages --------------------------------------------------------------------


class CellBudget:
    """The cells all tables of one document may spread into (DEAN06_MAX_TABLE_CELLS).

    Merged cells are repeated in every position they span, so a few bytes of "colspan=1000
    rowspan=1000" or a Word gridSpan of a billion would otherwise make a table of any size.
    The budget is per document, not per table: thousands of small spanned tables add up.
    """

    def __init__(self, what_vi: str = "Bảng") -> None:
        self.limit = current().table_cells
        self.used = 0
        self.what_vi = what_vi

    def take(self, rows: int, columns: int, *, counted: int = 0) -> None:
        """Count a rows × columns table, of which `counted` cells were already taken."""
        self.used += rows * columns - counted
        if self.used > self.limit:
            raise IngestError(
                f"{self.what_vi} quá lớn: {count_text(rows)} dòng × {count_text(columns)} cột, "
                f"vượt giới hạn {count_text(self.limit)} ô cho mọi bảng của một tệp.",
                f"tables too large: {self.used} cells > {self.limit} ({_ENV['table_cells']})",
            )


def check_pixels(width: float, height: float, what_vi: str = "Ảnh") -> None:
    """Refuse an image (or a page to render) over DEAN06_MAX_IMAGE_MEGAPIXELS, before decoding."""
    limit = current().image_pixels
    pixels = width * height
    if pixels > limit:
        raise IngestError(
            f"{what_vi} quá lớn để nhận dạng chữ: {pixels / 1e6:.0f} triệu điểm ảnh, giới hạn "
            f"{limit / 1e6:.0f} triệu.",
            f"image too large: {pixels:.0f} pixels > {limit} ({_ENV['image_pixels']})",
        )


def check_pages(pages: int, what_vi: str = "Tệp PDF") -> None:
    """Refuse a document of more than DEAN06_MAX_PDF_PAGES pages, before reading any page."""
    limit = current().pdf_pages
    if pages > limit:
        raise IngestError(
            f"{what_vi} có quá nhiều trang: {count_text(pages)}, giới hạn {count_text(limit)}.",
            f"too many pages: {pages} > {limit} ({_ENV['pdf_pages']})",
        )
