"""Reader for plain text and Markdown, with tab-separated or pipe tables whose cells may hold HTML.

This is the form of seeds 000 and 001: Markdown paragraphs, then an appendix table written as
tab-separated rows with bits of HTML (`<b>`, `<p>`, `<ul><li>`, `<i>`).
"""

from __future__ import annotations

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


def read_text(text: str, *, progress: Progress | None = None, fmt: str = "text") -> Document:
    lines = text.split("\n")
    blocks: list[Block] = []
    table: Table | None = None
    for number, raw in enumerate(lines, start=1):
        if progress is not None and number % 500 == 0:
            progress(number, len(lines), "đọc văn bản")
        line = raw.rstrip("\n")
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
