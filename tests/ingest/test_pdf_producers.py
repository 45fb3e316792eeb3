"""PDFs as other programs make them: a web page printed by a browser, and a scan that its
scanner's software made searchable (a picture of each page under an invisible OCR text layer).

Before: the browser's PDF lost the row a page break cut (the browser draws no rule where the
page cuts a row, so the row fell outside the table) and the text of a merged cell running over
the break; the searchable scan gave no task at all (its text layer was read as a digital page
with no ruled table)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont

from dean06.ingest import extract
from dean06.ingest.readers import ocr, pdf
from dean06.ingest.readers.base import Table
from scripts import samples
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

needs_ocr = pytest.mark.skipif(
    samples.tesseract_missing_reason() is not None, reason=str(samples.tesseract_missing_reason())
)


LONG = (
    "Rà soát, chuẩn hóa dữ liệu hộ tịch điện tử của các xã, phường trên địa bàn tỉnh để kết nối "
    "với Cơ sở dữ liệu quốc gia về dân cư, bảo đảm đúng, đủ, sạch, sống. "
) * 14


def _page_html() -> str:
    # A5 pages and a long second task: the page breaks inside task 2, and the lead and
    # deadline cells merged over tasks 2 and 3 (centred, as a browser prints them) run over
    # the break.
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page {{ size: A5 landscape; margin: 12mm }}
body {{ font: 10pt 'Liberation Serif', 'DejaVu Serif', serif }}
table {{ border-collapse: collapse; width: 100% }}
td, th {{ border: 1px solid black; padding: 3px; vertical-align: top }}
</style></head><body>
<p>Phụ lục</p>
<table><colgroup><col style="width:6%"><col style="width:50%">
<col style="width:16%"><col style="width:16%"><col style="width:12%"></colgroup>
<thead><tr><th>STT</th><th>Nội dung, nhiệm vụ</th><th>Đơn vị chủ trì</th>
<th>Đơn vị phối hợp</th><th>Thời gian hoàn thành</th></tr></thead><tbody>
<tr><td>1</td><td>Triển khai thí điểm sổ sức khỏe điện tử tại các trạm y tế xã.</td>
<td>Sở Y tế</td><td>Công an tỉnh</td><td>Tháng 3/2024</td></tr>
<tr><td>2</td><td>{LONG}</td><td rowspan="2">Sở Tư pháp</td><td>Công an tỉnh</td>
<td rowspan="2">Tháng 9/2024</td></tr>
<tr><td>3</td><td>Hướng dẫn cấp bản sao trích lục hộ tịch điện tử cho người dân.</td>
<td>Ủy ban nhân dân các huyện</td></tr>
<tr><td>4</td><td>Tuyên truyền về lợi ích của tài khoản định danh điện tử mức độ 2.</td>
<td>Sở Thông tin và Truyền thông</td><td>Đài Phát thanh và Truyền hình tỉnh</td>
<td>Thường xuyên</td></tr>
</tbody></table></body></html>"""


@pytest.fixture(scope="module")
def browser_pdf() -> bytes:
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Chromium không có (cài gói Debian chromium) — /usr/bin/chromium is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(_page_html())
            return page.pdf(prefer_css_page_size=True)
        finally:
            browser.close()


def test_the_browser_cut_the_second_task_and_its_merged_cells_over_a_page(browser_pdf):
    """The document is what the test says: task 2 starts on page 1 and ends on page 2, and the
    page break leaves the table open (no rule under its last row on page 1)."""
    with pdfplumber.open(io.BytesIO(browser_pdf)) as doc:
        first, second = doc.pages[0].extract_text(), doc.pages[1].extract_text()
        plain = doc.pages[0].find_tables(table_settings=pdf.TABLE_SETTINGS)
        assert "Tháng 3/2024" in first and "Tuyên truyền" in second
        assert "sạch, sống" in first and "sạch, sống" in second
        assert "Sở Tư pháp" not in plain[0].extract()[-1]


