"""Which columns an OCR'd table has, read from its header (the column vocabulary of
`layout.tables`, one place), and whether this reader can rebuild its rows in that order."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from dean06.ingest.readers.ocrtext.vocabulary import (
    BODY_WORDS,
    DEADLINE_WORDS,
    HEADER_CELL_NAMED,
    HEADER_CELL_NAMED_WORDS,
    HEADER_CELL_WIDTH,
    HEADER_CELL_WORDS,
    HEADER_KEY_SIMILARITY,
    UNIT_BLOCKS_MIN,
    UNIT_CELL_SHARE,
    Vocabulary,
    column_words,
    tokenize,
)
from dean06.ingest.units import body_shaped

# The column orders this reader rebuilds rows from: the task's text, perhaps its product, then
# the units and the time in either order, perhaps a note last.
_READ_ORDERS = (
    ("stt", "content", "product", "lead", "coord", "deadline", "note"),
    ("stt", "content", "product", "deadline", "lead", "coord", "note"),
)
_ROLE_NAMES = {
    "stt": "STT",
    "content": "Nội dung",
    "lead": "Chủ trì",
    "coord": "Phối hợp",
    "deadline": "Thời gian",
    "note": "Ghi chú",
    "product": "Sản phẩm",
    "start": "Thời gian nhận",
    "ignore": "cột khác",
}


def header_roles(lines: Sequence[str], start: int, vocab: Vocabulary) -> list[str]:
    """The columns the table's first header names, left to right: its header on one line, or its
    header cells one per line (psm 3). Words are read as printed and through the OCR confusions
    ("phéi hop"), whichever names more columns."""
    from dean06.ingest.layout.tables import named_columns

    def roles_of(text: str) -> list[str]:
        repaired = " ".join(k for t in tokenize(text, vocab) for k in t.keys)
        return max(named_columns(text), named_columns(repaired), key=len)

    window = [ln.replace("\f", "").strip() for ln in lines[start : start + 60]]
    window = [ln for ln in window if ln]
    for line in window:
        roles = roles_of(line)
        if len(roles) >= 3:
            return roles
    for k in range(len(window)):
        run: list[str] = []
        for line in window[k : k + 16]:
            if len(line) > HEADER_CELL_WIDTH:
                break
            run.append(line)
        roles = roles_of(" ".join(run))
        if len(roles) >= 3:
            return roles
    return []


def time_first(roles: Sequence[str]) -> bool:
    """The time column comes before the units ("Nội dung | Thời gian | Chủ trì | Phối hợp")."""
    units = [k for k, r in enumerate(roles) if r in ("lead", "coord")]
    return "deadline" in roles and bool(units) and roles.index("deadline") < units[0]


def after_content(roles: Sequence[str]) -> str | None:
    """The column right after the task's text."""
    if "content" not in roles:
        return None
    k = roles.index("content")
    return roles[k + 1] if k + 1 < len(roles) else None


def follows_up(roles: Sequence[str]) -> bool:
    """The last column is one this reader does not keep ("Theo dõi, đôn đốc"), after the units."""
    return len(roles) >= 2 and roles[-1] == "ignore" and roles[-2] in ("lead", "coord", "deadline")


def layout_warning(roles: Sequence[str]) -> str | None:
    """A warning when the header's columns are not in an order this reader rebuilds rows from
    (a follow-up column, a product column away from the text, the units before the text)."""

    def readable(order: Sequence[str]) -> bool:
        return all(r in order for r in roles) and list(roles) == sorted(roles, key=order.index)

    if not roles or any(readable(order) for order in _READ_ORDERS):
        return None
    order = ", ".join(_ROLE_NAMES[r] for r in roles)
    return (
        f"Bảng trong văn bản OCR có các cột theo thứ tự: {order}. Văn bản OCR không giữ vị trí "
        "cột, nên với thứ tự cột này nội dung, đơn vị và thời hạn có thể bị ghép sai: nên tải "
        "lên chính bản quét (PDF hoặc ảnh) để đọc theo lưới bảng, hoặc rà soát từng nhiệm vụ."
    )


