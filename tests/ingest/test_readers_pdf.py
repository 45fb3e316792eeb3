"""The PDF reader on the DOCX render printed by LibreOffice: ruled tables, text around them."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from dean06.ingest.model import IngestError
from dean06.ingest.readers import pdf
from dean06.ingest.readers.base import Paragraph, Table
from scripts import samples as render

needs_soffice = pytest.mark.skipif(
    render.soffice_missing_reason() is not None, reason=str(render.soffice_missing_reason())
)


@pytest.fixture(scope="module")
def document():
    if render.soffice_missing_reason():
        pytest.skip(render.soffice_missing_reason())
    calls = []
    doc = pdf.read(render.render_pdf("mark"), progress=lambda *a: calls.append(a))
    doc.progress_calls = calls
    return doc


def _task_rows(document):
    rows = [r for t in document.tables for r in t.rows]
    return [r for r in rows if r.cells[0] != "STT" and r.cells[1] != r.cells[4]]


@needs_soffice
def test_pdf_body_lines_come_first_with_page_and_line(document):
    first = document.blocks[0]
    assert isinstance(first, Paragraph)
    assert first.text == "Số: 18 /KH-UBND"
    assert first.source.page == 1 and first.source.line == 1
    texts = [p.text for p in document.paragraphs]
    assert "Phụ lục I" in texts
    assert "KẾ HOẠCH" in texts


@needs_soffice
def test_pdf_every_numbered_task_appears_in_order(document):
    stts = [r.cells[0] for r in _task_rows(document) if r.cells[0]]
    expected = [r.cells[0].text for r in render.task_rows() if r.cells[0].text]
    assert stts == expected


@needs_soffice
def test_pdf_tables_are_one_per_page_with_the_repeated_header(document):
    tables = document.tables
    assert len(tables) == document.pages - 2  # the body takes two pages
    assert all(t.rows[0].cells == list(render.HEADER) for t in tables)
    pages = [t.source.page for t in tables]
    assert pages == sorted(set(pages))


@needs_soffice
def test_pdf_merged_group_row_is_expanded(document):
    rows = [r for t in document.tables for r in t.rows]
    group = next(r for r in rows if r.cells[0].startswith("A. NHÓM THAM MƯU"))
    assert len(set(group.cells)) == 1 and len(group.cells) == 5
    subgroup = next(r for r in rows if r.cells[1].startswith("Về pháp lý"))
    assert subgroup.cells[0] == "1"
    assert set(subgroup.cells[1:]) == {"Về pháp lý (02 nhiệm vụ)"}


@needs_soffice
def test_pdf_cell_text_matches_the_source_up_to_line_breaks(document):
    rows = {r.cells[0]: r for r in _task_rows(document) if r.cells[0]}
    for seed in render.task_rows():
        stt = seed.cells[0].text
        if not stt:
            continue
        got = rows[stt]
        # Lead unit, coordinating units and deadline never cross a page in this render.
        for col in (2, 3):
            if len(seed.cells[col].text) < 60:
                assert got.cells[col].replace("\n", " ") == seed.cells[col].flat, (stt, col)


@needs_soffice
def test_pdf_row_cut_by_a_page_break_continues_on_the_next_page(document):
    tables = document.tables
    continued = [t.rows[1] for t in tables if t.rows[1].cells[0] == ""]
    assert continued, "the render should have at least one row cut by a page break"
    assert all(r.cells[1] for r in continued)


@needs_soffice
def test_pdf_progress_is_reported_per_page(document):
    done = [c for c in document.progress_calls]
    assert done[-1][0] == done[-1][1] == document.pages
    assert len(done) == document.pages + 1


@needs_soffice
def test_pdf_sources_are_ordered_on_each_page(document):
    seen: dict[int, list[int]] = {}
    for block in document.blocks:
        lines = [r.source for r in block.rows] if isinstance(block, Table) else [block.source]
        for src in lines:
            seen.setdefault(src.page, []).append(src.line)
    for lines in seen.values():
        assert lines == list(range(1, len(lines) + 1))


def test_pdf_encrypted_file_raises_a_password_error():
    data = render.encrypted_pdf("matkhau")
    # The file really is encrypted: with the password it opens and shows its text.
    opened = pdfium.PdfDocument(data, password="matkhau")
    assert "Ke hoach" in opened[0].get_textpage().get_text_range()
    opened.close()
    with pytest.raises(IngestError, match="mật khẩu"):
        pdf.read(data)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "rỗng"),
        (b"hello, not a pdf", "không phải là PDF"),
        (b"%PDF-1.4\n1 0 obj garbage", "hỏng"),
    ],
)
def test_pdf_bad_input_raises_ingest_error(data, needle):
    with pytest.raises(IngestError) as info:
        pdf.read(data)
    assert needle in info.value.message


@needs_soffice
def test_pdf_truncated_file_raises_ingest_error():
    data = render.render_pdf("mark")
    with pytest.raises(IngestError, match="hỏng"):
        pdf.read(data[: len(data) // 5])