def test_a_row_cut_by_the_page_and_a_merged_cell_over_the_break_are_read(browser_pdf):
    plan = extract(browser_pdf, filename="phu-luc.pdf")
    tasks = {t.code: t for t in plan.tasks}
    assert sorted(tasks) == ["1", "2", "3", "4"]
    lead = {code: [u.unit_key for u in t.lead_units] for code, t in tasks.items()}
    assert lead == {"1": ["SYT"], "2": ["STP"], "3": ["STP"], "4": ["STTTT"]}
    due = {code: t.deadline.raw for code, t in tasks.items()}
    assert due == {
        "1": "Tháng 3/2024",
        "2": "Tháng 9/2024",
        "3": "Tháng 9/2024",
        "4": "Thường xuyên",
    }
    # The cut row's text is one text, from page 1 and page 2, written once.
    assert " ".join(tasks["2"].content.split()).count("bảo đảm đúng, đủ, sạch, sống") == 14
    assert [u.collective for u in tasks["3"].coordinating_units] == ["UBND_HUYEN"]


def test_a_rule_drawn_in_one_column_makes_no_repeated_row(browser_pdf):
    """The merged cells' rules cut the grid into rows that hold no text of their own: they are
    not rows of the table (each would repeat the row above)."""
    doc = pdf.read(browser_pdf)
    rows = [r.cells for b in doc.blocks if isinstance(b, Table) for r in b.rows]
    numbered = [cells[0] for cells in rows if cells[0].isdigit()]
    assert numbered == ["1", "2", "3", "4"]


# --- a merged cell over a page break, printed by a word processor ---------------------------


def _merged_over_pages_docx() -> bytes:
    """A Word table whose coordinating cell is merged over all six tasks, long enough to run
    over three pages."""
    from docx import Document as WordDocument

    word = WordDocument()
    table = word.add_table(rows=7, cols=5)
    table.style = "Table Grid"
    header = ("TT", "Công việc", "Đơn vị thực hiện", "Đơn vị phối hợp", "Thời gian hoàn thành")
    for column, text in enumerate(header):
        table.cell(0, column).text = text
    leads = ["Sở Tư pháp", "Sở Y tế", "Công an tỉnh"]
    for row in range(1, 7):
        table.cell(row, 0).text = str(row)
        table.cell(row, 1).text = f"Nhiệm vụ {row}: " + LONG[:600]
        table.cell(row, 2).text = leads[row % 3]
        table.cell(row, 4).text = f"Tháng {row}/2026"
    table.cell(1, 3).merge(table.cell(6, 3)).text = "Các sở, ban, ngành"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def merged_over_pages_pdf() -> bytes:
    """That table printed by LibreOffice: the merged cell's text is printed on the first page
    only, and a rule at each page's end closes the table."""
    if samples.soffice_missing_reason() is not None:
        pytest.skip(str(samples.soffice_missing_reason()))
    return samples.docx_to_pdf(_merged_over_pages_docx())


def test_a_merged_cell_over_page_breaks_gives_its_text_to_every_row(merged_over_pages_pdf):
    with pdfplumber.open(io.BytesIO(merged_over_pages_pdf)) as doc:
        assert len(doc.pages) >= 3
        assert "Các sở, ban," not in doc.pages[-1].extract_text()
    plan = extract(merged_over_pages_pdf, filename="phu-luc.pdf")
    assert [t.code for t in plan.tasks] == ["1", "2", "3", "4", "5", "6"]
    assert all([u.collective for u in t.coordinating_units] == ["SO_BAN_NGANH"] for t in plan.tasks)
    assert [t.deadline.raw for t in plan.tasks] == [f"Tháng {m}/2026" for m in range(1, 7)]


# --- a searchable scan ------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont:
    import matplotlib

    return ImageFont.truetype(
        str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"), size
    )


