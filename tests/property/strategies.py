"""Inputs the property tests share: Vietnamese text as plans and reports write it, the same text
with its diacritics lost (OCR without Vietnamese data, typing without a Vietnamese keyboard),
decomposed (NFD, old tone placement), with control characters and very long lines."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from importlib import resources

from hypothesis import strategies as st

from dean06.ingest.model import UnitRegistry

REGISTRY = UnitRegistry.default()


def _seed_words() -> list[str]:
    folder = resources.files("dean06") / "data" / "seeds"
    words: set[str] = set()
    for entry in folder.iterdir():
        if entry.name.endswith(".txt"):
            text = re.sub(r"<[^>]+>", " ", entry.read_text(encoding="utf-8"))
            words.update(w for w in re.findall(r"[^\W_]+", text) if len(w) <= 20)
    return sorted(words)


SEED_WORDS = _seed_words()
# Characters that documents and forms bring in by accident or by malice.
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\u00a0\u200b\u200e\u2028\u2029\ufeff\ufffd"
PUNCTUATION = " \t\n\r.,;:-–—/()[]{}|<>&%#*_\"'“”…"
VI_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
ALPHABET = VI_LETTERS + VI_LETTERS.upper() + "0123456789" + PUNCTUATION + CONTROL
# Combining tone marks, for text typed in decomposed form.
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"


def lose_diacritics(text: str) -> str:
    """The text as OCR without Vietnamese data or a keyboard without them gives it: marks
    dropped, đ read as d, case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def decompose(text: str) -> str:
    return unicodedata.normalize("NFD", text)


words = st.sampled_from(SEED_WORDS)
sentences = st.lists(words, min_size=1, max_size=25).map(" ".join)


@st.composite
def noisy(draw: st.DrawFn, base: st.SearchStrategy[str] = sentences) -> str:
    """A sentence with control characters, stray punctuation or combining marks put inside."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from([*CONTROL, *PUNCTUATION, *TONE_MARKS, "\r\n", "\\", "**"]))
        text = text[:at] + piece + text[at:]
    return text


def long_line(base: st.SearchStrategy[str] = sentences) -> st.SearchStrategy[str]:
    """A sentence repeated into one very long line (a few KB to some 100 KB)."""
    return st.tuples(base, st.integers(50, 500)).map(lambda t: (t[0] + " ") * t[1])


# Vietnamese text in every shape the parsers meet.
vietnamese = st.one_of(
    sentences,
    sentences.map(lose_diacritics),
    sentences.map(decompose),
    sentences.map(str.upper),
    noisy(),
    st.text(alphabet=ALPHABET, max_size=120),
)
# Anything at all: Vietnamese text, any unicode text, now and then one very long line.
any_text = st.one_of(vietnamese, vietnamese, st.text(max_size=200), long_line())

# Registry units and collectives by every name a document gives them.
UNIT_NAMES: list[tuple[str, str]] = sorted(
    {(u.key, name) for u in REGISTRY.units for name in (u.name, *u.aliases)}
)
unit_names = st.sampled_from(UNIT_NAMES)

# Dates plans and reports speak of.
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


ROMAN = ("I", "II", "III", "IV")


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@st.composite
def deadline_phrases(draw: st.DrawFn) -> tuple[str, str, dt.date]:
    """A deadline phrase of the glossary, with the kind and the due date it means."""
    year = draw(st.integers(2000, 2099))
    shape = draw(st.sampled_from(["month", "quarter", "half", "year", "date", "before"]))
    if shape == "month":
        month = draw(st.integers(1, 12))
        text = draw(st.sampled_from(["Tháng {m:02d}/{y}", "Hoàn thành trong tháng {m}/{y}"]))
        return text.format(m=month, y=year), "month", _last_day(year, month)
    if shape == "quarter":
        quarter = draw(st.integers(1, 4))
        text = draw(st.sampled_from(["Quý {q} năm {y}", "quý {q}/{y}", "Trong Quý {q}/{y}"]))
        due = _last_day(year, 3 * quarter)
        return text.format(q=ROMAN[quarter - 1], y=year), "quarter", due
    if shape == "half":
        first = draw(st.booleans())
        text = f"6 tháng {'đầu' if first else 'cuối'} năm {year}"
        return text, "half_year", dt.date(year, 6, 30) if first else dt.date(year, 12, 31)
    if shape == "year":
        text = draw(st.sampled_from(["Năm {y}", "Trong năm {y}", "Hoàn thành trong năm {y}"]))
        return text.format(y=year), "year", dt.date(year, 12, 31)
    day = draw(st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)))
    written = f"{day.day:02d}/{day.month:02d}/{day.year}"
    text = f"trước ngày {written}" if shape == "before" else f"xong trước {written}"
    return text, "date", day
