"""Legacy Office files (Word 97 .doc, Excel 97 .xls): saved as .docx/.xlsx by LibreOffice, then
read by the OOXML readers. Used by `detect.read_document` for plans and reports alike."""

from __future__ import annotations

import subprocess

from dean06.ingest import limits
from dean06.ingest.model import IngestError, MissingToolError
from dean06.ingest.readers._common import CFB_MAGIC
from dean06.ingest.tools import find_tool, soffice_convert

CONVERT_TIMEOUT = 180  # seconds of LibreOffice per legacy file

# Stream names inside an OLE compound file tell a Word 97 document from an Excel 97 workbook.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def legacy_kind(data: bytes) -> str | None:
    """ "doc" or "xls" for a legacy Office file LibreOffice can convert; None otherwise (an
    encrypted OOXML package is a compound file too: the OOXML readers explain it)."""
    if not data.startswith(CFB_MAGIC) or _ENCRYPTED_STREAM in data:
        return None
    if _WORD_STREAM in data:
        return "doc"
    if any(stream in data for stream in _EXCEL_STREAMS):
        return "xls"
    return None


def convert_legacy(data: bytes, target: str) -> bytes:
    """A Word 97 (.doc) or Excel 97 (.xls) file saved as .docx/.xlsx by LibreOffice, headless, in
    a private profile and a temporary folder (a shared profile would lock between two runs)."""
    kind_vi = "Word 97 (.doc)" if target == "docx" else "Excel 97 (.xls)"
    soffice = find_tool("soffice")
    if soffice is None:
        raise MissingToolError(
            f"Tệp {kind_vi} cần LibreOffice để chuyển sang .{target}: chạy `apt install "
            f"libreoffice-writer-nogui` (hoặc tự lưu lại tệp dưới dạng .{target} rồi tải lên).",
            f"a legacy {target[:3]} file needs LibreOffice (soffice) to be converted; "
            "install libreoffice-writer-nogui or save it as OOXML",
        )
    limits.check_size(len(data), "office")
    try:
        converted = soffice_convert(
            soffice, data, suffix=target[:3], target=target, timeout=CONVERT_TIMEOUT
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(
            f"LibreOffice không chuyển xong tệp {kind_vi} sau {CONVERT_TIMEOUT} giây.",
            f"LibreOffice timed out converting the legacy file to {target}",
        ) from exc
    if converted is None:
        raise IngestError(
            f"LibreOffice không chuyển được tệp {kind_vi}: tệp bị hỏng hoặc được đặt mật khẩu.",
            f"LibreOffice could not convert the legacy file to {target}",
        )
    return converted
