"""Is this text a plan OCR'd by tesseract? Detection by the shape of the text, never its name."""

from __future__ import annotations

import re

from dean06.ingest.readers.ocrtext.lines import is_header_line
from dean06.ingest.readers.ocrtext.vocabulary import (
    ACCENTED_SHARE,
    DOMAIN_WORDS,
    HEADER_CELL_WIDTH,
    UNIT_BLOCKS_MIN,
    VIETNAMESE_ONLY,
)

_NUMBER_ALONE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,2}\.?\s*$")
_NUMBERED = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
_NUMBER_BAR = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s*\|\s*\S")


def accented(text: str) -> bool:
    """Whether the text kept its accents (OCR'd with Vietnamese data): more than ACCENTED_SHARE
    of its letters are Vietnamese only."""
    letters = [c for c in text[:200_000] if c.isalpha()]
    vietnamese = sum(1 for c in letters if c in VIETNAMESE_ONLY)
    return bool(letters) and vietnamese / len(letters) > ACCENTED_SHARE


def looks_like_ocr_text(text: str) -> bool:
    """A plan as tesseract prints it: without Vietnamese data, (nearly) no Vietnamese-only
    letters and table rows numbered at the start of long lines; with Vietnamese data, a table
    whose rows are numbered before its rules or whose cells stand as blocks of their own (psm 3)."""
    from dean06.ingest.text import fold

    if text.count("\t") > 5:
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 200:
        return False
    if accented(text):
        return _looks_like_psm3(text)
    folded = fold(text[:200_000])
    if sum(1 for w in DOMAIN_WORDS if w in folded) < 3:
        return False
    numbered = sum(1 for ln in text.splitlines() if len(ln) > 40 and _NUMBERED.match(ln))
    # (psm 3 prints the numbers of a table without vertical rules alone on their lines.)
    return numbered >= 3 or _looks_like_psm3(text)


def _is_header_cell(line: str) -> bool:
    """A column header alone on its line ("STT", "Đơn vị chủ trì", "Sản phẩm", "Thời hạn")."""
    from dean06.ingest.layout.tables import named_columns

    stripped = line.strip()
    return 0 < len(stripped) <= HEADER_CELL_WIDTH and bool(named_columns(stripped))


def _looks_like_psm3(text: str) -> bool:
    """A table's rows numbered before a printed rule ("2.4 |"), or numbered under a header line;
    or, with tesseract's page separator, its cells printed alone on their lines: numbers and
    header cells repeated at page tops (as a PDF text dump has them too, without form feeds).
    Pages OCR'd one by one and pasted together have no page separator."""
    lines = text.splitlines()
    if sum(1 for ln in lines if _NUMBER_BAR.match(ln)) >= 3:
        return True  # a table read as one block: rows numbered, its rules printed as "|"
    if (
        any(is_header_line(ln.strip()) for ln in lines)
        and sum(1 for ln in lines if len(ln) > 40 and _NUMBERED.match(ln)) >= 3
    ):
        return True  # the same, its rules lost: the header on a line, rows numbered
    if "\f" not in text:
        return False
    alone = sum(1 for ln in lines if _NUMBER_ALONE.match(ln))
    if alone >= 3 and sum(1 for ln in lines if _is_header_cell(ln)) >= 2:
        return True
    # Pages from the middle of a table, its header on an earlier page: its unit cells, and
    # numbers alone or, where OCR lost them too, a task text followed by a unit cell.
    from dean06.ingest.model import UnitRegistry
    from dean06.ingest.readers.ocrtext.columns import first_row_of_cells, unit_blocks
    from dean06.ingest.readers.ocrtext.vocabulary import vocabulary

    vocab = vocabulary(UnitRegistry.default())
    if alone >= 3:
        return unit_blocks(lines, vocab) >= UNIT_BLOCKS_MIN
    return first_row_of_cells(lines, vocab) is not None  # (it counts the unit cells too)
