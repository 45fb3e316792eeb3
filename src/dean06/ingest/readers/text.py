"""Reader for plain text and Markdown, with tab-separated or pipe tables whose cells may hold HTML.

This is the form of seeds 000 and 001: Markdown paragraphs, then an appendix table written as
tab-separated rows with bits of HTML (`<b>`, `<p>`, `<ul><li>`, `<i>`). Web pages saved as text
give two more forms: Markdown pipe tables (`| 1 | Nội dung | Sở Tư pháp |`) and "vertical" pipe
tables, where every cell is a block of lines between lines holding a lone `|` and two lone pipes
in a row end a row.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from dean06.ingest.model import IngestError, Source
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_SUP = re.compile(r"<sup>.*?</sup>", re.IGNORECASE | re.DOTALL)
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_SENTENCE_END = (".", ":", ";", "!", "?", ")", "”", '"')
# A cell that numbers a row: "1", "2.3", "II", "B.", "a)".
_STT_CELL = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLivxl]{1,5}\.?|[A-ZĐ]\.?|[a-zđ]\))$")


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else the Vietnamese code page, else Latin-1."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    # cp1258 composes tone marks separately; NFC joins them back.
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def _clean_cell(text: str) -> str:
    from dean06.ingest.text import clean

    return clean(_SUP.sub("", text))


def strip_markdown(text: str) -> str:
    """Markdown emphasis and escapes removed, HTML cleaned; the words stay."""
    text = _SUP.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _ITALIC.sub(r"\1", text)
    text = text.replace("**", "")
    text = re.sub(r"\s{2,}$", "", text)  # Markdown hard line break (two trailing spaces)
    return _clean_cell(text)


def _table_cells(line: str) -> list[str] | None:
    """The cells of a tab-separated or pipe-table line, or None when the line is running text."""
    if line.count("\t") >= 2:
        return [_clean_cell(c) for c in line.split("\t")]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return [_clean_cell(c) for c in inner.split("|")]
    return None


def _joins_previous(previous: Paragraph, text: str) -> bool:
    """A paragraph cut by a page break: the previous line does not end a sentence and this one
    starts in lower case (the Markdown converted from a PDF keeps such cuts)."""
    if previous.level is not None or not previous.text or not text:
        return False
    first = text[0]
    return (
        first.isalpha() and first.islower() and not previous.text.rstrip().endswith(_SENTENCE_END)
    )


def read(data: bytes, *, progress: Progress | None = None) -> Document:
    """Paragraphs and tables of a text or Markdown file (see the module docstring)."""
    text = decode(data)
    if not text.strip():
        raise IngestError("Tệp văn bản rỗng.", "the text file is empty")
    return read_text(text, progress=progress)


def _is_lone_pipe(line: str) -> bool:
    return line.strip() == "|"


def looks_like_pipe_tables(text: str) -> bool:
    """A web page or Markdown saved as text with pipe tables: rows of lone `|` lines (two of them
    in a row end a table row), or Markdown rows under a `|---|---|` separator."""
    lines = text.split("\n")
    lone = [i for i, line in enumerate(lines) if _is_lone_pipe(line)]
    row_ends = sum(1 for a, b in itertools.pairwise(lone) if b == a + 1)
    if len(lone) >= 6 and row_ends >= 2:
        return True
    separators = sum(1 for line in lines if "|" in line and _PIPE_SEPARATOR.match(line))
    rows = [line.strip() for line in lines if "|" in line and _table_cells(line) is not None]
    closed = sum(1 for row in rows if row.endswith("|"))
    return (separators >= 1 and len(rows) >= 2) or closed >= 3


def _cell_text(lines: list[str]) -> str:
    """The text of a vertical cell: wrapped lines joined, blank lines kept as paragraph breaks,
    rules ("-----" under a masthead) dropped."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if not line.strip() or _RULE.match(line):
            if current:
                paragraphs.append(strip_markdown(" ".join(ln.strip() for ln in current)))
                current = []
            continue
        current.append(line)
    return "\n".join(p for p in paragraphs if p)


