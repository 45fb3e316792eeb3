"""Choosing the reader by content (magic bytes, then the shape of the text), never by file name."""

from __future__ import annotations

import importlib
import io
import zipfile
from types import ModuleType

from dean06.ingest import limits
from dean06.ingest.model import IngestError, UnitRegistry
from dean06.ingest.readers._common import CFB_MAGIC
from dean06.ingest.readers.base import Document, Progress

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")


def detect(data: bytes, filename: str | None = None) -> str:
    """The reader for `data`: docx, xlsx, pdf, image, html, pdf-text, ocr-text or text."""
    head = data[:8]
    if data.startswith(b"PK\x03\x04"):
        limits.check_size(len(data), "office")
        limits.check_zip_members(data)
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError) as exc:
            raise IngestError("Tệp nén bị hỏng.", "corrupt zip package") from exc
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        raise IngestError(
            "Định dạng tệp chưa được hỗ trợ (tệp nén không phải Word hay Excel).",
            "unsupported format: a zip that is neither .docx nor .xlsx",
        )
    if head.startswith(CFB_MAGIC):
        # Legacy or encrypted Office files: the OOXML readers explain which.
        return "xlsx" if filename and filename.lower().endswith((".xls", ".xlsx")) else "docx"
    if data.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(
            "Định dạng tệp chưa được hỗ trợ (tệp nhị phân không rõ loại).",
            "unsupported format: unknown binary file",
        )
    # Text is checked before it is decoded and sniffed: both walk the whole file. A page that
    # says it is HTML at its top may be larger (saved web pages carry menus and styles).
    sniff = data[:4096].lower()
    is_page = b"<html" in sniff or b"<!doctype html" in sniff
    limits.check_size(len(data), "html" if is_page else "text")
    from dean06.ingest.readers.pdftext import looks_like_pdf_text
    from dean06.ingest.readers.text import decode, looks_like_pipe_tables

    text = decode(data)
    start = text[:4096].lower()
    if "<html" in start or "<!doctype html" in start or "<table" in text.lower():
        return "html"
    # A web page saved as text keeps its tables as pipes; its short lines would otherwise pass
    # for the broken cells of a PDF text dump. It has no page breaks: tesseract and pdftotext
    # end each page with a form feed, and a scanned table's rules OCR'd print as lone pipes too.
    if "\f" not in text and looks_like_pipe_tables(text):
        return "text"
    if looks_like_pdf_text(text):
        return "pdf-text"
    from dean06.ingest.readers.ocrtext import looks_like_ocr_text

    if looks_like_ocr_text(text):
        return "ocr-text"
    return "text"


_MODULES = {
    "docx": "docx",
    "xlsx": "xlsx",
    "pdf": "pdf",
    "image": "ocr",
    "html": "html",
    "pdf-text": "pdftext",
    "ocr-text": "ocrtext",
    "text": "text",
}


def _reader(kind: str) -> ModuleType:
    name = f"dean06.ingest.readers.{_MODULES[kind]}"
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise IngestError(
            f"Chưa có bộ đọc cho định dạng {kind}.", f"no reader installed for {kind}"
        ) from exc


def read_document(
    data: bytes,
    *,
    filename: str | None = None,
    progress: Progress | None = None,
    registry: UnitRegistry | None = None,
) -> Document:
    """The neutral Document of `data`, from the reader its content calls for."""
    limits.check_file_size(len(data))
    if not data or data.isspace():
        raise IngestError("Tệp rỗng.", "the file is empty")
    from dean06.ingest.readers.legacy import convert_legacy, legacy_kind

    legacy = legacy_kind(data)
    if legacy is not None:  # Word 97 / Excel 97: LibreOffice saves it as .docx / .xlsx first
        data = convert_legacy(data, "docx" if legacy == "doc" else "xlsx")
    kind = detect(data, filename)
    # Each kind has its own size limit; a reader never starts on a file over it.
    limits.check_size(len(data), kind)
    module = _reader(kind)
    try:
        if kind in ("pdf-text", "ocr-text"):
            doc: Document = module.read(data, progress=progress, registry=registry)
        else:
            doc = module.read(data, progress=progress)
    except IngestError:
        raise
    except Exception as exc:  # a reader's library failing on a damaged file
        raise IngestError(
            "Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng.",
            f"could not read the file as {kind}: {type(exc).__name__}: {exc}",
        ) from exc
    if legacy is not None:
        doc.format = legacy
    elif not doc.format:
        doc.format = kind
    return doc
