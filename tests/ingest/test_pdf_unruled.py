"""Digital PDFs whose task table has no vertical rules (none at all, or rules between rows only):
the table is rebuilt from the words' positions (readers/pdf_unruled.py). Before, such a PDF gave
its cells as lines of prose and no task at all.

The documents are seed 001's appendix printed by LibreOffice as `scripts/ocr_variants.py`
lays it out (gold `tests/data/gold/001.json`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dean06.ingest import extract
from dean06.ingest.readers import pdf
from dean06.ingest.readers.base import Paragraph, Table
from dean06.ingest.scoring import score
from scripts import ocr_variants
from scripts import samples as render

GOLD_001 = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "gold" / "001.json").read_text("utf-8")
)

pytestmark = pytest.mark.skipif(
    render.soffice_missing_reason() is not None, reason=str(render.soffice_missing_reason())
)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("unruled")
    paths = {}
    for name in ("no-rules", "horizontal-rules", "letter-no-rules", "no-rules-header-once"):
        paths[name] = out / f"{name}.pdf"
        paths[name].write_bytes(
            render.docx_to_pdf(ocr_variants.render_layout(ocr_variants.LAYOUTS[name]))
        )
    return paths


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["no-rules", "horizontal-rules", "letter-no-rules", "no-rules-header-once"]
)
def test_every_task_and_field_of_an_unruled_table(printed, name):
    """Landscape pages with the header repeated, or a portrait letter whose narrow number column
    wraps "2.10" onto two lines: all 39 tasks, every field and the task's words right. Among
    them B.7.1, a row without a number under its subgroup's one-line row, and A.4, whose cell
    goes on at the page's foot with "06" (not a page number)."""
    result = score(extract(printed[name]), GOLD_001)
    assert result.found == 39
    assert result.extra == []
    for field in ("lead", "coordinating", "due_date", "recurring", "content"):
        assert result.accuracy(field) == 1.0, (name, field, result.errors)


@pytest.mark.slow
def test_unruled_table_keeps_the_letter_around_it(printed):
    """The letter's text stays prose, the ruled figures table stays a table, and the task table
    starts at its header, not at the title above it."""
    document = pdf.read(printed["letter-no-rules"].read_bytes())
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert "Kính gửi:" in texts
    assert "II. NHIỆM VỤ TRIỂN KHAI" in texts
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert tables[0].rows[0].cells == ["STT", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"]
    assert tables[1].rows[0].cells == [
        "TT",
        "Công việc",
        "Đơn vị thực hiện",
        "Đơn vị phối hợp",
        "Thời gian",
    ]
    group = tables[1].rows[1].cells
    assert group[0].startswith("A. NHÓM THAM MƯU") and group[1] == group[0]
    numbers = [r.cells[0] for t in tables[1:] for r in t.rows]
    assert "2.10" in numbers and "0" not in numbers


@pytest.mark.slow
@pytest.mark.skipif(
    render.tesseract_missing_reason() is not None, reason=str(render.tesseract_missing_reason())
)
def test_scan_of_an_unruled_table(printed, tmp_path):
    """The table scanned (200 dpi grey, three pages), its header on the first page only:
    tesseract's word boxes go through the same rebuilding as a digital PDF's words, and pages
    2 and 3 go on in page 1's columns. Before, the scan gave no task at all. Page 3 opens with
    a subgroup's title whose number OCR loses: a numbered row follows it, so it is a group row,
    not the table's end."""
    images = render.pdftoppm_pages(printed["no-rules-header-once"].read_bytes(), dpi=200)[:3]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(render.images_to_pdf(images, dpi=200))
    codes = {"A.1", "A.2", "A.3", "A.4", "A.5", "A.6", "B.1.1", "B.1.2", "B.1.3", "B.2.1"}
    gold = {**GOLD_001, "tasks": [t for t in GOLD_001["tasks"] if t["code"] in codes]}
    result = score(extract(scan), gold)
    assert result.found == len(codes)
    for field in ("lead", "coordinating", "due_date"):
        assert result.accuracy(field) >= 0.9, (field, result.errors)