def _read_vertical(lines: list[str], start: int) -> tuple[list[tuple[list[str], int]], int]:
    """The rows (cells, first line number) of the vertical pipe table whose first lone `|` is
    `lines[start]`, and the index of the first line after the table.

    Two lone pipes in a row end a row, or hold an empty cell when the row is shorter than the
    table's first row and what follows does not number a new row.
    """
    rows: list[tuple[list[str], int]] = []
    row: list[str] = []
    row_line = start + 1
    cell: list[str] = []
    cell_start = start + 1
    width: int | None = None
    i = start + 1
    end = len(lines)
    while i < len(lines):
        line = lines[i]
        if _is_lone_pipe(line):
            if cell:
                row.append(_cell_text(cell))
                cell = []
            elif row and not _row_break(lines, i, row, width):
                row.append("")
            elif row:
                rows.append((row, row_line))
                width = max(width or 0, len(row))
                row = []
                row_line = i + 1
            i += 1
            cell_start = i
            continue
        if not line.strip() and not cell:
            following = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if following is None or not _is_lone_pipe(lines[following]):
                end = i  # a blank line after a closing pipe, then text: the table is over
                break
            i = following
            continue
        if not cell:
            cell_start = i
        cell.append(line)
        i += 1
    else:
        end = len(lines)
    if cell:
        end = cell_start  # text after the last pipe that no pipe closes is not a cell
    if row:
        rows.append((row, row_line))
    return rows, end


def _row_break(lines: list[str], i: int, row: list[str], width: int | None) -> bool:
    """Whether a second lone pipe at `lines[i]` ends the row (else: an empty cell)."""
    if width is None or len(row) >= width:
        return True
    following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
    return bool(_STT_CELL.match(strip_markdown(following).strip()))


def read_text(text: str, *, progress: Progress | None = None, fmt: str = "text") -> Document:
    lines = text.split("\n")
    blocks: list[Block] = []
    table: Table | None = None
    vertical_from = len(lines) if not looks_like_pipe_tables(text) else 0
    skip_to = 0
    for number, raw in enumerate(lines, start=1):
        if number <= skip_to:
            continue
        if progress is not None and number % 500 == 0:
            progress(number, len(lines), "đọc văn bản")
        line = raw.rstrip("\n")
        if number > vertical_from and _is_lone_pipe(line):
            rows, end = _read_vertical(lines, number - 1)
            skip_to = end
            table = None
            if len(rows) >= 2 and max(len(row_cells) for row_cells, _ in rows) >= 3:
                blocks.append(
                    Table(
                        rows=[TableRow(row_cells, Source(line=at)) for row_cells, at in rows],
                        source=Source(line=number),
                    )
                )
            else:
                # A masthead or signature block laid out with pipes: its cells are paragraphs.
                for row_cells, at in rows:
                    for cell in row_cells:
                        for piece in cell.split("\n"):
                            blocks.append(Paragraph(text=piece, source=Source(line=at)))
            continue
        if not line.strip():
            continue  # blank lines inside a table are page breaks; the table goes on
        if _PIPE_SEPARATOR.match(line) and table is not None:
            continue
        cells = _table_cells(line)
        if cells is not None:
            if table is None:
                table = Table(rows=[], source=Source(line=number))
                blocks.append(table)
            table.rows.append(TableRow(cells=cells, source=Source(line=number)))
            continue
        table = None
        if _RULE.match(line):
            continue
        level: int | None = None
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            line = heading.group(2)
        clean = strip_markdown(line)
        if not clean:
            continue
        previous = blocks[-1] if blocks else None
        if level is None and isinstance(previous, Paragraph) and _joins_previous(previous, clean):
            previous.text = f"{previous.text} {clean}"
            continue
        blocks.append(Paragraph(text=clean, source=Source(line=number), level=level))
    for block in blocks:
        if isinstance(block, Table):
            # Pad ragged rows so that every row has the table's width.
            w = max(len(r.cells) for r in block.rows)
            for row in block.rows:
                row.cells += [""] * (w - len(row.cells))
    return Document(blocks=blocks, format=fmt)
