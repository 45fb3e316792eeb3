"""Assignment tables → sections and tasks: columns found by header names, group rows, continuations.

Works on any reader's `Table`: header rows (possibly spanning several rows, repeated at page breaks)
name the columns; group rows ("A. NHÓM ... (06 nhiệm vụ)", "1 | Về pháp lý (02 nhiệm vụ)") open
sections; a row whose STT is empty continues the row above across a page break.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dean06.ingest.deadlines import parse_deadline
from dean06.ingest.model import Deadline, ExtractedSection, ExtractedTask, Source, UnitRef
from dean06.ingest.readers.base import Table, TableRow
from dean06.ingest.text import ROMAN_NUMERALS, fold
from dean06.ingest.units import UnitResolver, is_contact, is_person

DECLARED = re.compile(r"\(\s*(\d+)\s*nhiệm\s*vụ\s*\)", re.IGNORECASE)
TOP_GROUP = re.compile(r"^\s*(?:PHẦN\s+)?([A-ZĐ]|[IVX]{1,5})\s*[.)/]\s*(\S.*)$")
NUMERIC_CODE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
LETTER_CODE = re.compile(r"^([a-zđ])$")
# "1 a)", "12 b)", "1.a", "1a"
NUM_LETTER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\s*[.\s]?\s*([a-zđ])\)?$")
ROMAN = re.compile(r"^[IVX]{1,5}$")

ROLE_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # "Mã nhiệm vụ", "Mã số", "Số hiệu": the code of a task, not its content.
    ("stt", ("ma nhiem vu", "ma cong viec", "ma so", "so hieu", "ky hieu", "ma nv")),
    (
        "ignore",
        (
            "ket qua thuc hien",
            "nguoi",
            "lien he",
            "dien thoai",
            "sdt",
            "email",
            "dau moi",
            "tinh hinh",
            "can bo",
            "chuyen vien",
            # "Theo dõi, kiểm tra, đôn đốc": who follows the task up, not who does it.
            "theo doi",
            "don doc",
        ),
    ),
    # When the task was received or started: no deadline, but it may say "thường xuyên".
    ("start", ("thoi gian nhan", "ngay nhan", "ngay giao", "bat dau", "tiep nhan")),
    ("product", ("san pham", "ket qua can dat", "ket qua dau ra", "ket qua du kien")),
    ("note", ("ghi chu",)),
    ("coord", ("phoi hop",)),
    ("lead", ("chu tri",)),
    (
        "deadline",
        (
            "thoi gian",
            "thoi han",
            "tien do",
            "han hoan thanh",
            "moc thoi gian",
            "han",
            "han chot",
            "ngay hoan thanh",
        ),
    ),
    ("lead", ("don vi thuc hien", "co quan thuc hien", "don vi", "co quan", "trach nhiem")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "hoat dong", "giai phap", "ten")),
    ("stt", ("stt", "tt", "so tt", "ma", "ma so", "so thu tu")),
)


# The roles whose cells a task keeps (the number is its code).
CELL_ROLES = ("content", "lead", "coord", "deadline", "product", "note", "start", "duration")

_HEADER_YEAR = re.compile(r"\b(20\d{2})\b")


@dataclass
class Columns:
    """Index of each recognised column; None when the table has no such column."""

    stt: int | None = None
    content: int | None = None
    lead: int | None = None
    coord: int | None = None
    deadline: int | None = None
    product: int | None = None
    note: int | None = None
    start: int | None = None
    # A number of days the task takes (a duration): kept in the task's note, never a deadline.
    duration: int | None = None
    width: int = 0
    # A year written in the deadline column's header ("Thời gian hoàn thành năm 2026"): the year
    # of its cells that name only a day and month ("30/6") or a month.
    deadline_year: int | None = None

    @property
    def usable(self) -> bool:
        return self.content is not None and (self.lead is not None or self.deadline is not None)


def column_role(name: str) -> str | None:
    """The role the header names, the most specific of column_roles."""
    roles = column_roles(name)
    return roles[0] if roles else None


def column_roles(name: str) -> list[str]:
    """Every role the header's words name, most specific first ("Người chủ trì": ignore, lead)."""
    roles = _column_roles(name)
    if not roles and "\n" in name:
        # A narrow column's header broken inside a word ("ST\nT", "Thời gi\nan").
        roles = _column_roles(name.replace("\n", ""))
    return roles


