"""The consolidated monthly report as PDF: the Word file converted by LibreOffice headless.

Times New Roman is drawn with Liberation Serif (same metrics), which covers Vietnamese only in
its version 2 (Debian's fonts-liberation2); the old fonts-liberation has no Vietnamese and would
let LibreOffice fall back glyph by glyph to another font.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from dean06.ingest.tools import find_tool, soffice_convert
from dean06.reports.content import MonthlyReport
from dean06.reports.exporters.base import Exporter, ExportError
from dean06.reports.exporters.docx import DocxExporter
from dean06.reports.exporters.registry import exporter_for

CONVERT_TIMEOUT = 180  # seconds of LibreOffice per report
# Where Debian's fonts-liberation2 puts Liberation Serif (fonts-liberation uses .../liberation/).
LIBERATION2_FILES = (
    Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/liberation2/LiberationSerif-Regular.ttf"),
)
SOFFICE_PACKAGE = "libreoffice-writer-nogui"
FONT_PACKAGE = "fonts-liberation2"


def times_font_file() -> str | None:
    """The file fontconfig draws "Times New Roman" with, or None without fontconfig."""
    fc_match = find_tool("fc-match")
    if fc_match is None:
        return None
    try:
        done = subprocess.run(
            [fc_match, "-f", "%{file}", "Times New Roman"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def has_vietnamese_times() -> bool:
    """Whether a Times-compatible font covering Vietnamese is there: fontconfig gives Liberation
    Serif from liberation2 (or Times New Roman itself), or the liberation2 file exists."""
    found = times_font_file()
    if found is not None:
        name = Path(found).name.lower()
        if "liberation2" in found and name.startswith("liberationserif"):
            return True
        if name.startswith("times"):
            return True
    return any(path.is_file() for path in LIBERATION2_FILES)


class PdfExporter(Exporter):
    format = "pdf"
    label = "PDF (.pdf)"
    media_type = "application/pdf"
    # The PDF is the Word file converted: it is laid out on the Word template.
    template_name = DocxExporter.template_name

    def missing(self) -> str | None:
        if find_tool("soffice") is None:
            return (
                "Chưa xuất được báo cáo PDF: máy chủ cần LibreOffice, hãy cài gói "
                f"{SOFFICE_PACKAGE} (`apt install {SOFFICE_PACKAGE}`). "
                "Vẫn xuất được bản Word (.docx)."
            )
        if not has_vietnamese_times():
            return (
                "Chưa xuất được báo cáo PDF: máy chủ thiếu phông chữ tương thích Times New Roman "
                f"có tiếng Việt, hãy cài gói {FONT_PACKAGE} (`apt install {FONT_PACKAGE}`; gói "
                "fonts-liberation cũ không có tiếng Việt). Vẫn xuất được bản Word (.docx)."
            )
        return None

    def render(self, report: MonthlyReport, *, template: bytes | None = None) -> bytes:
        reason = self.missing()
        if reason is not None:
            raise ExportError(reason)
        soffice = find_tool("soffice")
        if soffice is None:  # removed between missing() and now
            raise ExportError(self.missing() or "LibreOffice không còn trên máy chủ.")
        word = exporter_for("docx").render(report, template=template)
        try:
            pdf = soffice_convert(
                soffice,
                word,
                suffix="docx",
                target="pdf:writer_pdf_Export",
                timeout=CONVERT_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            raise ExportError(
                f"LibreOffice không chuyển xong báo cáo sang PDF sau {CONVERT_TIMEOUT} giây."
            ) from exc
        if pdf is None:
            raise ExportError("LibreOffice không chuyển được báo cáo sang PDF.")
        return pdf
