"""The neutral document every reader produces: paragraphs and tables, each with its source.

Readers (one module per format) turn bytes into a `Document`; the layout modules turn a `Document`
into sections and tasks without knowing which format it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dean06.ingest.model import Source

# progress(done, total, message): long readers (OCR) report where they are.
Progress = Callable[[int, int, str], None]


@dataclass
class Paragraph:
    """A line or paragraph of running text. `level` is a heading level when the format knows it."""

    text: str
    source: Source = field(default_factory=Source)
    level: int | None = None


@dataclass
class TableRow:
    """One row of a table; merged cells are expanded (the text repeated in every spanned cell)."""

    cells: list[str]
    source: Source = field(default_factory=Source)
    # The format marks this row as a header (DOCX "repeat as header row", HTML <thead>/<th>).
    header: bool = False
    # The format shows that this row goes on the row above, cut by a page break (a ruled row
    # left open at one page's end and going on at the next page's top).
    continued: bool = False


@dataclass
class Table:
    rows: list[TableRow]
    source: Source = field(default_factory=Source)


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block]
    format: str
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
