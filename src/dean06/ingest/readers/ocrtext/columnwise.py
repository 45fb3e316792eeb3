"""Pages of a table printed without vertical rules, OCR'd by tesseract's default segmentation
(psm 3): with no rule between them, tesseract reads such a page column by column — the numbers,
then the task texts, then the lead units, the coordinating units, the deadlines — each cell a
block of its own, the header's cells among them where each column starts, a column's cells in
their rows' order (a group row across the page splits the page into an upper and a lower part
read one after the other).

A page's rows are its task texts; every other column's cells go to them in order. The lead and
coordinating cells are both units: the header's cells say which column the cells after them
are in ("Đơn vị chủ trì", "Đơn vị phối hợp"); on a page without them (a header printed once)
the first of the page's unit cells, one per row, are the leads. Rows whose columns do not count
the same are flagged for review: cells are matched by order only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from dean06.ingest.readers.ocrtext.blocks import (
    classify,
    is_continuation,
    side_cell,
    text_head,
    text_width,
)
from dean06.ingest.readers.ocrtext.columns import header_keys, header_role
from dean06.ingest.readers.ocrtext.lines import is_header_line
from dean06.ingest.readers.ocrtext.numbering import group_title, page_numbers
from dean06.ingest.readers.ocrtext.vocabulary import (
    BLOCK_CONTENT_WIDTH,
    DECLARED,
    NARROW_SHARE,
    NOISE_LETTERS,
    PAIRS_MIN,
    ROW_LINES_MIN,
    SAME_COLUMN_SHARE,
    SENTENCE_END,
    SPECKS,
    TEXTS_IN_A_ROW_SHARE,
    Vocabulary,
    column_words,
)

# A cell's line that ends inside a list of names: the cell goes on.
_UNFINISHED = re.compile(r"(?:[,;&]|\b(?:và|va|các|cac))$", re.IGNORECASE)


@dataclass
class Piece:
    """One block of lines: what it holds (`kind`) and, for a header cell, the column it names."""

    lines: list[str]
    first: int  # index in the text of its first line
    page: int
    # header, group, subgroup, number, content, unit, time, narrow; figure (a lone figure no row's
    # number, in a table that counts days: a cell under the time column's header, else none);
    # skip (no cell)
    kind: str
    role: str = ""  # header cells: content, lead, coord, deadline
    number: str = ""  # number blocks: the row's number
    # Task texts: the lead cell printed beside the text's first lines (side_cells).
    side: list[str] = field(default_factory=list)


@dataclass
class ColumnRow:
    """A task row put together from the page's columns."""

    first: int
    page: int
    number: str | None = None
    content: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    coord: list[str] = field(default_factory=list)
    time: list[str] = field(default_factory=list)
    aligned: bool = True  # every column of its page counted its rows


@dataclass
class Heading:
    """A group's title ("B. NHÓM ...": `letter`) or a subgroup's ("Về pháp lý (02 nhiệm vụ)")."""

    first: int
    page: int
    title: str
    letter: str = ""
    number: str | None = None


@dataclass
class ColumnPage:
    """A page of the table read column by column: its lines (`start` to `end`, indexes in the
    text) and its rows and headings in order."""

    start: int
    end: int
    items: list[ColumnRow | Heading]
    # The ends of the cells of the last row of the page before, read row by row: a page break
    # carried them here (text, unit and time cells that go on in lower case).
    carried: ColumnRow | None = None


@dataclass
class Columns:
    """The table's pages read column by column (the others are read row by row), and the index
    of the first line after the table."""

    pages: list[ColumnPage]
    end: int


def ends_table(line: str) -> bool:
    """The note under a table ("Ghi chú: các đơn vị báo cáo ...") or the list of recipients ends
    it; "Ghi chú" alone is the header cell of a note column (psm 3 prints it on its own line)."""
    from dean06.ingest.text import fold

    folded = fold(line)
    if folded.startswith("noi nhan"):
        return True
    return folded.startswith("ghi chu") and (":" in line or len(folded.split()) > 3)


