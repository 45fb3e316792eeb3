"""The OCR reader on a scan of the PDF render (one page: the suite must stay quick)."""

from __future__ import annotations

import io
import itertools
import shutil

import numpy as np
import pytest
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz import fuzz

from dean06.ingest.model import IngestError, MissingToolError
from dean06.ingest.readers import ocr, ocr_grid, pdf
from scripts import samples as render

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract is not installed: apt install tesseract-ocr tesseract-ocr-vie",
)
needs_soffice = pytest.mark.skipif(
    render.soffice_missing_reason() is not None, reason=str(render.soffice_missing_reason())
)


@pytest.fixture(scope="module")
def scanned():
    """Page 3 of the plan (appendix title and the first rows), scanned at 300 dpi, read by the
    PDF reader, which must hand the image-only PDF over to OCR on its own."""
    data = render.render_scanned_page_pdf(2)
    calls = []
    document = pdf.read(data, progress=lambda *a: calls.append(a))
    return document, calls


@needs_tesseract
@needs_soffice
def test_ocr_scanned_pdf_is_handed_over_and_keeps_the_table(scanned):
    document, calls = scanned
    assert document.format == "pdf-ocr"
    assert calls and calls[-1][0] == calls[-1][1] == 1
    assert len(document.tables) == 1
    rows = document.tables[0].rows
    assert all(len(r.cells) == 5 for r in rows)
    assert [r.cells[0] for r in rows[2:]] == ["1", "2", "3", "4", "5", "6"][: len(rows) - 2]
    assert len(rows) >= 5
    group = rows[1]
    assert len(set(group.cells)) == 1  # the merged group row, expanded
    assert fuzz.ratio(group.cells[0], "A. NHÓM THAM MƯU, CHỈ ĐẠO, TRIỂN KHAI (06 nhiệm vụ)") > 90


@needs_tesseract
@needs_soffice
def test_ocr_cells_are_read_accurately(scanned):
    document, _ = scanned
    seeds = {r.cells[0].text: r for r in render.task_rows()}
    rows = [r for r in document.tables[0].rows if r.cells[0] in seeds]
    assert rows
    for row in rows:
        seed = seeds[row.cells[0]]
        for col in (2, 3, 4):
            got = row.cells[col].replace("\n", " ")
            if not got:
                continue  # a cell cut by the page end
            expected = seed.cells[col].flat
            assert fuzz.partial_ratio(got, expected) > 92, (row.cells[0], col, got)
    units = [r.cells[2] for r in rows]
    assert units[0] == "Công an tỉnh"


@needs_tesseract
@needs_soffice
def test_ocr_text_above_the_table_becomes_paragraphs_with_page_and_line(scanned):
    document, _ = scanned
    first = document.blocks[0]
    assert first.text == "Phụ lục I"
    assert first.source.page == 1 and first.source.line == 1
    texts = [p.text for p in document.paragraphs]
    assert any(fuzz.ratio(t, render.preamble()[3]) > 95 for t in texts)


@needs_tesseract
def test_ocr_reads_a_png_image():
    image = Image.new("L", (1400, 260), 255)
    draw = ImageDraw.Draw(image)
    # matplotlib (a dependency) ships DejaVu Sans, so the font is always there.
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 44)
    draw.text((40, 40), "Công an tỉnh", font=font, fill=0)
    draw.text((40, 140), "Thực hiện thường xuyên", font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    document = ocr.read(out.getvalue())
    assert document.format == "image-ocr"
    assert [p.text for p in document.paragraphs] == ["Công an tỉnh", "Thực hiện thường xuyên"]
    assert [p.source.line for p in document.paragraphs] == [1, 2]


def test_ocr_without_tesseract_says_which_packages_to_install(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MissingToolError) as info:
        ocr.read(b"%PDF-1.4 whatever")
    assert "tesseract-ocr" in info.value.message
    assert "tesseract-ocr-vie" in info.value.message
    assert "văn bản scan" in info.value.message


@needs_soffice
def test_scanned_pdf_without_tesseract_fails_clearly_not_silently(monkeypatch):
    data = render.render_scanned_page_pdf(2)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MissingToolError, match="tesseract-ocr-vie"):
        pdf.read(data)


@needs_tesseract
def test_ocr_without_vietnamese_data_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a tessdata folder with no languages
    with pytest.raises(MissingToolError, match="tesseract-ocr-vie"):
        ocr.read(b"\x89PNG not really")


@needs_tesseract
def test_ocr_of_something_that_is_not_an_image_is_refused():
    with pytest.raises(IngestError, match="không phải là ảnh"):
        ocr.read(b"definitely not an image")


def test_ocr_finds_ruled_table_cells_without_tesseract():
    """The grid finder on a drawn table: 3 row bands, the middle one merged across columns."""
    image = Image.new("L", (1200, 700), 255)
    draw = ImageDraw.Draw(image)
    xs = [100, 300, 700, 1100]
    ys = [100, 250, 400, 600]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for x in xs:
        for top, bottom in itertools.pairwise(ys):
            if x in (300, 700) and top == 250:
                continue  # the middle row is merged across all columns
            draw.line([(x, top), (x, bottom)], fill=0, width=3)
    grids = ocr_grid.page_grid(np.asarray(image)).tables
    assert len(grids) == 1
    grid = grids[0]
    assert len(grid.columns) == 4
    assert [len(cells) for cells in grid.cells] == [3, 1, 3]
    assert grid.cells[1] == [(0, 3)]


@pytest.mark.parametrize("angle", [0.0, 0.6, -1.5])
def test_ocr_measures_the_slant_of_a_scan(angle):
    image = Image.new("L", (1600, 1200), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 1100, 60):  # rows of "text": dashes with gaps, no rules
        for x in range(100, 1500, 90):
            draw.rectangle([x, y, x + 60, y + 14], fill=0)
    slanted = image.rotate(angle, fillcolor=255, expand=True)
    # PIL turns counter-clockwise; the slope of the rows in image coordinates is the opposite.
    assert ocr_grid.skew_angle(np.asarray(slanted)) == pytest.approx(-angle, abs=0.1)