# A column of numbers of days ("Số ngày dự kiến", "Thời gian thực hiện (ngày)"): how long the
# task takes, not when it is due ("(ngày/tháng)" is a date's format, not this).
DURATION_HEADER = re.compile(
    r"\(\s*ng[aà]y(?:\s+l[aà]m\s+vi[eệ]c)?\s*\)|\bs[oố]\s+ng[aà]y\b", re.IGNORECASE
)


def _column_roles(name: str) -> list[str]:
    if DURATION_HEADER.search(name):
        return ["duration"]
    folded = fold(name)
    words = folded.split()
    roles: list[str] = []
    for role, patterns in ROLE_PATTERNS:
        for pattern in patterns:
            hit = pattern in folded if " " in pattern else pattern in words
            if hit and role not in roles:
                roles.append(role)
    return roles


def named_columns(header: str) -> list[str]:
    """The roles a header written on one line names, left to right ("STT Nhiệm vụ Sản phẩm Thời
    gian Chủ trì …" → stt, content, product, deadline, lead). Only the phrases of two words and
    more count: a single word ("đơn vị", "tên") is as common in a task's text as in a header."""
    folded = f" {fold(header)} "
    hits: list[tuple[int, int, str]] = []
    for role, patterns in ROLE_PATTERNS:
        for pattern in patterns:
            if " " not in pattern and pattern not in ("stt", "tt"):
                continue
            start = folded.find(f" {pattern} ")
            while start >= 0:
                hits.append((start, -len(pattern), role))
                start = folded.find(f" {pattern} ", start + 1)
    roles: list[str] = []
    end = -1
    for start, minus_length, role in sorted(hits):
        if start < end:
            continue  # inside a longer phrase already taken ("thời gian" of "thời gian nhận")
        end = start - minus_length
        if not roles or roles[-1] != role:
            roles.append(role)
    return roles


def find_columns(names: Sequence[str]) -> Columns:
    """The columns a header names, by its words only (the first column of each role)."""
    cols = Columns(width=len(names))
    for i, name in enumerate(names):
        role = column_role(name)
        if role is None or role == "ignore":
            continue
        if getattr(cols, role) is None:
            setattr(cols, role, i)
    return cols


_CODE_CELL = re.compile(r"^[\w.\-/]{1,40}$")
_DATE_CELL = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}(?: \d{1,2}:\d{2})?$")


@dataclass
class _Profile:
    """What the cells of one column hold, as shares of its filled cells."""

    filled: int = 0
    code: float = 0.0  # one short token with a digit: "1", "1.2", "KH20_TT_N01.1"
    text: float = 0.0  # running text: four words or more
    person: float = 0.0  # "Đ/c Hùng", "Ông Trần B"
    contact: float = 0.0  # a phone number or an e-mail address
    deadline: float = 0.0  # a time phrase the deadline parser understands
    date: float = 0.0  # a date alone (a spreadsheet's date cell)


def _profile(cells: Sequence[str], *, deadlines: bool) -> _Profile:
    filled = [" ".join(c.split()) for c in cells if c.strip()]
    n = len(filled)
    if not n:
        return _Profile()

    def share(test: Callable[[str], bool]) -> float:
        return sum(1 for c in filled if test(c)) / n

    return _Profile(
        filled=n,
        code=share(lambda c: bool(_CODE_CELL.match(c)) and any(ch.isdigit() for ch in c)),
        text=share(lambda c: len(c.split()) >= 4),
        person=share(lambda c: any(is_person(p) for p in re.split(r"[,;\n]", c) if p.strip())),
        contact=share(is_contact),
        # Parsing every cell is the costly part: only for the columns that may be the deadline.
        deadline=share(lambda c: parse_deadline(c).kind != "unknown") if deadlines else 0.0,
        date=share(lambda c: bool(_DATE_CELL.match(c))),
    )


