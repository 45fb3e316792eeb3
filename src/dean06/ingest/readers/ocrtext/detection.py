"""Is this text a plan OCR'd by tesseract? Detection by the shape of the text, never its name."""

from __future__ import annotations

import re

from dean06.ingest.readers.ocrtext.vocabulary import DOMAIN_WORDS, VIETNAMESE_ONLY

_NUMBER_ALONE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,2}\.?\s*$")
_HEADER_CELL = re.compile(r"^\s*(?:STT|TT|Đơn vị chủ trì|Đơn vị phối hợp|Thời gian hoàn thành)\s*$")


def looks_like_ocr_text(text: str) -> bool:
    """A plan as tesseract prints it: without Vietnamese data, (nearly) no Vietnamese-only
    letters and table rows numbered at the start of long lines; with Vietnamese data, pages
    separated by form feeds and a table whose cells stand as blocks of their own (psm 3)."""
    from dean06.ingest.text import fold

    if text.count("\t") > 5:
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 200:
        return False
    vietnamese = sum(1 for c in letters if c in VIETNAMESE_ONLY)
    if vietnamese / len(letters) > 0.005:
        return _looks_like_psm3(text)
    folded = fold(text[:200_000])
    if sum(1 for w in DOMAIN_WORDS if w in folded) < 3:
        return False
    numbered = sum(
        1
        for ln in text.splitlines()
        if len(ln) > 40 and re.match(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+\S", ln)
    )
    return numbered >= 3


def _looks_like_psm3(text: str) -> bool:
    """Tesseract's page separator, and table cells printed alone on their lines: numbers
    ("2.4") and header cells repeated at page tops ("Đơn vị chủ trì")."""
    if text.count("\f") < 1:
        return False
    lines = text.splitlines()
    alone = sum(1 for ln in lines if _NUMBER_ALONE.match(ln))
    headers = sum(1 for ln in lines if _HEADER_CELL.match(ln))
    return alone >= 3 and headers >= 2
