"""Tables OCR'd one row per line (tesseract psm 4/6, and pages psm 3 reads as one block): each line
holds fragments of every column side by side ("STT content lead coord time").

Each table line is cut into content | units | deadline by vocabulary (registry unit words, deadline
words) and column widths, the few best cuts of a row's lines searched jointly; the unit fragments
are shared between the lead and coordinating columns so that both read as whole, resolvable unit
lists, and that reading also picks the row's cuts. Rows start at the rows' numbers chosen over the
whole table (numbering.py) or, when OCR lost the number, at a fresh capitalised line.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from dean06.ingest.model import Source, UnitRegistry
from dean06.ingest.readers.base import TableRow
from dean06.ingest.readers.ocrtext import vocabulary as vocabulary_module
from dean06.ingest.readers.ocrtext.blocks import (
    Cells,
    assemble,
    classify,
    distribute,
    is_continuation,
    side_cell,
    text_head,
    text_width,
)
from dean06.ingest.readers.ocrtext.columns import header_role
from dean06.ingest.readers.ocrtext.numbering import group_title
from dean06.ingest.readers.ocrtext.vocabulary import (
    BLOCK_CELL_WIDTH,
    BLOCK_CONTENT_WIDTH,
    BULLET,
    COMMON,
    CONTENT_ROOM_COST,
    CONTENT_ROOM_SLACK,
    COORD_LATE,
    DEADLINE_OPEN_ENDS,
    DEADLINE_WEAK_WORD,
    DEADLINE_WORD,
    DEADLINE_WORDS,
    DECLARED,
    HEADER_CELL_RATIO,
    HEADER_CELL_WIDTH,
    HEADER_CELLS,
    HEADER_WORDS,
    NAME_DASHES,
    NEG,
    NOT_DEADLINE_WORD,
    NOT_UNIT_WORD,
    NUMERIC,
    PAIR_WEIGHT,
    PAIRS_SEEN,
    PUNCTUATION,
    ROW_BEAM,
    ROW_FINALS,
    ROW_MARGIN,
    ROW_MAX_LINES,
    ROW_OPTIONS,
    RULE_BEFORE_NUMBER,
    SENTENCE_END,
    SIDE_ROW_LINES_MIN,
    SIDE_SLACK,
    STRONG_DEADLINE,
    UNIT_CELL_WEIGHT,
    UNIT_COMMON_WORD,
    UNIT_WIDTH,
    UNIT_WORD,
    UNIT_WORD_AS_DEADLINE,
    UNLISTED_BODY_MENTION,
    WRAP_WIDTH,
    Tok,
    Vocabulary,
    column_words,
    tokenize,
    vocabulary,
    with_unit_words,
)
from dean06.ingest.units import body_shaped

if TYPE_CHECKING:
    from dean06.ingest.units import UnitResolver


@dataclass
class _LineCut:
    content: list[Tok]
    units: list[Tok]
    deadline: list[Tok]
    product: list[Tok] = field(default_factory=list)


@dataclass
class _Row:
    stt: str
    line: int
    page: int
    lines: list[list[Tok]] = field(default_factory=list)
    # Index in `lines` of each line that follows a blank line (psm 4 may give a page column by
    # column, each cell a block of its own).
    breaks: set[int] = field(default_factory=set)
    # A row whose number stood alone (psm 3): its cells' blocks of lines, see blocks.py.
    blocks: list[list[str]] | None = None
    # Index in `lines` of the line its number stood on: 0 unless the number is centred in its
    # cell, beside the middle of the task's text.
    number_at: int = 0


# --- vocabulary -------------------------------------------------------------------------------


def _width(tokens: Sequence[Tok]) -> int:
    return sum(len(t.raw) for t in tokens) + max(len(tokens) - 1, 0)


def _is_unit(tok: Tok, vocab: Vocabulary) -> bool:
    return all(k in vocab.unit_words for k in tok.keys)


def _is_deadline(tok: Tok) -> bool:
    if tok.no_deadline:
        return False
    return all(k in DEADLINE_WORDS or bool(NUMERIC.match(k)) for k in tok.keys)


def _is_strong(tok: Tok) -> bool:
    return any(k in STRONG_DEADLINE or bool(re.search(r"\d", k)) for k in tok.keys)


# Words as common in running text as in unit names or time phrases: weak evidence either way.


def _unit_weight(tok: Tok, vocab: Vocabulary) -> float:
    if not _is_unit(tok, vocab):
        return NOT_UNIT_WORD
    return UNIT_COMMON_WORD if all(k in COMMON for k in tok.keys) else UNIT_WORD


def _deadline_weight(tok: Tok, vocab: Vocabulary | None = None) -> float:
    if not _is_deadline(tok):
        # A unit name's word ("UBND", "sở") is stronger evidence against than a stray word.
        # ("thông" may be "thường" of "thường xuyên" read without its marks.)
        unit_like = (
            vocab is not None
            and _is_unit(tok, vocab)
            and tok.keys[0] not in COMMON
            and tok.keys[0] != "thong"
        )
        return UNIT_WORD_AS_DEADLINE if unit_like else NOT_DEADLINE_WORD
    if _is_strong(tok) and not all(k in COMMON for k in tok.keys):
        return DEADLINE_WORD
    return DEADLINE_WEAK_WORD


@dataclass(frozen=True)
class Widths:
    """Character widths of the table's columns in this OCR text."""

    content: int = 60
    unit: int = UNIT_WIDTH
    # The header puts the time column before the units ("Nội dung | Thời gian | Chủ trì | Phối
    # hợp"): a line is cut content | time | units.
    time_first: bool = False
    # A product column ("Sản phẩm") right after the content: a line is cut content | product |
    # the rest, and the product's words are not the task's text.
    product: bool = False
    # A follow-up column ("Theo dõi, đôn đốc": who checks on the task) last: a line ends with
    # its unit words, which are neither the lead nor the coordinating units.
    follow_up: bool = False

    @property
    def cell_block(self) -> int:
        # A block of lines no wider than this is one narrow cell (units, time), not task text.
        return self.unit + 4

    @property
    def content_max(self) -> int:
        return self.content + 12

    @property
    def content_full(self) -> int:
        # A content line that the next line continues is about this wide, or more.
        return self.content - 22


