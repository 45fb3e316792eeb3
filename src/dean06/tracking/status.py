"""A task's status, derived from its deadline and the reports on it — never typed (pure).

The status says what a leader needs to know today: not started, in progress, done, recurring
(on track this period), due soon, overdue, on request (waiting for an instruction) or at risk
(the last report names difficulties, or a staged target in force is not met). Beside it, the four
counts every Vietnamese report on assigned tasks uses (the Government Office's task-tracking
system): done on time, done late, in progress within term, overdue — where overdue is any
unfinished task past its due date, whether or not anyone reported on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    RECURRING = "recurring"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ON_REQUEST = "on_request"
    AT_RISK = "at_risk"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.NOT_STARTED: "Chưa triển khai",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.DONE: "Đã hoàn thành",
    TaskStatus.RECURRING: "Thực hiện thường xuyên",
    TaskStatus.DUE_SOON: "Sắp đến hạn",
    TaskStatus.OVERDUE: "Quá hạn",
    TaskStatus.ON_REQUEST: "Chờ yêu cầu, chỉ đạo",
    TaskStatus.AT_RISK: "Có khó khăn, vướng mắc",
}

# When several lead units share a task and it is not done by all, the task shows the most
# pressing of their statuses.
URGENCY: tuple[TaskStatus, ...] = (
    TaskStatus.OVERDUE,
    TaskStatus.AT_RISK,
    TaskStatus.DUE_SOON,
    TaskStatus.IN_PROGRESS,
    TaskStatus.RECURRING,
    TaskStatus.NOT_STARTED,
    TaskStatus.ON_REQUEST,
    TaskStatus.DONE,
)


class Timeliness(StrEnum):
    """The four counts of a report on assigned tasks."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS_WITHIN_TERM = "in_progress_within_term"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self]


TIMELINESS_LABELS: dict[Timeliness, str] = {
    Timeliness.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Timeliness.DONE_LATE: "Hoàn thành quá hạn",
    Timeliness.IN_PROGRESS_WITHIN_TERM: "Đang thực hiện trong hạn",
    Timeliness.OVERDUE: "Quá hạn chưa hoàn thành",
}

# What a unit says of its work in a report (the form's choice).
STATE_NOT_STARTED = "not_started"
STATE_IN_PROGRESS = "in_progress"
STATE_DONE = "done"
STATE_RECURRING = "recurring"

DEFAULT_DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class StagedTarget:
    """ "≥ 80% from 1/4/2024": the value a task must reach from a day on."""

    value: float
    valid_from: dt.date


@dataclass(frozen=True)
class ReportFact:
    """One report on the assignment, as far as status is concerned (submitted ones only: a
    draft says nothing yet)."""

    period_start: dt.date
    period_end: dt.date
    state: str
    submitted_on: dt.date | None = None
    completed_on: dt.date | None = None
    percent: float | None = None
    has_difficulties: bool = False


@dataclass(frozen=True)
class TaskFacts:
    due_date: dt.date | None
    deadline_kind: str = "unknown"
    is_recurring: bool = False
    start_date: dt.date | None = None
    targets: tuple[StagedTarget, ...] = ()


@dataclass(frozen=True)
class Verdict:
    status: TaskStatus
    timeliness: Timeliness
    completed_on: dt.date | None = None
    days_left: int | None = None  # negative: days late
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _latest(reports: Iterable[ReportFact], on: dt.date) -> ReportFact | None:
    """The last report known on `on`: the latest period, submitted by then."""
    known = [r for r in reports if (r.submitted_on or r.period_end) <= on]
    return max(known, key=lambda r: (r.period_end, r.submitted_on or r.period_end), default=None)


def _target_in_force(targets: Sequence[StagedTarget], on: dt.date) -> StagedTarget | None:
    started = [t for t in targets if t.valid_from <= on]
    return max(started, key=lambda t: t.valid_from, default=None)


def _reported_this_period(reports: Iterable[ReportFact], on: dt.date) -> bool:
    """A recurring task is judged per period: reported for the period under way, or for the one
    before while its report is still due (until the 15th)."""
    for report in reports:
        if report.period_start <= on <= report.period_end:
            return True
        if report.period_end < on <= report.period_end + dt.timedelta(days=31):
            return True
    return False


