"""Tables a PDF prints without vertical rules (no rules at all, or rules between rows only),
rebuilt from the positions of their words. pdfplumber finds a table by its ruling lines; a
Word table without borders, or with only horizontal ones, has none to find, and its cells would
come out as lines of prose with the columns run together.

- The header is a band of one to three lines whose phrases (words closer than a column gap)
  name known columns (`layout.tables.is_header_row`), with the task text and a lead unit or a
  deadline among them.
- Between two header phrases the column boundary is the widest gap that no word of the table
  body crosses: text is set inside its cell's padding, so columns are separated by a river of
  white even where the text is justified.
- A line that no word crosses a boundary of has its words in their columns. A line crossing
  them is a merged row (a group's title across the table), kept only when it opens with a
  group's number ("A.", "II.", "1"); any other such line (a paragraph) ends the table.
- A row starts at a line with a number in the number column, at a rule between two lines, or at
  a merged row; other lines go on in the cells of the row above.
- On the next page, lines that fit the same columns go on with the table (a table broken by a
  page without its header repeated).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dean06.ingest.layout.tables import NUMERIC_CODE, TOP_GROUP, column_role, is_header_row
from dean06.ingest.model import Source
from dean06.ingest.readers._common import clean_text
from dean06.ingest.readers.base import Table, TableRow

# Words further apart than this share of the line's height are in different phrases (a space is
# about a quarter of the height; cells are padded by 0.19 cm on each side, about 11 pt).
PHRASE_GAP = 0.55
# A header's cells may wrap over this many lines.
HEADER_LINES = 3
# A gap between two lines this many times the usual one ends the table (a paragraph after it).
TABLE_END_GAP = 2.6
# A row's number in the number column: "1", "2.10", "3.3.", "II", "A.", "a)".
_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}\.?$|^[IVX]{1,5}\.?$|^[A-ZĐ]\.$|^[a-zđ]\)$")
# A scan's speck or a rule's remnant before a number in its narrow cell ("“11", "-17").
_NUMBER_SPECK = re.compile(r"^[“”\"'‘’`´,.\-–—]+(?=\d)")


def row_number(text: str) -> str | None:
    """The row number a number cell's word holds, a speck before it left out; None if none."""
    text = _NUMBER_SPECK.sub("", text)
    return text if _NUMBER.match(text) else None


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    words: list[Word]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Grid:
    """The columns of a table: the header's cell texts and the x of each boundary."""

    header: list[str]
    bounds: list[float]
    left: float
    right: float
    stt: int | None  # index of the number column
    # The task text's column where no header names it (a table's middle pages).
    text: int | None = None

    def column(self, x: float) -> int:
        return sum(1 for b in self.bounds if x > b)

    def crossed_by(self, line: Line) -> bool:
        """Whether a phrase of the line runs over a boundary (a column gap has none)."""
        return any(
            phrase[0].x0 < b < phrase[-1].x1 for phrase in phrases(line) for b in self.bounds
        )


@dataclass
class Found:
    """A table found on a page: its rows, and the lines it took (not prose)."""

    table: Table
    lines: list[Line]
    grid: Grid
    open_at_end: bool  # the table runs to the page's last line: it may go on over the page


def lines_of(words: Sequence[Word]) -> list[Line]:
    """Words grouped into lines by their vertical overlap (OCR boxes of a line's words differ
    by their marks and descenders), each line left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        line = lines[-1] if lines else None
        if line is not None:
            overlap = min(line.bottom, word.bottom) - max(line.top, word.top)
            usual = min(w.height for w in line.words)
            if overlap >= 0.5 * max(min(usual, word.height), 1.0):
                line.words.append(word)
                line.top, line.bottom = min(line.top, word.top), max(line.bottom, word.bottom)
                continue
        lines.append(Line([word], word.top, word.bottom))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def phrases(line: Line) -> list[list[Word]]:
    """The line's words in runs closer than a column gap."""
    out: list[list[Word]] = []
    for word in line.words:
        gap = PHRASE_GAP * max(word.height, 1.0)
        if out and word.x0 - out[-1][-1].x1 <= gap:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _header_cells(band: Sequence[Line]) -> list[list[Word]] | None:
    """The band's phrases merged into header cells by their horizontal overlap; None when a
    phrase overlaps two cells, or two phrases of a line one cell (a title or a merged row over
    the header, not a header)."""
    cells: list[list[Word]] = []
    lines_in: list[set[int]] = []  # the band's lines each cell has words of
    for number, line in enumerate(band):
        for phrase in phrases(line):
            x0, x1 = phrase[0].x0, phrase[-1].x1
            hits = [
                k
                for k, cell in enumerate(cells)
                if min(x1, max(w.x1 for w in cell)) > max(x0, min(w.x0 for w in cell))
            ]
            if len(hits) > 1 or (hits and number in lines_in[hits[0]]):
                return None
            if hits:
                cells[hits[0]].extend(phrase)
                lines_in[hits[0]].add(number)
            else:
                cells.append(list(phrase))
                lines_in.append({number})
    cells.sort(key=lambda cell: min(w.x0 for w in cell))
    return cells


