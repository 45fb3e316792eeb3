"""Running text of an OCR'd plan (title lines, body, per-unit sections): repaired so that the
layout modules for clean text (layout/metadata.py, layout/narrative.py) can read it: the label
phrases those modules look for ("Đơn vị chủ trì:", "thời gian hoàn thành trong ...") and the
words metadata is recognised by are given back their marks; other words stay as OCR read them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from dean06.ingest.model import Source
from dean06.ingest.readers.ocrtext.vocabulary import (
    FULL_LINE,
    LABEL_PHRASES,
    PARAGRAPH_WORDS,
    VIETNAMESE_ONLY,
    Vocabulary,
    base_key,
    tokenize,
)
from dean06.ingest.text import ROMAN_NUMERALS


@lru_cache(maxsize=1)
def _labels() -> tuple[tuple[tuple[str, ...], str], ...]:
    from dean06.ingest.text import fold

    # Longest first: "Đơn vị chủ trì" before "Chủ trì".
    pairs = [(tuple(fold(p).split()), p) for p in LABEL_PHRASES]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def _restore_labels(line: str, vocab: Vocabulary) -> str:
    tokens = tokenize(line, vocab)
    if not tokens:
        return line
    keys = [t.keys[0] if len(t.keys) == 1 else "" for t in tokens]
    out: list[str] = []
    k = 0
    while k < len(tokens):
        for words, accented in _labels():
            n = len(words)
            if tuple(keys[k : k + n]) == words and not any(
                c in VIETNAMESE_ONLY for t in tokens[k : k + n] for c in t.raw
            ):
                span = tokens[k : k + n]
                if all(t.raw.isupper() for t in span):
                    text = accented.upper()
                elif tokens[k].upper:
                    text = accented[:1].upper() + accented[1:]
                else:
                    text = accented[:1].lower() + accented[1:]
                last = tokens[k + n - 1].raw
                trail = last[len(last.rstrip(".,;:)")) :]
                out.append(text + trail)
                k += n
                break
        else:
            out.append(tokens[k].raw)
            k += 1
    return " ".join(out)


def paragraph_text(line: str, vocab: Vocabulary | None = None) -> str:
    """OCR repairs, label phrases and the few words metadata is recognised by given back their
    marks."""
    from dean06.ingest.text import fix_ocr

    text = fix_ocr(line)
    if vocab is not None:
        text = _restore_labels(text, vocab)
    out = []
    for word in text.split():
        if any(c in VIETNAMESE_ONLY for c in word):
            out.append(word)  # read with Vietnamese data, or restored: already right
            continue
        key = base_key(word) + (":" if word.endswith(":") else "")
        repl = PARAGRAPH_WORDS.get(key)
        if repl is None or (word[:1].isupper() and repl[:1].islower()):
            out.append(word)
        else:
            out.append(repl if word[:1].isupper() or repl[:1].islower() else repl.lower())
    return " ".join(out)


class ProseLine(NamedTuple):
    text: str
    source: Source
    after_break: bool  # after a blank line, a page break or a table


# A line that opens an item of its own: a bullet, a numbered, lettered or Roman-numbered heading
# (with the l, 1 and | OCR prints for I).
_NEW_ITEM = re.compile(
    r"^(?:[-–•+*®¢]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]\s|[IVXl1|]{1,5}[.)]\s|[a-zđ]\)\s)"
)
_ROMAN_START = re.compile(r"^([IVXl1|]{1,5})([.)]\s+)(?=\S)")


def paragraphs(lines: Sequence[ProseLine]) -> list[tuple[str, Source]]:
    """Running text as paragraphs: OCR prints the page's lines, so a line that continues one
    that filled the text's width (and opens no item of its own) belongs to the same paragraph.
    Roman-numbered headings that OCR misread ("Il." for "III.") get the number that follows the
    heading before."""
    if not lines:
        return []
    lengths = sorted(len(line.text) for line in lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    out: list[tuple[str, Source]] = []
    last_roman = 0
    previous = ""
    for text, source, after_break in lines:
        roman = _ROMAN_START.match(text)
        if roman:
            numeral = roman.group(1)
            if numeral in ROMAN_NUMERALS:
                last_roman = ROMAN_NUMERALS.index(numeral) + 1
            elif (
                set(numeral) <= set("Il1|") and "l" in numeral and last_roman < len(ROMAN_NUMERALS)
            ):
                # "Il.", "l.": an I read as l; digits alone are numbers ("1. Công an tỉnh").
                last_roman += 1
                text = ROMAN_NUMERALS[last_roman - 1] + text[len(numeral) :]
        joins = (
            out
            and not after_break
            and not _NEW_ITEM.match(text)
            and len(previous) >= FULL_LINE * width
        )
        if joins:
            out[-1] = (f"{out[-1][0]} {text}", out[-1][1])
        else:
            out.append((text, source))
        previous = text
    return out
