"""Which target applies to a service on a day, whether it is met, and how indicators are evaluated
(pure: the models are mapped onto these dataclasses by `kpis.selectors`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dean06.kpis.shares import ratio_share, round_share

# The most specific target wins: one service, then its group, then all services.
SPECIFICITY: dict[str, int] = {"service": 4, "linked": 3, "mps": 2, "other": 2, "all": 1}


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.MET: "Đạt",
    Status.NOT_MET: "Chưa đạt",
    Status.NO_DATA: "Chưa có số liệu",
    Status.NO_TARGET: "Chưa có chỉ tiêu",
}


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    is_public_security: bool = False
    is_linked_group: bool = False


@dataclass(frozen=True)
class TargetDef:
    """A target in force from `valid_from` to `valid_to` (inclusive; None: open-ended)."""

    scope: str
    value: Decimal
    valid_from: dt.date
    valid_to: dt.date | None = None
    direction: str = "higher"
    service_code: str | None = None
    indicator_code: str | None = None
    source: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, service: ServiceInfo) -> bool:
        if self.scope == "service":
            return self.service_code == service.code
        if self.scope == "all":
            return True
        if self.scope == "mps":
            return service.is_public_security
        if self.scope == "other":
            return not service.is_public_security
        if self.scope == "linked":
            return service.is_linked_group
        return False

    @property
    def label(self) -> str:
        sign = "≥" if self.direction == "higher" else "≤"
        value = f"{self.value.normalize():f}".replace(".", ",")
        return f"{sign} {value}%"


def target_for(
    service: ServiceInfo, targets: Iterable[TargetDef], day: dt.date
) -> TargetDef | None:
    """The target that applies to a service on a day: the most specific in force, and among
    equally specific ones the latest to take effect (a new target replaces the old one)."""
    candidates = [t for t in targets if t.in_force(day) and t.covers(service)]
    if not candidates:
        return None
    return max(candidates, key=lambda t: (SPECIFICITY.get(t.scope, 0), t.valid_from))


def meets(
    value: Decimal | float | None, target: Decimal | float, direction: str = "higher"
) -> bool:
    """Whether a value reaches a target in its direction (higher or lower is better)."""
    if value is None:
        return False
    left, right = Decimal(str(value)), Decimal(str(target))
    return left >= right if direction == "higher" else left <= right


def status_of(value: Decimal | float | None, target: TargetDef | None) -> Status:
    if target is None:
        return Status.NO_TARGET
    if value is None:
        return Status.NO_DATA
    return Status.MET if meets(value, target.value, target.direction) else Status.NOT_MET


@dataclass(frozen=True)
class ServiceResult:
    """One service in one period: its share, the target that applied and the verdict."""

    code: str
    share: Decimal | None
    target: TargetDef | None
    status: Status


def service_result(
    service: ServiceInfo, share: Decimal | None, targets: Iterable[TargetDef], day: dt.date
) -> ServiceResult:
    target = target_for(service, targets, day)
    return ServiceResult(
        code=service.code, share=share, target=target, status=status_of(share, target)
    )


# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorEntry:
    """What a unit entered for an indicator in one period."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    flag: bool | None = None

    @property
    def is_empty(self) -> bool:
        return (
            self.numerator is None
            and self.denominator is None
            and self.value is None
            and self.flag is None
        )