def choose_columns(names: Sequence[str], rows: Sequence[TableRow], sample: int = 200) -> Columns:
    """The columns of a table, by what the header names AND what the cells hold.

    A header names candidates; the cells decide between them: the content is the column of
    running text, not of codes ("Mã nhiệm vụ" beside "Tên nhiệm vụ"); a column of phone numbers
    or e-mails is no unit column, nor is a column of persons when units stand in another; the
    deadline is the candidate whose cells read as time phrases; a column of dates no header names
    is the deadline when there is no other.
    """
    width = len(names)
    data = [r.cells for r in rows[:sample] if any(c.strip() for c in r.cells)]
    roles = [column_roles(n) for n in names]
    profiles = [
        _profile(
            [r[i] if i < len(r) else "" for r in data],
            deadlines=bool(roles[i]) and roles[i][0] == "deadline",
        )
        for i in range(width)
    ]
    cols = Columns(width=width)

    def candidates(role: str) -> list[int]:
        return [i for i in range(width) if roles[i] and roles[i][0] == role]

    stt = candidates("stt")
    cols.stt = stt[0] if stt else None
    # Content: running text wins over a code column that a header calls "nhiệm vụ".
    content = candidates("content")
    texts = [i for i in content if profiles[i].text >= profiles[i].code]
    cols.content = next(iter(texts or content), None)
    if cols.content is not None and profiles[cols.content].code > 0.6:
        spare = [
            i
            for i in range(width)
            if i != cols.content
            and (not roles[i] or roles[i][0] == "content")
            and profiles[i].text > 0.5
            and profiles[i].contact < 0.3
        ]
        if spare:
            if cols.stt is None:
                cols.stt = cols.content
            cols.content = spare[0]
    # Units: never a contact column; persons only when no column holds units.
    for role in ("lead", "coord"):
        found = [
            i
            for i in range(width)
            if role in roles[i]
            and i not in (cols.stt, cols.content)
            and profiles[i].contact < 0.3
            and (roles[i][0] == role or roles[i][0] == "ignore")
        ]
        named = [i for i in found if roles[i][0] == role]
        units = [i for i in named if profiles[i].person < 0.5]
        persons = [i for i in found if i not in units]
        chosen = next(iter(units or persons), None)
        setattr(cols, role, chosen)
    # Deadline: the candidate whose cells read as time phrases; else an unnamed column of dates.
    deadlines = [i for i in candidates("deadline") if profiles[i].contact < 0.3]
    if deadlines:
        # Near ties go to the first column (its header is usually the plan's own "Thời gian").
        cols.deadline = max(deadlines, key=lambda i: (round(profiles[i].deadline, 1), -i))
    else:
        dated = [
            i
            for i in range(width)
            if not roles[i] and profiles[i].filled >= 2 and profiles[i].date >= 0.6
        ]
        cols.deadline = dated[0] if dated else None
    for role in ("product", "note", "start", "duration"):
        found = candidates(role)
        setattr(cols, role, found[0] if found else None)
    return cols


def is_header_row(cells: Sequence[str]) -> bool:
    """A header row: at least two cells naming distinct known columns, and no long cell."""
    filled = [c for c in cells if c.strip()]
    if not filled or any(len(c) > 80 for c in filled):
        return False
    roles = {column_role(c) for c in filled}
    roles.discard(None)
    if len(roles) >= 2 and len(roles) >= len(set(filled)) * 0.6:
        return True
    # A wide sheet names the task columns among its own ("Lĩnh vực", "Tuần 1", ...).
    return (
        "content" in roles
        and bool(roles & {"lead", "deadline"})
        and len(roles - {"ignore"}) >= 3
        and all(len(c) <= 40 for c in filled)
    )


def _is_column_numbers(cells: Sequence[str]) -> bool:
    """The "(1) (2) (3)" row under many headers."""
    filled = [c.strip().strip("()") for c in cells if c.strip()]
    return len(filled) >= 2 and all(c.isdigit() and len(c) <= 2 for c in filled)


@dataclass
class _RawTask:
    code: str
    section: str | None
    cells: dict[str, str]
    source: Source
    stt: str
    year: int | None = None


