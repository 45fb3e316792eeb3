"""Monthly reports in Word, legacy Word 97, Excel, PDF and scans: the file becomes the plan readers'
neutral `Document` (chosen by content, as `detect` does for plans); `report.extract_report_document`
then reads its rows as it reads the text form.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from dean06.ingest import limits
from dean06.ingest.detect import CFB_MAGIC, IMAGE_MAGIC, read_document
from dean06.ingest.model import IngestError, MissingToolError
from dean06.ingest.readers.base import Document, Progress
from dean06.ingest.tools import find_tool

CONVERT_TIMEOUT = 180  # seconds of LibreOffice per legacy file

# Stream names inside an OLE compound file tell a Word 97 document from an Excel 97 workbook.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

OCR_NOTE = (
    "Báo cáo được đọc từ bản scan bằng nhận dạng chữ (OCR): số liệu, số ký hiệu và ngày tháng "
    "có thể sai; hãy đối chiếu với bản giấy trước khi nhập."
)


def is_binary(data: bytes) -> bool:
    """True for the formats the text reader cannot take: Office, PDF, images."""
    head = data.lstrip()[:8]
    return (
        data.startswith((b"PK\x03\x04", CFB_MAGIC))
        or head.startswith(b"%PDF-")
        or data[:1024].find(b"%PDF-") >= 0
        or data.startswith(IMAGE_MAGIC)
    )


def read_report_document(
    data: bytes, *, filename: str | None = None, progress: Progress | None = None
) -> Document:
    """The neutral Document of a report file; a legacy .doc/.xls is converted by LibreOffice."""
    legacy = None
    if data.startswith(CFB_MAGIC) and _ENCRYPTED_STREAM not in data:
        if _WORD_STREAM in data:
            legacy, data = "doc", convert_legacy(data, "docx")
        elif any(stream in data for stream in _EXCEL_STREAMS):
            legacy, data = "xls", convert_legacy(data, "xlsx")
    document = read_document(data, filename=filename, progress=progress)
    if legacy:
        document.format = legacy
    if document.format.endswith("ocr"):
        document.warnings.append(OCR_NOTE)
    return document


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
    with tempfile.TemporaryDirectory(prefix="dean06-report-") as tmp:
        folder = Path(tmp)
        source = folder / f"report.{target[:3]}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(folder / "out"),
                    str(source),
                ],
                check=False,
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            raise IngestError(
                f"LibreOffice không chuyển xong tệp {kind_vi} sau {CONVERT_TIMEOUT} giây.",
                f"LibreOffice timed out converting the legacy file to {target}",
            ) from exc
        converted = folder / "out" / f"report.{target}"
        if not converted.is_file():
            raise IngestError(
                f"LibreOffice không chuyển được tệp {kind_vi}: tệp bị hỏng hoặc được đặt mật khẩu.",
                f"LibreOffice could not convert the legacy file to {target}",
            )
        return converted.read_bytes()
