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
