"""The OpenCV table grid of a scanned page: straightened, robust to dust, a seal and a scanner's
blur; merged cells from missing inner rules (no tesseract needed)."""

from __future__ import annotations

import io
import itertools

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from dean06.ingest.readers import ocr_grid

XS = [150, 420, 1300, 1800, 2300]
YS = [200, 330, 560, 790, 1020, 1250]


def _table(merged_row: int = 2, merged_down: tuple[int, int] | None = None) -> Image.Image:
    """A 5-row, 4-column ruled table at 300 dpi with text-like strokes; one row merged across;
    `merged_down` (row, column): no rule above that cell, which goes on from the row above."""
    image = Image.new("L", (2480, 1500), 255)
    draw = ImageDraw.Draw(image)
    for r, y in enumerate(YS):
        for c, (left, right) in enumerate(itertools.pairwise(XS)):
            if merged_down != (r, c):
                draw.line([(left, y), (right, y)], fill=20, width=3)
    for x in XS:
        for r, (top, bottom) in enumerate(itertools.pairwise(YS)):
            if r == merged_row and x not in (XS[0], XS[-1]):
                continue
            draw.line([(x, top), (x, bottom)], fill=20, width=3)
    for top, bottom in itertools.pairwise(YS):  # "words": short dark bars in every cell
        for left, right in itertools.pairwise(XS):
            for y in range(top + 30, bottom - 40, 55):
                for x in range(left + 30, right - 90, 110):
                    draw.rectangle([x, y, x + 80, y + 22], fill=30)
    return image


def _scanned(image: Image.Image, angle: float, seed: int = 3) -> np.ndarray:
    """The table as a flatbed gives it: turned, a seal's ring over it, grey paper with a lamp's
    gradient, blur, grain, dust, JPEG."""
    rng = np.random.default_rng(seed)
    page = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    draw = ImageDraw.Draw(page)
    draw.ellipse([1500, 500, 1980, 980], outline=90, width=7)  # the seal, over two columns
    page = page.filter(ImageFilter.GaussianBlur(1.0))
    pixels = np.asarray(page, dtype=np.float32) * 0.88
    pixels *= np.linspace(1.0, 0.8, pixels.shape[1], dtype=np.float32)[None, :]
    pixels += rng.normal(0, 8, pixels.shape).astype(np.float32)
    for _ in range(300):
        x, y = int(rng.uniform(0, pixels.shape[1])), int(rng.uniform(0, pixels.shape[0]))
        cv2.circle(pixels, (x, y), int(rng.integers(1, 4)), 50.0, -1)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=60)
    return np.asarray(Image.open(out).convert("L"), dtype=np.uint8)


@pytest.mark.parametrize("angle", [0.0, 1.5, -1.5, 2.0])
def test_scan_grid_measures_the_slant_from_the_rules(angle):
    gray = _scanned(_table(), angle)
    # PIL turns counter-clockwise: rules then rise to the right, a negative slope (y down).
    assert ocr_grid.skew_angle(gray) == pytest.approx(-angle, abs=0.08)


@pytest.mark.parametrize("angle", [1.5, -1.5])
def test_scan_grid_of_a_damaged_table_turned_by_one_and_a_half_degrees(angle):
    gray = _scanned(_table(), angle)
    straight, turned = ocr_grid.deskew(gray)
    assert turned == pytest.approx(-angle, abs=0.08)
    tables = ocr_grid.page_grid(straight).tables
    assert len(tables) == 1
    grid = tables[0]
    assert len(grid.columns) == len(XS)
    assert len(grid.rows) == len(YS) - 1
    assert [len(cells) for cells in grid.cells] == [4, 4, 1, 4, 4]
    assert grid.cells[2] == [(0, 4)]  # the merged row spans every column
    # The row bands are where the rules are (turned about the page centre, within a few px).
    heights = [bottom - top for top, bottom in grid.rows]
    assert heights == pytest.approx([b - a for a, b in itertools.pairwise(YS)], abs=6)


def test_scan_grid_is_not_misled_without_deskewing_only_by_dust_and_a_seal():
    """Without the turn: dust, the seal's ring and the text bars add no rule and no column."""
    tables = ocr_grid.page_grid(_scanned(_table(merged_row=-1), 0.0)).tables
    assert len(tables) == 1
    assert len(tables[0].columns) == len(XS)
    assert [len(cells) for cells in tables[0].cells] == [4] * (len(YS) - 1)
    assert tables[0].joined == [set()] * (len(YS) - 1)  # no rule lost to the damage


@pytest.mark.parametrize("angle", [0.0, 1.5])
def test_scan_grid_knows_a_cell_merged_down_over_two_rows(angle):
    """No rule between rows 3 and 4 in the third column: that cell goes on from the row above
    (the lead units of two tasks in one merged cell); every other cell keeps its rule."""
    straight, _ = ocr_grid.deskew(_scanned(_table(merged_row=-1, merged_down=(3, 2)), angle))
    (grid,) = ocr_grid.page_grid(straight).tables
    assert [len(cells) for cells in grid.cells] == [4] * (len(YS) - 1)
    assert grid.joined == [set(), set(), set(), {(2, 3)}, set()]


def test_scan_grid_finds_no_table_on_a_page_of_text():
    image = Image.new("L", (2480, 1500), 255)
    draw = ImageDraw.Draw(image)
    for y in range(150, 1400, 60):
        for x in range(150, 2300, 120):
            draw.rectangle([x, y, x + 90, y + 24], fill=30)
    assert ocr_grid.page_grid(_scanned(image, 0.0)).tables == []


def test_scan_grid_reads_a_red_seal_out_of_a_colour_scan():
    """A colour page is read through its red channel: the red seal drops out, black stays."""
    page = Image.new("RGB", (400, 200), (250, 250, 250))
    draw = ImageDraw.Draw(page)
    draw.rectangle([20, 20, 120, 60], fill=(10, 10, 10))
    draw.ellipse([200, 20, 380, 180], outline=(200, 30, 40), width=12)
    gray = np.asarray(ocr_grid.dropout_gray(page))
    assert gray[40, 70] < 40  # the black print
    assert gray[100, 206] > 180  # the seal's ring, as light as the paper
    assert ocr_grid.dropout_gray(page.convert("L")).mode == "L"
