"""Reader for text extracted straight from a PDF table (seed 002): rebuilds the table's rows.

In that form every cell is broken into short lines and the cells of a row come one after another,
column by column; page breaks repeat the header and may split any cell. The row is rebuilt from the
STT numbers and group lines, the width of the lines (the content column is the widest) and what the
remaining lines read as: unit names or a deadline (asked of the unit resolver and deadline parser).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dean06.ingest.model import IngestError, Source, UnitRegistry
from dean06.ingest.readers.base import Block, Document, Progress, Table, TableRow

if TYPE_CHECKING:
    from dean06.ingest.units import UnitResolver

STT_LINE = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?$")
GROUP_LINE = re.compile(r"^([A-ZĐ]|[IVX]{1,4})\.\s+\S")
SUBGROUP_LINE = re.compile(r"^(\d{1,2})\.?\s+([A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\d%].*)$")
DECLARED = re.compile(r"\(\s*\d+\s+nhiệm\s+vụ\s*\)", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^\d{1,3}$")

# Words of a table header row (folded); a chunk made only of these is (part of) a header.
HEADER_WORDS = frozenset(
    [
        "stt",
        "tt",
        "so",
        "noi",
        "dung",
        "nhiem",
        "vu",
        "cu",
        "the",
        "cong",
        "viec",
        "don",
        "vi",
        "chu",
        "tri",
        "phoi",
        "hop",
        "thoi",
        "gian",
        "hoan",
        "thanh",
        "han",
        "tien",
        "do",
        "co",
        "quan",
        "thuc",
        "hien",
        "san",
        "pham",
        "ket",
        "qua",
        "can",
        "dat",
        "ghi",
        "va",
        "nguoi",
        "lien",
        "he",
        "du",
        "kien",
        "duoc",
        "giao",
        "trach",
    ]
)
# How a deadline cell starts (folded). A unit cell never starts like this.
DEADLINE_START = (
    "thuc hien",
    "thuong xuyen",
    "trong nam",
    "trong thang",
    "trong quy",
    "trong 6",
    "trong giai",
    "thang ",
    "quy ",
    "nam 20",
    "hoan thanh",
    "duy tri",
    "theo lo trinh",
    "theo ke hoach",
    "theo tien do",
    "theo chi dao",
    "khi co",
    "truoc ngay",
    "truoc ",
    "tu quy",
    "tu thang",
    "tu nam",
    "tu ngay",
    "dinh ky",
    "hang thang",
    "hang quy",
    "hang nam",
    "hang tuan",
    "6 thang",
    "giai doan",
    "den ",
    "ngay ",
    "xong ",
    "lien tuc",
)
UNIT_START = (
    "so ",
    "cac ",
    "uy ban",
    "ubnd",
    "cong an",
    "van phong",
    "bao hiem",
    "chi nhanh",
    "ngan hang",
    "tinh doan",
    "ban ",
    "cuc ",
    "ubmttq",
    "mat tran",
    "hoi ",
    "dai ",
    "bao ",
    "vien ",
    "toa an",
    "kho bac",
    "cong ty",
    "trung tam",
    "bo chi huy",
    "lien doan",
    "thanh tra",
    "cap ",
    "bo phan",
)
CONNECTIVES = ("va", "so", "cac", "voi", "cua", "chi", "uy", "ban", "cap", "tinh,", "ubnd")

# A line at least this long belongs to the content column (units and deadlines are narrow).
WIDE = 20
MAX_CANDIDATES = 8
SPANNING = 45


@dataclass
class _Line:
    text: str
    number: int
    gap_before: bool = False
    empty_cell: bool = False


@dataclass
class _Row:
    stt: str
    number: int
    parts: list[list[_Line]] = field(default_factory=lambda: [[]])


def _fold(text: str) -> str:
    from dean06.ingest.text import fold

    return fold(text)


def looks_like_pdf_text(text: str) -> bool:
    """Seed-002 form: a table header broken over lines, then mostly short lines, no tabs.

    Only the part from the first header on is measured: a whole plan extracted from a PDF has
    long lines of running text before its appendix table.
    """
    if text.count("\t") > 5:
        return False
    raw = text.split("\n")
    start = next((i for i, ln in enumerate(raw) if _is_header_start(ln)), None)
    if start is None:
        return False
    lines = [ln for ln in raw[start:] if ln.strip()]
    if len(lines) < 20:
        return False
    short = sum(1 for ln in lines if len(ln.strip()) <= 35)
    stt = sum(1 for ln in lines if STT_LINE.match(ln.strip()))
    return short / len(lines) > 0.8 and stt >= 3


def _is_header_chunk(lines: Sequence[str]) -> bool:
    words = " ".join(_fold(ln) for ln in lines).replace(",", " , ").split()
    return bool(words) and all(w in HEADER_WORDS for w in words)


def _header_end(raw: list[str], start: int) -> tuple[int, list[str]]:
    """Index after the header block starting at `start`, and its column names."""
    first = raw[start].strip()
    names: list[str] = []
    rest = first[3:].strip() if _fold(first).startswith("stt") else first
    names.append(first[:3] if _fold(first).startswith("stt") else "")
    if rest:
        names.append(rest)
    chunk: list[str] = []
    i = start + 1
    while i < len(raw):
        line = raw[i].strip()
        if not raw[i]:
            if chunk:
                names.append(" ".join(chunk))
                chunk = []
            i += 1
            continue
        if not _is_header_chunk([line]):
            break
        chunk.append(line)
        i += 1
    if chunk:
        names.append(" ".join(chunk))
    return i, names


def _is_header_start(line: str) -> bool:
    folded = _fold(line).strip()
    return (folded == "stt" or folded.startswith("stt ")) and _is_header_chunk([line])


class _Scorer:
    """How well a piece of text reads as a list of units or as a deadline."""

    def __init__(self, resolver: UnitResolver) -> None:
        from dean06.ingest.deadlines import parse_deadline

        self.resolver = resolver
        self.parse_deadline = parse_deadline
        self._units: dict[str, float] = {}
        self._deadlines: dict[str, float] = {}

    def units(self, text: str) -> float:
        text = " ".join(text.split())
        if not text:
            return 0.0
        if text in self._units:
            return self._units[text]
        if len(text) > 300:
            return -5.0  # no cell of units is that long; do not spend the resolver on it
        refs = self.resolver.parse_units(text)
        score = 0.0
        for ref in refs:
            score += ref.confidence if ref.resolved else -0.6
        if not refs:
            score = -1.0
        words = _fold(text).split()  # empty when the piece is punctuation only ("---", "|")
        if (words and words[-1] in CONNECTIVES) or text.endswith((",", ";")):
            score -= 1.0
        if self.deadline_start(text):
            score -= 1.0
        self._units[text] = score
        return score

    def deadline(self, text: str) -> float:
        text = " ".join(text.split())
        if not text:
            return 0.0
        if text in self._deadlines:
            return self._deadlines[text]
        if len(text) > 400:
            return -5.0
        parsed = self.parse_deadline(text)
        score = parsed.confidence if parsed.kind != "unknown" else -0.5
        if self.deadline_start(text):
            score += 0.5
        self._deadlines[text] = score
        return score

    @staticmethod
    def deadline_start(text: str) -> bool:
        folded = _fold(text).strip()
        return folded.startswith(DEADLINE_START) or bool(re.match(r"\d{1,2}/\d{1,2}/\d{4}", folded))


def _join(lines: Sequence[_Line]) -> str:
    return " ".join(ln.text for ln in lines if not ln.empty_cell).strip()


def _chunks(lines: list[_Line]) -> list[list[_Line]]:
    out: list[list[_Line]] = []
    for ln in lines:
        if not out or ln.gap_before or ln.empty_cell or (out[-1] and out[-1][-1].empty_cell):
            out.append([])
        out[-1].append(ln)
    return out


def _split_content(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """The leading wide chunks (content column) and the rest."""
    content: list[_Line] = []
    chunks = _chunks(lines)
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        if any(ln.empty_cell for ln in chunk) or max(len(ln.text) for ln in chunk) < WIDE:
            break
        content += chunk
        i += 1
    rest = [ln for c in chunks[i:] for ln in c]
    return content, rest


def _boundary_prior(lines: list[_Line], j: int) -> float:
    """How plausible it is that a new cell starts at line j (the lines before end the cell)."""
    if j == 0 or j >= len(lines):
        return 0.0
    prev, nxt = lines[j - 1], lines[j]
    if nxt.empty_cell or prev.empty_cell:
        return 2.0
    text = nxt.text.strip()
    if not text or not text[0].isupper():
        return -3.0
    score = 0.0
    prev_text = prev.text.strip()
    if prev_text.endswith((",", ";", "-")) or _fold(prev_text).split()[-1:] in [
        [c] for c in CONNECTIVES
    ]:
        score -= 2.0
    if _fold(text).startswith(UNIT_START):
        score += 1.0
    if nxt.gap_before:
        score += 0.3
    return score


def _split_units_deadline(
    rest: list[_Line], scorer: _Scorer
) -> list[tuple[float, list[_Line], list[_Line], list[_Line]]]:
    """Candidate (prior, lead, coordinating, deadline) splits of the narrow part of a row."""
    n = len(rest)
    # The deadline cell: from the first line (after the first) that starts like a deadline.
    k = n
    for i in range(n):
        ln = rest[i]
        if ln.empty_cell:
            continue
        if i > 0 and scorer.deadline_start(ln.text):
            k = i
            break
    if k == n:
        # No deadline phrase: the last chunk, when it reads as a deadline better than as units.
        chunks = _chunks(rest)
        if len(chunks) > 1:
            last = chunks[-1]
            if scorer.deadline(_join(last)) > 0 and scorer.units(_join(last)) <= 0:
                k = n - len(last)
    units, deadline = rest[:k], rest[k:]
    # An empty cell marker among the unit lines is the boundary between lead and coordinating.
    for i, ln in enumerate(units):
        if ln.empty_cell:
            return [(0.0, units[:i], units[i + 1 :], deadline)]
    out: list[tuple[float, list[_Line], list[_Line], list[_Line]]] = []
    for j in range(1, len(units) + 1):
        prior = _boundary_prior(units, j)
        if prior <= -3.0:
            continue  # a cell never starts in lower case; skip (resolving is the costly part)
        if j == len(units):
            prior -= 0.5  # an empty coordinating cell is usually marked; prefer a real split
        out.append((prior, units[:j], units[j:], deadline))
    if not out:
        out.append((0.0, [], [], deadline))
    # Damaged input can give long runs of narrow lines: keep the likeliest splits only.
    return sorted(out, key=lambda c: c[0], reverse=True)[:MAX_CANDIDATES]


def _continue_cells(
    cells: list[str], lines: list[_Line], scorer: _Scorer
) -> tuple[float, list[str]]:
    """Append the narrow lines that follow a page break to the lead/coordinating/deadline cells;
    the best assignment and its score."""
    lines = [ln for ln in lines if not ln.empty_cell]
    if not lines:
        return _score_cells(cells, scorer), cells
    n = len(lines)
    # Cuts only where a line starts a new cell (upper case), or at either end.
    inner = [i for i in range(1, n) if _boundary_prior(lines, i) > -3.0]
    inner = sorted(sorted(inner, key=lambda i: _boundary_prior(lines, i))[-MAX_CANDIDATES:])
    cuts = [0, *inner, n]
    best: tuple[float, list[str]] = (float("-inf"), cells)
    for a in cuts:
        for b in (c for c in cuts if c >= a):
            parts = [lines[:a], lines[a:b], lines[b:]]
            cand = list(cells)
            for col, part in zip((2, 3, 4), parts, strict=True):
                if part:
                    cand[col] = f"{cand[col]} {_join(part)}".strip()
            # A cell cut by a page break goes on in the first column that continues.
            score = _score_cells(cand, scorer) - 0.05 * (a > 0 and b < n) - 0.01 * (a == 0)
            if score > best[0]:
                best = (score, cand)
    return best


def _score_cells(cells: list[str], scorer: _Scorer) -> float:
    return scorer.units(cells[2]) + scorer.units(cells[3]) + scorer.deadline(cells[4])


def _row_cells(row: _Row, scorer: _Scorer) -> list[str]:
    first = row.parts[0]
    content, rest = _split_content(first)
    best: tuple[float, list[str]] = (float("-inf"), [])
    for prior, lead, coord, deadline in _split_units_deadline(rest, scorer):
        cells = [row.stt, _join(content), _join(lead), _join(coord), _join(deadline)]
        score = _score_cells(cells, scorer)
        for part in row.parts[1:]:
            more, narrow = _split_content(part)
            if more:
                cells[1] = f"{cells[1]} {_join(more)}".strip()
            score, cells = _continue_cells(cells, narrow, scorer)
        if score + prior > best[0]:
            best = (score + prior, cells)
    return best[1]


def read(
    data: bytes,
    *,
    progress: Progress | None = None,
    registry: UnitRegistry | None = None,
) -> Document:
    from dean06.ingest.readers.text import decode

    text = decode(data)
    if not text.strip():
        raise IngestError("Tệp văn bản rỗng.", "the text file is empty")
    return read_text(text, progress=progress, registry=registry)


def read_text(
    text: str,
    *,
    progress: Progress | None = None,
    registry: UnitRegistry | None = None,
) -> Document:
    """A Document with the paragraphs before the table and the rebuilt table (header row first)."""
    from dean06.ingest.units import UnitResolver

    scorer = _Scorer(UnitResolver(registry or UnitRegistry.default()))
    raw = text.split("\n")
    blocks: list[Block] = []
    start = next((i for i, ln in enumerate(raw) if _is_header_start(ln)), None)
    if start is None:
        raise IngestError(
            "Không tìm thấy dòng tiêu đề bảng (STT ...) trong văn bản trích từ PDF.",
            "no table header (STT ...) in the PDF-extracted text",
        )
    if any(ln.strip() for ln in raw[:start]):
        from dean06.ingest.readers.text import read_text as read_plain

        # The running text before the table: paragraphs as the plain-text reader makes them.
        blocks.extend(b for b in read_plain("\n".join(raw[:start])).blocks)
    end, names = _header_end(raw, start)
    table = Table(
        rows=[TableRow(cells=names, source=Source(line=start + 1))], source=Source(line=start + 1)
    )
    blocks.append(table)
    width = len(names)

    # The lines of the table body, page furniture removed; None marks a page break.
    stream: list[_Line | None] = []
    gap = False
    i = end
    page = 1
    while i < len(raw):
        line = raw[i]
        stripped = line.strip()
        if progress is not None and i % 200 == 0:
            progress(i, len(raw), "dựng lại bảng")
        if not line:
            gap = True
            i += 1
            continue
        if _is_header_start(stripped):
            i, _ = _header_end(raw, i)
            stream.append(None)
            page += 1
            gap = True
            continue
        if PAGE_NUMBER.match(stripped):
            j = i + 1
            while j < len(raw) and not raw[j].strip():
                j += 1
            if j < len(raw) and _is_header_start(raw[j]):
                i = j
                continue
        if not stripped:
            stream.append(_Line("", i + 1, gap, empty_cell=True))
        else:
            stream.append(_Line(" ".join(stripped.split()), i + 1, gap))
        gap = False
        i += 1

    rows: list[TableRow] = []
    current: _Row | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            cells = _row_cells(current, scorer)
            rows.append(TableRow(cells=_fit(cells, width), source=Source(line=current.number)))
            current = None

    k = 0
    while k < len(stream):
        item = stream[k]
        if item is None:
            if current is not None:
                current.parts.append([])
            k += 1
            continue
        txt = item.text
        nxt = stream[k + 1] if k + 1 < len(stream) else None
        starts_block = item.gap_before or current is None or not current.parts[-1]
        if not item.empty_cell and GROUP_LINE.match(txt) and txt.upper()[:12] == txt[:12]:
            close()
            title, k = _gather_title(stream, k)
            rows.append(TableRow(cells=_fit([title], width), source=Source(line=item.number)))
            continue
        sub = SUBGROUP_LINE.match(txt) if not item.empty_cell else None
        if sub and (DECLARED.search(txt) or starts_block) and len(txt) < 120:
            close()
            title, k = _gather_title(stream, k, skip_number=True)
            rows.append(
                TableRow(cells=_fit([sub.group(1), title], width), source=Source(line=item.number))
            )
            continue
        if STT_LINE.match(txt) and starts_block and _plausible_stt(txt):
            if (
                nxt is not None
                and not nxt.gap_before
                and (len(nxt.text) > SPANNING or DECLARED.search(nxt.text))
            ):
                close()
                title, k = _gather_title(stream, k + 1)
                rows.append(
                    TableRow(cells=_fit([txt, title], width), source=Source(line=item.number))
                )
                continue
            close()
            current = _Row(stt=txt, number=item.number)
            k += 1
            continue
        if current is None:
            # Text after a group row with no STT of its own: an un-numbered row.
            current = _Row(stt="", number=item.number)
            if item.empty_cell:
                k += 1
                continue
        current.parts[-1].append(item)
        k += 1
    close()
    table.rows.extend(rows)
    return Document(blocks=blocks, format="pdf-text", pages=page)


def _plausible_stt(text: str) -> bool:
    parts = [p for p in text.rstrip(".").split(".") if p]
    return all(int(p) < 100 for p in parts) and int(parts[0]) <= 60


def _gather_title(
    stream: list[_Line | None], k: int, *, skip_number: bool = False
) -> tuple[str, int]:
    """A group row's title: its line and the lines that go on without a gap (`(16 nhiệm vụ)`)."""
    first = stream[k]
    if first is None:
        return "", k + 1
    text = first.text
    if skip_number:
        text = SUBGROUP_LINE.sub(r"\2", text)
    k += 1
    while k < len(stream):
        nxt = stream[k]
        if nxt is None or nxt.gap_before or nxt.empty_cell:
            break
        if (
            not (nxt.text.startswith("(") or DECLARED.search(nxt.text))
            or STT_LINE.match(nxt.text)
            or SUBGROUP_LINE.match(nxt.text)
            or GROUP_LINE.match(nxt.text)
        ):
            break
        text = f"{text} {nxt.text}"
        k += 1
    return text, k


def _fit(cells: list[str], width: int) -> list[str]:
    return (cells + [""] * width)[:width] if width else cells
