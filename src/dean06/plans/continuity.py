"""Which task of last year's plan each task of this year's plan continues (pure: no database).

A new year's plan rewords the tasks it carries over ("Nâng cấp Nền tảng LGSP" becomes "Bảo đảm hạ
tầng kỹ thuật ... vận hành LGSP"), moves their dates and often makes them recurring, so neither the
code, the wording nor the deadline identifies a task. What does: the rarer words the two texts share
(a system's name, a decree's number, "lưu trú", "đất đai") and the unit that leads it.

- Text: TF-IDF cosine of the diacritic-folded words (`ingest.text.fold`, abbreviations expanded, OCR
  repairs applied), the inverse document frequency taken over both plans, so that words every
  task of an Đề án 06 plan carries ("thực hiện", "dữ liệu", "Đề án 06") count for little. Words
  are compared with rapidfuzz: a word garbled by OCR ("tich hgp" for "tích hợp") still counts,
  in proportion to its similarity.
- Lead units: a strong signal, as a factor on the text score: the same lead keeps it, a lead that
  is only part of the other's collective ("Sở Tư pháp" within "các sở, ban, ngành") or an unknown
  lead lowers it a little, a different lead lowers it a lot. It cannot make a match by itself.
- Deadlines are shown with a link but not scored: a carried-over task changes its date by nature.

Links are made one-to-one (each old task continued by at most one new task, each new task
continuing at most one) by a global greedy assignment on the score, best pairs first; nothing below
`THRESHOLD` is linked; a link whose best rival (another old task for the same new one, or another
new task for the same old one) scores within `NEAR_TIE` of it is flagged for review.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from dean06.ingest.text import expand_abbreviations, fix_ocr, fold

__all__ = [
    "NEAR_TIE",
    "THRESHOLD",
    "Link",
    "Matching",
    "TaskInput",
    "match_tasks",
    "unit_factor",
]

# Below this score no link is proposed. On the 2023 and 2024 plans of the seeds' province, a
# reworded task carried over scores 0.35-0.7 and the best pair of a task that was not carried over
# mostly stays under 0.25 (docs/benchmarks.md, "Continuity").
THRESHOLD = 0.3
# A rival within 15% of a link's score makes it a near tie, for a person to look at.
NEAR_TIE = 0.85

# Factors on the text score for how the lead units compare.
SAME_LEAD = 1.0
PART_OF_COLLECTIVE = 0.8  # one side's lead is a member of the other's collective lead
UNKNOWN_LEAD = 0.8  # one side has no lead unit read
OTHER_LEAD = 0.6

# Words compared by rapidfuzz's ratio at or above this similarity count as the same word, weighted
# by it; OCR garbles one or two letters of a word of five or more.
WORD_SIMILARITY = 80.0
MIN_FUZZY_LENGTH = 4


@dataclass(frozen=True)
class TaskInput:
    """One task as the matcher sees it. `leads` are the lead units or collectives as assigned
    (keys); `lead_units` the units they stand for (a collective's members, and the units named
    directly). `deadline` is carried through for display."""

    code: str
    content: str
    leads: frozenset[str] = frozenset()
    lead_units: frozenset[str] = frozenset()
    deadline: str = ""


@dataclass(frozen=True)
class Link:
    new: str
    old: str
    score: float
    text: float
    unit: float
    review: bool = False
    rival: str | None = None  # the code of the close rival (an old or a new task)
    rival_score: float | None = None


@dataclass
class Matching:
    links: list[Link] = field(default_factory=list)
    unmatched_new: list[str] = field(default_factory=list)
    unmatched_old: list[str] = field(default_factory=list)

    def link_for(self, new_code: str) -> Link | None:
        return next((link for link in self.links if link.new == new_code), None)


def _words(text: str) -> list[str]:
    folded = fold(expand_abbreviations(fix_ocr(text)))
    return [w for w in folded.split() if len(w) > 1 or w.isdigit()]


def unit_factor(old: TaskInput, new: TaskInput) -> float:
    """How the lead units of two tasks compare, as a factor on their text similarity."""
    if not old.leads or not new.leads:
        return UNKNOWN_LEAD
    if old.leads & new.leads:
        return SAME_LEAD
    if (old.lead_units | old.leads) & (new.lead_units | new.leads):
        return PART_OF_COLLECTIVE
    return OTHER_LEAD


class _Vectors:
    """TF-IDF vectors of both plans' tasks and, for each word of the old plan, the similar words
    of the new one."""

    def __init__(self, old: Sequence[TaskInput], new: Sequence[TaskInput]) -> None:
        old_words = [_words(t.content) for t in old]
        new_words = [_words(t.content) for t in new]
        documents = old_words + new_words
        df: Counter[str] = Counter()
        for words in documents:
            df.update(set(words))
        n = len(documents)
        # Smoothed: a word found in every task still weighs something (two-task plans in tests).
        self.idf = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}
        self.old = [self._vector(words) for words in old_words]
        self.new = [self._vector(words) for words in new_words]
        self.similar = self._similar_words(
            {w for words in old_words for w in words}, {w for words in new_words for w in words}
        )

    def _vector(self, words: Iterable[str]) -> dict[str, float]:
        counts = Counter(words)
        vector = {w: (1.0 + math.log(c)) * self.idf[w] for w, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in vector.values())) or 1.0
        return {w: x / norm for w, x in vector.items()}

    @staticmethod
    def _similar_words(old: set[str], new: set[str]) -> dict[str, list[tuple[str, float]]]:
        choices = sorted(w for w in new if len(w) >= MIN_FUZZY_LENGTH)
        out: dict[str, list[tuple[str, float]]] = {}
        for word in sorted(old):
            if len(word) < MIN_FUZZY_LENGTH or word in new:
                continue
            found = process.extract(
                word, choices, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY, limit=5
            )
            if found:
                out[word] = [(choice, score / 100.0) for choice, score, _ in found]
        return out

    def text(self, i: int, j: int) -> float:
        a, b = self.old[i], self.new[j]
        total = 0.0
        for word, weight in a.items():
            if word in b:
                total += weight * b[word]
                continue
            best = 0.0
            for other, similarity in self.similar.get(word, ()):
                if other in b:
                    best = max(best, b[other] * similarity)
            total += weight * best
        return min(total, 1.0)


def match_tasks(
    old: Sequence[TaskInput],
    new: Sequence[TaskInput],
    *,
    threshold: float = THRESHOLD,
    near_tie: float = NEAR_TIE,
) -> Matching:
    """Propose which old task each new task continues (see the module docstring)."""
    vectors = _Vectors(old, new)
    candidates: list[tuple[float, float, float, int, int]] = []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            text = vectors.text(i, j)
            factor = unit_factor(o, n)
            score = text * factor
            if score >= threshold * near_tie:
                candidates.append((score, text, factor, i, j))
    # Best pairs first; ties broken by document order so that a re-run gives the same links.
    candidates.sort(key=lambda c: (-c[0], c[3], c[4]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    chosen: list[tuple[float, float, float, int, int]] = []
    for candidate in candidates:
        score, _, _, i, j = candidate
        if score < threshold or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        chosen.append(candidate)
    links = []
    for score, text, factor, i, j in chosen:
        rival: tuple[float, str] | None = None
        for other_score, _, _, oi, oj in candidates:
            if (oi == i) == (oj == j):
                continue  # the link itself, or a pair sharing neither task
            if other_score >= score * near_tie and (rival is None or other_score > rival[0]):
                rival = (other_score, old[oi].code if oj == j else new[oj].code)
        links.append(
            Link(
                new=new[j].code,
                old=old[i].code,
                score=round(score, 3),
                text=round(text, 3),
                unit=factor,
                review=rival is not None,
                rival=rival[1] if rival else None,
                rival_score=round(rival[0], 3) if rival else None,
            )
        )
    order = {t.code: k for k, t in enumerate(new)}
    links.sort(key=lambda link: order[link.new])
    return Matching(
        links=links,
        unmatched_new=[t.code for j, t in enumerate(new) if j not in used_new],
        unmatched_old=[t.code for i, t in enumerate(old) if i not in used_old],
    )
