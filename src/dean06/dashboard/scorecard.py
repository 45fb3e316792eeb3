"""The units' scorecard of the leaders' dashboard: each unit ranked "x/N" from its counts (pure).

A unit is judged on what it owes in the scope shown: its progress reports of the period (how
many were sent on time) and the tasks it leads (how many are overdue, how many done). The order
is lexicographic, so that a leader can say why one unit stands above another:

1. the larger share of its reports due so far sent on time (a report not yet due is not held
   against it; nothing due counts as all on time);
2. the smaller share of its tasks overdue;
3. the larger share of its tasks done.

Units equal on all three share a rank (1, 2, 2, 4: "đồng hạng"). A unit with neither a task nor
a report owed is not ranked (N counts only the units judged).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

# How many units at each end of the ranking are named for commendation or for a push.
HIGHLIGHT = 3


class Mark(StrEnum):
    COMMEND = "commend"
    PUSH = "push"
    NONE = ""

    @property
    def label(self) -> str:
        return MARK_LABELS[self]


MARK_LABELS: dict[Mark, str] = {
    Mark.COMMEND: "Biểu dương",
    Mark.PUSH: "Cần đôn đốc",
    Mark.NONE: "",
}


@dataclass(frozen=True)
class UnitCounts:
    """What one unit owes and did in the scope shown."""

    unit_id: int
    name: str
    tasks: int = 0  # tasks it leads
    done: int = 0
    overdue: int = 0
    reports_expected: int = 0  # progress reports owed for the period
    reports_on_time: int = 0
    reports_late: int = 0
    reports_missing: int = 0
    reports_pending: int = 0  # not sent, not yet due

    @property
    def reports_due(self) -> int:
        return self.reports_expected - self.reports_pending

    @property
    def judged(self) -> bool:
        return self.tasks > 0 or self.reports_expected > 0

    @property
    def overdue_share(self) -> Fraction:
        return Fraction(self.overdue, self.tasks) if self.tasks else Fraction(0)

    @property
    def on_time_share(self) -> Fraction:
        if self.reports_due <= 0:
            return Fraction(1)
        return Fraction(self.reports_on_time, self.reports_due)

    @property
    def done_share(self) -> Fraction:
        return Fraction(self.done, self.tasks) if self.tasks else Fraction(0)

    @property
    def on_time_percent(self) -> float | None:
        """Reports sent on time among those due so far, as a percentage (None: none due)."""
        if self.reports_due <= 0:
            return None
        return 100 * self.reports_on_time / self.reports_due

    @property
    def spotless(self) -> bool:
        """Nothing overdue and every report due sent on time."""
        return self.overdue == 0 and self.reports_on_time >= self.reports_due

    def key(self) -> tuple[Fraction, Fraction, Fraction]:
        """The ranking key: smaller is better."""
        return (-self.on_time_share, self.overdue_share, -self.done_share)


@dataclass(frozen=True)
class Ranked:
    counts: UnitCounts
    rank: int
    of: int
    tied: bool = False
    mark: Mark = Mark.NONE

    @property
    def label(self) -> str:
        """ "3/42"."""
        return f"{self.rank}/{self.of}"

    @property
    def unit_id(self) -> int:
        return self.counts.unit_id


def rank_units(counts: Iterable[UnitCounts], *, highlight: int = HIGHLIGHT) -> list[Ranked]:
    """The judged units, best first, each with its rank "x/N" (ties share the rank and are
    listed by name) and a mark: the first `highlight` ranks commended when spotless, the last
    `highlight` ranks pushed when something is overdue or a report was not sent on time."""
    judged = sorted((c for c in counts if c.judged), key=lambda c: (c.key(), c.name, c.unit_id))
    total = len(judged)
    ranks: list[int] = []
    for index, unit in enumerate(judged):
        if index and unit.key() == judged[index - 1].key():
            ranks.append(ranks[-1])
        else:
            ranks.append(index + 1)
    sizes = Counter(ranks)
    out = []
    for unit, rank in zip(judged, ranks, strict=True):
        out.append(
            Ranked(
                counts=unit,
                rank=rank,
                of=total,
                tied=sizes[rank] > 1,
                mark=_mark(unit, rank, total, highlight),
            )
        )
    return out


def _mark(unit: UnitCounts, rank: int, total: int, highlight: int) -> Mark:
    if highlight <= 0 or total <= 1:
        return Mark.NONE
    if rank <= highlight and unit.spotless:
        return Mark.COMMEND
    if rank > total - highlight and not unit.spotless:
        return Mark.PUSH
    return Mark.NONE
