"""Who reports which figure, and the one total of a service in a period (pure).

A row of figures is one unit's, at one level. The row of the province's People's Committee at
level "all" is the province's total; every other unit's rows are parts — that unit's own share
(a department's, a district's). A unit's share is its "all" row when it has one, otherwise its
rows by level added up: never both, which would count the unit twice.

The one total of a service in a period is the province's total when it exists, otherwise the sum
of the parts; the two are never added together. The parts are complete when every unit expected
to report (`kpis.models.ServiceReporter`) has entered figures; only complete parts below the total
disagree with it (`quality.builtin.parts_disagreement`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dean06.kpis.shares import online_count, online_share
from dean06.quality.builtin import parts_disagreement

# The columns a total is made of and compared on: those of the share received online.
TOTAL_FIELDS: tuple[str, ...] = ("online_citizens", "online_businesses", "total_received")
# The level of a unit's whole share (and of the province's total).
ALL_LEVELS = "all"

Values = dict[str, int | None]


class Basis(StrEnum):
    """What the one total shown for a service is."""

    PROVINCE = "province"
    PARTS = "parts"
    UNIT = "unit"
    NONE = "none"


BASIS_LABELS: dict[Basis, str] = {
    Basis.PROVINCE: "Tổng của tỉnh",
    Basis.PARTS: "Cộng các đơn vị",
    Basis.UNIT: "Số liệu của đơn vị",
    Basis.NONE: "Chưa có số liệu",
}


@dataclass(frozen=True)
class StatRow:
    """One stored row of figures: whose, at which level, and its counts."""

    unit_id: int
    level: str
    values: Mapping[str, int | None]


@dataclass(frozen=True)
class Reporter:
    """A unit expected to report its part of a service, at a level."""

    unit_id: int
    level: str
    name: str = ""


def add_up(rows: Iterable[Mapping[str, int | None]]) -> Values | None:
    """Column by column; a column nobody filled stays empty. None when no row fills any column
    (a row holding only staff counts is no figure of the applications)."""
    out: Values = dict.fromkeys(TOTAL_FIELDS)
    for row in rows:
        for name in TOTAL_FIELDS:
            value = row.get(name)
            if value is not None:
                out[name] = (out[name] or 0) + value
    return out if any(v is not None for v in out.values()) else None


def unit_share(rows: Sequence[StatRow]) -> Values | None:
    """One unit's figures: its "all" row, else its rows by level added up."""
    whole = [r for r in rows if r.level == ALL_LEVELS]
    return add_up([r.values for r in (whole[:1] or rows)])


def reporter_entered(reporter: Reporter, levels: Iterable[str]) -> bool:
    """A unit has reported when it has a row at its level, or its whole share ("all")."""
    return any(level in (reporter.level, ALL_LEVELS) for level in levels)


@dataclass(frozen=True)
class ServiceTotal:
    """The one total of a service in a period, and what it was made of."""

    basis: Basis
    values: Values | None = None
    province: Values | None = None
    parts: Values | None = None
    part_units: tuple[int, ...] = ()
    expected: tuple[Reporter, ...] = ()
    missing: tuple[Reporter, ...] = ()

    @property
    def label(self) -> str:
        if self.basis is Basis.PARTS:
            return f"{BASIS_LABELS[self.basis]} ({len(self.part_units)})"
        return BASIS_LABELS[self.basis]

    @property
    def units(self) -> int:
        """How many units' figures make the total shown."""
        if self.basis is Basis.PARTS:
            return len(self.part_units)
        return 0 if self.basis is Basis.NONE else 1

    @property
    def online(self) -> int | None:
        return _online(self.values)

    @property
    def total_received(self) -> int | None:
        return None if self.values is None else self.values.get("total_received")

    @property
    def share(self) -> Decimal | None:
        return _share(self.values)

    @property
    def parts_online(self) -> int | None:
        return _online(self.parts)

    @property
    def parts_total(self) -> int | None:
        return None if self.parts is None else self.parts.get("total_received")

    @property
    def has_both(self) -> bool:
        """The province's total and some units' parts are both entered."""
        return self.province is not None and self.parts is not None

    @property
    def complete(self) -> bool:
        """Every unit expected to report has; with no unit expected, parts are never complete
        (nobody said whose parts make the whole)."""
        return bool(self.expected) and not self.missing

    @property
    def missing_names(self) -> list[str]:
        return list(dict.fromkeys(r.name for r in self.missing))

    @property
    def disagreements(self) -> list[tuple[str, float, float]]:
        """The columns where the parts do not add up to the province's total."""
        if self.province is None or self.parts is None:
            return []
        return parts_disagreement(
            self.province, self.parts, complete=self.complete, fields=TOTAL_FIELDS
        )

    @property
    def agreement(self) -> str:
        """How the parts stand against the province's total: "match", "mismatch",
        "incomplete" (below it, with units still to report or none expected), or "" when there
        is nothing to compare."""
        if not self.has_both:
            return ""
        if self.disagreements:
            return "mismatch"
        return "match" if self.complete else "incomplete"


NO_FIGURES = ServiceTotal(basis=Basis.NONE)


def _online(values: Mapping[str, int | None] | None) -> int | None:
    if values is None:
        return None
    online = online_count(values.get("online_citizens"), values.get("online_businesses"))
    return None if online is None else int(online)


def _share(values: Mapping[str, int | None] | None) -> Decimal | None:
    if values is None:
        return None
    return online_share(
        values.get("online_citizens"), values.get("online_businesses"), values.get("total_received")
    )


def one_total(
    rows: Iterable[StatRow], *, province_id: int | None, reporters: Sequence[Reporter] = ()
) -> ServiceTotal:
    """The one total of a service in a period over every unit: the province's total when it
    exists, otherwise the sum of the parts (each unit's share once)."""
    by_unit: dict[int, list[StatRow]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit_id].append(row)
    province_rows = by_unit.pop(province_id, []) if province_id is not None else []
    province = add_up([r.values for r in province_rows if r.level == ALL_LEVELS][:1])
    shares = {
        unit: share
        for unit, unit_rows in sorted(by_unit.items())
        if (share := unit_share(unit_rows)) is not None
    }
    parts = add_up(shares.values())
    expected = tuple(r for r in reporters if r.unit_id != province_id)
    missing = tuple(
        r
        for r in expected
        if not reporter_entered(r, [row.level for row in by_unit.get(r.unit_id, [])])
    )
    basis = (
        Basis.PROVINCE if province is not None else Basis.PARTS if parts is not None else Basis.NONE
    )
    return ServiceTotal(
        basis=basis,
        values=province if province is not None else parts,
        province=province,
        parts=parts,
        part_units=tuple(shares),
        expected=expected,
        missing=missing,
    )


def single_unit_total(rows: Sequence[StatRow], *, is_province: bool) -> ServiceTotal:
    """One unit's figures of a service in a period (a unit's officer, or one unit chosen): its
    share; the province's total when the unit is the province and has its "all" row."""
    share = unit_share(rows)
    if share is None:
        return NO_FIGURES
    whole = any(r.level == ALL_LEVELS for r in rows)
    basis = Basis.PROVINCE if is_province and whole else Basis.UNIT
    return ServiceTotal(basis=basis, values=share, part_units=(rows[0].unit_id,))


__all__ = [
    "ALL_LEVELS",
    "BASIS_LABELS",
    "NO_FIGURES",
    "TOTAL_FIELDS",
    "Basis",
    "Reporter",
    "ServiceTotal",
    "StatRow",
    "add_up",
    "one_total",
    "reporter_entered",
    "single_unit_total",
    "unit_share",
]