def _cell_text(words: Sequence[Word]) -> str:
    """The words in the order given (line by line, left to right)."""
    return " ".join(w.text for w in words)


def find_header(lines: Sequence[Line]) -> tuple[int, int, list[list[Word]]] | None:
    """(first line, lines in the band, header cells) of the first header on the page."""
    for i in range(len(lines)):
        best: tuple[int, int, list[list[Word]]] | None = None
        best_roles = 0
        for size in range(1, HEADER_LINES + 1):
            band = lines[i : i + size]
            if len(band) < size or (
                size > 1 and band[-1].top - band[-2].bottom > 1.5 * band[-2].words[0].height
            ):
                break
            cells = _header_cells(band)
            if cells is None or len(cells) < 3:
                continue
            names = [_cell_text(cell) for cell in cells]
            roles = {column_role(name) for name in names} - {None, "ignore"}
            if (
                not is_header_row(names)
                or "content" not in roles
                or not roles & {"lead", "deadline"}
            ):
                continue
            if len(roles) > best_roles:
                best, best_roles = (i, size, cells), len(roles)
        if best is not None:
            return best
    return None


def _boundary(left: float, right: float, body: Sequence[Line]) -> float:
    """The middle of the widest stretch of [left, right] that the fewest body lines cross."""
    if right - left < 2.0:
        return (left + right) / 2
    counts = _coverage([w for line in body for w in line.words], left, right)
    steps = len(counts) - 1
    least = min(counts)
    best_start, best_len, start = 0, 0, None
    for k, count in enumerate([*counts, least + 1]):
        if count == least and start is None:
            start = k
        elif count != least and start is not None:
            if k - start > best_len:
                best_start, best_len = start, k - start
            start = None
    middle = best_start + (best_len - 1) / 2
    return left + middle * (right - left) / steps


def _coverage(words: Sequence[Word], left: float, right: float) -> list[int]:
    """How many words cover each x = left + k * step over [left, right] (steps of about a point;
    a line's words never overlap): +1 where a word starts covering, -1 past its end."""
    steps = int(right - left)
    step = (right - left) / steps
    change = [0] * (steps + 2)
    for w in words:
        first = max(0, math.floor((w.x0 - left) / step) + 1)
        last = min(steps, math.ceil((w.x1 - left) / step) - 1)
        if first <= last:
            change[first] += 1
            change[last + 1] -= 1
    return list(itertools.accumulate(change[: steps + 1]))


def _grid(cells: Sequence[Sequence[Word]], body: Sequence[Line]) -> Grid:
    names = [clean_text(_cell_text(cell)) for cell in cells]
    spans = [(min(w.x0 for w in cell), max(w.x1 for w in cell)) for cell in cells]
    bounds = []
    for (_, right_of_left), (left_of_right, _) in itertools.pairwise(spans):
        bounds.append(_boundary(right_of_left, left_of_right, body))
    stt = next((k for k, name in enumerate(names) if column_role(name) == "stt"), None)
    left = min(x0 for x0, _ in spans)
    right = max(x1 for _, x1 in spans)
    return Grid(names, bounds, left, right, stt)


def _merged_row(line: Line, grid: Grid) -> bool:
    """A line across the columns that opens with a group's number: a merged group row."""
    first = line.words[0]
    if grid.column(first.x0) > 1:
        return False
    # "A. NHÓM …", "II. …", "Phần I …" (the group marks of layout.tables), or "2 Về pháp lý".
    return bool(TOP_GROUP.match(line.text)) or bool(NUMERIC_CODE.match(first.text.rstrip(".")))


