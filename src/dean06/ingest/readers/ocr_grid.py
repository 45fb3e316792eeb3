"""Ruled table grids of a scanned page, with OpenCV: the page straightened, its ruling lines found
by morphology (specks, stamps and text do not survive a long thin kernel), cells from the rules.

Lengths are given at 300 dpi (the OCR reader's working resolution) and scaled by `unit`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Gray = NDArray[np.uint8]
MAX_SKEW = 2.0  # degrees: a sheet fed at a slant; more is a photo, not a scan


@dataclass
class Segment:
    """One ruling line: `pos` is the y of a horizontal line, the x of a vertical one."""

    pos: int
    start: int
    end: int
    first: int = 0  # the rows (columns) the line's thickness covers, end exclusive
    last: int = 0


@dataclass
class TableGrid:
    rows: list[tuple[int, int]]  # (top, bottom) of each row band
    columns: list[int]  # x of every column separator, outer borders included
    cells: list[list[tuple[int, int]]] = field(default_factory=list)  # per row: (first, last) col
    # Per row: the cells (first, last) that go on from the row above, no rule between them (a
    # cell merged down over several rows).
    joined: list[set[tuple[int, int]]] = field(default_factory=list)

    @property
    def top(self) -> int:
        return self.rows[0][0]

    @property
    def bottom(self) -> int:
        return self.rows[-1][1]


@dataclass
class PageGrid:
    """What the grid finder learnt of a page: its tables and the ruling lines to erase."""

    tables: list[TableGrid]
    horizontal: list[Segment]
    vertical: list[Segment]
    tol: int


def ink(gray: Gray, unit: float = 1.0) -> Gray:
    """Dark strokes as 255 on 0, thresholded against the neighbourhood: grey paper, an uneven
    light and a lamp's gradient all move the local mean, not the contrast of a stroke."""
    block = max(15, round(51 * unit)) | 1
    binary: Gray = np.asarray(
        cv2.adaptiveThreshold(
            gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
        ),
        dtype=np.uint8,
    )
    return binary


def _open(binary: Gray, width: int, height: int) -> Gray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, width), max(1, height)))
    return np.asarray(cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel), dtype=np.uint8)


def _close(binary: Gray, width: int, height: int) -> Gray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, width), max(1, height)))
    return np.asarray(cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel), dtype=np.uint8)


def rule_masks(binary: Gray, unit: float = 1.0) -> tuple[Gray, Gray]:
    """Horizontal and vertical ruling lines of an ink mask. A blurred JPEG rule has pinholes:
    a short closing along the line bridges them before the long opening keeps only lines."""
    gap = max(2, round(4 * unit))
    h = _open(_close(binary, gap, 1), max(40, round(150 * unit)), 1)
    v = _open(_close(binary, 1, gap), 1, max(25, round(60 * unit)))
    return h, v


def skew_from_rules(binary: Gray, unit: float = 1.0) -> float | None:
    """The page's slant from its long horizontal rules, as the angle (degrees) of their slope in
    image coordinates, y down (a sheet turned clockwise gives a positive angle). A short opening
    survives a 2° slant; a line is fitted to each long piece. None when the page has no rules."""
    width = binary.shape[1]
    pieces = _open(binary, max(12, round(30 * unit)), 1)
    # Join a slanted rule's steps back into one piece (the opening cut it where it steps).
    pieces = np.asarray(cv2.dilate(pieces, np.ones((3, 9), np.uint8)), dtype=np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(pieces, connectivity=8)
    angles: list[tuple[float, float]] = []
    for label in range(1, count):
        w = int(stats[label, cv2.CC_STAT_WIDTH])
        h = int(stats[label, cv2.CC_STAT_HEIGHT])
        if w < width / 5 or h > w * 0.06 + 12 * unit:
            continue
        x, y = int(stats[label, cv2.CC_STAT_LEFT]), int(stats[label, cv2.CC_STAT_TOP])
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == label)
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append((float(np.degrees(np.arctan(slope))), float(w)))
    if not angles:
        return None
    angles.sort()
    half = sum(w for _, w in angles) / 2
    acc = 0.0
    for angle, length in angles:  # the length-weighted median: a stray stroke does not pull it
        acc += length
        if acc >= half:
            return angle if abs(angle) <= MAX_SKEW + 0.5 else None
    return None


