"""Tables OCR'd with tesseract's default page segmentation (psm 3): a row's cells, or a page's
whole columns, come as separate blocks of lines (the number, then the task text, then the lead
unit, the coordinating units, the deadline).

Each block is classified by what it is made of: its width (task text fills a wide column), the
unit registry (unit cells resolve to units), the deadline vocabulary (time cells). Cells are then
put back in row order: task text, lead, coordinating, deadline. A task text that starts after a
row's unit or time cell begins the next row (its number lost); a text block that starts in lower
case continues the row's text (a cell broken by a page).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dean06.ingest.readers.ocrtext.vocabulary import (
    BLOCK_CELL_WIDTH,
    BLOCK_CONTENT_WIDTH,
    BLOCK_UNIT_SHARE,
    BULLET,
    DAYS_CELL,
    DAYS_SHARE,
    DEADLINE_WORDS,
    NUMERIC,
    PUNCTUATION_WORDS,
    SIDE_LINES_MAX,
    SIDE_LINES_MIN,
    SIDE_SLACK,
    SPECKS,
    STRONG_DEADLINE,
    Tok,
    Vocabulary,
    tokenize,
)
from dean06.ingest.text import fold

Kind = Literal["content", "unit", "deadline"]


@dataclass
class Cells:
    """One row rebuilt from blocks; `numbered` is False for a row whose number OCR lost."""

    content: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    deadline: list[str] = field(default_factory=list)
    product: list[str] = field(default_factory=list)
    numbered: bool = True

    @property
    def lead(self) -> str:
        return self.units[0] if self.units else ""

    @property
    def coordinating(self) -> str:
        return "; ".join(self.units[1:])


def _is_time_word(tok: Tok) -> bool:
    return all(k in DEADLINE_WORDS or bool(NUMERIC.match(k)) for k in tok.keys)


def classify(
    lines: Sequence[str],
    vocab: Vocabulary,
    *,
    days: bool = False,
    narrow: float = BLOCK_CONTENT_WIDTH,
) -> Kind:
    """What a block of cell lines holds. With `days`, the table's time column counts days: a
    time phrase ("trong quý 1 năm 2025.") is the end of a text there, not a time cell. A block
    with a line wider than `narrow` is task text (a portrait page's narrow unit column holds
    lines of ~15 characters, a landscape one's ~23: NARROW_SHARE of the measured width)."""
    kind = _classify(lines, vocab, narrow)
    if days and kind == "deadline":
        figure = DAYS_CELL.match(fold(text_head(" ".join(lines))))
        return "deadline" if figure else "content"
    return kind


def _classify(lines: Sequence[str], vocab: Vocabulary, narrow: float) -> Kind:
    tokens = [t for line in lines for t in tokenize(line, vocab)]
    if not tokens:
        return "content"
    width = max(len(line) for line in lines)
    keys = [k for t in tokens for k in t.keys]
    strong = sum(1 for k in keys if k in STRONG_DEADLINE or any(c.isdigit() for c in k))
    time_share = sum(1 for t in tokens if _is_time_word(t)) / len(tokens)
    unit_share = sum(1 for t in tokens if all(k in vocab.unit_words for k in t.keys)) / len(tokens)
    if width > narrow:
        return "content"
    # A time cell opens with its time words ("Thực hiện thường xuyên (các sở, ngành ...)").
    head = tokens[:3]
    if _is_time_word(tokens[0]) and any(k in STRONG_DEADLINE for t in head for k in t.keys):
        return "deadline"
    if strong and time_share >= unit_share:
        return "deadline"
    if unit_share >= BLOCK_UNIT_SHARE and tokens[0].keys[:1] and tokens[0].upper:
        return "unit"
    if strong and time_share >= BLOCK_UNIT_SHARE:
        return "deadline"
    return "content"


def _classified(
    blocks: Sequence[Sequence[str]], vocab: Vocabulary, days: bool, narrow: float
) -> Iterator[tuple[str, str, list[str]]]:
    """Each non-empty block as (its kind, its text on one line, its lines)."""
    for block in blocks:
        lines = [ln for ln in block if ln.strip()]
        if lines:
            yield classify(lines, vocab, days=days, narrow=narrow), " ".join(lines), lines


def text_head(text: str) -> str:
    """The text from its first word: quotes and specks a worn scan prints before it ("' ương",
    "_107/2021", ". cấp tỉnh") left out."""
    return text.lstrip(SPECKS)


def is_continuation(text: str) -> bool:
    """A block that goes on with the cell above it: it starts in lower case, or with a bullet."""
    head = text_head(text).lstrip("(")
    return bool(head) and (head[0].islower() or bool(BULLET.match(head)) or head[0] in "-+•")


def _goes_on_cell(lines: Sequence[str]) -> bool:
    """A narrow block that goes on with the cell above it (is_continuation): the rest of a unit
    or time cell, not a task's text (a task's text starts capitalised; one that goes on over a
    page is as wide as its column)."""
    return is_continuation(" ".join(lines)) and max(len(line) for line in lines) <= BLOCK_CELL_WIDTH


def _is_product(lines: Sequence[str], row: Cells, product_width: int | None) -> bool:
    """A narrow text block after the row's task text, in a table with a product column."""
    return (
        product_width is not None
        and bool(row.content)
        and max(len(line) for line in lines) <= product_width
    )


def assemble(
    blocks: Sequence[Sequence[str]],
    vocab: Vocabulary,
    *,
    product_width: int | None = None,
    days: bool = False,
    narrow: float = BLOCK_CONTENT_WIDTH,
) -> list[Cells]:
    """The rows the blocks of one numbered row hold (more than one when numbers were lost).
    With `product_width`, the table has a product column: a text block no wider is the row's
    product, not its text nor a new row."""
    rows: list[Cells] = []
    current = Cells()
    last = ""  # the kind of the block before
    for kind, text, lines in _classified(blocks, vocab, days, narrow):
        if kind == "content" and last in ("unit", "deadline") and _goes_on_cell(lines):
            # The end of the cell above, OCR's block cut inside it ("Phòng Nghiệp" / "vụ Y").
            cells = current.units if last == "unit" else current.deadline
            cells[-1] += " " + text
            continue
        last = kind
        if kind == "content" and _is_product(lines, current, product_width):
            current.product.append(text)
            continue
        if kind == "content":
            starts_row = text[:1].isupper() or text[:1].isdigit()
            if (current.units or current.deadline) and starts_row:
                rows.append(current)
                current = Cells(numbered=False)
            current.content.append(text)
        elif kind == "unit":
            current.units.append(text)
        else:
            current.deadline.append(text)
    rows.append(current)
    return rows


def distribute(
    count: int,
    blocks: Sequence[Sequence[str]],
    vocab: Vocabulary,
    *,
    days: bool = False,
    narrow: float = BLOCK_CONTENT_WIDTH,
) -> list[Cells]:
    """Whole columns as blocks (all the numbers, then all the task texts, then the units, then
    the deadlines): the k-th cell of each column goes to the k-th row. Cells are aligned by order
    only, so every row is returned with `numbered` False when a column's count is not `count`
    (the caller flags them for review)."""
    contents: list[str] = []
    units: list[str] = []
    deadlines: list[str] = []
    for kind, text, _lines in _classified(blocks, vocab, days, narrow):
        if kind == "content":
            if contents and not (text[:1].isupper() or text[:1].isdigit()):
                contents[-1] += " " + text  # a cell broken by a page
            else:
                contents.append(text)
        elif kind == "unit":
            units.append(text)
        else:
            deadlines.append(text)
    sure = len(contents) == count and len(deadlines) == count and len(units) in (count, 2 * count)
    rows = [Cells(numbered=sure) for _ in range(count)]
    for k, text in enumerate(contents):
        rows[min(k, count - 1)].content.append(text)
    for k, text in enumerate(deadlines):
        rows[min(k, count - 1)].deadline.append(text)
    for k, text in enumerate(units):
        # Lead column first, then the coordinating column.
        rows[k % count].units.append(text)
    return rows


def text_width(lines: Sequence[str], minimum: int = SIDE_LINES_MIN) -> int | None:
    """The usual length of a text column's line: the median of its lines; None when fewer than
    `minimum` lines say it."""
    widths = sorted(len(line) for line in lines)
    return widths[len(widths) // 2] if len(widths) >= minimum else None


def cell_names(blocks: Iterable[Sequence[str]]) -> frozenset[str]:
    """The names printed in unit cells of their own, folded, one per comma."""
    names: set[str] = set()
    for block in blocks:
        names.update(fold(n).strip() for n in re.split(r"[,;]", " ".join(block)))
    return frozenset(n for n in names if n)


def side_cell(
    lines: Sequence[str], vocab: Vocabulary, width: int, names: frozenset[str]
) -> tuple[list[str], list[str]]:
    """A task text whose first lines hold the lead cell too, past the text column's `width` (a
    table without vertical rules: psm 3 joined the two columns' lines, "Tiếp tục rà soát …
    cắt Phòng Kế hoạch" / "giảm, đơn giản hóa … và - Tài chính"): (the text's lines, the
    cell's lines), the cell's empty when none. Where a line may be cut in more than one place,
    the cuts that make a name the table prints as a cell of its own (`names`, folded) win, else
    the text nearest the width."""
    options: list[list[tuple[str, str]]] = []
    for k, line in enumerate(lines[:SIDE_LINES_MAX]):
        if len(line) <= width + (SIDE_SLACK if k == 0 else 0):
            break
        cuts = _side_cuts(tokenize(line, vocab), vocab, width, first=k == 0)
        if not cuts:
            break
        options.append(cuts)
    if not options:
        return list(lines), []
    chosen = [cuts[0] for cuts in options]
    # (Fewer lines too: a text line may end in a unit's word, "… tạo sự lan tỏa,".)
    named = (
        list(combination)
        for n in range(len(options), 0, -1)
        for combination in itertools.product(*options[:n])
        if fold(" ".join(side for _, side in combination)) in names
    )
    chosen = next(named, chosen)
    return [text for text, _ in chosen] + list(lines[len(chosen) :]), [s for _, s in chosen]


def _side_cuts(
    tokens: Sequence[Tok], vocab: Vocabulary, width: int, *, first: bool
) -> list[tuple[str, str]]:
    """The ways a line may be cut into the text and a unit cell's line after it, all unit words
    (a cell's first line starting with a name's first word, capitalised), the text nearest the
    column's width first (a text line fills its column)."""
    cuts: list[tuple[int, str, str]] = []
    for cut in range(1, len(tokens)):
        text = " ".join(t.raw for t in tokens[:cut])
        if len(text) > width + SIDE_SLACK:
            break
        rest = tokens[cut:]
        head = rest[0]
        if len(text) < width - SIDE_SLACK or (
            first and not (head.upper and any(k in vocab.unit_starts for k in head.keys))
        ):
            continue
        if all(
            all(k in vocab.unit_words for k in t.keys) or t.raw in PUNCTUATION_WORDS for t in rest
        ):
            cuts.append((abs(len(text) - width), text, " ".join(t.raw for t in rest)))
    return [(text, side) for _, text, side in sorted(cuts, key=lambda c: c[0])]


def days_column(times: Sequence[str]) -> bool:
    """Whether a time column's cells count days though no header says so (pages from a table's
    middle): DAYS_SHARE of its filled cells, at least three, are figures ("30", "45 ngày"), which
    no deadline is (a year has four digits)."""
    filled = [fold(text_head(t)) for t in times if t.strip()]
    figures = sum(bool(DAYS_CELL.match(t)) for t in filled)
    return figures >= 3 and figures >= DAYS_SHARE * len(filled)