@dataclass
class TableLayout:
    """What one table gave: sections, tasks, and the column map (for a table split in two)."""

    sections: list[ExtractedSection] = field(default_factory=list)
    tasks: list[ExtractedTask] = field(default_factory=list)
    columns: Columns | None = None
    unplaced: list[tuple[str, Source]] = field(default_factory=list)


def _cell(cells: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


# How OCR prints the strokes of a Roman numeral: "II" as "H" (its two stems joined), "I" as "l",
# "1", "|" or with a Vietnamese mark ("VỊ").
_ROMAN_LOOKALIKES = (
    ("H", "II"),
    ("l", "I"),
    ("1", "I"),
    ("|", "I"),
    ("Ị", "I"),
    ("Í", "I"),
    ("Ì", "I"),
)


def _in_sequence(numeral: str, previous: str | None) -> str:
    """A group's Roman numeral that repeats the one before ("V" after "V", "II" after "II": a
    scan lost the last "I") or reads as the next one once OCR's strokes are mapped ("H" after
    "I") is the next numeral: groups are numbered in order. Any other break is kept as written."""
    if previous not in ROMAN_NUMERALS or previous == ROMAN_NUMERALS[-1]:
        return numeral
    expected = ROMAN_NUMERALS[ROMAN_NUMERALS.index(previous) + 1]
    read = numeral
    for seen, meant in _ROMAN_LOOKALIKES:
        read = read.replace(seen, meant)
    return expected if read in (previous, expected) else numeral


def _norm_stt(stt: str) -> str:
    """ "3.3." → "3.3", "1 a)" → "1.a", "a)" → "a"; other codes (KH20_TT_N01.1.1) as they are."""
    text = " ".join(stt.split()).strip()
    text = text.rstrip(".").rstrip(")").strip() if not NUM_LETTER.match(text) else text
    m = NUM_LETTER.match(text)
    if m:
        return f"{_no_zeros(m.group(1))}.{m.group(2)}"
    m2 = re.match(r"^([a-zđ])\)?$", text)
    if m2:
        return m2.group(1)
    text = text.replace(" ", "")
    return _no_zeros(text) if NUMERIC_CODE.match(text) else text


def _no_zeros(code: str) -> str:
    """ "09" → "9", "01.02" → "1.2": the same number however it is padded."""
    return ".".join(str(int(part)) for part in code.split("."))


def _starts_lower(text: str) -> bool:
    text = text.lstrip("-–•* ")
    return bool(text) and text[0].isalpha() and text[0].islower()


def _strip_declared(title: str) -> str:
    return " ".join(DECLARED.sub("", title).split()).strip(" .:;-")


class TableLayouter:
    """Turns the rows of one or more tables (of one plan) into sections and raw tasks."""

    def __init__(self) -> None:
        self.sections: list[ExtractedSection] = []
        self.raw: list[_RawTask] = []
        self.columns: Columns | None = None
        self.top: str | None = None
        self.sub: str | None = None
        self.sub_auto = False
        self.last_was_task = False
        self.unplaced: list[tuple[str, Source]] = []

    # -- sections -------------------------------------------------------------------------------

    def _section(self, code: str, title: str, parent: str | None, source: Source) -> None:
        m = DECLARED.search(title)
        declared = int(m.group(1)) if m else None
        existing = next((s for s in self.sections if s.code == code), None)
        if existing is not None:
            return
        self.sections.append(
            ExtractedSection(
                code=code,
                title=_strip_declared(title),
                declared_count=declared,
                parent=parent,
                source=source,
            )
        )

    def _current_section(self) -> str | None:
        return self.sub or self.top

    # -- rows -----------------------------------------------------------------------------------

    def add_table(self, table: Table) -> None:
        rows = list(table.rows)
        # Title rows above the header (a spreadsheet's "Phụ lục I" lines) are not tasks.
        i = header_index(table) or 0
        header_rows: list[TableRow] = []
        while i < len(rows) and (
            is_header_row(rows[i].cells)
            or _is_column_numbers(rows[i].cells)
            or (header_rows and _flagged_header(rows[i]))
            or (header_rows and _header_note(rows[i].cells))
        ):
            header_rows.append(rows[i])
            i += 1
        if header_rows:
            width = max(len(r.cells) for r in header_rows)
            names = [
                " ".join(r.cells[c] for r in header_rows if c < len(r.cells) and r.cells[c].strip())
                for c in range(width)
            ]
            # Merged header cells repeat their text in each spanned column; say it once.
            names = [" ".join(dict.fromkeys(n.split(" "))) for n in names]
            columns = choose_columns(names, rows[i:])
            if columns.deadline is not None and columns.deadline < len(names):
                years = _HEADER_YEAR.findall(names[columns.deadline])
                columns.deadline_year = int(years[-1]) if len(set(years)) == 1 else None
            if columns.usable:
                self.columns = columns
        if self.columns is None:
            self.columns = _guess_columns(rows)
        if self.columns is None:
            return
        for row in rows[i:]:
            self._add_row(row)

    def _add_row(self, row: TableRow) -> None:
        cols = self.columns
        if cols is None:
            return
        cells = [" ".join(c.split()) if "\n" not in c else c.strip() for c in row.cells]
        filled = [c for c in cells if c.strip()]
        if not filled or is_header_row(cells) or _is_column_numbers(cells):
            return
        stt = _cell(cells, cols.stt)
        if row.continued and not stt and self.last_was_task and self.raw:
            self._continue(cells)
            return
        content = _cell(cells, cols.content)
        lead = _cell(cells, cols.lead)
        coord = _cell(cells, cols.coord)
        deadline = _cell(cells, cols.deadline)
        distinct = list(dict.fromkeys(filled))
        # A heading row whose title cell is merged across the unit and deadline columns.
        if content and lead == content and deadline in ("", content) and coord in ("", content):
            lead = coord = deadline = ""
        # A merged group row (the same text in every cell) or a title in the first cell only.
        if len(distinct) == 1:
            text = distinct[0]
            top = TOP_GROUP.match(text)
            if top and (text.upper() == text or DECLARED.search(text) or top.group(1).isupper()):
                self._top_group(top.group(1), top.group(2), row.source)
                return
            if len(filled) >= 3:
                # One text merged across the row: a heading, never a task.
                numbered = re.match(r"^(\d{1,3}(?:\.\d{1,3})*)\s*[.)]?\s+(\S.*)$", text)
                if numbered:
                    self._sub_heading(_no_zeros(numbered.group(1)), numbered.group(2), row.source)
                else:
                    self._sub_heading("", text, row.source)
                return
            if not (stt and stt == text) and not self.last_was_task:
                self._heading_or_unplaced(stt, text, row.source)
                return
        # (A number of days is a task's, as a deadline is: "Số ngày thực hiện | 30".)
        if not (lead or coord or deadline or _cell(cells, cols.duration)):
            title = content or (distinct[-1] if distinct else "")
            # "VỊ", "VH": the next group's numeral as a scan prints it.
            numeral = _in_sequence(stt.strip().rstrip(".)").strip(), self.top)
            if (
                content
                and content != stt
                and (ROMAN.match(numeral) or re.fullmatch("[A-ZĐ]", numeral))
            ):
                # "I | Cải cách thể chế": a group numbered in its own column.
                self._top_group(numeral, content, row.source)
                return
            top = TOP_GROUP.match(stt + (" " + content if content and stt else title))
            if (
                top
                and not NUMERIC_CODE.match(_norm_stt(stt))
                and (ROMAN.match(top.group(1)) or top.group(1).isupper())
            ):
                self._top_group(top.group(1), top.group(2), row.source)
                return
            if stt and (DECLARED.search(title) or len(title) <= 120):
                self._sub_heading(_norm_stt(stt), title, row.source)
                return
            if not stt and self.last_was_task and self.raw:
                self._continue(cells)
                return
            if not stt and DECLARED.search(title):
                self._sub_heading("", title, row.source)
                return
        if (
            not stt
            and self.last_was_task
            and self.raw
            and (_starts_lower(content) or not lead or _starts_lower(lead))
        ):
            self._continue(cells)
            return
        self._task(stt, cells, row.source)

    def _top_group(self, letter: str, title: str, source: Source) -> None:
        letter = _in_sequence(letter, self.top)
        self.top = letter
        self.sub = None
        self.sub_auto = False
        self._section(letter, title, None, source)
        self.last_was_task = False

    def _sub_heading(self, stt: str, title: str, source: Source) -> None:
        # A heading the document does not number: its tasks' numbers restart under it.
        self.sub_auto = not stt
        if not stt:
            stt = str(sum(1 for s in self.sections if s.parent == self.top) + 1)
        code = f"{self.top}.{stt}" if self.top and not stt.startswith(f"{self.top}.") else stt
        parent = self.top
        # "1.2" under "1": a nested heading.
        if "." in stt and self.sub and code.startswith(self.sub + "."):
            parent = self.sub
        self.sub = code
        self._section(code, title, parent, source)
        self.last_was_task = False

    def _heading_or_unplaced(self, stt: str, text: str, source: Source) -> None:
        if DECLARED.search(text) or (len(text) <= 120 and stt):
            self._sub_heading(_norm_stt(stt), text, source)
        else:
            self.unplaced.append((text, source))

    def _continue(self, cells: Sequence[str]) -> None:
        """Append each cell's text to the same cell of the previous row (a page break cut it)."""
        cols = self.columns
        if cols is None:
            return
        task = self.raw[-1]
        for role in CELL_ROLES:
            extra = _cell(cells, getattr(cols, role))
            before = task.cells.get(role, "")
            # A merged cell repeats its text in every row it covers: nothing new.
            if extra and not before.endswith(extra):
                task.cells[role] = f"{before} {extra}".strip() if before else extra

    def _code(self, stt: str) -> str:
        section = self._current_section()
        norm = _norm_stt(stt)
        if not norm or not any(ch.isalnum() for ch in norm):
            # An un-numbered row: the next number in its group.
            siblings = [t for t in self.raw if t.section == section]
            if siblings:
                last = siblings[-1].code
                head, _, tail = last.rpartition(".")
                if tail.isdigit():
                    return f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)
                return f"{last}.1"
            return f"{section}.1" if section else "1"
        if NUMERIC_CODE.match(norm) or NUM_LETTER.match(norm.replace(".", " ", 1)):
            if self.sub and self.sub_auto:
                return f"{self.sub}.{norm}"
            if self.top and not norm.startswith(f"{self.top}."):
                return f"{self.top}.{norm}"
            return norm
        if LETTER_CODE.match(norm):
            parent = self.raw[-1].code if self.raw else section
            if self.raw and LETTER_CODE.match(self.raw[-1].stt):
                parent = self.raw[-1].code.rpartition(".")[0]
            return f"{parent}.{norm}" if parent else norm
        return norm

    def _task(self, stt: str, cells: Sequence[str], source: Source) -> None:
        cols = self.columns
        if cols is None:
            return
        previous = self.raw[-1] if self.raw and self.last_was_task else None
        content = _cell(cells, cols.content)
        if (
            previous is not None
            and stt.strip()
            and _norm_stt(stt) == previous.stt
            and content
            and content == previous.cells.get("content")
        ):
            # Number and content merged down over two rows that give two products or leads:
            # one task (a plan counts it once), its cells joined.
            for role in ("lead", "coord", "deadline", "product", "note", "duration"):
                extra = _cell(cells, getattr(cols, role))
                before = previous.cells.get(role, "")
                if extra and extra != before:
                    joint = "\n" if role in ("product", "note") else "; "
                    previous.cells[role] = f"{before}{joint}{extra}" if before else extra
            return
        code = self._code(stt)
        section = self._current_section()
        # A task numbered "2.3" in group B while the current heading is another one.
        if self.top and code.count(".") >= 2:
            head = code.rpartition(".")[0]
            if any(s.code == head for s in self.sections):
                section = head
        self.raw.append(
            _RawTask(
                code=code,
                section=section,
                cells={role: _cell(cells, getattr(cols, role)) for role in CELL_ROLES},
                source=source,
                stt=_norm_stt(stt),
                year=cols.deadline_year,
            )
        )
        self.last_was_task = True

    # -- results --------------------------------------------------------------------------------

    def build(
        self,
        resolver: UnitResolver,
        *,
        plan_date: dt.date | None = None,
        year: int | None = None,
    ) -> TableLayout:
        tasks = [self._build_task(r, resolver, plan_date, year) for r in self.raw]
        return TableLayout(
            sections=self.sections, tasks=tasks, columns=self.columns, unplaced=self.unplaced
        )

    @staticmethod
    def _build_task(
        raw: _RawTask, resolver: UnitResolver, plan_date: dt.date | None, year: int | None
    ) -> ExtractedTask:
        lead_text, coord_text = raw.cells.get("lead", ""), raw.cells.get("coord", "")
        notes = [raw.cells.get("note", "")]
        duration = " ".join(raw.cells.get("duration", "").split())
        if duration:
            notes.append(f"Số ngày thực hiện: {duration}")
        # "Theo phân công tại Quyết định số ...": the units are in another document.
        if _CITES_ASSIGNMENT.match(fold(lead_text)):
            notes.append(f"Chủ trì: {lead_text}")
            lead_text = ""
        if _CITES_ASSIGNMENT.match(fold(coord_text)):
            notes.append(f"Phối hợp: {coord_text}")
            coord_text = ""
        lead, coord = units_of(lead_text, coord_text, resolver)
        deadline_text = " ".join(raw.cells.get("deadline", "").split())
        # The column's own year before the plan's: "30/6" under "Thời hạn năm 2026" is 2026.
        deadline = parse_deadline(deadline_text, plan_date=plan_date, year=raw.year or year)
        start_text = " ".join(raw.cells.get("start", "").split())
        if start_text:
            start = parse_deadline(start_text, plan_date=plan_date, year=year)
            if not deadline_text and start.recurring:
                # "Thời gian nhận: Nhiệm vụ thường xuyên" and no deadline: a recurring task.
                deadline = Deadline(raw=start_text, kind="recurring", recurring=True)
            elif start.kind == "date" and deadline.start_date is None:
                deadline.start_date = start.due_date
        # A person as lead ("Đ/c Hùng") stays as written, for a reviewer to assign a unit.
        person_lead = any(is_person(u.name) for u in lead)
        return ExtractedTask(
            code=raw.code,
            section=raw.section,
            content=raw.cells.get("content", ""),
            lead_units=lead,
            coordinating_units=coord,
            deadline=deadline,
            source=raw.source,
            product=raw.cells.get("product", ""),
            note="\n".join(n for n in notes if n),
            origin="table",
            confidence=0.6 if person_lead else 1.0,
        )


