"""Scans read end to end: a damaged 200-dpi scan of the plan's first table page, and a PDF whose
only text layer is a stamp's line (one page each: OCR is slow on a shared machine)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

from dean06.ingest import extract
from dean06.ingest.readers import ocr, pdf
from dean06.ingest.scoring import score
from scripts import samples, scan_damage

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold" / "001.json"


needs_tesseract = pytest.mark.skipif(
    samples.tesseract_missing_reason() is not None, reason=str(samples.tesseract_missing_reason())
)
needs_soffice = pytest.mark.skipif(
    samples.soffice_missing_reason() is not None, reason=str(samples.soffice_missing_reason())
)
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm is not installed: apt install poppler-utils"
)


def _first_table_page() -> bytes:
    """Page 3 of the plan's PDF render (the appendix title and group A, tasks 1-6)."""
    import pypdfium2 as pdfium

    whole = pdfium.PdfDocument(samples.render_pdf())
    one = pdfium.PdfDocument.new()
    one.import_pages(whole, [2])
    out = io.BytesIO()
    one.save(out)
    return out.getvalue()


@needs_tesseract
@needs_soffice
@needs_pdftoppm
def test_scan_of_an_office_flatbed_is_read_with_95_percent_of_fields():
    """200 dpi grayscale JPEG, turned up to 0.6°, blurred, grey paper with a lamp's gradient,
    grain and dust: group A's six tasks found, their lead, coordinating units and dates right."""
    level = scan_damage.LEVELS[2]
    assert (level.dpi, level.color) == (200, False)
    data = scan_damage.scan(_first_table_page(), level, seed=11)
    plan = extract(data, filename="scan.pdf")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    gold["tasks"] = [t for t in gold["tasks"] if t["code"].startswith("A.")]
    assert len(gold["tasks"]) == 6
    result = score(plan, gold)
    assert result.recall == 1.0, result.missing
    assert result.fields >= 0.95, result.errors


def _stamped_scan_pdf() -> bytes:
    """A one-page PDF as a signing office sends it: the page a JPEG image, and a text layer
    holding only the digital signature's line ("SAO Y; ..."). Written by hand (no PDF writer
    with text and images is a dependency)."""
    font = ImageFont.truetype(font_manager.findfont("DejaVu Serif"), 40)
    page = Image.new("L", (1240, 1754), 238)  # A4 at 150 dpi, grey paper
    draw = ImageDraw.Draw(page)
    lines = [
        "TỜ TRÌNH",
        "Về việc triển khai thực hiện Đề án 06",
        "Công an tỉnh kính trình Ủy ban nhân dân tỉnh",
        "xem xét, phê duyệt kế hoạch năm 2026.",
    ]
    for i, line in enumerate(lines):
        draw.text((120, 200 + 90 * i), line, font=font, fill=25)
    noisy = np.asarray(page, dtype=np.int16) + np.random.default_rng(5).normal(0, 5, (1754, 1240))
    jpeg = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(jpeg, "JPEG", quality=80)
    image = jpeg.getvalue()
    content = (
        b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"
        b"BT /F1 7 Tf 380 20 Td (SAO Y; CONG AN TINH LAM DONG; 25/12/2025; 09:27:28) Tj ET\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
        % len(image)
        + image
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def test_scan_a_thin_text_layer_over_page_images_is_not_the_page_content():
    import pdfplumber

    with pdfplumber.open(io.BytesIO(_stamped_scan_pdf())) as document:
        page = document.pages[0]
        assert "SAO Y" in page.extract_text()  # the text layer is there, one line of it
        assert pdf.scanned_page(page)


@needs_tesseract
def test_scan_a_pdf_with_only_a_stamp_line_of_text_goes_to_ocr():
    document = pdf.read(_stamped_scan_pdf())
    assert document.format == "pdf-ocr"
    texts = [p.text for p in document.paragraphs]
    assert "TỜ TRÌNH" in texts
    assert any("Công an tỉnh kính trình" in t for t in texts)


@pytest.mark.parametrize(
    ("word", "split"),
    [
        ("vịcó", "vị có"),
        ("Tốngsố", "Tống số"),
        ("dịchvụ,", "dịch vụ,"),
        ("người", "người"),  # one tone mark: one syllable
        ("CSDLQG", "CSDLQG"),
        ("UBNDtỉnh", "UBND tỉnh"),
        ("VNeID", "VNeID"),
        ("thườngxuyên", "thườngxuyên"),  # one tone mark: left alone, not guessed
    ],
)
def test_scan_two_syllables_printed_without_their_space_are_split(word, split):
    assert ocr.split_glued(word) == split


def test_scan_dust_read_as_lone_marks_does_not_become_cell_text():
    def word(text: str, left: int, conf: float = 90.0, line: int = 1) -> ocr._Word:
        return ocr._Word((1, 1, line), left, 10 * line, 20, 20, conf, text)

    lines = ocr._lines(
        [
            word("Thực", 0),
            word("hiện", 60),
            word("thường.", 120),  # dust read as a full stop: the line goes on in small letters
            word("„", 200, conf=30),
            word("ˆ", 230),  # a stray accent: a modifier letter, no letter of a word
            word("+", 10, line=2),
            word("*", 40, line=2),
            word("xuyên", 0, line=3),
            word("%", 0, line=6, conf=40),
            word("tiếp", 30, line=6),
            word("nhận", 60, line=6),
            word("Trong", 0, line=5),
            word("năm.", 60, line=5),
            word("2024.", 120, line=5),
            word("Thực", 180, line=5),
            word("hiện.", 240, line=5),
            word("thường", 300, line=5),
            word("-", 0, line=4),
            word("Sở", 30, line=4),
            word("Nội", 70, line=4),
            word("vụ", 110, line=4),
        ]
    )
    assert [text for _, text in lines] == [
        "Thực hiện thường",
        "xuyên",
        "- Sở Nội vụ",
        "Trong năm. 2024. Thực hiện thường",  # before a capital or a number it may end a sentence
        "% tiếp nhận",  # a sign, not dust
    ]


@pytest.mark.parametrize("header", ["SITT", "STTT", "ST", "5TT", "SIT"])
def test_scan_the_number_columns_header_as_ocr_prints_it_is_stt(header):
    jobs = [ocr._Job(None, text=t) for t in [header, "I", "1", "2", "3"]]
    ocr._fix_code_column(jobs, "tesseract")
    assert jobs[0].text == "STT"


def test_scan_a_run_of_task_numbers_keeps_its_own_prefix():
    """A bold "5" read as "0" or "9" in a run 5.1-5.4: the run's prefix, then its group's."""
    jobs = [ocr._Job(None, text=t) for t in ["STT", "4.1", "4.2", "0", "0.1", "9.2", "5.3", "5.4"]]
    ocr._fix_code_column(jobs, "tesseract")
    assert [j.text for j in jobs] == ["STT", "4.1", "4.2", "5", "5.1", "5.2", "5.3", "5.4"]
    # Half the run misread: the group after 4 is 5.
    jobs = [ocr._Job(None, text=t) for t in ["4.1", "4.2", "9", "9.1", "9.2", "5.3", "5.4", "6"]]
    ocr._fix_code_column(jobs, "tesseract")
    assert [j.text for j in jobs] == ["4.1", "4.2", "5", "5.1", "5.2", "5.3", "5.4", "6"]
