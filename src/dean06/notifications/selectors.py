"""Reads of notifications: a person's inbox and unread count, the log the secretariat reads, and
what a round needs to decide (reports owed, tasks overdue, who receives, what was sent)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dean06.accounts.permissions import Action, SystemReader, can
from dean06.accounts.roles import Role
from dean06.notifications.channels import Recipient
from dean06.notifications.models import InboxItem, Notification, NotificationStatus
from dean06.notifications.rules import (
    ROUND_KINDS,
    Kind,
    OverdueTask,
    Owed,
    Sent,
    TaskRef,
)
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, AssignmentRole, Task
from dean06.tracking.models import ProgressReport, ReportingPeriod
from dean06.tracking.periods import period_containing, previous_period
from dean06.tracking.selectors import (
    STATED,
    completeness,
    completeness_reports,
    report_fact,
    task_facts,
)
from dean06.tracking.services import report_due_date
from dean06.tracking.status import TaskStatus, assignment_status

# What the log counts as done for the repeat window: a failed or unfinished notice is tried again.
COUNTED = (NotificationStatus.SENT, NotificationStatus.NO_RECIPIENT)

# --- a person's inbox ----------------------------------------------------------------------------


def inbox_for(user: Any) -> QuerySet[InboxItem]:
    """The notices in the user's inbox, newest first."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return InboxItem.objects.none()
    return (
        InboxItem.objects.filter(user_id=user.pk)
        .select_related("notification", "notification__unit", "notification__period")
        .order_by("-notification__sent_at", "-id")
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return 0
    return InboxItem.objects.filter(user_id=user.pk, read_at__isnull=True).count()


# --- the log -------------------------------------------------------------------------------------


def notification_log(
    user: Any,
    *,
    period: ReportingPeriod | None = None,
    unit: Unit | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Notification]:
    """Every notice sent, for those who run the cycle (the secretariat, administrators)."""
    if not can(user, Action.SEND_REMINDERS):
        return Notification.objects.none()
    qs = Notification.objects.select_related("unit", "period", "sent_by").order_by(
        "-day", "-sent_at", "-id"
    )
    if period is not None:
        qs = qs.filter(period=period)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def log_periods() -> QuerySet[ReportingPeriod]:
    """The periods the log names (for its filter)."""
    ids = Notification.objects.exclude(period=None).values("period_id")
    return ReportingPeriod.objects.filter(pk__in=ids).order_by("-start")


def log_units() -> QuerySet[Unit]:
    ids = Notification.objects.exclude(unit=None).values("unit_id")
    return Unit.objects.filter(pk__in=ids).order_by("level", "name")


# --- what a round reads ------------------------------------------------------------------------


def period_key(period: ReportingPeriod) -> str:
    """ "2024-07" for a month (what `dean06 remind` prints and `?ky=` reads)."""
    if period.kind == "month":
        return f"{period.year}-{period.number:02d}"
    return f"{period.kind}-{period.year}-{period.number}"


def _stored(kind: str, year: int, number: int) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()


def round_periods(on: dt.date) -> list[ReportingPeriod]:
    """The monthly periods a round looks at: the month under way on `on` and the one before it
    (its report is due around the 15th). Stored periods only: they are created every year
    ahead (`periods_ensure`), and a round that only reads must not create any."""
    current = period_containing("month", on)
    before = previous_period("month", current.year, current.number)
    found = [_stored("month", p.year, p.number) for p in (before, current)]
    return [p for p in found if p is not None]


def current_period(on: dt.date) -> ReportingPeriod | None:
    """The month under way on `on`: overdue-task reminders are filed under it."""
    span = period_containing("month", on)
    return _stored("month", span.year, span.number)


def task_ref(task: Task) -> TaskRef:
    return TaskRef(id=task.pk, code=task.code, plan=task.plan.number, content=task.content)


@dataclass
class RoundFacts:
    """What a round decides on, with the records behind the keys the rules use."""

    owed: list[Owed] = field(default_factory=list)
    overdue: list[OverdueTask] = field(default_factory=list)
    units: dict[str, Unit] = field(default_factory=dict)
    periods: dict[str, ReportingPeriod] = field(default_factory=dict)


def owed_reports(on: dt.date, periods: Sequence[ReportingPeriod], facts: RoundFacts) -> None:
    """The reports units owe for `periods` (not sent, approved or accepted), each with its due
    day — the reports the completeness grid counts as missing or pending, task by task."""
    reader = SystemReader()
    grid = completeness(reader, periods, on)
    for period in grid.periods:
        facts.periods[period_key(period)] = period
        for unit in grid.units:
            cell = grid.cell(unit, period)
            if not (cell.missing or cell.pending) or not unit.is_valid_on(on):
                continue
            for assignment, report in completeness_reports(reader, unit, period):
                if report is not None and report.status in STATED:
                    continue
                facts.units[unit.key] = unit
                facts.owed.append(
                    Owed(
                        unit=unit.key,
                        period=period_key(period),
                        due=report_due_date(assignment.task.plan, period),
                        task=task_ref(assignment.task),
                    )
                )


def overdue_lead_tasks(on: dt.date, facts: RoundFacts) -> None:
    """Lead assignments whose own work is overdue on `on` (past the task's due date and not
    reported done by that unit) — three queries."""
    assignments = list(
        Assignment.objects.filter(role=AssignmentRole.LEAD, task__due_date__lt=on)
        .select_related("task", "task__plan", "unit")
        .order_by("unit__name", "task__plan__date", "task__plan_id", "task__order", "task__code")
    )
    reports: dict[int, list[Any]] = defaultdict(list)
    for report in ProgressReport.objects.filter(
        assignment__in=[a.pk for a in assignments], status__in=STATED
    ).select_related("period"):
        reports[report.assignment_id].append(report_fact(report))
    for assignment in assignments:
        if not assignment.unit.is_valid_on(on):
            continue
        verdict = assignment_status(task_facts(assignment.task), reports[assignment.pk], on)
        if verdict.status is TaskStatus.OVERDUE:
            facts.units[assignment.unit.key] = assignment.unit
            facts.overdue.append(
                OverdueTask(
                    unit=assignment.unit.key,
                    task=task_ref(assignment.task),
                    due=assignment.task.due_date,
                )
            )


def sent_log(on: dt.date, repeat_days: int) -> tuple[list[Sent], dict[tuple[Any, ...], set[str]]]:
    """What the log says a round must not repeat: the round's kinds sent within the repeat
    window of `on`, and every overdue-task notice ever (a task is named to a unit once).
    Also, per (unit, kind, period), the channels a failed notice of the window did reach, so
    that trying it again does not repeat them."""
    window = Q(
        day__gt=on - dt.timedelta(days=repeat_days), day__lt=on + dt.timedelta(days=repeat_days)
    )
    rows = Notification.objects.filter(kind__in=[k.value for k in ROUND_KINDS]).filter(
        window | Q(kind=Kind.TASK_OVERDUE)
    )
    sent: list[Sent] = []
    reached: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for (
        unit_key,
        kind,
        period_kind,
        year,
        number,
        day,
        task_ids,
        status,
        deliveries,
    ) in rows.values_list(
        "unit__key",
        "kind",
        "period__kind",
        "period__year",
        "period__number",
        "day",
        "task_ids",
        "status",
        "deliveries",
    ):
        key = _key_of(period_kind, year, number)
        if status in COUNTED:
            sent.append(Sent(unit_key, kind, key, day, frozenset(task_ids or ())))
        elif abs((on - day).days) < repeat_days:
            for delivery in deliveries or []:
                if delivery.get("status") == "sent":
                    reached[(unit_key, kind, key)].add(delivery.get("channel", ""))
    return sent, dict(reached)


def _key_of(kind: str | None, year: int | None, number: int | None) -> str | None:
    if kind is None or year is None or number is None:
        return None
    return period_key(ReportingPeriod(kind=kind, year=year, number=number))


@dataclass
class Audience:
    """Who in a unit receives its notices."""

    officers: list[Recipient] = field(default_factory=list)
    leaders: list[Recipient] = field(default_factory=list)
    mailbox: str = ""

    def for_kind(self, *, leaders: bool) -> list[Recipient]:
        people = self.officers + (self.leaders if leaders else [])
        if self.mailbox:
            people.append(Recipient(user_id=None, email=self.mailbox, name="Hộp thư đơn vị"))
        return people

    @property
    def has_account(self) -> bool:
        return bool(self.officers or self.leaders)


def recipient_of(user: Any) -> Recipient:
    return Recipient(
        user_id=user.pk,
        username=user.username,
        email=(user.email or "").strip(),
        name=user.get_full_name() or user.username,
        phone=getattr(user, "phone", "") or "",
    )


def audiences(units: Iterable[Unit]) -> dict[int, Audience]:
    """Each unit's active officers and leaders, and its own mailbox (one query)."""
    units = list(units)
    out = {u.pk: Audience(mailbox=(u.email or "").strip()) for u in units}
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            unit_id__in=list(out),
            role__in=[Role.UNIT_OFFICER, Role.UNIT_LEADER],
        )
        .order_by("role", "username")
    )
    for user in users:
        audience = out.get(user.unit_id or 0)
        if audience is None:
            continue
        group = audience.officers if user.role == Role.UNIT_OFFICER else audience.leaders
        group.append(recipient_of(user))
    return out


def secretariat_recipients() -> list[Recipient]:
    """The secretariat's active accounts; administrators when it has none yet."""
    users = get_user_model().objects.filter(is_active=True)
    found = list(users.filter(role=Role.SECRETARIAT).order_by("username"))
    if not found:
        found = list(users.filter(role=Role.ADMIN).order_by("username"))
    return [recipient_of(u) for u in found]