HEADER = ("STT", "Nội dung, nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành")
ROWS = [
    HEADER,
    ("1", "Rà soát dữ liệu hộ tịch điện tử", "Sở Tư pháp", "Tháng 6/2024"),
    ("2", "Cấp tài khoản định danh điện tử", "Công an tỉnh", "Tháng 9/2024"),
    ("3", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng UBND tỉnh", "Quý IV/2024"),
]
XS = [100, 260, 1100, 1600, 2050]


def _scanned_table(
    rows: list[tuple[str, ...]] = ROWS, merged_down: frozenset[tuple[int, int]] = frozenset()
) -> Image.Image:
    """A ruled 4-column table on an A4 page at 200 dpi, as a flatbed gives it. `merged_down`:
    the cells (row, column) with no rule above them, going on from the cell above."""
    image = Image.new("L", (1654, 2339), 250)
    scale = 1654 / 2150
    draw = ImageDraw.Draw(image)
    font = _font(30)
    top = 300
    for r, row in enumerate(rows):
        bottom = top + 110
        for c, text in enumerate(row):
            left, right = XS[c] * scale, XS[c + 1] * scale
            if (r, c) not in merged_down:
                draw.line([(left, top), (right, top)], fill=20, width=3)
            draw.text((left + 12, top + 30), text, font=font, fill=15)
        if r == len(rows) - 1:
            draw.line([(XS[0] * scale, bottom), (XS[-1] * scale, bottom)], fill=20, width=3)
        for x in XS:
            draw.line([(x * scale, top), (x * scale, bottom)], fill=20, width=3)
        top = bottom
    return image


@pytest.fixture(scope="module")
def searchable_pdf(tmp_path_factory) -> bytes:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        pytest.skip("tesseract is not installed: apt install tesseract-ocr")
    out = tmp_path_factory.mktemp("searchable")
    _scanned_table().save(out / "page.png", dpi=(200, 200))
    subprocess.run(
        [tesseract, str(out / "page.png"), str(out / "page"), "-l", "eng", "pdf"],
        check=True,
        capture_output=True,
    )
    return (out / "page.pdf").read_bytes()


def test_a_searchable_scan_is_a_scan(searchable_pdf):
    with pdfplumber.open(io.BytesIO(searchable_pdf)) as doc:
        page = doc.pages[0]
        assert len(page.chars) > pdf.THIN_TEXT_CHARS  # the scanner's text layer
        assert pdf.scanned_page(page)


@needs_ocr
def test_a_searchable_scan_is_read_from_its_picture(searchable_pdf):
    plan = extract(searchable_pdf, filename="scan.pdf")
    lead = {t.code: [u.unit_key for u in t.lead_units] for t in plan.tasks}
    assert lead == {"1": ["STP"], "2": ["CAT"], "3": ["VP_UBND"]}
    assert [t.deadline.raw for t in plan.tasks] == ["Tháng 6/2024", "Tháng 9/2024", "Quý IV/2024"]


def test_a_searchable_scan_without_tesseract_is_read_from_its_text_layer(
    searchable_pdf, monkeypatch
):
    monkeypatch.setenv("PATH", "")
    doc = pdf.read(searchable_pdf)
    assert doc.format == "pdf"
    assert any("lớp chữ" in w for w in doc.warnings)
    # (this layer was made without Vietnamese data: its words lost their marks)
    assert "9/2024" in " ".join(getattr(b, "text", "") for b in doc.blocks)


def test_a_scan_saved_at_a_low_resolution_is_read_at_the_pictures_own(tmp_path):
    """A scan saved as a PDF at 50 dpi is a page of 33 by 47 inches: rendered at 300 dpi it
    would be 140 million pixels and refused. Its picture is read at its own resolution,
    enlarged at most 1.5 times."""
    buffer = io.BytesIO()
    _scanned_table().save(buffer, "PDF", resolution=50.0)
    assert os.environ.get("DEAN06_MAX_IMAGE_MEGAPIXELS") is None
    (image,) = ocr.rasterise_pdf(buffer.getvalue())
    assert image.width == pytest.approx(1654 * ocr.UPSCALE, abs=2)


@needs_ocr
def test_a_scanned_cell_merged_down_and_over_the_page_break_gives_its_text_to_every_row():
    """Task 2's lead cell is merged down over tasks 3, 4 and 5, and the page breaks after
    task 3: the scan shows the text once, on page 1, and no rule under it in its column."""
    first = _scanned_table(
        [*ROWS[:3], ("3", "Số hóa hồ sơ thủ tục hành chính", "", "Quý IV/2024")],
        merged_down=frozenset({(3, 2)}),
    )
    second = _scanned_table(
        [
            HEADER,
            ("4", "Kết nối dữ liệu dân cư với ngân hàng", "", "Tháng 10/2024"),
            ("5", "Thanh toán không dùng tiền mặt", "", "Tháng 11/2024"),
        ],
        merged_down=frozenset({(2, 2)}),
    )
    buffer = io.BytesIO()
    first.save(buffer, "PDF", resolution=200.0, save_all=True, append_images=[second])
    plan = extract(buffer.getvalue(), filename="scan.pdf")
    lead = {t.code: [u.unit_key for u in t.lead_units] for t in plan.tasks}
    assert lead == {"1": ["STP"], "2": ["CAT"], "3": ["CAT"], "4": ["CAT"], "5": ["CAT"]}