def _split_titles(
    blocks: Sequence[tuple[int, int, list[str]]],
) -> Iterator[tuple[int, int, list[str]]]:
    """The blocks with a header line or a group's title that OCR printed against other lines
    cut off as blocks of their own."""
    for first, page, block in blocks:
        cuts = [k for k, line in enumerate(block) if is_header_line(line) or group_title(line)]
        bounds = sorted({0, len(block), *cuts, *(k + 1 for k in cuts)})
        for lo, hi in itertools.pairwise(bounds):
            yield first + lo, page, block[lo:hi]


def _header_lines(block: Sequence[str], vocab: Vocabulary) -> int:
    """How many of a block's first lines are a header cell: lines of nothing but the words of
    column names that together name a column."""
    names = column_words()
    k = 0
    while k < len(block) and all(w in names for w in header_keys(block[k], vocab)):
        k += 1
    return k if k and header_role(" ".join(block[:k]), vocab) is not None else 0


def _table_end(lines: Sequence[str], start: int) -> int:
    """The index of the note under the table or its recipients (they end it), else the text's
    end."""
    return next(
        (k for k in range(start, len(lines)) if ends_table(lines[k].replace("\f", "").strip())),
        len(lines),
    )


def _page_blocks(
    lines: Sequence[str], bounds: Mapping[int, tuple[int, int]]
) -> Iterator[tuple[int, int, list[str]]]:
    """The table's blocks, each (its first line's index, its page, its lines): blank lines and
    page breaks end a block."""
    for page, (lo, hi) in bounds.items():
        block: list[str] = []
        first = lo
        for k in range(lo, hi):
            line = lines[k].replace("\f", "").strip()
            if line and not block:
                first = k
            if line:
                block.append(line)
            elif block:
                yield first, page, block
                block = []
        if block:
            yield first, page, block


class _Reader:
    def __init__(self, lines: Sequence[str], numbers: Mapping[int, str], days: bool) -> None:
        self.lines = lines
        self.numbers = numbers
        self.days = days
        self.folios = page_numbers(lines)

    def pieces(
        self, bounds: Mapping[int, tuple[int, int]], vocab: Vocabulary, unit_width: int | None
    ) -> list[Piece]:
        """The table's blocks as pieces; `unit_width`: the width of a unit cell's lines
        (columns.unit_cell_width), None where it was not measured."""
        blocks = list(_page_blocks(self.lines, bounds))
        narrow = BLOCK_CONTENT_WIDTH if unit_width is None else NARROW_SHARE * unit_width
        out: list[Piece] = []
        for first, page, block in _split_titles(blocks):
            if len(block) > 1 and all(first + k in self.numbers for k in range(len(block))):
                # Numbers one under another with no blank line between: one piece each.
                for k, line in enumerate(block):
                    out.append(self._piece(first + k, page, [line], narrow, vocab))
                continue
            cut = _header_lines(block, vocab)
            if 0 < cut < len(block):
                # A header cell with the cell under it in one block: two pieces.
                out.append(self._piece(first, page, block[:cut], narrow, vocab))
                first, block = first + cut, block[cut:]
            out.append(self._piece(first, page, block, narrow, vocab))
        pieces = [p for p in out if p.kind != "skip"]
        for before, piece, after in zip(pieces, pieces[1:], pieces[2:], strict=False):
            if (
                piece.kind in ("unit", "time", "narrow")
                and len(piece.lines) == 1
                and before.kind in ("content", "number", "subgroup")
                and after.kind == "content"
                and not SENTENCE_END.search(piece.lines[0])
                and text_head(piece.lines[0])[:1].isupper()
            ):
                # A line alone between task texts: a subgroup's title without its count
                # ("Công tác tuyên truyền").
                piece.kind = "subgroup"
        return pieces

    def _piece(
        self, first: int, page: int, block: list[str], narrow: float, vocab: Vocabulary
    ) -> Piece:
        text = " ".join(block)
        piece = Piece(lines=block, first=first, page=page, kind="content")
        if first in self.folios and len(block) == 1:
            piece.kind = "skip"  # the page's number
        elif self.days and first not in self.numbers and text.strip().isdigit():
            piece.kind = "figure"
        elif len(re.findall(r"\w", text)) <= NOISE_LETTERS and first not in self.numbers:
            piece.kind = "skip"  # a speck or two read as letters ("Zt"): no cell
        elif len(block) == 1 and first in self.numbers and re.fullmatch(r"[\d.,\s]+", text):
            piece.kind, piece.number = "number", self.numbers[first]
        elif group_title(block[0]) is not None:
            piece.kind = "group"
        elif DECLARED.search(text) and len(text) <= 120:
            piece.kind = "subgroup"
        elif (role := header_role(text, vocab)) is not None and len(block) <= 3:
            piece.kind, piece.role = "header", role
        elif len(block) == 1 and is_header_line(text):
            piece.kind, piece.role = "header", "content"  # the header on one line
        elif max(len(line) for line in block) > narrow:
            piece.kind = "content"
        else:
            kind = classify(block, vocab, days=self.days, narrow=narrow)
            piece.kind = {"unit": "unit", "deadline": "time"}.get(kind, "narrow")
        return piece


