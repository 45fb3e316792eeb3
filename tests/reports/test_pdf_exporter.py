"""The PDF exporter: the Word report converted by LibreOffice, with a Times-compatible font that
covers Vietnamese, and a clear message when the machine cannot do it."""

from __future__ import annotations

import io
import shutil
import unicodedata

import pdfplumber
import pytest

from dean06.reports.exporters import pdf as pdf_module
from dean06.reports.exporters.base import ExportError
from dean06.reports.exporters.pdf import PdfExporter
from dean06.reports.exporters.registry import exporter_for
from tests.reports.sample import seed_report

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt install libreoffice-writer-nogui",
)
APPENDICES = ("Phụ lục I", "Phụ lục II", "Phụ lục III", "Phụ lục IV", "Phụ lục V")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def pages():
    """(text, width, height, font names) of each page of the sample report's PDF."""
    data = PdfExporter().render(seed_report())
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as document:
        return [
            (
                _nfc(page.extract_text() or ""),
                page.width,
                page.height,
                {c["fontname"] for c in page.chars},
            )
            for page in document.pages
        ]


def test_the_registry_finds_the_pdf_exporter():
    exporter = exporter_for("pdf")
    assert isinstance(exporter, PdfExporter)
    assert exporter.label == "PDF (.pdf)"
    # It lays the report out on the Word template.
    assert exporter.template_name == "bao-cao-thang.docx"


@needs_soffice
def test_first_page_is_portrait_with_the_national_title_in_vietnamese(pages):
    text, width, height, _ = pages[0]
    assert width < height
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "TỔ CÔNG TÁC TRIỂN KHAI" in text
    assert "Nơi nhận:" in text


@needs_soffice
def test_each_appendix_starts_a_landscape_page_in_order(pages):
    assert len(pages) > 3
    starts = []
    for name in APPENDICES:
        found = [i for i, (text, *_) in enumerate(pages) if name in text.splitlines()]
        assert found, name
        starts.append(found[0])
    assert starts == sorted(starts) and len(set(starts)) == 5
    assert starts[0] == 1  # the body and signature fit on the first page
    for text, width, height, _ in pages[1:]:
        assert width > height, text[:40]
    # Phụ lục I to V and the unreported tasks: at least one page each, the long task results more.
    assert len(pages) >= 1 + 5
    # The header row of Phụ lục II repeats on each of its pages.
    for text, *_ in pages[starts[1] : starts[2]]:
        assert "Nội dung, nhiệm vụ cụ thể" in text or "NHIỆM VỤ CHƯA CÓ BÁO CÁO" in text


@needs_soffice
def test_page_numbers_are_printed_from_page_two(pages):
    assert pages[0][0].splitlines()[0].strip() != "1"
    for number, (text, *_) in enumerate(pages[1:], 2):
        assert text.splitlines()[0].strip() == str(number)


@needs_soffice
def test_the_total_row_and_a_computed_share_are_in_the_pdf(pages):
    text = "\n".join(t for t, *_ in pages)
    assert "Tổng số 46.309 80 48.050 96,54%" in text
    assert "93,90%" in text


@needs_soffice
def test_fonts_embedded_are_liberation_serif(pages):
    fonts = set().union(*(f for *_, f in pages))
    assert fonts
    assert all("LiberationSerif" in name for name in fonts), fonts
    assert any(name.endswith("LiberationSerif-Bold") for name in fonts)
    assert any(name.endswith("LiberationSerif-Italic") for name in fonts)


def test_without_libreoffice_missing_names_the_package_and_render_refuses(monkeypatch):
    monkeypatch.setenv("PATH", "")
    exporter = PdfExporter()
    reason = exporter.missing()
    assert reason is not None and "libreoffice-writer-nogui" in reason
    with pytest.raises(ExportError) as caught:
        exporter.render(seed_report())
    assert str(caught.value) == reason


def test_without_the_vietnamese_times_font_missing_names_fonts_liberation2(monkeypatch):
    monkeypatch.setattr(
        pdf_module, "find_tool", lambda name: f"/usr/bin/{name}" if name == "soffice" else None
    )
    monkeypatch.setattr(pdf_module, "LIBERATION2_FILES", ())
    reason = PdfExporter().missing()
    assert reason is not None and "fonts-liberation2" in reason
    with pytest.raises(ExportError, match="fonts-liberation2"):
        PdfExporter().render(seed_report())


def test_the_old_liberation_fonts_do_not_count(monkeypatch):
    old = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
    monkeypatch.setattr(pdf_module, "times_font_file", lambda: old)
    monkeypatch.setattr(pdf_module, "LIBERATION2_FILES", ())
    assert not pdf_module.has_vietnamese_times()
    new = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    monkeypatch.setattr(pdf_module, "times_font_file", lambda: new)
    assert pdf_module.has_vietnamese_times()
