"""Scoring an ExtractedPlan against a hand-checked gold file, field by field (tests, benchmarks).

Gold tasks that carry a `content` (the first words of the task text) are matched to extracted
tasks by that content, one to one: a task counts as found only when its words are there, whatever
code the reader gave it, and every extracted task left unmatched is an extra that lowers precision.
Gold tasks without `content` (the older gold files) are matched by code, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from dean06.ingest.model import ExtractedPlan, ExtractedTask, UnitRef
from dean06.ingest.text import expand_abbreviations, fold

FIELDS = ("found", "lead", "coordinating", "due_date", "recurring")
# Checked on found tasks too, outside `overall` so that scores of code-matched gold stay comparable.
EXTRA_FIELDS = ("content", "code")
# Similarity (0-100, folded first words) from which a gold task counts as found: OCR that drops a
# letter here and there still matches, another task's text does not.
MATCH_THRESHOLD = 80.0
# Fewer words than this are never enough to tell two tasks apart.
MATCH_MIN_WORDS = 6
# From this similarity the content itself counts as right (one or two wrong letters at most).
CONTENT_THRESHOLD = 95.0
# The gold gives the first words of a task (about 12, more where rows differ only at the end, as
# in a schedule of one activity per unit); at most this many are compared.
CONTENT_WORDS = 40


@dataclass
class Score:
    """Per-field accuracy over the gold tasks (a task not found counts as wrong in every field)."""

    tasks: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS + EXTRA_FIELDS, 0))
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Tasks the reader returned (the denominator of precision).
    extracted: int = 0
    # Gold tasks that were matched by content (the others by code only).
    content_checked: int = 0
    # (gold code, extracted code, similarity) of every match, in gold order.
    matches: list[tuple[str, str, float]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        """Share of all gold tasks right in `name` (not found = wrong)."""
        total = self.content_checked if name == "content" else self.tasks
        return self.correct[name] / total if total else 1.0

    def accuracy_found(self, name: str) -> float:
        """Share of the found tasks right in `name`: how good a task is once it is found."""
        found = self.correct["found"]
        if name == "content":
            found = sum(1 for _, _, sim in self.matches if sim >= 0)
        return self.correct[name] / found if found else 1.0

    @property
    def found(self) -> int:
        return self.correct["found"]

    @property
    def recall(self) -> float:
        return self.accuracy("found")

    @property
    def precision(self) -> float:
        """Share of the extracted tasks that are gold tasks (extras and duplicates count)."""
        return self.correct["found"] / self.extracted if self.extracted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fields(self) -> float:
        """Share of right (lead, coordinating, due date, recurring) values, all gold tasks."""
        names = FIELDS[1:]
        total = self.tasks * len(names)
        return sum(self.correct[n] for n in names) / total if total else 1.0

    @property
    def overall(self) -> float:
        total = self.tasks * len(FIELDS)
        return sum(self.correct[n] for n in FIELDS) / total if total else 1.0

    def as_row(self) -> dict[str, float]:
        row = {name: self.accuracy(name) for name in FIELDS}
        row["fields"] = self.fields
        row["overall"] = self.overall
        row["precision"] = self.precision
        row["recall"] = self.recall
        row["content"] = self.accuracy("content")
        return row


def _raw_name(name: str) -> str:
    # "UBND xã Hòa Ninh" and "Ủy ban nhân dân xã Hòa Ninh" are the same name.
    return fold(expand_abbreviations(name))


def unit_key(ref: UnitRef) -> str:
    """How a gold file names a unit: registry key, collective key, or the folded raw name."""
    return ref.unit_key or ref.collective or _raw_name(ref.name or ref.raw)


def _gold_keys(values: Iterable[str]) -> set[str]:
    # Keys are upper-case identifiers; anything else is a raw name, compared folded.
    return {v if v.replace("_", "").isupper() and " " not in v else _raw_name(v) for v in values}


def _norm_code(code: str) -> str:
    return ".".join(p for p in code.strip().rstrip(".").split(".") if p)


def content_similarity(gold_content: str, extracted_content: str, *, words: int = 0) -> float:
    """0-100: the gold's first words (`words` of them when given) against as many first words of
    the extracted text.

    Both sides are folded (no accents, no punctuation), so OCR that loses diacritics still
    matches; a leading bullet or number the reader left in its text is tried without it.
    """
    gold_words = fold(gold_content).split()[: words or CONTENT_WORDS]
    found = fold(extracted_content).split()
    if not gold_words or not found:
        return 0.0
    n = len(gold_words)
    target = " ".join(gold_words)
    best = fuzz.ratio(target, " ".join(found[:n]))
    if len(found) > n and (found[0].isdigit() or len(found[0]) == 1):
        best = max(best, fuzz.ratio(target, " ".join(found[1 : n + 1])))
    return float(best)


def _match_similarity(gold_content: str, extracted_content: str) -> float:
    # A reader that kept only the first line of a wrapped cell still found the task (its content
    # is then wrong): compare as many gold words as the extracted text has, at least a few.
    n = max(len(fold(extracted_content).split()), MATCH_MIN_WORDS)
    return content_similarity(gold_content, extracted_content, words=min(n, CONTENT_WORDS))


def _match(
    gold_tasks: Sequence[Mapping[str, Any]], extracted: Sequence[ExtractedTask]
) -> dict[int, tuple[int, float]]:
    """Gold index → (extracted index, similarity), one to one.

    Content-bearing gold tasks are paired greedily, best similarity first (ties: the fuller text,
    the same code, the nearest position); the rest by code among the extracted tasks still free.
    """
    candidates: list[tuple[float, float, int, int, int, int]] = []
    for gi, expected in enumerate(gold_tasks):
        content = str(expected.get("content") or "")
        if not content:
            continue
        code = _norm_code(str(expected.get("code", "")))
        for ei, task in enumerate(extracted):
            sim = _match_similarity(content, task.content)
            if sim >= MATCH_THRESHOLD:
                same_code = int(_norm_code(task.code) == code)
                full = content_similarity(content, task.content)
                candidates.append((sim, full, same_code, -abs(gi - ei), gi, ei))
    candidates.sort(reverse=True)
    pairs: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for sim, _full, _same, _dist, gi, ei in candidates:
        if gi in pairs or ei in used:
            continue
        pairs[gi] = (ei, sim)
        used.add(ei)
    by_code: dict[str, int] = {}
    for ei, task in enumerate(extracted):
        by_code.setdefault(_norm_code(task.code), ei)
    for gi, expected in enumerate(gold_tasks):
        if expected.get("content"):
            continue
        ei_code = by_code.get(_norm_code(str(expected.get("code", ""))))
        if ei_code is not None and ei_code not in used:
            pairs[gi] = (ei_code, -1.0)
            used.add(ei_code)
    return pairs


def score(plan: ExtractedPlan, gold: Mapping[str, Any]) -> Score:
    """Compare the tasks of `plan` with `gold["tasks"]`: matched by content when the gold gives
    it, else by code; unmatched extracted tasks are extras."""
    gold_tasks = list(gold.get("tasks", []))
    pairs = _match(gold_tasks, plan.tasks)
    result = Score(extracted=len(plan.tasks))
    for gi, expected in enumerate(gold_tasks):
        code = _norm_code(str(expected["code"]))
        result.tasks += 1
        if expected.get("content"):
            result.content_checked += 1
        if gi not in pairs:
            result.missing.append(code)
            continue
        ei, sim = pairs[gi]
        task = plan.tasks[ei]
        if expected.get("content"):
            sim = content_similarity(str(expected["content"]), task.content)
        result.matches.append((code, task.code, sim))
        result.correct["found"] += 1
        checks = {
            "lead": {unit_key(u) for u in task.lead_units} == _gold_keys(expected.get("lead", [])),
            "coordinating": {unit_key(u) for u in task.coordinating_units}
            == _gold_keys(expected.get("coordinating", [])),
            "due_date": (task.deadline.due_date.isoformat() if task.deadline.due_date else None)
            == expected.get("due_date"),
            "recurring": task.deadline.recurring == bool(expected.get("recurring", False)),
            "code": _norm_code(task.code) == code,
        }
        if expected.get("content"):
            checks["content"] = sim >= CONTENT_THRESHOLD
        for name, ok in checks.items():
            if ok:
                result.correct[name] += 1
            elif name != "code":
                result.errors.append(f"{code}: {name}")
    matched = {ei for ei, _ in pairs.values()}
    result.extra = [t.code for ei, t in enumerate(plan.tasks) if ei not in matched]
    return result


def total(scores: Iterable[Score]) -> Score:
    """The scores of several documents summed (micro-averaged: every gold task weighs the same)."""
    result = Score()
    for s in scores:
        result.tasks += s.tasks
        result.extracted += s.extracted
        result.content_checked += s.content_checked
        for name, value in s.correct.items():
            result.correct[name] = result.correct.get(name, 0) + value
        result.missing += s.missing
        result.extra += s.extra
        result.errors += s.errors
        result.matches += s.matches
    return result