def _usual_gap(lines: Sequence[Line]) -> float:
    gaps = sorted(b.top - a.top for a, b in itertools.pairwise(lines) if b.top > a.top)
    return gaps[len(gaps) // 2] if gaps else 0.0


@dataclass
class _Rows:
    grid: Grid
    rules: Sequence[float]
    rows: list[list[list[str]]] = field(default_factory=list)
    merged: list[bool] = field(default_factory=list)
    sources: list[int] = field(default_factory=list)  # index of each row's first line

    def _new(self, index: int, merged: bool) -> list[list[str]]:
        cells: list[list[str]] = [[] for _ in range(len(self.grid.bounds) + 1)]
        self.rows.append(cells)
        self.merged.append(merged)
        self.sources.append(index)
        return cells

    def add(self, index: int, line: Line, before: Line | None, after: Line | None) -> bool:
        """Take the line into the table; False when it ends the table. `after`: the next line
        (a title across the table whose number was lost is a group row when a numbered row
        follows it)."""
        grid = self.grid
        crossing = grid.crossed_by(line)
        ruled = before is not None and any(
            (before.top + before.bottom) / 2 < y < (line.top + line.bottom) / 2 for y in self.rules
        )
        if crossing:
            if self.rows and self.merged[-1] and not ruled and not _merged_row(line, grid):
                cells = self.rows[-1]  # a group's title wrapped onto a second line
            elif _merged_row(line, grid) or (
                after is not None and not grid.crossed_by(after) and self._number(after)
            ):
                cells = self._new(index, merged=True)
            else:
                return False
            for phrase in phrases(line):
                start = grid.column(phrase[0].x0)
                end = grid.column(phrase[-1].x1)
                for k in range(start, end + 1):
                    cells[k].append(_cell_text(phrase))
            return True
        number = self._number(line)
        wrapped = (
            number is not None
            and number.isdigit()
            and before is not None
            and re.search(r"\.\d+$", self._number(before) or "") is not None
        )  # "2.10" in a narrow column: "2.1" on one line, "0" on the next
        numbered = number is not None and not wrapped
        by_column: dict[int, list[Word]] = {}
        for word in line.words:
            by_column.setdefault(grid.column((word.x0 + word.x1) / 2), []).append(word)
        # Cells are top-aligned: a cell that starts below the row's first line is the next
        # row's (its number missing), and so are cells that start again in two columns or more
        # after lines without them, the text's in a capital (a row whose number OCR lost; one
        # cell's names set apart by a paragraph's spacing start again in one column).
        late = bool(self.rows) and any(not self.rows[-1][k] for k in by_column if k != grid.stt)
        if self.rows and not late and before is not None:
            above = {grid.column((w.x0 + w.x1) / 2) for w in before.words}
            again = [k for k in by_column if k != grid.stt and k not in above]
            content = self._content_column
            capital = content not in by_column or by_column[content][0].text[:1].isupper()
            late = len(again) >= 2 and capital
        if not self.rows or numbered or ruled or late or self.merged[-1]:
            cells = self._new(index, merged=False)
        else:
            cells = self.rows[-1]
        for k, words in by_column.items():
            text = _cell_text(words)
            if k == grid.stt and numbered and number is not None and len(words) == 1:
                text = number  # without the speck before it
            if wrapped and k == grid.stt and cells[k]:
                cells[k][-1] += text
            else:
                cells[k].append(text)
        return True

    @functools.cached_property
    def _content_column(self) -> int | None:
        """The index of the task text's column, by its header (once per table)."""
        roles = [column_role(name) for name in self.grid.header]
        return roles.index("content") if "content" in roles else self.grid.text

    def _number(self, line: Line) -> str | None:
        """The number the line holds in the number column."""
        grid = self.grid
        return next(
            (
                number
                for w in line.words
                if grid.column((w.x0 + w.x1) / 2) == grid.stt
                and (number := row_number(w.text)) is not None
            ),
            None,
        )

    def table_rows(self, page: int) -> list[TableRow]:
        out = []
        for cells, first in zip(self.rows, self.sources, strict=True):
            texts = [clean_text("\n".join(parts)) for parts in cells]
            out.append(TableRow(texts, Source(page=page, line=first + 1)))
        return out


# A horizontal rule: (x0, x1, y).
Rule = tuple[float, float, float]


def _rules(rules: Sequence[Rule], grid: Grid) -> list[float]:
    """The y of the horizontal rules across the table (between rows)."""
    width = grid.right - grid.left
    return sorted(y for x0, x1, y in rules if x1 - x0 >= 0.5 * width)


def page_rules(page: Any) -> list[Rule]:
    """A pdfplumber page's horizontal rules."""
    return [
        (float(e["x0"]), float(e["x1"]), float(e["top"]))
        for e in page.edges
        if e.get("orientation") == "h"
    ]


def page_words(page: Any, keep: Any) -> list[Word]:
    """The page's words that `keep` (a pdfplumber object filter) keeps."""
    return [
        Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]))
        for w in page.filter(keep).extract_words(keep_blank_chars=False, use_text_flow=False)
    ]