def side_cells(page: Sequence[Piece], vocab: Vocabulary, names: frozenset[str]) -> None:
    """Task texts whose first lines hold the lead cell too (blocks.side_cell): the cell cut off
    into the piece's `side`. The column's width is the page's usual text line."""
    texts = [p for p in page if p.kind == "content"]
    width = text_width([line for p in texts for line in p.lines])
    if width is None:
        return
    for piece in texts:
        piece.lines, piece.side = side_cell(piece.lines, vocab, width, names)


def _by_page(pieces: Sequence[Piece]) -> list[list[Piece]]:
    pages: list[list[Piece]] = []
    for piece in pieces:
        if not pages or pages[-1][0].page != piece.page:
            pages.append([])
        pages[-1].append(piece)
    return pages


def _cell_kinds(page: Sequence[Piece]) -> list[str]:
    """The page's cells' columns in reading order, cells that go on from the one above (a
    task text's bullets, the end of a unit's name) left out."""
    kinds: list[str] = []
    for piece in page:
        if is_continuation(" ".join(piece.lines)):
            continue
        if piece.kind in ("content", "unit", "time"):
            kinds.append(piece.kind)
    return kinds


def _columnwise(page: Sequence[Piece]) -> bool | None:
    """Whether the page was read column by column: task texts one after another, and the
    narrow cells (units, time) in runs of their column — read row by row, a unit cell is
    followed by a time cell or another row's text. None when too few narrow cells say."""
    kinds = _cell_kinds(page)
    narrow = [k for k in kinds if k != "content"]
    pairs = len(narrow) - 1
    if pairs < PAIRS_MIN:
        return None
    same = sum(a == b for a, b in itertools.pairwise(narrow))
    # Read column by column, the page's texts come one after another (a group's title across
    # the page parts them once); read row by row in blocks, each text is followed by its row's
    # cells (a lead and a coordinating cell side by side are a run of one column's kind too).
    texts = kinds.count("content")
    texts_in_a_row = sum(a == b == "content" for a, b in itertools.pairwise(kinds))
    return texts_in_a_row >= TEXTS_IN_A_ROW_SHARE * (texts - 1) > 0 and (
        same >= SAME_COLUMN_SHARE * pairs
    )