def skew_from_text(binary: Gray, limit: float = MAX_SKEW) -> float:
    """The slant of a page without rules: the angle whose row profile of ink is the most peaked
    (text rows line up), coarse then fine, on a quarter-size copy."""
    small = cv2.resize(
        binary,
        (max(1, binary.shape[1] // 4), max(1, binary.shape[0] // 4)),
        interpolation=cv2.INTER_AREA,
    )
    h, w = small.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(small, matrix, (w, h), flags=cv2.INTER_LINEAR)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-limit, limit + 1e-9, 0.25), key=sharpness)
    # The rotation that straightens the page is the page's own slope (see skew_from_rules).
    return float(max(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.05), key=sharpness))


def skew_angle(gray: Gray, unit: float = 1.0) -> float:
    """The page's slant in degrees (positive: turned clockwise); from rules, else from text."""
    binary = ink(gray, unit)
    from_rules = skew_from_rules(binary, unit)
    return from_rules if from_rules is not None else skew_from_text(binary)


def deskew(gray: Gray, unit: float = 1.0) -> tuple[Gray, float]:
    """The page turned straight, and the angle it was turned by: a slanted rule breaks into steps
    and a slanted line of text into pieces, which costs both the grid and the recognition."""
    angle = skew_angle(gray, unit)
    if abs(angle) < 0.05:
        return gray, 0.0
    h, w = gray.shape
    # cv2 turns counter-clockwise for a positive angle: a clockwise slant is undone by itself.
    # The corners turned in are filled from the edge: white on grey paper would draw a rule.
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    straight = cv2.warpAffine(
        gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(straight, dtype=np.uint8), angle


def segments(mask: Gray, axis: int, min_length: int) -> list[Segment]:
    """The lines of a rule mask, one per connected piece (axis 1: horizontal)."""
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[Segment] = []
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label, :4])
        if axis == 1 and w >= min_length:
            out.append(Segment(y + h // 2, x, x + w, y, y + h))
        elif axis == 0 and h >= min_length:
            out.append(Segment(x + w // 2, y, y + h, x, x + w))
    return out


def find_tables(h_lines: list[Segment], v_lines: list[Segment], tol: int) -> list[TableGrid]:
    """Ruled tables: horizontal rules joined by vertical rules, read as row bands and cells.
    A row without an inner separator has one cell spanning the columns it would split."""
    h_sorted = sorted(h_lines, key=lambda s: s.pos)
    groups: list[list[Segment]] = []
    for line in h_sorted:
        if groups:
            prev = groups[-1][-1]
            joined = any(
                v.start <= prev.pos + tol
                and v.end >= line.pos - tol
                and max(prev.start, line.start) - tol <= v.pos <= min(prev.end, line.end) + tol
                for v in v_lines
            )
            if joined:
                groups[-1].append(line)
                continue
        groups.append([line])
    grids = []
    for group in groups:
        if len(group) < 2:
            continue
        top, bottom = group[0].pos, group[-1].pos
        left = min(s.start for s in group) - tol
        right = max(s.end for s in group) + tol
        inside = [
            v
            for v in v_lines
            if v.end > top + tol and v.start < bottom - tol and left <= v.pos <= right
        ]
        xs = [
            x
            for x in _cluster(sorted(v.pos for v in inside), tol)
            # A column rule runs through most of its table (a merged row only interrupts it);
            # the near-vertical arc of a seal or a signature's stroke crosses a row or two.
            if sum(min(v.end, bottom) - max(v.start, top) for v in inside if abs(v.pos - x) <= tol)
            >= 0.4 * (bottom - top)
        ]
        if len(xs) < 2:
            continue
        grid = TableGrid(rows=[], columns=xs)
        for upper, lower in itertools.pairwise(group):
            if lower.pos - upper.pos <= 2 * tol:
                continue  # a double rule, or two pieces of one rule, not a row
            height = lower.pos - upper.pos
            present = [
                i
                for i, x in enumerate(xs)
                if any(
                    abs(v.pos - x) <= tol
                    and min(v.end, lower.pos) - max(v.start, upper.pos) >= 0.6 * height
                    for v in inside
                )
            ]
            if len(present) < 2:
                continue
            grid.rows.append((upper.pos, lower.pos))
            grid.cells.append(list(itertools.pairwise(present)))
        if grid.rows:
            grids.append(grid)
    return grids


def _merge_rows(lines: list[Segment], tol: int) -> list[Segment]:
    """Pieces of one horizontal rule (cut by a stamp, a fold or a faint spot) joined: pieces at
    the same height whose ends come within a cell's width of each other."""
    out: list[Segment] = []
    for seg in sorted(lines, key=lambda s: (s.pos, s.start)):
        same = next((o for o in out if abs(o.pos - seg.pos) <= tol // 2), None)
        if same is not None:
            same.start, same.end = min(same.start, seg.start), max(same.end, seg.end)
            same.first, same.last = min(same.first, seg.first), max(same.last, seg.last)
        else:
            out.append(Segment(seg.pos, seg.start, seg.end, seg.first, seg.last))
    return out


def _cluster(values: list[int], tol: int) -> list[int]:
    out: list[list[int]] = []
    for v in values:
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [round(sum(c) / len(c)) for c in out]


def page_grid(gray: Gray, unit: float = 1.0) -> PageGrid:
    """The ruled tables of a straight page (`gray`: 0 ink, 255 paper)."""
    binary = ink(gray, unit)
    h_mask, v_mask = rule_masks(binary, unit)
    width = gray.shape[1]
    tol = max(6, round(12 * unit))
    h_lines = _merge_rows(segments(h_mask, 1, max(round(70 * unit), width // 12)), tol)
    v_lines = segments(v_mask, 0, max(20, round(30 * unit)))
    tables = find_tables(h_lines, v_lines, tol)
    for grid in tables:
        grid.joined = _joined_cells(grid, h_mask, tol)
    return PageGrid(tables, h_lines, v_lines, tol)


# Below this share of a cell's width ruled, the rule between two rows is not there in that cell.
JOINED_RULED = 0.3


def _joined_cells(grid: TableGrid, h_mask: Gray, tol: int) -> list[set[tuple[int, int]]]:
    """For each row, the cells with no rule above them where the row above has the same cell:
    one cell merged down over both rows (the rule between the rows runs through the other
    columns only)."""
    out: list[set[tuple[int, int]]] = [set()]
    for r in range(1, len(grid.rows)):
        y = grid.rows[r][0]
        band = h_mask[max(y - tol, 0) : y + tol + 1]
        joined = set()
        for first, last in grid.cells[r]:
            if (first, last) not in grid.cells[r - 1]:
                continue
            x0, x1 = grid.columns[first] + tol, grid.columns[last] - tol
            if x1 <= x0:
                continue
            ruled = np.count_nonzero(band[:, x0:x1].max(axis=0)) / (x1 - x0)
            if ruled < JOINED_RULED:
                joined.add((first, last))
        out.append(joined)
    return out


def dropout_gray(image: Any) -> Any:
    """A page as grayscale (PIL "L"), read through its red channel when it has colour: seals
    are red and drop out (a red stroke is as light as the paper there), while black print and
    a blue or black signature stay dark. A grayscale page is converted as it is."""
    if image.mode in ("L", "1", "I", "I;16", "F", "LA"):
        return image.convert("L")
    return image.convert("RGB").getchannel("R")


def as_gray(image: Any) -> Gray:
    """A PIL image as an 8-bit grayscale array."""
    return np.asarray(image.convert("L"), dtype=np.uint8)
