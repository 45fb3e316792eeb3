"""HTML reader (stdlib html.parser): headings, paragraphs and list items, and tables with
rowspan/colspan expanded. `Source.line` is the line in the HTML source.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from dean06.ingest.limits import CellBudget
from dean06.ingest.model import IngestError, Source
from dean06.ingest.readers._common import clean_text, require_data
from dean06.ingest.readers.base import Block, Document, Paragraph, Progress, Table, TableRow

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "ul",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "title", "svg", "object"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "source", "wbr"}
_BULLETS = ("-", "–", "—", "•", "+", "*", "·")
_MAX_SPAN = 1000


def decode_html(data: bytes) -> str:
    """The page's text: BOM, then <meta charset>/XML declaration, then UTF-8, then windows-1258."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if declared:
        name = declared.group(1).decode("ascii", errors="ignore")
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            codec = ""
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # a page that lies about its charset: fall through to guessing
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Vietnamese pages that are not UTF-8 are nearly always windows-1258 (or its TCVN cousins).
        return data.decode("cp1258", errors="replace")


def read(data: bytes, *, progress: Progress | None = None) -> Document:
    """Read an HTML page; IngestError when it is empty or not text."""
    require_data(data, "HTML", "HTML")
    if b"\x00" in data[:2048] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise IngestError("Tệp không phải là trang HTML.", "binary data, not HTML")
    parser = _Builder()
    parser.feed(decode_html(data))
    parser.close()
    parser.finish()
    if progress is not None:
        progress(1, 1, "Đã đọc trang HTML")
    if not parser.blocks:
        raise IngestError("Trang HTML không có nội dung.", "the HTML page has no text")
    return Document(blocks=parser.blocks, format="html", pages=None)


@dataclass
class _Cell:
    parts: list[str] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1
    th: bool = False


@dataclass
class _Row:
    line: int
    cells: list[_Cell] = field(default_factory=list)
    in_thead: bool = False


@dataclass
class _Table:
    line: int
    rows: list[_Row] = field(default_factory=list)
    cell: _Cell | None = None
    in_thead: bool = False


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), _MAX_SPAN))
    except ValueError:
        return 1


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.tables: list[_Table] = []
        self.skip_depth = 0
        self.buffer: list[str] = []
        self.buffer_line = 1
        self.level: int | None = None
        self.in_li = False
        self.budget = CellBudget("Bảng trong trang HTML")

    # --- text sinks -------------------------------------------------------------------------

    def _sink(self) -> list[str] | None:
        if self.tables:
            cell = self.tables[-1].cell
            return cell.parts if cell is not None else None
        return self.buffer

    def flush(self) -> None:
        text = clean_text("".join(self.buffer))
        self.buffer = []
        for line in text.split("\n") if text else []:
            if self.in_li and not line.startswith(_BULLETS):
                line = "- " + line
            self.blocks.append(Paragraph(line, Source(line=self.buffer_line), level=self.level))
        self.level = None
        self.in_li = False

    # --- parser events ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag == "body":
            self.skip_depth = 0  # an unclosed <title> or <style> in the head ends here
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "table":
            if not self.tables:
                self.flush()
            self.tables.append(_Table(line))
            return
        if self.tables:
            self._table_start(tag, attrs, line)
            return
        if tag in _BLOCK:
            self.flush()
            self.buffer_line = line
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.level = int(tag[1])
            elif tag == "li":
                self.in_li = True

    def _table_start(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        table = self.tables[-1]
        if tag == "thead":
            table.in_thead = True
        elif tag in ("tbody", "tfoot"):
            table.in_thead = False
        elif tag == "tr":
            table.cell = None
            table.rows.append(_Row(line, in_thead=table.in_thead))
        elif tag in ("td", "th"):
            if not table.rows:
                table.rows.append(_Row(line, in_thead=table.in_thead))
            values = dict(attrs)
            table.cell = _Cell(
                colspan=_span(values.get("colspan")),
                rowspan=_span(values.get("rowspan")),
                th=tag == "th",
            )
            table.rows[-1].cells.append(table.cell)
        elif table.cell is not None and tag in _BLOCK:
            table.cell.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag == "table" and self.tables:
            finished = self.tables.pop()
            table = _expand(finished, self.budget)
            if table is None:
                return
            if self.tables and self.tables[-1].cell is not None:
                # A table inside a cell: its rows become lines of that cell.
                lines = [" | ".join(dict.fromkeys(c for c in r.cells if c)) for r in table.rows]
                self.tables[-1].cell.parts.append("\n" + "\n".join(lines) + "\n")
            elif not self.tables:
                self.blocks.append(table)
            return
        if self.tables:
            current = self.tables[-1]
            if tag in ("td", "th"):
                current.cell = None
            elif tag == "thead":
                current.in_thead = False
            elif current.cell is not None and tag in _BLOCK:
                current.cell.parts.append("\n")
            return
        if tag in _BLOCK:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        sink = self._sink()
        if sink is None:
            return
        # HTML collapses white space, line breaks included; structure comes from tags only.
        sink.append(re.sub(r"\s+", " ", data))

    def finish(self) -> None:
        while self.tables:  # unclosed tables at the end of a truncated page
            self.handle_endtag("table")
        self.flush()


def _expand(table: _Table, budget: CellBudget) -> Table | None:
    """Place cells on a grid honouring rowspan/colspan; spanned positions repeat the text."""
    grid: dict[tuple[int, int], str] = {}
    rows = [r for r in table.rows if r.cells]
    for r, row in enumerate(rows):
        c = 0
        for cell in row.cells:
            while (r, c) in grid:
                c += 1
            text = clean_text("".join(cell.parts))
            rowspan = min(cell.rowspan, len(rows) - r)
            # Counted before spreading: twenty cells of rowspan=colspan=1000 are 20 million.
            budget.take(rowspan, cell.colspan)
            for dr in range(rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = text
            c += cell.colspan
    if not grid:
        return None
    width = max(c for _, c in grid) + 1
    budget.take(len(rows), width, counted=len(grid))
    out = [
        TableRow(
            [grid.get((r, c), "") for c in range(width)],
            Source(line=row.line),
            header=row.in_thead or all(cell.th for cell in row.cells),
        )
        for r, row in enumerate(rows)
    ]
    if not any(any(cells.cells) for cells in out):
        return None
    return Table(out, Source(line=table.line))