def assignment_status(
    task: TaskFacts,
    reports: Sequence[ReportFact],
    on: dt.date,
    *,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Verdict:
    """The status of one lead unit's work on a task on day `on`."""
    latest = _latest(reports, on)
    due = task.due_date
    days_left = (due - on).days if due else None
    done = latest is not None and latest.state == STATE_DONE
    if done and latest is not None:
        completed = latest.completed_on or latest.submitted_on or latest.period_end
        late = due is not None and completed > due
        return Verdict(
            TaskStatus.DONE,
            Timeliness.DONE_LATE if late else Timeliness.DONE_ON_TIME,
            completed_on=completed,
            days_left=days_left,
        )
    overdue = due is not None and on > due
    timeliness = Timeliness.OVERDUE if overdue else Timeliness.IN_PROGRESS_WITHIN_TERM
    # A task due by a date and recurring after it ("Trong năm 2024 và thực hiện thường xuyên")
    # is judged on its date until then, then per period.
    recurring_now = task.is_recurring and (due is None or on > due)
    if recurring_now and overdue:
        timeliness = Timeliness.IN_PROGRESS_WITHIN_TERM
        overdue = False
    target = _target_in_force(task.targets, on)
    if overdue:
        return Verdict(TaskStatus.OVERDUE, timeliness, days_left=days_left)
    if latest is not None and latest.has_difficulties:
        return Verdict(
            TaskStatus.AT_RISK, timeliness, days_left=days_left, reasons=("difficulties",)
        )
    missed = (
        target is not None
        and latest is not None
        and latest.percent is not None
        and latest.percent < target.value
    )
    if missed:
        return Verdict(TaskStatus.AT_RISK, timeliness, days_left=days_left, reasons=("target",))
    if recurring_now:
        on_track = _reported_this_period(reports, on)
        status = TaskStatus.RECURRING if on_track else TaskStatus.NOT_STARTED
        if not on_track and latest is not None:
            status = TaskStatus.IN_PROGRESS
        return Verdict(status, timeliness, days_left=days_left)
    if due is None and task.deadline_kind == "on_request":
        return Verdict(TaskStatus.ON_REQUEST, timeliness)
    if days_left is not None and days_left <= due_soon_days:
        return Verdict(TaskStatus.DUE_SOON, timeliness, days_left=days_left)
    if latest is None or latest.state == STATE_NOT_STARTED:
        return Verdict(TaskStatus.NOT_STARTED, timeliness, days_left=days_left)
    return Verdict(TaskStatus.IN_PROGRESS, timeliness, days_left=days_left)


def task_status(
    task: TaskFacts,
    reports_by_lead: Sequence[Sequence[ReportFact]],
    on: dt.date,
    *,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> Verdict:
    """The task's status from its lead units' reports: done when every lead unit reports it done
    (on the last one's day); otherwise the most pressing status among them. A task no unit leads
    is judged on its deadline alone."""
    verdicts = [
        assignment_status(task, reports, on, due_soon_days=due_soon_days)
        for reports in (reports_by_lead or [()])
    ]
    if all(v.status is TaskStatus.DONE for v in verdicts):
        completed = max((v.completed_on for v in verdicts if v.completed_on), default=None)
        late = task.due_date is not None and completed is not None and completed > task.due_date
        return Verdict(
            TaskStatus.DONE,
            Timeliness.DONE_LATE if late else Timeliness.DONE_ON_TIME,
            completed_on=completed,
            days_left=verdicts[0].days_left,
        )
    open_ones = [v for v in verdicts if v.status is not TaskStatus.DONE]
    worst = min(open_ones, key=lambda v: URGENCY.index(v.status))
    return worst


def four_counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """done_on_time, done_late, in_progress_within_term, overdue (every key, zero included)."""
    counts = {t.value: 0 for t in Timeliness}
    for verdict in verdicts:
        counts[verdict.timeliness.value] += 1
    return counts