class IndicatorInputError(ValueError):
    """An indicator entry that cannot be accepted; Vietnamese message, keyed by field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def check_entry(kind: str, entry: IndicatorEntry) -> None:
    """Refuse what cannot be true: negative counts, a numerator above its denominator."""
    for name in ("numerator", "denominator", "value"):
        number = getattr(entry, name)
        if number is not None and number < 0:
            raise IndicatorInputError(name, "Giá trị không được âm.")
    if kind == "ratio":
        if (entry.numerator is None) != (entry.denominator is None):
            missing = "denominator" if entry.denominator is None else "numerator"
            raise IndicatorInputError(missing, "Cần nhập cả tử số và mẫu số.")
        if (
            entry.numerator is not None
            and entry.denominator is not None
            and entry.numerator > entry.denominator
        ):
            raise IndicatorInputError(
                "numerator",
                f"Tử số ({entry.numerator}) không được lớn hơn mẫu số ({entry.denominator}).",
            )


def indicator_value(kind: str, entry: IndicatorEntry) -> Decimal | bool | None:
    """The value an entry stands for: the share for a ratio, the count, or yes/no."""
    if kind == "ratio":
        return ratio_share(entry.numerator, entry.denominator)
    if kind == "count":
        return entry.value
    return entry.flag


def cumulate(kind: str, entries: Sequence[IndicatorEntry]) -> IndicatorEntry:
    """Cumulative from January: numerators, denominators and counts add up; a yes/no is the
    latest answer given."""
    filled = [e for e in entries if not e.is_empty]
    if not filled:
        return IndicatorEntry()
    if kind == "boolean":
        return IndicatorEntry(flag=next(e.flag for e in reversed(filled) if e.flag is not None))
    return IndicatorEntry(
        numerator=_sum(e.numerator for e in filled),
        denominator=_sum(e.denominator for e in filled),
        value=_sum(e.value for e in filled),
    )


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def indicator_status(
    kind: str, value: Decimal | bool | None, target: Decimal | None, direction: str = "higher"
) -> Status:
    """Met / not met / no data for one unit. A yes/no indicator is met by "yes" (no target
    needed); the others need a target."""
    if value is None:
        return Status.NO_DATA
    if kind == "boolean":
        return Status.MET if value is True else Status.NOT_MET
    if target is None:
        return Status.NO_TARGET
    return Status.MET if meets(Decimal(str(value)), target, direction) else Status.NOT_MET


@dataclass(frozen=True)
class AggregateResult:
    value: Decimal | None
    status: Status
    reporting: int
    expected: int


def aggregate(
    kind: str,
    aggregation: str,
    entries: Sequence[IndicatorEntry | None],
    target: Decimal | None,
    direction: str = "higher",
) -> AggregateResult:
    """How units combine: `sum` (ratios: Σ numerators / Σ denominators), `average` of the units'
    values, or `all` (every unit must pass; the value is how many pass).

    `entries` has one item per unit expected to report (None: it has not).
    """
    expected = len(entries)
    given = [e for e in entries if e is not None and not e.is_empty]
    if not given:
        return AggregateResult(None, Status.NO_DATA, 0, expected)
    values = [indicator_value(kind, e) for e in given]
    if aggregation == "all":
        statuses = [indicator_status(kind, v, target, direction) for v in values]
        passing = sum(1 for s in statuses if s is Status.MET)
        if Status.NOT_MET in statuses:
            status = Status.NOT_MET
        elif len(given) < expected or Status.NO_DATA in statuses:
            status = Status.NO_DATA
        elif Status.NO_TARGET in statuses:
            status = Status.NO_TARGET
        else:
            status = Status.MET
        return AggregateResult(Decimal(passing), status, len(given), expected)
    if kind == "boolean":
        yes = sum(1 for v in values if v is True)
        value = (
            Decimal(yes) if aggregation == "sum" else round_share(Decimal(yes) * 100 / len(values))
        )
        # For yes/no, "met" means every unit that answered said yes unless a target says how many.
        status = (
            Status.MET
            if (yes == len(values) if target is None else meets(value, target, direction))
            else Status.NOT_MET
        )
        return AggregateResult(value, status, len(given), expected)
    if aggregation == "sum":
        if kind == "ratio":
            total = cumulate("ratio", given)
            result: Decimal | None = ratio_share(total.numerator, total.denominator)
        else:
            result = _sum(e.value for e in given)
    else:
        numbers = [Decimal(str(v)) for v in values if v is not None and not isinstance(v, bool)]
        result = round_share(sum(numbers, Decimal(0)) / len(numbers)) if numbers else None
    return AggregateResult(
        result, indicator_status(kind, result, target, direction), len(given), expected
    )