def _blocks(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Blocks of lines between blank lines and pages, each with the index of its first line."""
    block: list[str] = []
    first = 0
    for k, line in enumerate([*lines, ""]):
        stripped = line.replace("\f", "").strip()
        if stripped and "\f" not in line:
            if not block:
                first = k
            block.append(stripped)
            continue
        if block:
            yield first, block
        block, first = ([stripped], k) if stripped else ([], k)


def _narrow(block: Sequence[str]) -> bool:
    return all(len(b) <= HEADER_CELL_WIDTH for b in block)


def narrow_blocks(lines: Sequence[str]) -> Iterator[list[str]]:
    """Blocks of lines no wider than a header cell: what psm 3 prints of one narrow cell."""
    return (block for _, block in _blocks(lines) if _narrow(block))


def named_body_words(lines: Sequence[str], vocab: Vocabulary) -> frozenset[str]:
    """Words of the bodies this document names that no registry lists, learned where psm 3
    printed a unit cell as a block of its own and every name in it reads as a body's
    ("Trung tâm Kiểm" / "soát bệnh tật": "soat", "benh", "tat"). Where the same offices stand
    beside the task's text on one line, their words are then unit words too."""
    learned: set[str] = set()
    for block in narrow_blocks(lines):
        if not _names_bodies(block):
            continue
        for token in tokenize(" ".join(block), vocab):
            learned.update(k for k in token.keys if k.isalpha() and k not in DEADLINE_WORDS)
    return frozenset(learned - vocab.unit_words)


def unit_cell_width(lines: Sequence[str], vocab: Vocabulary) -> int | None:
    """How many characters a line of a unit cell holds in this text, where psm 3 printed unit
    cells as blocks of their own ("Sở Thông tin và" / "Truyền thông"): the widest lines of
    those blocks, but the last (a cell's last line is as short as its text). None when fewer
    than UNIT_BLOCKS_MIN blocks say it. A portrait page's narrow columns wrap unit names at
    15 characters where a landscape appendix's hold 23."""
    widths = [
        max(len(b) for b in block[:-1])
        for block in narrow_blocks(lines)
        if len(block) >= 2 and _unit_words_share(block, vocab) >= UNIT_CELL_SHARE
    ]
    if len(widths) < UNIT_BLOCKS_MIN:
        return None
    widths.sort()
    return widths[int(0.9 * (len(widths) - 1))]


def _unit_words_share(block: Sequence[str], vocab: Vocabulary) -> float:
    """The share of a block's words that are words of unit names."""
    tokens = [t for line in block for t in tokenize(line, vocab)]
    units = sum(all(k in vocab.unit_words for k in t.keys) for t in tokens)
    return units / len(tokens) if tokens else 0.0


def unit_blocks(lines: Sequence[str], vocab: Vocabulary) -> int:
    """How many narrow blocks read as unit cells: a name's first word ("Phòng", "Trung tâm",
    "Sở") and mostly words of unit names after it. psm 3 prints a ruled table's unit cells so
    even where the page holds no header (a page from the middle of a table)."""
    return sum(_unit_cell(block, vocab) for block in narrow_blocks(lines))


def _names_bodies(block: Sequence[str]) -> bool:
    """Every name in the block reads as a body's, listed or not ("Văn phòng Đăng ký đất đai")."""
    names = [n.strip() for n in re.split(r"[,;]", " ".join(block)) if n.strip()]
    return bool(names) and all(body_shaped(name) for name in names)


def _unit_cell(block: Sequence[str], vocab: Vocabulary) -> bool:
    """A block that reads as a unit cell: names of bodies no registry lists, or a name's first
    word and mostly words of unit names after it."""
    if _names_bodies(block):
        return True
    first = tokenize(block[0], vocab)
    starts = bool(first) and any(k in vocab.unit_starts for k in first[0].keys)
    return starts and _unit_words_share(block, vocab) >= UNIT_CELL_SHARE


def first_row_of_cells(lines: Sequence[str], vocab: Vocabulary) -> int | None:
    """Where a table with neither header nor row numbers starts (a page from its middle, the
    narrow number cells lost by OCR), from its cells as psm 3 prints them: the first task text
    (a capitalised block wider than a cell) with a unit cell after it. None unless the text
    holds UNIT_BLOCKS_MIN unit cells."""
    blocks = list(_blocks(lines))
    cells = [_narrow(block) and _unit_cell(block, vocab) for _, block in blocks]
    if sum(cells) < UNIT_BLOCKS_MIN:
        return None
    for k in range(len(blocks) - 1):
        first, block = blocks[k]
        if not _narrow(block) and block[0][:1].isupper() and cells[k + 1]:
            return first
    return None


def counts_days(lines: Sequence[str], start: int) -> bool:
    """Whether the table's time column counts days ("Thời gian thực hiện (ngày)", "Số ngày dự
    kiến"): a duration, not a deadline. Read from its header: the header line, or the short lines
    of its cells."""
    from dean06.ingest.layout.tables import DURATION_HEADER, named_columns

    window = [ln.replace("\f", "").strip() for ln in lines[start : start + 40]]
    return any(
        DURATION_HEADER.search(line)
        for line in window
        if line and (len(line) <= HEADER_CELL_WIDTH or len(named_columns(line)) >= 3)
    )


@functools.cache
def _header_keys() -> dict[str, str]:
    """The phrases that name a column in a header cell (layout.tables.ROLE_PATTERNS), and the
    column each names: the number's column is where the task texts start."""
    from dean06.ingest.layout.tables import ROLE_PATTERNS

    keys: dict[str, str] = {}
    for role, patterns in ROLE_PATTERNS:
        if role not in ("content", "lead", "coord", "deadline", "stt"):
            continue
        for pattern in patterns:
            if (" " in pattern or pattern in ("stt", "tt")) and pattern not in BODY_WORDS:
                keys.setdefault(pattern, "content" if role == "stt" else role)
    return keys


def header_role(text: str, vocab: Vocabulary) -> str | None:
    """The column a header cell printed as a block of its own names ("Đơn vị chủ trì"): a few
    words, nearly all of column names, one of the phrases that name a column among them — as
    OCR spells it ("Don vi chi tri": a letter off)."""
    from rapidfuzz import fuzz

    words = header_keys(text, vocab)
    if not words or len(words) > HEADER_CELL_WORDS:
        return None
    roles = set()
    # The words of a column's phrase as OCR spells it ("chi tri" for "chủ trì") count as
    # column words.
    named = [w in column_words() for w in words]
    for key, role in _header_keys().items():
        n = len(key.split())
        for k in range(len(words) - n + 1):
            if fuzz.ratio(key, " ".join(words[k : k + n])) >= HEADER_KEY_SIMILARITY:
                roles.add(role)
                named[k : k + n] = [True] * n
    if not roles or sum(named) < HEADER_CELL_NAMED * len(words):
        return None
    # Two columns' cells printed on one line ("Đơn vị chủ trì Đơn vị phối hợp"): the cells
    # after it may be of either.
    return roles.pop() if len(roles) == 1 else ""


def header_cell(text: str, vocab: Vocabulary) -> list[str] | None:
    """The columns a block printed on its own names when it is a header cell (psm 3 prints a
    header cell by cell, a cell's words wrapped over lines: "Đơn vị phối hợp", "Số ngày dự
    kiến"); None when it is none. A cell is a few words nearly all of column names, as OCR
    spells them (header_role), or a column's phrase with a word or two around it; not a part's
    title that names a column in passing ("II. NHIỆM VỤ ...", "NHIỆM VỤ CỦA CÁC PHÒNG, ĐƠN VỊ").
    An empty list: a cell of two columns, or one this reader does not name."""
    from dean06.ingest.layout.tables import TOP_GROUP, named_columns

    if TOP_GROUP.match(text):
        return None
    named = named_columns(text) if len(text) <= HEADER_CELL_WIDTH else []
    role = header_role(text, vocab)
    if role is None and not (named and len(text.split()) <= HEADER_CELL_NAMED_WORDS):
        return None
    return named or ([role] if role else [])


def header_keys(text: str, vocab: Vocabulary) -> list[str]:
    """The text's words as the reader knows them (folded, OCR's letters put right)."""
    return [k for tok in tokenize(text, vocab) for k in tok.keys]
