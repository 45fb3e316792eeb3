"""Monthly reports in Word, legacy Word 97, Excel, PDF and scans: the file becomes the plan readers'
neutral `Document` (chosen by content, as `detect` does for plans); `report.extract_report_document`
then reads its rows as it reads the text form.
"""

from __future__ import annotations

from dean06.ingest.detect import IMAGE_MAGIC, read_document
from dean06.ingest.readers._common import CFB_MAGIC
from dean06.ingest.readers.base import Document, Progress

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
    """The neutral Document of a report file (a legacy .doc/.xls is converted by the reader
    layer, as for plans); a scan carries the note that OCR'd figures must be checked."""
    document = read_document(data, filename=filename, progress=progress)
    if document.format.endswith("ocr"):
        document.warnings.append(OCR_NOTE)
    return document