_CITES_ASSIGNMENT = re.compile(r"^theo (?:su )?(?:phan cong|quy dinh|chuc nang)")


def units_of(
    lead_text: str, coord_text: str, resolver: UnitResolver
) -> tuple[list[UnitRef], list[UnitRef]]:
    """Lead and coordinating units of a row. A lead cell may name both ("X chủ trì, phối hợp Y",
    "Sở Tư pháp phối hợp với các đơn vị liên quan")."""
    lead_text = " ".join(lead_text.split())
    coord_text = " ".join(coord_text.split())
    folded = fold(lead_text)
    if "chu tri" in folded or "phoi hop" in folded:
        lead, extra = resolver.parse_responsibility(lead_text)
    else:
        lead, extra = resolver.parse_units(lead_text) if lead_text else [], []
    coord = list(extra)
    if coord_text:
        coord += resolver.parse_units(coord_text)
    return _dedupe(lead), _dedupe(coord)


def _key(ref: UnitRef) -> str:
    return ref.unit_key or ref.collective or fold(ref.name)


def _dedupe(refs: list[UnitRef]) -> list[UnitRef]:
    seen: set[str] = set()
    out: list[UnitRef] = []
    for ref in refs:
        if _key(ref) not in seen:
            seen.add(_key(ref))
            out.append(ref)
    return out