def estimate_widths(
    lines: Sequence[Sequence[Tok]],
    vocab: Vocabulary,
    *,
    time_first: bool = False,
    product: bool = False,
    follow_up: bool = False,
) -> Widths:
    """The content column's width: where the column after it starts on the lines, typically
    (capitalised unit names, or with the time column first, a capitalised time phrase; a product
    column between them is taken as wide as a unit column)."""
    layout = Widths(time_first=time_first, product=product, follow_up=follow_up)
    offsets: list[int] = []
    for tokens in lines:
        pos = 0
        for k, tok in enumerate(tokens):
            if time_first:
                starts = tok.upper and _is_deadline(tok) and any(_is_strong(t) for t in tokens[k:])
                follows = starts
            else:
                starts = bool(tok.upper and tok.keys[:1] and tok.keys[0] in vocab.unit_starts)
                follows = k + 1 < len(tokens) and _is_unit(tokens[k + 1], vocab)
            if pos >= 30 + (UNIT_WIDTH if product else 0) and starts and follows:
                offsets.append(pos - (UNIT_WIDTH + 1 if product else 0))
                break
            pos += len(tok.raw) + 1
    if len(offsets) < 5:
        return layout
    offsets.sort()
    return dataclasses.replace(layout, content=max(35, min(90, offsets[len(offsets) // 2])))


class _LineFacts:
    """What the cuts of one line are scored on, summed over prefixes: tokens[a:b] holds
    unit_score[b] - unit_score[a] of unit evidence and is width(a, b) characters wide."""

    def __init__(self, tokens: Sequence[Tok], vocab: Vocabulary) -> None:
        n = len(tokens)
        self.n = n
        self.unit_score = [0.0] * (n + 1)
        self.dl_score = [0.0] * (n + 1)
        self.chars = [0] * (n + 1)
        self.strong = [0] * (n + 1)  # strong time words among tokens[:i]
        for i, tok in enumerate(tokens):
            self.unit_score[i + 1] = self.unit_score[i] + _unit_weight(tok, vocab)
            self.dl_score[i + 1] = self.dl_score[i] + _deadline_weight(tok, vocab)
            self.chars[i + 1] = self.chars[i] + len(tok.raw)
            self.strong[i + 1] = self.strong[i] + _is_strong(tok)
        self.is_unit = [_is_unit(t, vocab) for t in tokens]
        self.is_strong = [_is_strong(t) for t in tokens]
        self.is_deadline = [_is_deadline(t) for t in tokens]
        self.unit_start = [
            t.upper and t.keys[:1] != () and t.keys[0] in vocab.unit_starts for t in tokens
        ]
        # tokens[k] follows a sentence's end and starts in lower case: no sentence of the task's
        # text goes on so, a cell beside it does ("hiệu quả. xuyên tỉnh").
        self.sentence_ended = [
            k > 0 and tokens[k - 1].period and t.raw[:1].isalpha() and not t.upper
            for k, t in enumerate(tokens)
        ]

    def width(self, a: int, b: int) -> int:
        return self.chars[b] - self.chars[a] + (b - a - 1) if b > a else 0

    def content_ends(
        self, mode: str, widths: Widths, next_first: int | None = None
    ) -> Iterator[tuple[int, float]]:
        """Where the content cell may end on this line, and the score of filling its column:
        "full" (it goes on below: wide, or the whole line), "last" (any), "none" (ended).
        `next_first`: the length of the next line's first word, the content's where it goes on
        below (a line of text breaks where that word would not fit)."""
        for i in range(self.n + 1):
            content_width = self.width(0, i)
            if content_width > widths.content_max:
                break
            if mode == "none" and i > 0:
                break
            if i > 0 and self.sentence_ended[i - 1]:
                break  # the text's sentence ended and a lower-case word follows: another cell's
            if mode == "full" and i < self.n and content_width < widths.content_full:
                continue
            # A content line that goes on below fills its column.
            if mode != "full":
                yield i, 0.0
                continue
            fill = 0.1 * min(content_width, widths.content - 4)
            if next_first is not None:
                room = widths.content - content_width - 1 - next_first
                fill -= CONTENT_ROOM_COST * max(0, room - CONTENT_ROOM_SLACK)
            yield i, fill


def cut_line(
    tokens: Sequence[Tok],
    vocab: Vocabulary,
    *,
    first: bool,
    units_open: bool = True,
    deadline_open: bool = True,
    deadline_goes_on: bool = False,
    mode: str = "last",
    widths: Widths | None = None,
) -> tuple[float, _LineCut]:
    """The best cut of a table line into content | units | deadline (each possibly empty), and its
    score. `first`: the row's first line, where every non-empty cell starts (capitalised).
    `mode`: "full" (the content goes on below: wide, or the whole line), "last" (any content),
    "none" (the content cell has ended)."""
    options = cut_line_options(
        tokens,
        vocab,
        first=first,
        units_open=units_open,
        deadline_open=deadline_open,
        deadline_goes_on=deadline_goes_on,
        mode=mode,
        widths=widths,
        keep=1,
    )
    if not options:
        return NEG, _LineCut(list(tokens), [], [])
    return options[0]


def cut_line_options(
    tokens: Sequence[Tok],
    vocab: Vocabulary,
    *,
    first: bool,
    units_open: bool = True,
    deadline_open: bool = True,
    deadline_goes_on: bool = False,
    mode: str = "last",
    widths: Widths | None = None,
    keep: int = 4,
    next_first: int | None = None,
) -> list[tuple[float, _LineCut]]:
    """The `keep` best cuts of a line (see cut_line), best first. `next_first`: the length of
    the next line's first word (see _LineFacts.content_ends)."""
    widths = widths or Widths()
    state = _CutState(first, units_open, deadline_open, deadline_goes_on, mode, keep, next_first)
    if widths.follow_up:
        return _follow_up_options(tokens, vocab, state, widths)
    if widths.product:
        return _product_options(tokens, vocab, state, widths)
    return _two_cell_options(tokens, _LineFacts(tokens, vocab), state, widths)


@dataclass(frozen=True)
class _CutState:
    """Where a line stands in its row: the first line (every cell starts capitalised), which
    cells the lines above left open, how the content cell goes on (see cut_line)."""

    first: bool
    units_open: bool
    deadline_open: bool
    deadline_goes_on: bool
    mode: str
    keep: int
    next_first: int | None = None


def _units_score(
    tokens: Sequence[Tok], facts: _LineFacts, state: _CutState, a: int, b: int
) -> float | None:
    """The score of tokens[a:b] as a line of the units cells; None when it cannot be one."""
    starts = facts.unit_start[a]
    if state.first and not starts:
        return None
    score = facts.unit_score[b] - facts.unit_score[a]
    if starts:
        score += 1.0
    if not state.units_open:
        score -= 2.0
    if a > 0 and tokens[a - 1].period:
        score += 0.6
    if tokens[b - 1].period and b == facts.n:
        score -= 1.0  # a sentence's end is running text, not a unit cell
    if any(facts.sentence_ended[a + 1 : b]):
        score -= 2.0  # the text's last sentence ends inside: its end is the text's
    if a > 0 and tokens[a - 1].bar:
        score += 1.5
    return score


def _deadline_score(
    tokens: Sequence[Tok],
    facts: _LineFacts,
    state: _CutState,
    a: int,
    b: int,
    *,
    after_units: bool,
) -> float | None:
    """The score of tokens[a:b] as a line of the time cell; None when it cannot be one."""
    head = tokens[a]
    # A cell starts capitalised, or with a date or a number ("31/12/2024", "30" days).
    starts = head.upper or head.raw[:1].isdigit()
    if state.first and not starts and not (a > 0 and tokens[a - 1].bar):
        return None
    score = facts.dl_score[b] - facts.dl_score[a]
    if head.upper:
        score += 0.5
    if not state.deadline_open:
        score -= 2.0
    if a > 0 and tokens[a - 1].bar:
        score += 1.5
    if a > 0 and tokens[a - 1].period and (after_units or b < facts.n):
        score += 0.6
    if facts.is_unit[a] and not facts.is_strong[a] and not state.deadline_goes_on:
        score -= 2.0
    if state.deadline_goes_on:
        # Words of a time phrase that goes on outweigh their reading as unit words.
        lead_words = next((k for k in range(a, b) if not facts.is_deadline[k]), b) - a
        score += 1.0 + 0.8 * lead_words
    elif facts.strong[b] == facts.strong[a] and (state.first or facts.is_unit[a]):
        score -= 2.5
    return score


def _options_in_state(
    tokens: Sequence[Tok], vocab: Vocabulary, state: _CutState, widths: Widths, mode: str
) -> list[tuple[float, _LineCut]]:
    """cut_line_options for part of a line, in the line's state."""
    return cut_line_options(
        tokens,
        vocab,
        first=state.first,
        units_open=state.units_open,
        deadline_open=state.deadline_open,
        deadline_goes_on=state.deadline_goes_on,
        mode=mode,
        widths=widths,
        keep=state.keep,
        next_first=state.next_first,
    )


def _follow_up_options(
    tokens: Sequence[Tok], vocab: Vocabulary, state: _CutState, widths: Widths
) -> list[tuple[float, _LineCut]]:
    """cut_line_options for a table whose last column names who follows the task up: the line's
    last words [m:n] (a unit cell's width at most, unit words, capitalised where the cell
    starts) are cut off and dropped, the rest cut as the other columns are."""
    inner = dataclasses.replace(widths, follow_up=False)
    # The follow-up cell is scored as a units cell that is always open (it is not tracked).
    tail_state = dataclasses.replace(state, units_open=True)
    facts = _LineFacts(tokens, vocab)
    n = facts.n
    found: list[tuple[float, int, _LineCut]] = []
    for m in range(n, 0, -1):
        if facts.width(m, n) > UNIT_WIDTH:
            break
        tail = _units_score(tokens, facts, tail_state, m, n) if m < n else 0.0
        if tail is None:
            continue
        for rest_score, cut in _options_in_state(tokens[:m], vocab, state, inner, state.mode):
            found.append((tail + rest_score, m, cut))
    found.sort(key=lambda f: -round(f[0], 6))
    return [(score, cut) for score, _m, cut in found[: state.keep]]


def _product_options(
    tokens: Sequence[Tok], vocab: Vocabulary, state: _CutState, widths: Widths
) -> list[tuple[float, _LineCut]]:
    """cut_line_options for a table with a product column after the content: content [0:i],
    product [i:p] (as wide as a unit column at most, no unit or time words expected), then the
    rest cut as the table's other columns are, with the content cell closed."""
    rest_widths = dataclasses.replace(widths, product=False)
    facts = _LineFacts(tokens, vocab)
    n = facts.n
    rests: dict[int, list[tuple[float, _LineCut]]] = {}
    found: list[tuple[float, int, int, _LineCut]] = []
    for i, fill in facts.content_ends(state.mode, widths, state.next_first):
        for p in range(i, n + 1):
            if facts.width(i, p) > UNIT_WIDTH:
                break
            score = fill
            if p > i:
                product = tokens[i:p]
                if state.first and not product[0].upper and not (i > 0 and tokens[i - 1].bar):
                    continue
                if i > 0 and tokens[i - 1].bar:
                    score += 1.5
                if i > 0 and tokens[i - 1].period:
                    score += 0.6
                # A unit name or a time phrase is not a product.
                score -= sum(max(0.0, _unit_weight(t, vocab)) for t in product[:2])
                score -= sum(max(0.0, _deadline_weight(t, vocab)) for t in product if _is_strong(t))
            if p not in rests:
                rests[p] = _options_in_state(tokens[p:], vocab, state, rest_widths, "none")
            for rest_score, cut in rests[p]:
                found.append((score + rest_score, i, p, cut))
    found.sort(key=lambda f: -round(f[0], 6))
    return [
        (score, _LineCut(list(tokens[:i]), cut.units, cut.deadline, list(tokens[i:p])))
        for score, i, p, cut in found[: state.keep]
    ]


def _two_cell_options(
    tokens: Sequence[Tok], facts: _LineFacts, state: _CutState, widths: Widths
) -> list[tuple[float, _LineCut]]:
    """The cuts content [0:i] | units [i:j] | time [j:n], or with the time column first
    (widths.time_first) content | time | units, each cell scored by the same evidence."""
    n = facts.n
    time_first = widths.time_first
    # Two unit columns side by side are twice as wide as the time column.
    middle_width = UNIT_WIDTH if time_first else 2 * UNIT_WIDTH
    last_width = 3 * UNIT_WIDTH - middle_width
    found: list[tuple[float, int, int]] = []
    for i, fill in facts.content_ends(state.mode, widths, state.next_first):
        for j in range(i, n + 1):
            if facts.width(i, j) > middle_width or facts.width(j, n) > last_width:
                continue
            score: float | None = fill
            if j > i and score is not None:
                middle = (
                    _deadline_score(tokens, facts, state, i, j, after_units=True)
                    if time_first
                    else _units_score(tokens, facts, state, i, j)
                )
                score = None if middle is None else score + middle
            if j < n and score is not None:
                last = (
                    _units_score(tokens, facts, state, j, n)
                    if time_first
                    else _deadline_score(tokens, facts, state, j, n, after_units=j > i)
                )
                score = None if last is None else score + last
            if score is not None:
                found.append((score, i, j))
    # Ties go to the earliest cut (the content column as short as it can be).
    found.sort(key=lambda f: -round(f[0], 6))
    cuts = []
    for score, i, j in found[: state.keep]:
        second, third = list(tokens[i:j]), list(tokens[j:])
        units, deadline = (third, second) if time_first else (second, third)
        cuts.append((score, _LineCut(list(tokens[:i]), units, deadline)))
    return cuts


# A time phrase cut at one of these words goes on in the next line ("Khi có yêu cầu của | Bộ ...").


def cut_row(
    lines: Sequence[Sequence[Tok]],
    vocab: Vocabulary,
    widths: Widths | None = None,
    splitter: UnitSplitter | None = None,
) -> list[_LineCut]:
    """Cut every line of a row: the content cell fills whole lines down to its last one, and the
    cells are top-aligned blocks: a cell empty on one line is empty below it. With a splitter the
    few best cuts of each line are searched jointly, a whole row's cuts judged also by how well
    its unit cells read as unit lists."""
    if not lines:
        return []
    if len(lines) > ROW_MAX_LINES:
        # No table cell is this long: the row's number was a stray number in running text, and
        # the joint search (quadratic in lines) would take minutes. Read as text only.
        return [_LineCut(list(ln), [], []) for ln in lines]
    keep = 1 if splitter is None else ROW_OPTIONS
    # The beams of every content length ask for the same lines cut the same ways: cut once.
    memo: dict[tuple[int, bool, bool, bool, str], list[tuple[float, _LineCut]]] = {}

    def options(k: int, before: _LineCut, mode: str) -> list[tuple[float, _LineCut]]:
        units_open = bool(before.units)
        deadline_open = bool(before.deadline)
        goes_on = (
            deadline_open
            and before.deadline[-1].keys[-1:] != ()
            and before.deadline[-1].keys[-1] in DEADLINE_OPEN_ENDS
        )
        key = (k, units_open, deadline_open, goes_on, mode)
        if key not in memo:
            memo[key] = cut_line_options(
                lines[k],
                vocab,
                first=False,
                units_open=units_open,
                deadline_open=deadline_open,
                deadline_goes_on=goes_on,
                mode=mode,
                widths=widths,
                keep=keep,
                next_first=next_first(k),
            )
        return memo[key]

    def next_first(k: int) -> int | None:
        """The length of line k + 1's first word: the text's, where line k's text goes on."""
        return len(lines[k + 1][0].raw) if k + 1 < len(lines) and lines[k + 1] else None

    finals: list[tuple[float, list[_LineCut]]] = []
    for first_mode in ("full", "last"):
        # m: index of the content's last line (0 = the first line).
        candidates = [0] if first_mode == "last" else list(range(1, len(lines) + 1))
        firsts = cut_line_options(
            lines[0],
            vocab,
            first=True,
            mode=first_mode,
            widths=widths,
            keep=keep,
            next_first=next_first(0),
        )
        for last in candidates:
            beam = [(s0, [cut0]) for s0, cut0 in firsts if s0 > NEG / 2]
            for k in range(1, len(lines)):
                mode = "full" if k < last else "last" if k == last else "none"
                grown: list[tuple[float, list[_LineCut]]] = []
                for total, cuts in beam:
                    for score, cut in options(k, cuts[-1], mode):
                        grown.append((total + score, [*cuts, cut]))
                grown.sort(key=lambda g: -round(g[0], 6))
                beam = grown[:ROW_BEAM] if splitter is not None else grown[:1]
            finals += beam
    if not finals:
        return [_LineCut(list(ln), [], []) for ln in lines]
    finals.sort(key=lambda f: -round(f[0], 6))
    if splitter is None:
        return finals[0][1]
    best: tuple[float, list[_LineCut]] = (NEG, [])
    top = finals[0][0]
    for total, cuts in finals[:ROW_FINALS]:
        if total < top - ROW_MARGIN:
            break
        units = [c.units for c in cuts if c.units]
        cells = splitter.split_scored(units)[0] if units else 0.0
        score = total + UNIT_CELL_WEIGHT * cells
        if score > best[0] + 1e-6:
            best = (score, cuts)
    return best[1]


# --- lead / coordinating --------------------------------------------------------------------------


def _text(tokens: Iterable[Tok]) -> str:
    """The tokens as text of their normalised words (what a unit cell is resolved from)."""
    return " ".join(w for w in map(Tok.display, tokens) if w)


# The words UnitResolver.split() cuts a cell into mentions between (it cuts at "," and ";").
_SPLIT_WORD = re.compile(r"[^\s,;]+")


def _words(text: str) -> int:
    """The words UnitResolver.split() sees in a text, -1 for markup (clean() may cut it into
    more). The words of two texts joined by a space are the sum of theirs."""
    if "<" in text or "&" in text:
        return -1
    return len(_SPLIT_WORD.findall(text))


def _words_joined(before: int, after: int) -> int:
    return -1 if before < 0 or after < 0 else before + after


# The best mention_score() of a mention of several words, of one word (index: one word).
_MENTION_BEST = (1.0 - 0.3, 0.2 - 0.3)


def _join(before: str, after: str) -> str:
    """_text of two token runs from the _text of each."""
    return f"{before} {after}" if before and after else before or after


def _room_penalty(room: int | None, next_word: int | None) -> float:
    """A unit cell line is cut only when the next word would not fit: a short line followed by
    more of the same cell is unlikely. `room`: what the line above leaves (None: no line above);
    `next_word`: the length of the next line's first word (None: no next line)."""
    if room is None or next_word is None:
        return 0.0
    left = room - next_word
    return -0.4 * (left - 2) if left > 2 else 0.0


class UnitSplitter:
    """Shares a row's unit fragments between the lead and coordinating columns."""

    def __init__(self, resolver: UnitResolver, vocab: Vocabulary) -> None:
        self.resolver = resolver
        self.vocab = vocab
        # A unit cell's width in characters (Widths.unit, once the table is measured).
        self.unit_width = UNIT_WIDTH
        self._cache: dict[str, float] = {}
        self._mentions: dict[str, float] = {}
        self._pieces: dict[str, list[str]] = {}
        self._beams: dict[
            tuple[tuple[tuple[str, tuple[str, ...], bool, bool], ...], ...],
            list[
                tuple[
                    float,
                    tuple[Tok, ...],
                    tuple[Tok, ...],
                    tuple[Tok, ...],
                    tuple[Tok, ...],
                    str,
                    str,
                ]
            ],
        ] = {}
        self.evaluated = 0  # combinations of a line's cut whose exact score was worked out
        # How often each two words stand side by side on the table's lines (learn_pairs).
        self.pairs: Counter[tuple[str, str]] = Counter()
        self._splits: dict[tuple[tuple[tuple[str, bool], ...], ...], tuple[float, str, str]] = {}

    def learn_pairs(self, lines: Iterable[Sequence[Tok]]) -> None:
        """The document's word pairs: two words side by side on a line, no rule between them.
        A cell's words that a line break parts read on as they read elsewhere in the document
        ("Giáo | dục" where "Giáo dục" stands on other lines); words of two cells joined on a
        line stand so once or twice."""
        for line in lines:
            for a, b in pairwise(line):
                if not a.bar and a.keys and b.keys:
                    self.pairs[a.keys[-1], b.keys[0]] += 1

    def _pair(self, before: Tok, after: Tok, own: int = 0) -> float:
        """How well `after` reads on from `before`: 1 for a pair the document's lines hold
        (beyond `own` times, the pair's own line), else 0."""
        if not before.keys or not after.keys:
            return 0.0
        return 1.0 if self.pairs[before.keys[-1], after.keys[0]] > own + PAIRS_SEEN else 0.0

    def mention_score(self, piece: str) -> float:
        if piece not in self._mentions:
            # (How far below the threshold an unresolved mention is does not matter here.)
            ref = self.resolver.resolve(piece, weak_confidence=False)
            if not ref.resolved and body_shaped(piece):
                # A division, centre or hospital no registry lists, whole.
                score = UNLISTED_BODY_MENTION
            elif not ref.resolved:
                score = -1.0
            elif ref.confidence >= 0.97:
                score = 1.0
            else:
                score = ref.confidence - 0.5
            if len(piece.split()) == 1:
                # One word alone ("ngành", "thông") is mostly a name cut at a line end.
                score = min(score, 0.2)
            self._mentions[piece] = score - 0.3
        return self._mentions[piece]

    def pieces(self, text: str) -> list[str]:
        if text not in self._pieces:
            self._pieces[text] = self.resolver.split(text)
        return self._pieces[text]

    def cell_score(self, text: str) -> float:
        if text in self._cache:
            return self._cache[text]
        score = sum(self.mention_score(piece) for piece in self.pieces(text))
        self._cache[text] = score
        return score

    def rough_bound(self, text: str, words: int | None = None) -> float:
        """At least cell_bound(text), without splitting the text: every two words one mention
        with the best score (a mention of one word scores below 0). Text with markup, that
        clean() may cut into more words, has no bound. `words`: _words(text) when known."""
        if text in self._cache:
            return self._cache[text]
        if text in self._pieces:
            return self.cell_bound(text)
        if words is None:
            words = _words(text)
        if words < 0:
            return math.inf
        return (words // 2) * _MENTION_BEST[0] + 1e-9

    def cell_bound(self, text: str) -> float:
        """At least cell_score(text), without resolving a mention not yet resolved: the best
        score such a mention could get."""
        if text in self._cache:
            return self._cache[text]
        mentions = self._mentions
        return sum(
            mentions[piece] if piece in mentions else _MENTION_BEST[len(piece.split()) == 1]
            for piece in self.pieces(text)
        )

    def split(self, lines: Sequence[Sequence[Tok]]) -> tuple[str, str]:
        """The row's unit lines shared between the lead and coordinating cells: a beam over each
        line's cut (lead words | coordinating words, a few first words given back to the text),
        judged by how well both cells read as unit lists."""
        # (base, lead tokens, coordinating tokens, last lead line, last coordinating line,
        #  lead text, coordinating text); only the wrap and bonus terms accumulate in base, the
        # cell scores are recomputed for the whole cells.
        beam: list[
            tuple[
                float, tuple[Tok, ...], tuple[Tok, ...], tuple[Tok, ...], tuple[Tok, ...], str, str
            ]
        ] = [(0.0, (), (), (), (), "", "")]
        rough_bound = self.rough_bound
        # The beam after some lines depends on those lines only: the cuts of a row that share
        # their first unit lines share those steps.
        prefix: tuple[tuple[tuple[str, tuple[str, ...], bool, bool], ...], ...] = ()
        for line in lines:
            prefix = (*prefix, tuple((t.raw, t.keys, t.upper, t.bar) for t in line))
            if prefix in self._beams:
                beam = self._beams[prefix]
                continue
            options: list[tuple[tuple[Tok, ...], tuple[Tok, ...], float]] = []
            joined: list[tuple[bool, bool]] = []  # (lead, coordinating) may join the line above
            # The first words may be running text the line cut took for units: they can be
            # given back (at a cost, so real unit words are kept).
            for d in range(min(len(line), vocabulary_module.SPLIT_DROP) + 1):
                drop_cost = sum(0.45 if _is_unit(t, self.vocab) else 0.1 for t in line[:d])
                for k in range(d, len(line) + 1):
                    lead, coord = tuple(line[d:k]), tuple(line[k:])
                    if _width(lead) > self.unit_width or _width(coord) > self.unit_width:
                        continue
                    bonus = -drop_cost
                    if coord and coord[0].upper:
                        bonus += 0.3
                    if lead and coord and line[k - 1].bar:
                        # (A rule after the line's last unit word is the one before the time.)
                        bonus += 0.5
                    if lead and coord and not line[k - 1].bar:
                        # Two words the document reads side by side are one cell's.
                        bonus -= PAIR_WEIGHT * self._pair(line[k - 1], line[k], own=1)
                    options.append((lead, coord, bonus))
                    # A cell's words join those of the line above only where no word before
                    # them on this line was given back to the text.
                    joined.append((d == 0, d == 0 or bool(lead)))
            if not options:
                half = max(1, len(line) // 2)
                options = [(tuple(line[:half]), tuple(line[half:]), 0.0)]
                joined = [(True, True)]
            texts = [(_text(lead), _text(coord)) for lead, coord, _ in options]
            counts = [(_words(lead), _words(coord)) for lead, coord in texts]
            firsts = [
                (len(lead[0].raw) if lead else 0, len(coord[0].raw) if coord else 0)
                for lead, coord, _ in options
            ]
            # Every (beam entry, option) with a bound of its score; exact scores are worked out
            # best bound first, until no bound left can reach the beam (see _best_first).
            combos: list[tuple[float, int, int, str, str, float, float, float]] = []
            for b, (
                base,
                lead_acc,
                coord_acc,
                lead_last,
                coord_last,
                lead_text,
                coord_text,
            ) in enumerate(beam):
                lead_words, coord_words = _words(lead_text), _words(coord_text)
                wrap_width = self.unit_width - (UNIT_WIDTH - WRAP_WIDTH)
                lead_room = wrap_width - (_width(lead_last) + 1) if lead_last else None
                coord_room = wrap_width - (_width(coord_last) + 1) if coord_last else None
                for o, (lead, coord, bonus) in enumerate(options):
                    lead_part, coord_part = texts[o]
                    new_lead = _join(lead_text, lead_part)
                    new_coord = _join(coord_text, coord_part)
                    wrap = _room_penalty(lead_room, firsts[o][0] if lead else None) + (
                        _room_penalty(coord_room, firsts[o][1] if coord else None)
                    )
                    if lead and lead_last and joined[o][0]:
                        wrap += PAIR_WEIGHT * self._pair(lead_last[-1], lead[0])
                    if coord and coord_last and joined[o][1]:
                        wrap += PAIR_WEIGHT * self._pair(coord_last[-1], coord[0])
                    if not lead_acc and not lead and coord:
                        wrap -= 2.0  # every row with units has a lead on its first line
                    if lead_acc and not coord_acc and coord:
                        # Cells are top-aligned: a coordinating cell starts with the lead's.
                        wrap -= COORD_LATE
                    bound = (
                        rough_bound(new_lead, _words_joined(lead_words, counts[o][0]))
                        + rough_bound(new_coord, _words_joined(coord_words, counts[o][1]))
                        + bonus
                        + wrap
                        + base
                    )
                    combos.append((bound, b, o, new_lead, new_coord, bonus, wrap, base))
            scored = self._best_first(combos)
            grown = []
            for sc, b, o, lead_score, coord_score, new_lead, new_coord in scored:
                _, lead_acc, coord_acc, lead_last, coord_last, _, _ = beam[b]
                lead, coord, _ = options[o]
                grown.append(
                    (
                        sc - lead_score - coord_score,
                        lead_acc + lead,
                        coord_acc + coord,
                        lead or lead_last,
                        coord or coord_last,
                        new_lead,
                        new_coord,
                    )
                )
            beam = grown
            self._beams[prefix] = beam
        return beam[0][5], beam[0][6]

    def _best_first(
        self, combos: Sequence[tuple[float, int, int, str, str, float, float, float]]
    ) -> list[tuple[float, int, int, float, float, str, str]]:
        """The SPLIT_BEAM best of the combinations (bound, beam entry, option, lead text,
        coordinating text, bonus, wrap, base), best first, ties in the order given, as (score,
        beam entry, option, lead score, coordinating score, lead text, coordinating text).
        Exact scores are worked out in the order of the bounds; once SPLIT_BEAM of them beat
        every bound left, the rest cannot enter (a bound is never below its score)."""
        keep = vocabulary_module.SPLIT_BEAM
        exact: list[tuple[float, int, float, float]] = []
        kept: list[float] = []  # the best exact scores so far (a min-heap of at most `keep`)
        cache = self._cache
        # First the combinations already scored (cells read before): free, and they set the
        # bar the others must reach.
        rest: list[int] = []
        for c, (_bound, _b, _o, new_lead, new_coord, bonus, wrap, base) in enumerate(combos):
            if new_lead in cache and new_coord in cache:
                lead_score, coord_score = cache[new_lead], cache[new_coord]
                score = lead_score + coord_score + bonus + wrap + base
                exact.append((score, c, lead_score, coord_score))
                if len(kept) < keep:
                    heapq.heappush(kept, score)
                elif score > kept[0]:
                    heapq.heapreplace(kept, score)
            else:
                rest.append(c)
        rest.sort(key=lambda c: -combos[c][0])
        for c in rest:
            bound, _b, _o, new_lead, new_coord, bonus, wrap, base = combos[c]
            if len(kept) == keep and bound < kept[0]:
                break
            if len(kept) == keep:
                # Closer bounds (a text split into mentions, those resolved already scored),
                # the lead's first: often enough without splitting the coordinating text.
                lead_bound = self.cell_bound(new_lead)
                rough = lead_bound + self.rough_bound(new_coord) + bonus + wrap + base
                if rough < kept[0]:
                    continue
                closer = lead_bound + self.cell_bound(new_coord) + bonus + wrap + base
                if closer < kept[0]:
                    continue
            self.evaluated += 1
            lead_score = self.cell_score(new_lead)
            coord_score = self.cell_score(new_coord)
            score = lead_score + coord_score + bonus + wrap + base
            exact.append((score, c, lead_score, coord_score))
            if len(kept) < keep:
                heapq.heappush(kept, score)
            elif score > kept[0]:
                heapq.heapreplace(kept, score)
        exact.sort(key=lambda e: (-e[0], e[1]))
        out = []
        for score, c, lead_score, coord_score in exact[:keep]:
            _, b, o, new_lead, new_coord, _, _, _ = combos[c]
            out.append((score, b, o, lead_score, coord_score, new_lead, new_coord))
        return out

    def split_scored(self, lines: Sequence[Sequence[Tok]]) -> tuple[float, str, str]:
        """split(), and how well the two cells read as unit lists (resolved names score high)."""
        key = tuple(tuple((t.raw, t.bar) for t in line) for line in lines)
        if key not in self._splits:
            lead, coord = self.split(lines)
            self._splits[key] = (self.cell_score(lead) + self.cell_score(coord), lead, coord)
        return self._splits[key]


# --- the document ---------------------------------------------------------------------------------


def is_header_line(line: str) -> bool:
    """The table's header on one line ("STT | Nhiệm vụ Sản phẩm Cơ quan chủ trì ...")."""
    from dean06.ingest.layout.tables import named_columns
    from dean06.ingest.text import fold

    words = fold(line).split()
    if len(words) < 5:
        return False
    if words[0] in ("stt", "tt", "noi") and sum(1 for w in words if w in HEADER_WORDS) >= 0.7 * len(
        words
    ):
        return True  # (a word or two garbled: "Tho gian", "phéi hgp")
    names = column_words()
    # Other columns' names ("Sản phẩm", "Cơ quan chủ trì"): three roles named, and nearly
    # nothing but the words of column names.
    if len(words) > 24 or len(set(named_columns(line)) - {"stt"}) < 3:
        return False
    return sum(1 for w in words if w in names) >= 0.8 * len(words)


def _header_rest(line: str) -> bool:
    """The second line of a header whose cells wrapped ("T thành hiện đôn đốc" under "ST | Nhiệm
    vụ Sản phẩm Thời gian hoàn | Chủ trì thực hiện | Phối hợp thực Theo dõi,"): nothing but the
    words of column names, and letters of "STT"."""
    from dean06.ingest.text import fold

    words = [w for w in re.split(r"[\s|,.;:]+", fold(line)) if w]
    names = column_words()
    return bool(words) and all(w in names or w in ("s", "t", "st") for w in words)


def _indexed_blocks(
    lines: Sequence[list[Tok]], breaks: set[int]
) -> list[tuple[int, list[list[Tok]]]]:
    """The lines in blocks, each with the index in `lines` where it starts: a new block at each
    index in `breaks` (after a blank line); empty lines and blocks left out."""
    blocks: list[tuple[int, list[list[Tok]]]] = []
    for k, line in enumerate(lines):
        if not blocks or k in breaks:
            blocks.append((k, []))
        if line:
            blocks[-1][1].append(line)
    return [(k, b) for k, b in blocks if b]


def _blocks_of(lines: Sequence[list[Tok]], breaks: set[int]) -> list[list[list[Tok]]]:
    """The lines in blocks: a new block at each index in `breaks` (after a blank line)."""
    return [b for _, b in _indexed_blocks(lines, breaks)]


class Builder:
    def __init__(self, registry: UnitRegistry) -> None:
        from dean06.ingest.units import UnitResolver

        self.vocab = vocabulary(registry)
        self.splitter = UnitSplitter(UnitResolver(registry), self.vocab)
        self.rows: list[TableRow] = []
        self.row: _Row | None = None
        self.last_stt: str | None = None
        self.dotted_seen = False
        self.group_letter: str | None = None
        self.subgroups: set[str] = set()
        self.declared: dict[str, int] = {}  # subgroup number -> tasks its heading declares
        self.warnings: list[str] = []
        # Lines seen with no row open (see _lines_above).
        self.waiting: list[list[Tok]] = []
        # The product cell of the rows of a table with a product column, by row index.
        self.products: dict[int, str] = {}
        self.widths = Widths()
        self.after_blank = True
        # A subgroup whose number stood alone: its title is the next block.
        self.untitled: int | None = None
        # Rows whose number came without cells (a column of numbers): cells come after them.
        self.pending: list[_Row] = []
        # The rows' numbers chosen over the whole table (numbering.number_path), by line number,
        # and the lines whose first digits end the number above.
        self.numbers: dict[int, str] = {}
        self.number_ends: set[int] = set()
        # The line before was the table's header (its cells' wrapped words may follow).
        self.after_header = False
        # Whether the table has groups (titles, dotted numbers, numbering started again): a row
        # before any group title is then in a group whose title OCR lost; in a table numbered 1,
        # 2, 3 … straight through it is in none.
        self.grouped = True
        # The text kept its accents (OCR'd with Vietnamese data): time cells are shown as printed.
        self.accented = False
        # The table's header was read (its first row may come without its number).
        self.header_seen = False
        # The table's time column counts days (columns.counts_days): its cells are figures.
        self.days = False
        # A block with a line wider than this is task text (blocks.classify): NARROW_SHARE of
        # the unit cells' measured width, where it was measured.
        self.narrow: float = BLOCK_CONTENT_WIDTH
        # The names the table prints as unit cells of their own, folded (blocks.cell_names).
        self.cell_names: frozenset[str] = frozenset()

    def learn_unit_words(self, words: frozenset[str]) -> None:
        """The document's own bodies' words (columns.named_body_words) as unit words."""
        self.vocab = with_unit_words(self.vocab, words)
        self.splitter.vocab = self.vocab

    # rows ---------------------------------------------------------------------------------------

    def flush(self) -> None:
        row = self.row
        if row is None:
            return
        self.row = None
        if row.blocks is not None:
            self._flush_blocks(row)
            return
        parts = self._lost_numbers(row)
        self._flush_lines(
            row if not parts else dataclasses.replace(row, lines=row.lines[: parts[0]])
        )
        for start, end in itertools.pairwise([*parts, len(row.lines)]):
            stt = self._next_number()
            self.last_stt = stt
            code = f"{self.group_letter}.{stt}" if self.group_letter else stt
            self.warnings.append(
                f"Nhiệm vụ {code} (bản OCR) cần rà soát: số thứ tự không đọc được, suy ra theo "
                "thứ tự."
            )
            breaks = {k - start for k in row.breaks if start < k < end}
            self._flush_lines(
                _Row(
                    stt=stt, line=row.line, page=row.page, lines=row.lines[start:end], breaks=breaks
                )
            )

    def _lost_numbers(self, row: _Row) -> list[int]:
        """Where rows whose numbers OCR lost start inside a row read line by line that goes on
        in blocks (psm 3 after a page break): a wide block of text that starts capitalised after
        a sentence's end, with narrow cells (units, time) before it in the row and after it of
        its own. No more of them than numbers are missing before the next one printed."""
        if not row.breaks or self.widths.product or self.widths.follow_up:
            return []
        blocks = _indexed_blocks(row.lines, row.breaks)
        wide = [max(_width(ln) for ln in lines) > self.widths.cell_block for _, lines in blocks]
        # The row's first line holds its cells beside the text, or a narrow block came.
        cells_seen = _width(blocks[0][1][0]) > self.widths.content_max if blocks else False
        splits: list[int] = []
        last_wide: list[list[Tok]] | None = None
        for k, (a, lines) in enumerate(blocks):
            if not wide[k]:
                cells_seen = cells_seen or k > 0
                continue
            ended = last_wide is not None and bool(last_wide[-1]) and last_wide[-1][-1].period
            own_cells = k + 1 < len(blocks) and not wide[k + 1]
            if k > 0 and cells_seen and ended and own_cells and lines[0][0].upper:
                splits.append(a)
                cells_seen = False
            last_wide = lines
        later = [line for line in self.numbers if line > row.line]
        if later and self.last_stt and self.last_stt.isdigit():
            following = self.numbers[min(later)]
            if following.isdigit():
                splits = splits[: max(int(following) - int(self.last_stt) - 1, 0)]
        return splits

    def _text_going_on(self, row: _Row) -> tuple[list[list[Tok]], list[list[Tok]]]:
        """The row's lines to cut into cells, and its last blocks that are its text alone: a
        row whose first line held its cells beside its text, going on after a break (a page)
        in blocks of text as wide as its column with no cells after them — the text that went
        on, no unit or time words to look for in it."""
        if not row.breaks or _width(row.lines[0]) <= self.widths.content_max:
            return [ln for ln in row.lines if ln], []
        blocks = _blocks_of(row.lines, row.breaks)
        text_only: list[list[Tok]] = []
        while len(blocks) > 1 and self._text_block(blocks[-1]):
            text_only = blocks.pop() + text_only
        return [ln for b in blocks for ln in b], text_only

    def _text_block(self, block: Sequence[Sequence[Tok]]) -> bool:
        """Lines of the text column alone: wider than a cell (but the paragraph's last line),
        no wider than the text column."""
        widths = [_width(ln) for ln in block]
        return (
            len(block) >= 2
            and all(w > self.widths.cell_block for w in widths[:-1])
            and all(w <= self.widths.content_max for w in widths)
        )

    def _flush_lines(self, row: _Row) -> None:
        columnar = self._columnar(row) or self._continued_by_columns(row)
        if columnar is not None:
            cuts, lead, coord = columnar
        else:
            lines, text_only = self._text_going_on(row)
            cuts = cut_row(lines, self.vocab, self.widths, self.splitter)
            cuts += [_LineCut(list(ln), [], []) for ln in text_only]
            units = [c.units for c in cuts if c.units]
            _, lead, coord = self.splitter.split_scored(units) if units else (0.0, "", "")
        printed = self._printed(t for line in row.lines for t in line)
        lead, coord = self._shown(lead, printed), self._shown(coord, printed)
        content = " ".join(" ".join(t.raw for t in c.content) for c in cuts if c.content)
        deadline = " ".join(self._time_text(c.deadline) for c in cuts if c.deadline)
        # "thường xuyên" read as "thông xuyên", its words on two lines.
        deadline = re.sub(r"(?i)\bth[a-z]{0,3}ng(?=\s+xuyen\b)", "thuong", deadline)
        source = Source(page=row.page, line=row.line)
        product = " ".join(" ".join(t.raw for t in c.product) for c in cuts if c.product)
        if product:
            self.products[len(self.rows)] = product
        self.rows.append(TableRow(cells=[row.stt, content, lead, coord, deadline], source=source))

    def finish(self) -> None:
        """The last row, and numbers that never got their cells (kept, flagged for review)."""
        self.flush()
        for row in self.pending:
            code = f"{self.group_letter}.{row.stt}" if self.group_letter else row.stt
            self.warnings.append(f"Nhiệm vụ {code}: bản OCR chỉ có số thứ tự, không có nội dung.")
            source = Source(page=row.page, line=row.line)
            self.rows.append(TableRow(cells=[row.stt, "", "", "", ""], source=source))
        self.pending = []

    def table_rows(self, header: Sequence[str]) -> list[TableRow]:
        """The header row and the rows read, with a product column last when the table has one
        (a row's product; a merged group row's text again)."""
        rows = [TableRow(cells=list(header), header=True), *self.rows]
        if not self.widths.product:
            return rows
        out = [TableRow(cells=[*header, "Sản phẩm"], header=True)]
        for k, row in enumerate(self.rows):
            extra = row.cells[0] if len(set(row.cells)) == 1 else self.products.get(k, "")
            out.append(TableRow(cells=[*row.cells, extra], header=row.header, source=row.source))
        return out

    def _header_block(self, block: Sequence[str]) -> bool:
        """A header cell printed as a block of its own at a page's top, its words wrapped over
        lines ("Số ngày / dự kiến", "Thời gian / thực hiện / (ngày)"): no cell of the row."""
        from dean06.ingest.layout.tables import DURATION_HEADER

        # (Not columns.header_cell: among a row's cells, a phrase found inside a unit's name
        # ("Thanh tra Sở": "hạn") names no column.)
        text = " ".join(block)
        return len(text) <= HEADER_CELL_WIDTH and (
            header_role(text, self.vocab) is not None or bool(DURATION_HEADER.search(text))
        )

    def _flush_blocks(self, row: _Row) -> None:
        if row.blocks:
            row.blocks = [b for b in row.blocks if not self._header_block(b)]
            self._give_back_text(row.blocks)
            self._lead_beside_text(row.blocks)
        if not row.blocks:
            # A number with no cells before the next one: numbers printed as a column.
            self.pending.append(row)
            return
        source = Source(page=row.page, line=row.line)
        if self.pending:
            rows = [*self.pending, row]
            self.pending = []
            cells_list = distribute(
                len(rows), row.blocks, self.vocab, days=self.days, narrow=self.narrow
            )
            numbers = [r.stt for r in rows]
            for cells in cells_list:
                # Aligned by order: always for a reviewer to check.
                cells.numbered = False
        else:
            product_width = UNIT_WIDTH + 4 if self.widths.product else None
            cells_list = assemble(
                row.blocks,
                self.vocab,
                product_width=product_width,
                days=self.days,
                narrow=self.narrow,
            )
            if self.widths.follow_up:
                for cells in cells_list:
                    del cells.units[2:]  # the follow-up column's unit cell
            numbers = [row.stt]
        for k, cells in enumerate(cells_list):
            if k < len(numbers):
                stt = numbers[k]
            else:
                stt = self._next_number()
                self.last_stt = stt
            doubts = []
            if not cells.numbered and k < len(numbers):
                doubts.append("các cột in thành từng khối, ghép theo thứ tự")
            elif not cells.numbered:
                doubts.append("số thứ tự không đọc được, suy ra theo thứ tự")
            self._put_cells(stt, cells, source, doubts)

    def _give_back_text(self, blocks: list[list[str]]) -> None:
        """A row's first blocks that go on in lower case are the text of the row above, which a
        page break cut: psm 3 printed the next row's number (its column) before them. (A dash
        or bullet there is a speck or the row's own list, not the row above's.)"""
        while (
            blocks
            and self.rows
            and self.rows[-1].cells[2]  # a task row (a title has no lead)
            and text_head(blocks[0][0]).lstrip("(")[:1].islower()
            and classify(blocks[0], self.vocab, days=self.days, narrow=self.narrow) == "content"
        ):
            cells = self.rows[-1].cells
            cells[1] = _join(cells[1], " ".join(ln.strip() for ln in blocks.pop(0)))

    def _lead_beside_text(self, blocks: list[list[str]]) -> None:
        """A row whose lead cell psm 3 printed beside its text's first lines (no vertical rules;
        blocks.side_cell): the cell becomes a block of its own after the text's first block.
        The text column's width is the row's usual text line."""
        texts = [line for block in blocks for line in block if len(line) > BLOCK_CELL_WIDTH]
        width = text_width(texts, SIDE_ROW_LINES_MIN)
        if width is None or not blocks:
            return
        kept, side = side_cell(blocks[0], self.vocab, width, self.cell_names)
        if not side:
            return
        # The text's other lines, each a block of its own up to the row's first cell, are as
        # wide as its column, go on in lower case or after a sentence not ended: text ("dân
        # khi thực hiện thủ tục hành chính", "4G, 5G. Triển khai …", "liệu quốc gia về dân
        # cư."), not cells.
        text = len(blocks)
        for k, block in enumerate(blocks[1:], start=1):
            wide = min(map(len, block)) >= width - SIDE_SLACK
            unfinished = not SENTENCE_END.search(blocks[k - 1][-1])
            if not (wide or unfinished or is_continuation(block[0])):
                text = k
                break
        blocks[:] = [
            [*kept, *(line for b in blocks[1:text] for line in b)],
            side,
            *blocks[text:],
        ]

    def _put_cells(self, stt: str, cells: Cells, source: Source, doubts: list[str]) -> None:
        """A row of cells read as blocks into the table, with what a reviewer should check."""
        code = f"{self.group_letter}.{stt}" if self.group_letter else stt
        lead = self._unit_text(tokenize(cells.lead, self.vocab))
        coord = self._unit_text(tokenize(cells.coordinating, self.vocab))
        deadline = self._time_text(tokenize(" ".join(cells.deadline), self.vocab))
        if not lead:
            doubts.append("không thấy đơn vị chủ trì")
        if not deadline:
            doubts.append("không thấy thời hạn")
        if doubts:
            self.warnings.append(
                f"Nhiệm vụ {code} (bản OCR, các cột tách thành khối) cần rà soát: "
                + "; ".join(doubts)
                + "."
            )
        content = " ".join(cells.content)
        if cells.product:
            self.products[len(self.rows)] = " ".join(cells.product)
        self.rows.append(TableRow(cells=[stt, content, lead, coord, deadline], source=source))

    def add_cells_row(self, stt: str | None, cells: Cells, source: Source) -> None:
        """A row whose cells were put together elsewhere (a page read column by column): its
        number, or the next one where OCR lost it; `cells.numbered` False when its columns were
        matched by order with counts that differ."""
        doubts = []
        if stt is None:
            stt = self._next_number()
            doubts.append("số thứ tự không đọc được, suy ra theo thứ tự")
        if not cells.numbered:
            doubts.append("các cột in thành từng khối, ghép theo thứ tự")
        self.start(stt, source)
        self.row = None
        self._put_cells(stt, cells, source, doubts)

    def extend_last_row(self, ends: Sequence[str]) -> None:
        """The ends of the last task row's text, lead, coordinating and time cells, which a page
        break carried to a page read column by column."""
        self.flush()
        if not self.rows or not self.rows[-1].cells[2]:
            return  # no task row before (a group's or subgroup's title has no lead)
        cells = self.rows[-1].cells
        cells[1] = _join(cells[1], ends[0])
        for k, end in enumerate(ends[1:], start=2):
            tokens = tokenize(end, self.vocab)
            shown = self._time_text(tokens) if k == 4 else self._unit_text(tokens)
            cells[k] = _join(cells[k], shown)

    def _printed(self, tokens: Iterable[Tok]) -> dict[str, str]:
        """Where the text kept its accents: each word as the reader normalised it (Tok.display)
        → as printed, for the words OCR read right ("So," → "Sở,")."""
        printed: dict[str, str] = {}
        if not self.accented:
            return printed
        for tok in tokens:
            word = tok.printed()
            if word is not None:
                shown = tok.display()
                printed.setdefault(shown, word + shown[len(shown.rstrip(PUNCTUATION)) :])
        return printed

    @staticmethod
    def _shown(text: str, printed: Mapping[str, str]) -> str:
        """A unit cell as the reviewer reads it: its words as printed where _printed has them
        ("Phòng Hành chính tư pháp", where the reader resolved "Phong Hanh chinh tu phap")."""
        return " ".join(printed.get(word, word) for word in text.split(" ")) if printed else text

    def _unit_text(self, tokens: Sequence[Tok]) -> str:
        """A unit cell as the reviewer reads it, a dash between its words kept ("Phòng Kế
        hoạch - Tài chính"; a bullet before the cell is none of its words)."""
        words = [t.display() or (t.raw if t.raw in NAME_DASHES else "") for t in tokens]
        while words and words[0] in ("", *NAME_DASHES):
            words.pop(0)
        while words and words[-1] in ("", *NAME_DASHES):
            words.pop()
        return self._shown(" ".join(w for w in words if w), self._printed(tokens))

    def _time_text(self, tokens: Sequence[Tok]) -> str:
        """A time cell as the reviewer reads it: its words as printed where the text kept its
        accents (OCR'd with Vietnamese data), else their normalised keys."""
        if not self.accented:
            return _text(tokens)
        return " ".join(w for w in (t.raw.replace("|", "").strip() for t in tokens) if w)

    def next_subgroup(self) -> str:
        """The number of a subgroup whose title came without it: the one after the last."""
        head = (self.last_stt or "0").split(".")[0]
        return str(int(head) + 1) if head.isdigit() else "1"

    def _blocks(self, row: _Row) -> list[list[list[Tok]]]:
        return _blocks_of(row.lines, row.breaks)

    def _columnar(self, row: _Row) -> tuple[list[_LineCut], str, str] | None:
        """A row given column by column (blocks of narrow lines after the content block): each
        narrow block is a cell, units in order lead then coordinating, or the deadline."""
        blocks = self._blocks(row)
        narrow = [max(_width(ln) for ln in b) <= self.widths.cell_block for b in blocks]
        if sum(narrow) < 2 or (narrow[0] and len(blocks[0]) > 1):
            return None
        first_narrow = blocks[narrow.index(True)][0][0]
        if not (first_narrow.upper and first_narrow.keys[:1]):
            return None
        cuts: list[_LineCut] = []
        unit_cells: list[str] = []
        for block, is_narrow in zip(blocks, narrow, strict=True):
            tokens = [t for ln in block for t in ln]
            if not is_narrow or (
                not unit_cells
                and not cuts
                and len(blocks) > 1
                and not any(narrow[: blocks.index(block)])
                and block is blocks[0]
            ):
                cuts.append(_LineCut(tokens, [], []))
                continue
            unit_score = sum(_unit_weight(t, self.vocab) for t in tokens)
            dl_score = sum(_deadline_weight(t) for t in tokens)
            if dl_score > unit_score and any(_is_strong(t) for t in tokens):
                cuts.append(_LineCut([], [], tokens))
            else:
                unit_cells.append(_text(tokens))
        lead = unit_cells[0] if unit_cells else ""
        coord = "; ".join(unit_cells[1:])
        return cuts, lead, coord

    def _continued_by_columns(self, row: _Row) -> tuple[list[_LineCut], str, str] | None:
        """A row whose first line holds every cell between rules ("… | Sở Thông tin và Truyền
        | Văn phòng UBND tỉnh, | Trong năm 2024 và"; one rule may be missing between two cells
        after the text), its cells going on below as one block per column (psm 3): wide blocks
        go on with the text; each narrow block goes on with one of the cells after it, in
        column order. The cut of a cell pair the line gave without its rule, and where each
        block goes, are chosen by how well the cells then read (unit cells as units, the time
        cell as a time phrase)."""
        if self.widths.product or self.widths.follow_up or not row.lines or 1 not in row.breaks:
            return None
        segments: list[list[Tok]] = [[]]
        for tok in row.lines[0]:
            segments[-1].append(tok)
            if tok.bar:
                segments.append([])
        segments = [c for c in segments if c]
        if self.widths.time_first:
            order: tuple[str, ...] = ("deadline", "lead", "coord")
        else:
            order = ("lead", "coord", "deadline")
        if len(segments) == 4:
            firsts = [segments[1:]]
        elif len(segments) == 3:
            # One rule missing after the text: either later segment holds two cells.
            firsts = []
            for j in (1, 2):
                glued = segments[j]
                for k in range(1, len(glued)):
                    cut = [*segments[1:j], glued[:k], glued[k:], *segments[j + 1 :]]
                    firsts.append(cut)
        else:
            return None
        content = list(segments[0])
        narrow: list[list[Tok]] = []
        # Which run of narrow blocks each is in: text after them (a page broke the row) starts
        # the cells' blocks over, in column order again.
        runs: list[int] = []
        run = 0
        for block in _blocks_of(row.lines[1:], {b - 1 for b in row.breaks if b > 1}):
            tokens = [t for ln in block for t in ln]
            if max(_width(ln) for ln in block) > self.widths.cell_block:
                content.extend(tokens)
                run += 1
            else:
                narrow.append(tokens)
                runs.append(run)
        if not narrow or len(narrow) > 5:
            return None
        choices = [
            choice
            for choice in itertools.product(range(3), repeat=len(narrow))
            if not any(
                a > b and ra == rb
                for (a, ra), (b, rb) in itertools.pairwise(zip(choice, runs, strict=True))
            )
        ]

        def fill(first: list[list[Tok]], choice: tuple[int, ...]) -> dict[str, list[Tok]]:
            filled = {name: list(cell) for name, cell in zip(order, first, strict=True)}
            for block, column in zip(narrow, choice, strict=True):
                filled[order[column]].extend(block)
            return filled

        def reads(filled: dict[str, list[Tok]], choice: tuple[int, ...]) -> float:
            unit_cells = self.splitter.cell_score(_text(filled["lead"])) + (
                self.splitter.cell_score(_text(filled["coord"]))
            )
            time_cell = sum(_deadline_weight(t, self.vocab) for t in filled["deadline"])
            # One block per column: a column given two blocks is less likely.
            return unit_cells + time_cell - 0.5 * (len(choice) - len(set(choice)))

        first, choice = max(
            ((first, choice) for first in firsts for choice in choices),
            key=lambda option: reads(fill(*option), option[1]),
        )
        filled = fill(first, choice)
        cuts = [_LineCut(content, [], filled["deadline"])]
        return cuts, _text(filled["lead"]), _text(filled["coord"])

    def group(self, letter: str, title: str, source: Source) -> None:
        self.finish()
        self.group_letter = letter
        self.subgroups.clear()
        self.declared.clear()
        self.rows.append(TableRow(cells=[f"{letter}. {title}"] * 5, source=source))
        self.last_stt = None
        self.dotted_seen = False

    def subgroup(self, number: str, title: str, source: Source) -> None:
        self.finish()
        self.subgroups.add(number)
        declared = DECLARED.search(title)
        if declared:
            self.declared[number] = int(declared.group(1).replace("O", "0"))
        self.rows.append(TableRow(cells=[number, title, "", "", ""], source=source))
        self.last_stt = f"{number}.0"
        self.dotted_seen = True

    def start(self, stt: str, source: Source) -> None:
        self.flush()
        if "." in stt and not self.dotted_seen and self.last_stt and "." not in self.last_stt:
            # Plain numbers, then "1.1": the next group began and OCR lost its heading row.
            self.implicit_group(source)
        if self.group_letter is None and self.grouped:
            self.implicit_group(source)
        if "." in stt:
            self.dotted_seen = True
            head = stt.split(".")[0]
            if head not in self.subgroups:
                self.subgroups.add(head)
                self.rows.append(
                    TableRow(
                        cells=[head, "(tiêu đề nhóm không đọc được)", "", "", ""], source=source
                    )
                )
        self.last_stt = stt
        self.row = _Row(stt=stt, line=source.line or 0, page=source.page or 1)

    def implicit_group(self, source: Source) -> None:
        letter = "A" if self.group_letter is None else chr(ord(self.group_letter) + 1)
        self.warnings.append(
            f"Bản OCR mất dòng tiêu đề nhóm {letter}; nhóm được suy ra từ số thứ tự."
        )
        self.group(letter, "(TIÊU ĐỀ NHÓM KHÔNG ĐỌC ĐƯỢC)", source)

    # lines --------------------------------------------------------------------------------------

    def blank(self) -> None:
        self.after_blank = True
        if self.row is not None:
            self.row.breaks.add(len(self.row.lines))

    def add_line(self, line: str, source: Source) -> None:
        block_start = self.after_blank
        self.after_blank = False
        self._add_line(line, source, block_start=block_start)

    def _header_fragment(self, line: str) -> bool:
        """A header cell on a line of its own ("STT", "Đơn vị chủ trì"): psm 3 splits headers."""
        from rapidfuzz import fuzz, process

        tokens = tokenize(line, self.vocab)
        keys = [k for t in tokens for k in t.keys]
        if not 0 < len(keys) <= 6:
            return False
        if all(k in HEADER_WORDS for k in keys):
            return True
        hit = process.extractOne(
            " ".join(keys), HEADER_CELLS, scorer=fuzz.ratio, score_cutoff=HEADER_CELL_RATIO
        )
        # (Or a cell of any layout's header as OCR spells it: "Don vi thc hien", "Chi tri".)
        return hit is not None or (
            len(line) <= HEADER_CELL_WIDTH and header_role(line, self.vocab) is not None
        )

    def _block_line(self, stripped: str, source: Source, *, block_start: bool) -> bool:
        """psm 3 shapes: a number alone, a group title alone, a row's cells as blocks. True when
        the line was taken."""
        if self._header_fragment(stripped):
            self.after_blank = True  # a header between two pages ends the block above it
            self.header_seen = True
            return True
        declared = DECLARED.search(stripped)
        if self.untitled is not None and block_start and len(stripped) <= 120:
            number, self.untitled = self.untitled, None
            if declared or not re.match(r"\d", stripped):
                self.rows[number].cells[1] = stripped
                found = declared.group(1).replace("O", "0") if declared else ""
                if found:
                    self.declared[self.rows[number].cells[0]] = int(found)
                return True
        if (
            declared
            and block_start
            and self.dotted_seen
            and len(stripped) <= 120
            and not re.match(r"\d", stripped)
        ):
            # A subgroup title whose number OCR lost: the next subgroup.
            self.subgroup(self.next_subgroup(), stripped, source)
            return True
        row = self.row
        if row is not None and row.blocks is not None:
            if block_start or not row.blocks:
                row.blocks.append([])
            row.blocks[-1].append(stripped)
            return True
        if (
            row is None
            and block_start
            and stripped[:1].isupper()
            and (
                (self.group_letter is not None and self.last_stt is not None)
                or (self.header_seen and self.last_stt is None and not self.rows)
            )
        ):
            # The first row under a title, or under the table's header, its number lost.
            self.start(self._next_number(), source)
            if self.row is not None:
                self.row.blocks = [[stripped]]
                self.warnings.append(
                    f"Dòng {source.line}: số thứ tự không đọc được, nhiệm vụ suy ra theo thứ tự."
                )
            return True
        return False

    def _add_line(self, line: str, source: Source, *, block_start: bool) -> None:
        stripped = RULE_BEFORE_NUMBER.sub("", line.strip())
        after_header, self.after_header = self.after_header, False
        if not stripped or is_header_line(stripped):
            self.after_blank = True
            self.after_header = bool(stripped)
            self.header_seen = self.header_seen or bool(stripped)
            return
        if after_header and _header_rest(stripped):
            return
        group = group_title(stripped)
        if group is not None:
            self.group(group.group(1), group.group(2).strip(), source)
            return
        tokens = tokenize(stripped, self.vocab)
        if not tokens:
            return
        if source.line in self.number_ends:
            # The end of the number above ("4" under "2.1": 2.14), not the row's text.
            self.add_cells(tokens[1:], first=False)
            return
        # Chosen over the whole table: a number off the run of row numbers is not a row's.
        stt = self.numbers.get(source.line or 0)
        if stt is not None and self.row is not None and self.row.stt == stt:
            # The row was begun above its number (a capitalised line after a sentence's end;
            # the number centred beside the row's middle): the number's line goes on with it.
            self.add_cells(tokens[1:], first=False)
            return
        if stt is not None:
            rest = tokens[1:]
            title = " ".join(t.raw for t in rest)
            sub_number = stt if "." not in stt else None
            if not rest:
                # A number alone on its line (psm 3): its cells follow as blocks.
                if sub_number is not None and (
                    self.dotted_seen or self._opens_subgroup(source.line or 0, sub_number)
                ):
                    self.subgroup(sub_number, "", source)
                    self.untitled = len(self.rows) - 1
                    return
                self.start(stt, source)
                if self.row is not None:
                    self.row.blocks = []
                return
        elif self._block_line(stripped, source, block_start=block_start):
            return
        if stt is not None:
            if sub_number is not None and (
                DECLARED.search(stripped) or (self.dotted_seen and len(title) <= 60)
            ):
                self.subgroup(sub_number, title.strip(" |"), source)
                return
            above = self._lines_above(rest)
            self.start(stt, source)
            if self.row is not None and above:
                self.row.lines.extend(above)
                self.row.number_at = len(above)
            self.add_cells(rest, first=not above)
            return
        if self.row is None and self.group_letter is None and not self.rows:
            return
        stray = not tokens[0].upper and len(tokens[0].raw) <= 6
        # A row whose number OCR lost (or read as a stray word): the next number; after a stray
        # word (perhaps a word of the text: "của Trung ương ..."), only when that number is not
        # printed further down.
        if self._fresh_row(tokens) and (not stray or self._number_free(source)):
            self.start(self._next_number(), source)
            self.add_cells(tokens[1:] if stray else tokens, first=True)
            return
        if self.row is None:
            self.waiting.append(tokens)  # perhaps the top half of a row whose number is centred
            return
        self.add_cells(tokens, first=False)

    def _lines_above(self, rest: Sequence[Tok]) -> list[list[Tok]]:
        """The lines of a row printed above its number, when the number stands beside the middle
        of the row (its line goes on in lower case: "1 dân tỉnh trên cơ sở dữ liệu ..."): taken
        back from the row before, whose number was at its own middle too, so that row ends as
        far below its number as it began above; a task's first line is capitalised, which picks
        the cut among the lines next to that. Lines seen since a heading, with no row open, are
        the top of the first row."""
        waiting, self.waiting = self.waiting, []
        if not rest or rest[0].upper or not rest[0].raw[:1].isalpha():
            return []
        row = self.row
        if row is None:
            return waiting
        if row.blocks is not None:
            return []
        end = 2 * row.number_at + 1
        candidates = sorted(
            range(max(1, end - 2), min(len(row.lines), end + 2) + 1), key=lambda k: abs(k - end)
        )
        cut = next(
            (
                k
                for k in candidates
                if k < len(row.lines) and row.lines[k][:1] and row.lines[k][0].upper
            ),
            min(end, len(row.lines)),
        )
        above = row.lines[cut:]
        del row.lines[cut:]
        row.breaks = {b for b in row.breaks if b < cut}
        return above

    def _opens_subgroup(self, line: int, number: str) -> bool:
        """Whether the table's next row number after this line is one under `number` ("1" then
        "1.1"): the number is a subgroup's."""
        later = [k for k in self.numbers if k > line]
        return bool(later) and self.numbers[min(later)].startswith(f"{number}.")

    def _number_free(self, source: Source) -> bool:
        """Whether a row whose number was lost may take the next number: not when that number
        stands further down (the line is the text of a row whose number is below it)."""
        number = self._next_number()
        line = source.line or 0
        later = [k for k in self.numbers if k > line]
        return not later or self.numbers[min(later)] != number

    def _next_number(self) -> str:
        last = self.last_stt or "0"
        head, _, tail = last.rpartition(".")
        if head.isdigit() and tail.isdigit() and int(tail) >= self.declared.get(head, 99):
            # The group declared this many tasks: the row is the next group's first, its
            # heading lost too.
            return f"{int(head) + 1}.1"
        return f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)

    def _fresh_row(self, tokens: list[Tok]) -> bool:
        row = self.row
        if row is None or not row.lines or len(tokens) < 4:
            return False
        body = tokens
        junk = not body[0].upper and len(body[0].raw) <= 6 and len(body) > 1
        if junk:
            body = body[1:]
        # After a sentence that ended, or after a stray word where the number was.
        if not junk and not any(t.period for t in row.lines[-1]):
            return False
        if not body[0].upper:
            return False
        _, cut = cut_line(body, self.vocab, first=True, mode="full", widths=self.widths)
        return (
            bool(cut.content)
            and bool(cut.units)
            and bool(cut.deadline)
            and _is_deadline(cut.deadline[0])
        )

    def add_cells(self, tokens: list[Tok], *, first: bool) -> None:
        row = self.row
        if row is None:
            return
        if tokens and len(tokens[0].raw) <= 2 and BULLET.match(tokens[0].raw + " x"):
            tokens = tokens[1:]
        row.lines.append(tokens)