def find_table(
    words: Sequence[Word],
    number: int,
    carried: Grid | None = None,
    rules: Sequence[Rule] = (),
) -> Found | None:
    """The unruled table among a page's words (page `number`): under a header found there, or,
    with `carried` (the grid of a table the page before left open), from the page's first lines
    that fit its columns. `rules`: the page's horizontal rules, which part rows."""
    lines = lines_of(words)
    if not lines:
        return None
    header = find_header(lines)
    if header is not None:
        start, size, cells = header
        body_start = start + size
        body = _body(lines[body_start:])
        grid = _grid(cells, body)
        header_row = TableRow(grid.header, Source(page=number, line=start + 1))
        taken_from = start
    elif carried is not None:
        grid, body_start, header_row, taken_from = carried, 0, None, 0
        body = _body(lines)
        if grid.crossed_by(body[0]) and not _merged_row(body[0], grid):
            return None
    elif (headerless := _headerless(lines)) is not None:
        body_start, grid, body = headerless
        header_row, taken_from = None, body_start
    else:
        return None
    rows = _Rows(grid, _rules(rules, grid))
    end = body_start
    for i, line in enumerate(body):
        before = body[i - 1] if i else None
        after = body[i + 1] if i + 1 < len(body) else None
        if not rows.add(body_start + i, line, before, after):
            break
        end = body_start + i + 1
    if not rows.rows:
        return None
    table_rows = rows.table_rows(number)
    if header_row is not None:
        table_rows.insert(0, header_row)
    return Found(
        table=Table(table_rows, table_rows[0].source),
        lines=list(lines[taken_from:end]),
        grid=grid,
        open_at_end=end == len(lines),
    )


# A table without its header (pages from its middle) is sought over at least this many lines,
# in at least this many columns.
HEADERLESS_LINES = 6
HEADERLESS_COLUMNS = 4
# The share of its lines that may cross a column gap: a group's title across the table.
GAP_CROSSINGS = 0.05


def _headerless(lines: Sequence[Line]) -> tuple[int, Grid, list[Line]] | None:
    """(first line, columns, lines it may hold) of a table whose header was printed on another
    page: from the first line that opens with a row number beside other phrases, the columns are
    the stretches between the rivers of white that run down its lines (a column gap is wider
    than a space between words, and lines of text end and start at different places). The first
    column holds the row numbers, the task text is the column with the most words; the table is
    read as tasks or not by its cells (layout.tables)."""
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if row_number(line.words[0].text) and len(phrases(line)) >= 3
        ),
        None,
    )
    if start is None:
        return None
    body = _body(lines[start:])
    if len(body) < HEADERLESS_LINES:
        return None
    words = [w for line in body for w in line.words]
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    height = sorted(w.height for w in words)[len(words) // 2]
    if right - left < 10:
        return None
    counts = _coverage(words, left, right)
    steps = len(counts) - 1
    step = (right - left) / steps
    allowed = math.floor(GAP_CROSSINGS * len(body))
    bounds: list[float] = []
    run_start: int | None = None
    for k, count in enumerate([*counts, allowed + 1]):
        if count <= allowed and run_start is None:
            run_start = k
        elif count > allowed and run_start is not None:
            if (k - run_start) * step >= PHRASE_GAP * height and run_start > 0 and k <= steps:
                bounds.append(left + (run_start + k) / 2 * step)
            run_start = None
    if len(bounds) + 1 < HEADERLESS_COLUMNS:
        return None
    grid = Grid([""] * (len(bounds) + 1), bounds, left, right, stt=0)
    columns: list[list[Word]] = [[] for _ in grid.header]
    for w in words:
        columns[grid.column((w.x0 + w.x1) / 2)].append(w)
    numbers = [w for w in columns[0] if row_number(w.text)]
    if len(numbers) < 2 or len(numbers) < 0.8 * len(columns[0]):
        return None
    if any(len({w.top for w in column}) < 2 for column in columns):
        return None
    grid.text = max(range(1, len(columns)), key=lambda k: len(columns[k]))
    return start, grid, body


def _body(lines: Sequence[Line]) -> list[Line]:
    """The lines the table may hold: up to the first long gap (a paragraph after the table).
    Its column boundaries are sought among them."""
    usual = _usual_gap(lines)
    out: list[Line] = []
    for line in lines:
        if out and usual and line.top - out[-1].top > TABLE_END_GAP * usual:
            break
        out.append(line)
    return out
