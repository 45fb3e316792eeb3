"""A scan's pages are read by OCR several at once, and placed in order: the result is what reading
them one after the other gives, and no more pages are held than are being read."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from dean06.ingest.readers import ocr
from scripts import samples as render

pytestmark = [
    pytest.mark.skipif(
        shutil.which("tesseract") is None,
        reason="tesseract is not installed: apt install tesseract-ocr tesseract-ocr-vie",
    ),
    pytest.mark.skipif(
        render.soffice_missing_reason() is not None, reason=str(render.soffice_missing_reason())
    ),
]


def test_pages_read_at_once_give_what_reading_them_in_turn_gives(monkeypatch):
    # Pages 3 and 4 of the plan: the appendix table runs over the page break (what a page
    # leaves open goes on on the next, so the placing must stay in order).
    images = render.rasterise(render.render_pdf(), dpi=150, pages=4)[2:4]
    tesseract = shutil.which("tesseract") or "tesseract"
    carry = ocr.Carry()
    in_turn = [ocr.ocr_page(image, 3 + k, tesseract, carry) for k, image in enumerate(images)]

    monkeypatch.setattr(ocr, "ocr_workers", lambda: 2)
    at_once = ocr.ocr_pages(images, tesseract=tesseract, first_page=3)

    assert at_once == in_turn
    assert any(isinstance(b, ocr.Table) for b in at_once[1])


def test_no_more_pages_are_taken_than_are_being_read(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_workers", lambda: 2)
    taken: list[int] = []

    def pages():
        for k in range(5):
            taken.append(k)
            yield Image.new("L", (400, 560), 255)

    seen: list[tuple[int, int]] = []  # (page being placed, pages taken from the source)
    ocr.ocr_pages(
        pages(),
        total=5,
        tesseract=shutil.which("tesseract"),
        progress=lambda i, n, _: seen.append((i, len(taken))),
    )
    # Two pages read at once: the next one is taken only when one is placed.
    assert seen == [(0, 2), (1, 3), (2, 4), (3, 5), (4, 5), (5, 5)]


def _mixed_pdf() -> bytes:
    """A text page, then two scanned pages (the plan's pages 3 and 4, where the appendix table
    runs over the page break): a scanned appendix attached to a typed letter."""
    import io

    import pypdfium2 as pdfium

    text = render.render_pdf()
    scanned = render.images_to_pdf(render.rasterise(text, dpi=150, pages=4)[2:4], dpi=150)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(text), [0])
    mixed.import_pages(pdfium.PdfDocument(scanned), [0, 1])
    out = io.BytesIO()
    mixed.save(out)
    return out.getvalue()


def test_scanned_pages_in_a_row_inside_a_text_pdf_are_read_as_one_scan(monkeypatch):
    from dean06.ingest.readers import pdf

    data = _mixed_pdf()
    calls: list[tuple[int, int]] = []
    read_pages = ocr.ocr_pages

    def counted(images, **kwargs):
        pages = read_pages(images, **kwargs)
        calls.append((kwargs["first_page"], len(pages)))
        return pages

    monkeypatch.setattr(ocr, "ocr_pages", counted)
    seen: list[tuple[int, int, str]] = []
    document = pdf.read(data, progress=lambda *call: seen.append(call))

    assert calls == [(2, 2)]  # pages 2 and 3 at once, what one leaves open going on
    # Progress is told of each scanned page, among the PDF's three.
    assert seen == [
        (0, 3, "Đang đọc trang 1"),
        (1, 3, "Đang đọc trang 2"),
        (1, 3, "Đang nhận dạng chữ trang 2"),
        (2, 3, "Đang nhận dạng chữ trang 3"),
        (3, 3, "Đã đọc xong tệp PDF"),
    ]
    monkeypatch.undo()
    _, images = ocr.pdf_pages(data, indexes=[1, 2])
    alone = [b for page in ocr.ocr_pages(images, first_page=2) for b in page]
    assert [b for b in document.blocks if b.source and b.source.page >= 2] == alone
    assert any(b.source and b.source.page == 1 for b in document.blocks)
