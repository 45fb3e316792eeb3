"""Merged cells of a ruled table over a page break, for the PDF and the scan readers.

Both readers see a table as a grid: for every row, the cell covering each column (a cell merged
down or across covers several positions). A merged cell running over a page break prints its
text on the first page only and goes on empty under the next page's header: the last row's
cells of one page (`OpenCells`) give their text to such a cell of the next.
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from dean06.ingest.layout.tables import is_header_row

K = TypeVar("K", bound=Hashable)
Grid = Sequence[Sequence[K | None]]  # per row, the cell covering each column


@dataclass
class OpenCells:
    """The cells of a ruled table's last row, which may go on over the page break. `cut`: no
    rule closed the table at the page's end, so its last row goes on too."""

    columns: int
    texts: dict[int, str] = field(default_factory=dict)  # column → the cell's text
    cut: bool = False


def row_texts(ids: Sequence[K | None], texts: MutableMapping[K, str]) -> list[str]:
    return [texts[i] if i is not None else "" for i in ids]


def own_text(
    ids: Sequence[K | None], above: Sequence[K | None], texts: MutableMapping[K, str]
) -> bool:
    """Whether a grid row has text of its own: a cell that starts in it and holds text (not
    one going on from the row above)."""
    return any(i is not None and i != j and texts[i] for i, j in zip(ids, above, strict=True))


def continue_merged(
    grid: Grid[K], texts: MutableMapping[K, str], above: OpenCells | None
) -> int | None:
    """Give the cells the page before left open to this table's merged cells that go on from
    them: an empty cell that runs from the first row under the header into a later row with
    text of its own. A row's own empty cell (the number of a cut row, a text that ended on the
    page before) stays empty. Returns that first row (None without `above`)."""
    if above is None or not grid or above.columns != len(grid[0]):
        return None
    first = next(
        (r for r, ids in enumerate(grid) if not is_header_row(row_texts(ids, texts))), None
    )
    if first is None:
        return None
    for column, text in above.texts.items():
        i = grid[first][column]
        if i is None or texts[i]:
            continue
        if any(
            grid[r][column] == i and own_text(grid[r], grid[r - 1], texts)
            for r in range(first + 1, len(grid))
        ):
            texts[i] = text
    return first


def last_row(grid: Grid[K], texts: MutableMapping[K, str]) -> OpenCells:
    """The cells of the table's last row, for the page after."""
    last = grid[-1] if grid else []
    return OpenCells(
        len(last), {c: texts[i] for c, i in enumerate(last) if i is not None and texts[i]}
    )
