"""Figures written in a report's prose, for reports without appendix tables ("đã có 86,98% hồ sơ
trực tuyến toàn trình", "tiếp nhận 104.462 hồ sơ trực tuyến/108.117 tổng hồ sơ").

General patterns only: a percentage, a part over a whole ("13/19 nhiệm vụ"), or a number followed by
a counting noun of administrative reports. Each figure keeps its sentence as the source: it is a
candidate for a person to confirm, never a service's figure by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from dean06.ingest.model import Source
from dean06.ingest.text import nfc, unaccent

FigureKind = Literal["percent", "ratio", "count"]

# Counting nouns of administrative reports (what is counted), folded: the word after a number
# tells it is a count and of what. Longest first, so that "ho so truc tuyen" is not cut.
_COUNT_NOUNS = sorted(
    (
        "ho so",
        "luot",
        "tai khoan",
        "nguoi",
        "cong dan",
        "can bo",
        "dang vien",
        "hoc sinh",
        "tre em",
        "hoi vien",
        "doi tuong",
        "truong hop",
        "co so",
        "co quan",
        "to chuc",
        "doanh nghiep",
        "hop tac xa",
        "don vi",
        "xa",
        "phuong",
        "thon",
        "van ban",
        "ke hoach",
        "quyet dinh",
        "cong van",
        "nhiem vu",
        "mo hinh",
        "dich vu cong",
        "thu tuc",
        "tthc",
        "cuoc hop",
        "cuoc",
        "buoi",
        "lop",
        "hoi nghi",
        "tin",
        "bai",
        "bai viet",
        "du lieu",
        "ban ghi",
        "the",
        "giay",
        "to khai",
        "phuong tien",
        "tau ca",
        "tram",
        "thiet bi",
        "diem",
        "giao dich",
    ),
    key=len,
    reverse=True,
)
_NUMBER = r"\d{1,3}(?:\.\d{3})+|\d+"
_PERCENT = re.compile(rf"(?<![\d/.,])({_NUMBER})(?:,(\d+))?\s?%")
_RATIO = re.compile(rf"(?<![\d/.,])({_NUMBER})\s?/\s?({_NUMBER})(?![\d/.,]\d|\s?%|/)")
_COUNT = re.compile(rf"(?<![\d/.,%])({_NUMBER})(?![\d/.,%]\d|\s?%|\s?/)\s+(?=\w)")
# Words after which a number is a date, a document's number or a name ("Đề án 06", "Chỉ thị 07"),
# kept with their diacritics: "tử" of "điện tử" is not "từ".
_DATE_WORDS = (
    "ngày",
    "tháng",
    "năm",
    "quý",
    "số",
    "đến",
    "từ",
    "lúc",
    "điều",
    "khoản",
    "án",
    "thị",
    "hoạch",
    "tư",
    "lệnh",
)
# What a figure is about, from the words of its clause (Đề án 06's usual indicators, GLOSSARY.md):
# (topic, kinds, words that must all be in the folded clause or unit).
_TOPICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("dvc_fully_online_share", ("percent",), ("toan trinh",)),
    ("dvc_online_share", ("percent",), ("truc tuyen",)),
    ("eid_accounts", ("count", "ratio"), ("tai khoan", "dinh danh")),
    ("id_cards", ("count", "ratio"), ("can cuoc",)),
    ("dvc_records", ("count", "ratio"), ("ho so",)),
)
_CLAUSE_END = re.compile(r"[;:()\[\]]|,\s(?=\D)|\.\s")
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ(\-–])")


@dataclass
class ReportFigure:
    """A figure read from a sentence: `value` (and `whole` for "a/b"), the counting noun or "%",
    the clause it stands in as its label, the whole sentence and where it was."""

    kind: FigureKind
    value: int | float
    unit: str
    label: str
    sentence: str
    whole: int | float | None = None
    # The indicator it is likely about ("dvc_online_share", "dvc_records"...), None when unsure.
    topic: str | None = None
    source: Source = field(default_factory=Source)


def find_figures(lines: Iterable[tuple[str, Source]]) -> list[ReportFigure]:
    """The figures of each line of prose, in reading order."""
    out: list[ReportFigure] = []
    for text, source in lines:
        for sentence in _SENTENCE.split(" ".join(nfc(text).split())):
            out.extend(_sentence_figures(sentence, source))
    return out


def _value(integer: str, decimals: str | None = None) -> int | float | None:
    from dean06.ingest.report import parse_vn_number

    value = parse_vn_number(f"{integer},{decimals}" if decimals else integer)
    return value


def _sentence_figures(sentence: str, source: Source) -> list[ReportFigure]:
    found: list[tuple[int, ReportFigure]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for m in _PERCENT.finditer(sentence):
        value = _value(m.group(1), m.group(2))
        if value is None or value > 1000:
            continue
        taken.append(m.span())
        label = _clause(sentence, m.start(), m.end())
        found.append((m.start(), ReportFigure("percent", value, "%", label, sentence)))
    for m in _RATIO.finditer(sentence):
        if not free(*m.span()) or _after_date_word(sentence, m.start()):
            continue
        part, whole = _value(m.group(1)), _value(m.group(2))
        noun = _noun_after(sentence, m.end())
        if part is None or whole is None or not whole or part > whole or noun is None:
            continue
        taken.append((m.start(), m.end() + len(noun)))
        label = _clause(sentence, m.start(), m.end())
        found.append((m.start(), ReportFigure("ratio", part, noun, label, sentence, whole=whole)))
    for m in _COUNT.finditer(sentence):
        if not free(*m.span()) or _after_date_word(sentence, m.start()):
            continue
        noun = _noun_after(sentence, m.end())
        value = _value(m.group(1))
        if noun is None or value is None:
            continue
        label = _clause(sentence, m.start(), m.end())
        found.append((m.start(), ReportFigure("count", value, noun, label, sentence)))
    found.sort(key=lambda item: item[0])
    for _, figure in found:
        figure.source = source
        figure.topic = _topic(figure)
    return [figure for _, figure in found]


def _topic(figure: ReportFigure) -> str | None:
    words = " ".join(unaccent(f"{figure.label} {figure.unit}").lower().split())
    return next(
        (
            topic
            for topic, kinds, needed in _TOPICS
            if figure.kind in kinds and all(w in words for w in needed)
        ),
        None,
    )


def _noun_after(sentence: str, end: int) -> str | None:
    """The counting noun right after a number, as printed ("hồ sơ"), or None."""
    rest = sentence[end:].lstrip()
    folded = unaccent(rest[:40]).lower()
    for noun in _COUNT_NOUNS:
        if folded.startswith(noun) and (
            len(folded) == len(noun) or not folded[len(noun)].isalnum()
        ):
            return rest[: len(noun)]
    return None


def _after_date_word(sentence: str, start: int) -> bool:
    """A number after "ngày", "tháng", "năm", "số"... is a date or a document number."""
    before = nfc(sentence[max(0, start - 12) : start]).lower().split()
    return bool(before) and before[-1].strip(",.") in _DATE_WORDS


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause around a figure: from the previous clause mark to the next one."""
    left = 0
    for m in _CLAUSE_END.finditer(sentence, 0, start):
        left = m.end()
    right_mark = _CLAUSE_END.search(sentence, end)
    right = right_mark.start() if right_mark else len(sentence)
    return sentence[left:right].strip(" ,.-–")
