"""Which reminders to send on a day (pure: no Django).

Given the day, the reports units owe (each with its due day), the tasks whose lead units' work
is overdue, and what the log says was already sent, `reminders_due` returns the reminders of one
round: one per unit, kind and period, listing its tasks — never one per task, and never the same
(unit, kind, period) twice within the repeat window.

The schedule of a report due on day D (the plan's reporting day, the 15th by default), with
`days_before` = 3: D-3, D-2, D-1 → `before_due`; D → `due_today`; after D → `overdue_report`
(to the unit and its leader), for the latest period whose due day has passed only — an older
missing report is the completeness grid's business, not a reminder's. A task whose lead unit's
work turns overdue → `task_overdue`, once per task and unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_DAYS_BEFORE = 3
DEFAULT_REPEAT_DAYS = 3


class Kind(StrEnum):
    BEFORE_DUE = "before_due"
    DUE_TODAY = "due_today"
    OVERDUE_REPORT = "overdue_report"
    TASK_OVERDUE = "task_overdue"
    REPORT_RETURNED = "report_returned"
    # To the secretariat: the units a round could not reach by e-mail.
    UNREACHED_UNITS = "unreached_units"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.BEFORE_DUE: "Sắp đến hạn báo cáo",
    Kind.DUE_TODAY: "Hôm nay là hạn báo cáo",
    Kind.OVERDUE_REPORT: "Quá hạn báo cáo",
    Kind.TASK_OVERDUE: "Nhiệm vụ quá hạn",
    Kind.REPORT_RETURNED: "Báo cáo bị trả lại",
    Kind.UNREACHED_UNITS: "Đơn vị chưa có người nhận nhắc việc",
}
# The kinds a round decides (the others answer an event: a return, a round's outcome).
REPORT_KINDS = (Kind.BEFORE_DUE, Kind.DUE_TODAY, Kind.OVERDUE_REPORT)
ROUND_KINDS = (*REPORT_KINDS, Kind.TASK_OVERDUE)
# Kinds that go to the unit's leaders as well as its officers.
TO_LEADERS = frozenset({Kind.OVERDUE_REPORT, Kind.TASK_OVERDUE})


@dataclass(frozen=True)
class Policy:
    days_before: int = DEFAULT_DAYS_BEFORE
    repeat_days: int = DEFAULT_REPEAT_DAYS

    def __post_init__(self) -> None:
        if self.days_before < 0 or self.repeat_days < 1:
            raise ValueError("days_before >= 0 and repeat_days >= 1")


@dataclass(frozen=True)
class TaskRef:
    """A task as a reminder lists it."""

    id: int
    code: str
    plan: str = ""
    content: str = ""


@dataclass(frozen=True)
class Owed:
    """One report a unit owes: its lead assignment on `task`, for `period`, due on `due`."""

    unit: str
    period: str
    due: dt.date
    task: TaskRef


@dataclass(frozen=True)
class OverdueTask:
    """A task whose lead unit `unit` has not done it and is past its due date."""

    unit: str
    task: TaskRef
    due: dt.date | None = None


@dataclass(frozen=True)
class Sent:
    """A reminder the log holds (sent, or logged without a recipient): failed ones are not
    here, so that the next round tries them again."""

    unit: str | None
    kind: str
    period: str | None
    day: dt.date
    task_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Item:
    task: TaskRef
    due: dt.date | None = None


@dataclass(frozen=True)
class Reminder:
    unit: str
    kind: Kind
    period: str | None
    items: tuple[Item, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.unit, self.kind.value, self.period)

    @property
    def to_leaders(self) -> bool:
        return self.kind in TO_LEADERS

    @property
    def due(self) -> dt.date | None:
        """The earliest due day of its tasks (a unit's plans may name different days)."""
        return min((i.due for i in self.items if i.due is not None), default=None)

    @property
    def task_ids(self) -> frozenset[int]:
        return frozenset(i.task.id for i in self.items)


def report_kind(on: dt.date, due: dt.date, days_before: int) -> Kind | None:
    """What a report still owed on day `on` and due on `due` calls for, if anything."""
    left = (due - on).days
    if left < 0:
        return Kind.OVERDUE_REPORT
    if left == 0:
        return Kind.DUE_TODAY
    if left <= days_before:
        return Kind.BEFORE_DUE
    return None


def recently_sent(
    sent: Iterable[Sent], key: tuple[str | None, str, str | None], on: dt.date, repeat_days: int
) -> bool:
    """Whether the same reminder is in the log within `repeat_days` of `on` (either side: a
    round run for an earlier day after a later one must not repeat it either)."""
    return any(
        (s.unit, s.kind, s.period) == key and abs((on - s.day).days) < repeat_days for s in sent
    )


def _group(unit: str, kind: Kind, period: str | None, items: Sequence[Item]) -> Reminder:
    seen: set[int] = set()
    unique = []
    for item in items:
        if item.task.id not in seen:
            seen.add(item.task.id)
            unique.append(item)
    return Reminder(unit=unit, kind=kind, period=period, items=tuple(unique))


def reminders_due(
    on: dt.date,
    *,
    owed: Iterable[Owed] = (),
    overdue: Iterable[OverdueTask] = (),
    sent: Iterable[Sent] = (),
    policy: Policy | None = None,
    task_period: str | None = None,
) -> list[Reminder]:
    """The reminders of a round on day `on`, in a stable order (unit, kind, period).

    `task_period` is the period under which overdue-task reminders are filed (the month under
    way): they are grouped and held back by the repeat window like the others, and each task is
    named to a unit once only."""
    policy = policy or Policy()
    log = list(sent)
    # Overdue reports: only the latest period past due, per unit and task.
    latest_past: dict[tuple[str, int], dt.date] = {}
    owed = list(owed)
    for o in owed:
        if o.due < on:
            k = (o.unit, o.task.id)
            latest_past[k] = max(latest_past.get(k, o.due), o.due)
    groups: dict[tuple[str, Kind, str | None], list[Item]] = {}
    for o in owed:
        kind = report_kind(on, o.due, policy.days_before)
        if kind is None:
            continue
        if kind is Kind.OVERDUE_REPORT and o.due < latest_past[(o.unit, o.task.id)]:
            continue
        groups.setdefault((o.unit, kind, o.period), []).append(Item(o.task, o.due))
    told: dict[str, set[int]] = {}
    for s in log:
        if s.kind == Kind.TASK_OVERDUE and s.unit is not None:
            told.setdefault(s.unit, set()).update(s.task_ids)
    for t in overdue:
        if t.task.id in told.get(t.unit, set()):
            continue
        groups.setdefault((t.unit, Kind.TASK_OVERDUE, task_period), []).append(Item(t.task, t.due))
    out = []
    for (unit, kind, period), items in groups.items():
        if recently_sent(log, (unit, kind.value, period), on, policy.repeat_days):
            continue
        out.append(_group(unit, kind, period, items))
    order = {k: i for i, k in enumerate(ROUND_KINDS)}
    out.sort(key=lambda r: (r.unit, order.get(r.kind, 99), r.period or ""))
    return out