def read_columns(
    lines: Sequence[str],
    start: int,
    numbers: Mapping[int, str],
    vocab: Vocabulary,
    unit_width: int | None,
    *,
    days: bool = False,
    names: frozenset[str] = frozenset(),
) -> Columns | None:
    """The table from line `start`, its pages read column by column, or None when no page was.
    A page with rows printed on its lines ("1 Điều tra cơ bản ... Công an tỉnh") was read row
    by row; a page that does not say (too few narrow cells) goes with the majority of those
    that do. `numbers`: the rows' numbers chosen over the whole table ({line index: number},
    numbering.number_path); `unit_width`: columns.unit_cell_width of the table; `days`: its time
    column counts days (columns.counts_days); `names`: the names it prints as unit cells of their
    own (blocks.cell_names), which tell where a lead printed beside a text ends."""
    end = _table_end(lines, start)
    bounds = _page_bounds(lines, start, end)
    pages = _by_page(_Reader(lines, numbers, days).pieces(bounds, vocab, unit_width))
    for page in pages:
        side_cells(page, vocab, names)
    votes: list[bool | None] = []
    for page in pages:
        lo, hi = bounds[page[0].page]
        on_lines = sum(1 for k in range(lo, hi) if k in numbers and len(lines[k].split()) > 2)
        votes.append(False if on_lines >= ROW_LINES_MIN else _columnwise(page))
    said = [v for v in votes if v is not None]
    if not any(said):
        return None
    undecided = sum(said) * 2 > len(said)  # how a page that does not say is read
    out: list[ColumnPage] = []
    items: list[ColumnRow | Heading] = []
    after_rows = False  # the page before was read row by row
    for page, vote in zip(pages, votes, strict=True):
        lo, hi = bounds[page[0].page]
        if not (vote or (vote is None and undecided)):
            items, after_rows = [], True
            continue
        # After a page read row by row, what goes on from it is kept apart for its last row.
        carried = ColumnRow(first=lo, page=page[0].page) if after_rows else None
        after_rows = False
        mine: list[ColumnRow | Heading] = []
        _read_page(page, mine, items or ([carried] if carried is not None else []))
        if carried is not None and not (
            carried.content or carried.lead or carried.coord or carried.time
        ):
            carried = None
        items = mine
        out.append(ColumnPage(start=lo, end=hi, items=mine, carried=carried))
    return Columns(pages=out, end=end)


def _page_bounds(lines: Sequence[str], start: int, end: int) -> dict[int, tuple[int, int]]:
    """Each page of the table's lines: {its number: (its first line's index, the next page's)}."""
    page = 1 + sum(line.count("\f") for line in lines[: start + 1])
    bounds: dict[int, tuple[int, int]] = {}
    first = start
    for k in range(start + 1, end):
        if "\f" in lines[k]:
            bounds[page] = (first, k)
            page += lines[k].count("\f")
            first = k
    bounds[page] = (first, end)
    return bounds


def _last_row(items: Sequence[ColumnRow | Heading]) -> ColumnRow | None:
    for item in reversed(items):
        if isinstance(item, ColumnRow):
            return item
    return None


def _read_page(
    page: Sequence[Piece], out: list[ColumnRow | Heading], items: Sequence[ColumnRow | Heading]
) -> None:
    """The page's rows and headings, appended to `out`; a text going on from the page before
    joins its row among that page's `items`."""
    rows: list[ColumnRow] = []
    slots: list[ColumnRow | Heading] = []
    numbers: list[tuple[int, str]] = []  # (how many slots came before it, the number)
    units: list[tuple[str, list[str]]] = []  # (the column its header named, or "", its lines)
    times: list[list[str]] = []
    marker: str | None = None  # the column the last header cell named ("": two of them)
    last_cell: list[str] | None = None  # the narrow cell read last on the page
    last_kind = ""
    for piece in page:
        text = " ".join(piece.lines)
        kind = piece.kind
        if kind == "narrow":
            # Neither units nor time words: the column its header cell names, or task text
            # before the page's narrow cells.
            if marker in ("lead", "coord", ""):
                kind = "unit"
            elif marker == "deadline" or units or times:
                kind = "time"
            else:
                kind = "content"
        if kind in ("header", "content", "group", "subgroup"):
            last_cell = None
        if kind == "header":
            marker = piece.role
        elif kind in ("number", "figure") and marker == "deadline" and rows:
            # Under the time column's header cell a lone figure is that column's ("30" days).
            last_cell, last_kind = list(piece.lines), "time"
            times.append(last_cell)
        elif kind == "figure":
            continue  # elsewhere a figure no row's number is none of the table's cells
        elif kind == "number":
            numbers.append((len(slots), piece.number))
        elif kind == "group":
            match = group_title(piece.lines[0])
            if match is None:
                continue
            title = " ".join([match.group(2).strip(), *piece.lines[1:]])
            slots.append(Heading(piece.first, piece.page, title, letter=match.group(1)))
        elif kind == "subgroup":
            slots.append(Heading(piece.first, piece.page, text))
        elif kind == "content":
            before = _last_row(slots) or (None if slots else _last_row(items))
            # A text that starts with a figure ("107 ngày 06/12/2021, …") after one that did not
            # end its sentence goes on with it.
            going_on = is_continuation(text) or (
                before is not None
                and not SENTENCE_END.search(before.content[-1] if before.content else ".")
                and text_head(text)[:1].isdigit()
            )
            if going_on and before is not None:
                before.content.extend(piece.lines)
                continue
            row = ColumnRow(
                first=piece.first,
                page=piece.page,
                content=list(piece.lines),
                lead=list(piece.side),
            )
            rows.append(row)
            slots.append(row)
        elif last_cell is not None and (
            is_continuation(text)
            or (kind == last_kind and _UNFINISHED.search(last_cell[-1].rstrip(SPECKS + " ")))
        ):
            # A narrow cell's lines OCR split in two blocks: the second starts in lower case,
            # or the first ends in the middle of a list ("Sở Nội vụ, Văn phòng" / "UBND tỉnh").
            last_cell.extend(piece.lines)
        elif kind == "unit":
            column = marker if marker in ("lead", "coord") else ""
            before = _last_row(items)
            if is_continuation(text) and before is not None:
                # A cell the page break cut: it goes on from the page before.
                (before.coord if column == "coord" else before.lead).extend(piece.lines)
                continue
            last_cell, last_kind = list(piece.lines), kind
            units.append((column, last_cell))
        else:
            if is_continuation(text) and (before := _last_row(items)) is not None:
                before.time.extend(piece.lines)
                continue
            last_cell, last_kind = list(piece.lines), kind
            times.append(last_cell)
    before = _last_row(items)
    if _goes_on(rows, slots, before, units, times, numbers) and before is not None:
        before.content.extend(rows[0].content)
        rows.pop(0)
        slots.pop(0)
        numbers = [(max(at - 1, 0), n) for at, n in numbers]
    _give_numbers(slots, numbers, before)
    _give_units(rows, units)
    aligned = len(times) == len(rows)
    for row, time in zip(rows, times, strict=False):
        row.time = time
    if rows and len(times) > len(rows):
        for time in times[len(rows) :]:
            rows[-1].time.extend(time)
    for row in rows:
        row.aligned = row.aligned and aligned
    out.extend(slots)