def _header_note(cells: Sequence[str]) -> bool:
    """A header's second line holding only notes in parentheses: "(họ tên, điện thoại)"."""
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("(") and c.endswith(")") for c in filled)


def _flagged_header(row: TableRow) -> bool:
    """A row the format marks as header (DOCX repeat-header, HTML <th>) that is not a group row."""
    text = " ".join(c for c in row.cells if c.strip())
    return row.header and not DECLARED.search(text) and not TOP_GROUP.match(text)


def header_index(table: Table, limit: int = 15) -> int | None:
    """Index of the table's first header row among its first `limit` rows, if any."""
    for i, row in enumerate(table.rows[:limit]):
        if is_header_row(row.cells):
            return i
    return None


def preamble_texts(table: Table) -> list[str]:
    """Distinct texts of the rows above the header (title lines merged across a sheet)."""
    end = header_index(table)
    texts: list[str] = []
    for row in table.rows[: end or 0]:
        for cell in dict.fromkeys(c.strip() for c in row.cells if c.strip()):
            texts.append(cell)
    return texts


def _guess_columns(rows: Sequence[TableRow]) -> Columns | None:
    """No header: the common five-column layout STT | content | lead | coordinating | deadline."""
    width = max((len(r.cells) for r in rows), default=0)
    if width == 5:
        return Columns(stt=0, content=1, lead=2, coord=3, deadline=4, width=5)
    if width == 4:
        return Columns(stt=0, content=1, lead=2, deadline=3, width=4)
    return None


