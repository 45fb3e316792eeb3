"""Scoring an ExtractedPlan against a hand-checked gold file, field by field (tests, benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dean06.ingest.model import ExtractedPlan, ExtractedTask, UnitRef
from dean06.ingest.text import fold

FIELDS = ("found", "lead", "coordinating", "due_date", "recurring")


@dataclass
class Score:
    """Per-field accuracy over the gold tasks (a task not found counts as wrong in every field)."""

    tasks: int = 0
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.tasks if self.tasks else 1.0

    @property
    def fields(self) -> float:
        """Share of right (lead, coordinating, due date, recurring) values, all gold tasks."""
        names = FIELDS[1:]
        total = self.tasks * len(names)
        return sum(self.correct[n] for n in names) / total if total else 1.0

    @property
    def overall(self) -> float:
        total = self.tasks * len(FIELDS)
        return sum(self.correct.values()) / total if total else 1.0

    def as_row(self) -> dict[str, float]:
        row = {name: self.accuracy(name) for name in FIELDS}
        row["fields"] = self.fields
        row["overall"] = self.overall
        return row


def unit_key(ref: UnitRef) -> str:
    """How a gold file names a unit: registry key, collective key, or the folded raw name."""
    return ref.unit_key or ref.collective or fold(ref.name or ref.raw)


def _gold_keys(values: Iterable[str]) -> set[str]:
    # Keys are upper-case identifiers; anything else is a raw name, compared folded.
    return {v if v.replace("_", "").isupper() and " " not in v else fold(v) for v in values}


def _norm_code(code: str) -> str:
    return ".".join(p for p in code.strip().rstrip(".").split(".") if p)


def score(plan: ExtractedPlan, gold: Mapping[str, Any]) -> Score:
    """Compare the tasks of `plan` with `gold["tasks"]`, matched by code."""
    by_code: dict[str, ExtractedTask] = {}
    for extracted in plan.tasks:
        by_code.setdefault(_norm_code(extracted.code), extracted)
    result = Score()
    gold_codes: set[str] = set()
    for expected in gold.get("tasks", []):
        code = _norm_code(str(expected["code"]))
        gold_codes.add(code)
        result.tasks += 1
        task = by_code.get(code)
        if task is None:
            result.missing.append(code)
            continue
        result.correct["found"] += 1
        checks = {
            "lead": {unit_key(u) for u in task.lead_units} == _gold_keys(expected.get("lead", [])),
            "coordinating": {unit_key(u) for u in task.coordinating_units}
            == _gold_keys(expected.get("coordinating", [])),
            "due_date": (task.deadline.due_date.isoformat() if task.deadline.due_date else None)
            == expected.get("due_date"),
            "recurring": task.deadline.recurring == bool(expected.get("recurring", False)),
        }
        for name, ok in checks.items():
            if ok:
                result.correct[name] += 1
            else:
                result.errors.append(f"{code}: {name}")
    result.extra = [c for c in by_code if c not in gold_codes]
    return result