def _goes_on(
    rows: Sequence[ColumnRow],
    slots: Sequence[ColumnRow | Heading],
    before: ColumnRow | None,
    units: Sequence[tuple[str, list[str]]],
    times: Sequence[list[str]],
    numbers: Sequence[tuple[int, str]],
) -> bool:
    """Whether the page's first text goes on with the last row of the page before though it
    starts capitalised ("... theo hướng dẫn của" / "Bộ Tài nguyên và Môi trường."): that row's
    text did not end a sentence, no number stands before it, and the page has a text more than
    it has time cells and lead cells (a page break does not start a row's other cells again)."""
    if not rows or not slots or slots[0] is not rows[0] or before is None or not before.content:
        return False
    if SENTENCE_END.search(before.content[-1]) or any(at == 0 for at, _ in numbers):
        return False
    leads = sum(column != "coord" for column, _ in units)
    return len(times) < len(rows) and leads < len(rows)


def _give_units(rows: Sequence[ColumnRow], units: Sequence[tuple[str, list[str]]]) -> None:
    """The page's unit cells to its rows: by the column their header cell named, the rest in
    order — one lead per row first, then the coordinating cells."""
    beside = sum(bool(row.lead) for row in rows)  # printed beside the text (side_cells)
    leads = [lines for column, lines in units if column == "lead"]
    coords = [lines for column, lines in units if column == "coord"]
    unnamed = [lines for column, lines in units if not column]
    room = max(len(rows) - beside - len(leads), 0)
    leads = unnamed[:room] + leads
    coords = unnamed[room:] + coords
    for row, lead in zip([r for r in rows if not r.lead], leads, strict=False):
        row.lead = list(lead)
    # Short of the rows, the coordinating cells go where they repeat no lead; more cells than
    # rows, the last row takes the rest.
    placed = _rows_for(coords, rows) if len(coords) < len(rows) else rows
    for row, coord in zip(placed, coords, strict=False):
        row.coord = list(coord)
    for extra in coords[len(rows) :]:
        rows[-1].coord.extend(extra)
    aligned = len(leads) + beside == len(rows) and len(coords) in (0, len(rows))
    for row in rows:
        row.aligned = aligned