def _reads_as_tasks(rows: Sequence[TableRow], resolver: UnitResolver) -> bool:
    """A table without a header (pages from a plan's middle, its header printed once on an
    earlier page) that the common layout fits: most numbered rows hold a running text and a unit
    cell (a listed unit, or a body's name) where that layout puts them; at least three."""
    from dean06.ingest.units import body_shaped

    columns = _guess_columns(rows)
    if columns is None or columns.content is None or columns.lead is None:
        return False
    numbered = [r for r in rows if NUMERIC_CODE.match(_cell(r.cells, columns.stt).strip())]

    def unit_cell(text: str) -> bool:
        names = resolver.split(" ".join(text.split()))
        return bool(names) and all(
            body_shaped(n) or resolver.resolve(n, weak_confidence=False).resolved for n in names
        )

    tasks = sum(
        len(_cell(r.cells, columns.content).split()) >= 4
        and unit_cell(_cell(r.cells, columns.lead))
        for r in numbered[:HEADERLESS_SAMPLE]
    )
    return tasks >= 3 and tasks >= HEADERLESS_SHARE * min(len(numbered), HEADERLESS_SAMPLE)


# A table without a header is read as tasks when this share of its first numbered rows reads so.
HEADERLESS_SAMPLE = 12
HEADERLESS_SHARE = 0.6