def _pairs(lines: Sequence[str]) -> set[tuple[str, str]]:
    """A cell's pairs of neighbouring words, accents folded ("sở thông tin" → (so, thong),
    (thong, tin)): what two unit cells naming the same units share."""
    from dean06.ingest.text import fold

    words = re.findall(r"\w+", fold(" ".join(lines)))
    return set(itertools.pairwise(words))


def _rows_for(coords: Sequence[list[str]], rows: Sequence[ColumnRow]) -> list[ColumnRow]:
    """The rows the coordinating cells go to when some rows have none: in order, the rows whose
    lead they repeat least (a unit is rarely both lead and coordinating of one task), the first
    rows where that does not decide."""
    cost = [
        [_overlap(_pairs(coord), _pairs(row.lead)) + 1e-3 * r for r, row in enumerate(rows)]
        for coord in coords
    ]
    n, m = len(coords), len(rows)
    inf = float("inf")
    # best[i][j]: the least cost of the first i cells among the first j rows.
    best = [[0.0] * (m + 1)] + [[inf] * (m + 1) for _ in range(n)]
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            best[i][j] = min(best[i][j - 1], best[i - 1][j - 1] + cost[i - 1][j - 1])
    chosen: list[ColumnRow] = []
    i, j = n, m
    while i > 0:
        if best[i][j] == best[i][j - 1] and j - 1 >= i:
            j -= 1
            continue
        chosen.append(rows[j - 1])
        i, j = i - 1, j - 1
    return chosen[::-1]


def _overlap(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _parts(number: str) -> tuple[str, int]:
    head, _, last = number.rpartition(".")
    return head, int(last)


def _next(number: str) -> str:
    head, _, last = number.rpartition(".")
    return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)


def _give_numbers(
    slots: Sequence[ColumnRow | Heading],
    numbers: Sequence[tuple[int, str]],
    before: ColumnRow | None,
) -> None:
    """The page's numbers to its rows and subgroup titles. A group's title spans the page:
    tesseract reads the part above it, then the part below, so a number goes to the rows between
    the group titles around it. A number followed by numbers under it ("1", "1.1", "1.2") is its
    subgroup's. Numbers OCR lost are filled in where the ones read fit one run of the rows
    ("1", "2", "4" for four rows: 3 was lost), starting where the row before ends."""
    cuts = [k for k, slot in enumerate(slots) if isinstance(slot, Heading) and slot.letter]
    bounds = [0, *cuts, len(slots)]
    last = before.number if before is not None else None
    for lo, hi in itertools.pairwise(bounds):
        part = slots[lo:hi]
        mine = [n for at, n in numbers if lo <= at <= hi and not (at == hi and hi in cuts)]
        if lo in cuts:
            last = None  # a group's rows are numbered from 1
        last = _number_part(part, mine, last)


def _number_part(
    slots: Sequence[ColumnRow | Heading], numbers: Sequence[str], last: str | None
) -> str | None:
    """Numbers to the rows and subgroups between two group titles; the last row's number."""
    heads = {n.rpartition(".")[0] for n in numbers if "." in n}
    values = [n for n in numbers if n not in heads]
    for slot in slots:
        if isinstance(slot, Heading) and not slot.letter:
            own = next((n for n in numbers if n in heads), None)
            if own is not None:
                heads.discard(own)
                slot.number = own
    rows = [s for s in slots if isinstance(s, ColumnRow)]
    if not rows:
        return last
    firsts = []
    titled = next((s for s in slots if isinstance(s, Heading) and not s.letter), None)
    if titled is not None and titled.number and slots.index(titled) < slots.index(rows[0]):
        firsts.append(f"{titled.number}.1")
    elif last is not None:
        firsts.append(_next(last))
    firsts.extend(values[:1])
    for first in firsts:
        head, start = _parts(first)
        if all(_parts(v)[0] == head and 0 <= _parts(v)[1] - start < len(rows) for v in values):
            number = first
            for row in rows:
                row.number = number
                number = _next(number)
            return rows[-1].number
    for row, value in zip(rows, values, strict=False):
        row.number = value
    return rows[-1].number