def layout_tables(
    tables: Sequence[Table],
    resolver: UnitResolver,
    *,
    plan_date: dt.date | None = None,
    year: int | None = None,
) -> TableLayout:
    """Sections and tasks of the plan's assignment table(s), in order; tables without an
    assignment header (a signature block, a distribution list) are left out."""
    layouter = TableLayouter()
    for table in tables:
        if not table.rows:
            continue
        if (
            layouter.columns is None
            and header_index(table) is None
            and not _reads_as_tasks(table.rows, resolver)
        ):
            continue
        if year is None and plan_date is None and layouter.columns is None:
            # A sheet titled "NHIỆM VỤ THÁNG 02/2026" dates the "Quý I" of its rows.
            year = _title_year(preamble_texts(table))
        layouter.add_table(table)
    return layouter.build(resolver, plan_date=plan_date, year=year)


_TITLE_YEAR = re.compile(
    r"(?:năm|tháng\s+\d{1,2}\s*[/.-]|quý\s+[IVX\d]{1,4}\s*[/.-])\s*((?:19|20)\d\d)"
)


def _title_year(texts: Sequence[str]) -> int | None:
    """The year a title above a table names ("NHIỆM VỤ THÁNG 02/2026", "... năm 2025")."""
    for text in texts:
        m = _TITLE_YEAR.search(text.lower())
        if m:
            return int(m.group(1))
    return None
