"""Writes of notifications: a round of reminders, the notice of a returned report, marking a
notice read. Each notice is logged (`Notification`) with what every channel did, and audited."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dean06.core import clock
from dean06.core.audit import audit_record, snapshot
from dean06.notifications import selectors
from dean06.notifications.channels import (
    FAILED,
    SENT,
    SKIPPED,
    Channel,
    Delivery,
    Outgoing,
    Recipient,
    channel_label,
    describe_error,
    open_channels,
)
from dean06.notifications.models import InboxItem, Notification, NotificationStatus
from dean06.notifications.rules import (
    DEFAULT_DAYS_BEFORE,
    DEFAULT_REPEAT_DAYS,
    Item,
    Kind,
    Policy,
    Reminder,
    reminders_due,
)
from dean06.notifications.texts import (
    Text,
    Unreached,
    reminder_text,
    returned_text,
    unreached_text,
)
from dean06.orgs.models import Unit
from dean06.tracking.models import ProgressReport, ReportingPeriod, ReportStatus
from dean06.tracking.periods import period_containing
from dean06.tracking.services import report_due_date

log = logging.getLogger(__name__)


def current_policy() -> Policy:
    """Days of notice before the due day and the repeat window, from the settings
    (DEAN06_REMIND_DAYS_BEFORE, DEAN06_REMIND_REPEAT_DAYS)."""
    return Policy(
        days_before=getattr(settings, "REMIND_DAYS_BEFORE", DEFAULT_DAYS_BEFORE),
        repeat_days=getattr(settings, "REMIND_REPEAT_DAYS", DEFAULT_REPEAT_DAYS),
    )


@dataclass
class Notice:
    """One notice of a round: planned (a dry run stops there), then sent and logged."""

    kind: Kind
    unit: Unit | None
    period: ReportingPeriod | None
    period_key: str | None
    period_label: str
    items: tuple[Item, ...]
    text: Text
    recipients: tuple[Recipient, ...]
    report: ProgressReport | None = None
    has_account: bool = False
    # Filled by `_address`: the outside addresses (e-mail...), the site accounts, and the
    # channels that have someone to deliver to.
    addresses: list[str] = field(default_factory=list)
    inbox: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    notification: Notification | None = None

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.unit.key if self.unit else None, self.kind.value, self.period_key)

    @property
    def status(self) -> str | None:
        return self.notification.status if self.notification else None

    def as_dict(self) -> dict[str, Any]:
        notification = self.notification
        return {
            "unit": self.unit.key if self.unit else None,
            "unit_name": self.unit.name if self.unit else None,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "period": self.period_label,
            "period_key": self.period_key,
            "due_date": min((i.due for i in self.items if i.due), default=None),
            "recipients": list(self.addresses),
            "inbox": list(self.inbox),
            "tasks": [i.task.code for i in self.items],
            "channels": [d["channel"] for d in notification.deliveries if d["status"] == SENT]
            if notification
            else list(self.channels),
            "subject": self.text.subject,
            "status": self.status,
            "error": notification.error if notification else "",
        }


@dataclass
class RoundResult:
    on: dt.date
    dry_run: bool
    reminders: list[Notice]
    secretariat: Notice | None = None

    @property
    def unreached(self) -> list[Notice]:
        return [n for n in self.reminders if not n.addresses]

    @property
    def secretariat_told(self) -> list[str]:
        return sorted({n.unit.key for n in self.unreached if n.unit is not None})

    @property
    def failed(self) -> int:
        return sum(1 for n in self.reminders if n.status == NotificationStatus.FAILED)

    def as_dict(self) -> dict[str, Any]:
        """The shape `dean06 remind --format json` prints (other tools read it: keep keys)."""
        rows = [n.as_dict() for n in self.reminders]
        for row in rows:
            row["due_date"] = row["due_date"].isoformat() if row["due_date"] else None
        notice = None
        if self.secretariat is not None:
            notice = self.secretariat.as_dict()
            notice["due_date"] = None
        return {
            "on": self.on.isoformat(),
            "dry_run": self.dry_run,
            "reminders": rows,
            "secretariat_told": self.secretariat_told,
            "secretariat_notice": notice,
        }


def _address(notice: Notice, channels: Sequence[Channel]) -> None:
    outgoing = _outgoing(notice, None)
    for channel in channels:
        found = channel.addresses(outgoing)
        if not found:
            continue
        notice.channels.append(channel.name)
        target = notice.addresses if channel.reaches_outside else notice.inbox
        target.extend(a for a in found if a not in target)


def _outgoing(notice: Notice, notification_id: int | None) -> Outgoing:
    return Outgoing(
        notification_id=notification_id,
        kind=notice.kind.value,
        subject=notice.text.subject,
        body=notice.text.body,
        recipients=notice.recipients,
    )


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) and getattr(by, "pk", None) else None


def _deliver(
    notice: Notice, channels: Sequence[Channel], *, on: dt.date, by: Any, already: set[str]
) -> Notification:
    """Log the notice, hand it to every channel, record what each did, audit the outcome. A
    channel that reached its people in a failed try of the same notice (`already`) is not used
    again. Nothing a channel does stops the round."""
    with transaction.atomic():
        notification = Notification(
            kind=notice.kind.value,
            unit=notice.unit,
            period=notice.period,
            report=notice.report,
            day=on,
            subject=notice.text.subject[:255],
            body=notice.text.body,
            tasks=[i.task.code for i in notice.items],
            task_ids=[i.task.id for i in notice.items],
            recipients=list(notice.addresses),
            status=NotificationStatus.PENDING,
            sent_by=_actor(by),
        )
        notification.full_clean()
        notification.save()
    outgoing = _outgoing(notice, notification.pk)
    deliveries: list[Delivery] = []
    for channel in channels:
        addresses = tuple(channel.addresses(outgoing))
        if channel.name in already and addresses:
            deliveries.append(
                Delivery(
                    channel.name, SKIPPED, addresses, note="Đã gửi ở lần trước, không gửi lại."
                )
            )
            continue
        try:
            deliveries.append(channel.send(outgoing))
        except Exception as exc:  # a channel's own fault must not stop the round
            log.exception("channel %s failed", channel.name)
            deliveries.append(Delivery(channel.name, FAILED, addresses, error=describe_error(exc)))
    failed = [d for d in deliveries if d.status == FAILED]
    reached = any(d.status == SENT for d in deliveries) or any(
        d.channel in already and d.recipients for d in deliveries
    )
    if failed:
        status = NotificationStatus.FAILED
    elif reached:
        status = NotificationStatus.SENT
    else:
        status = NotificationStatus.NO_RECIPIENT
    with transaction.atomic():
        notification.deliveries = [d.as_dict() for d in deliveries]
        notification.status = status
        notification.error = "; ".join(f"{channel_label(d.channel)}: {d.error}" for d in failed)
        notification.sent_at = clock.now()
        notification.save()
        verb, note = {
            NotificationStatus.SENT: ("sent", ""),
            NotificationStatus.FAILED: ("send_failed", notification.error),
        }.get(status, ("unaddressed", "Đơn vị chưa có tài khoản hoặc thư điện tử nhận thông báo."))
        audit_record(
            action=f"notifications.notification.{verb}",
            actor=by,
            instance=notification,
            after=snapshot(notification),
            unit=notice.unit,
            note=note,
        )
    notice.notification = notification
    return notification


def _round_notice(
    reminder: Reminder,
    *,
    on: dt.date,
    facts: selectors.RoundFacts,
    audiences: dict[int, selectors.Audience],
    task_period_label: str,
) -> Notice:
    unit = facts.units[reminder.unit]
    period = facts.periods.get(reminder.period) if reminder.period else None
    label = period.label if period is not None else task_period_label
    audience = audiences.get(unit.pk, selectors.Audience())
    return Notice(
        kind=reminder.kind,
        unit=unit,
        period=period,
        period_key=reminder.period,
        period_label=label,
        items=reminder.items,
        text=reminder_text(
            reminder.kind,
            on=on,
            unit_name=unit.name,
            period_label=label,
            items=reminder.items,
            due=reminder.due,
        ),
        recipients=tuple(audience.for_kind(leaders=reminder.to_leaders)),
        has_account=audience.has_account,
    )


def _secretariat_notice(on: dt.date, unreached: Sequence[Notice]) -> Notice:
    periods = {n.period_key for n in unreached}
    period = unreached[0].period if len(periods) == 1 else None
    return Notice(
        kind=Kind.UNREACHED_UNITS,
        unit=None,
        period=period,
        period_key=unreached[0].period_key if period is not None else None,
        period_label=period.label if period is not None else "",
        items=(),
        text=unreached_text(
            on=on,
            units=[
                Unreached(
                    unit_name=n.unit.name if n.unit else "",
                    kind=n.kind,
                    period_label=n.period_label,
                    tasks=len(n.items),
                    has_account=n.has_account,
                )
                for n in unreached
            ],
        ),
        recipients=tuple(selectors.secretariat_recipients()),
    )


def reminders_round(
    on: dt.date, *, dry_run: bool, by: Any = None, policy: Policy | None = None
) -> RoundResult:
    """One round of reminders for day `on`: every unit that owes a report due within the
    notice days, due today or past due, and every lead unit whose task turned overdue, gets one
    notice per kind and period listing its tasks, unless the log holds the same one within the
    repeat window. Units no outside channel reaches are listed to the secretariat.

    `dry_run` decides and addresses the notices but sends nothing and writes nothing."""
    policy = policy or current_policy()
    facts = selectors.RoundFacts()
    selectors.owed_reports(on, selectors.round_periods(on), facts)
    selectors.overdue_lead_tasks(on, facts)
    current = selectors.current_period(on)
    task_period = selectors.period_key(current) if current is not None else None
    if current is not None and task_period is not None:
        facts.periods[task_period] = current
    sent, reached = selectors.sent_log(on, policy.repeat_days)
    planned = reminders_due(
        on,
        owed=facts.owed,
        overdue=facts.overdue,
        sent=sent,
        policy=policy,
        task_period=task_period,
    )
    audiences = selectors.audiences({facts.units[r.unit] for r in planned})
    task_period_label = period_containing("month", on).label
    notices = [
        _round_notice(
            r, on=on, facts=facts, audiences=audiences, task_period_label=task_period_label
        )
        for r in planned
    ]
    channels = open_channels()
    result = RoundResult(on=on, dry_run=dry_run, reminders=notices)
    try:
        for notice in notices:
            _address(notice, channels)
        if result.unreached:
            result.secretariat = _secretariat_notice(on, result.unreached)
            _address(result.secretariat, channels)
        if dry_run:
            return result
        for notice in notices:
            _deliver(notice, channels, on=on, by=by, already=reached.get(notice.key, set()))
        if result.secretariat is not None:
            _deliver(result.secretariat, channels, on=on, by=by, already=set())
    finally:
        for channel in channels:
            channel.close()
    return result


def notify_report_returned(*, report_id: int, by: Any = None) -> Notification | None:
    """Tell the author of a returned report (or, without one, the unit's officers) why it came
    back. Once per return: a notice already sent for this return is not sent again."""
    report = (
        ProgressReport.objects.select_related(
            "assignment__task__plan", "assignment__unit", "period", "author", "returned_by"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status != ReportStatus.RETURNED:
        return None
    done = Notification.objects.filter(
        kind=Kind.REPORT_RETURNED, report=report, status__in=selectors.COUNTED
    )
    if report.returned_at is not None:
        done = done.filter(sent_at__gte=report.returned_at)
    existing = done.order_by("-id").first()
    if existing is not None:
        return existing
    unit = report.assignment.unit
    task = report.assignment.task
    author = report.author if report.author is not None and report.author.is_active else None
    if author is not None:
        recipients = [selectors.recipient_of(author)]
    else:
        recipients = selectors.audiences([unit])[unit.pk].for_kind(leaders=False)
    items = (Item(selectors.task_ref(task), report_due_date(task.plan, report.period)),)
    returner = report.returned_by
    notice = Notice(
        kind=Kind.REPORT_RETURNED,
        unit=unit,
        period=report.period,
        period_key=selectors.period_key(report.period),
        period_label=report.period.label,
        items=items,
        text=returned_text(
            person=(author.get_full_name() or author.username) if author else unit.name,
            unit_name=unit.name,
            period_label=report.period.label,
            items=items,
            returned_by=(returner.get_full_name() or returner.username)
            if returner is not None
            else "Thường trực Tổ công tác",
            returned_on=timezone.localdate(report.returned_at) if report.returned_at else None,
            reason=report.return_reason,
        ),
        recipients=tuple(recipients),
        report=report,
    )
    channels = open_channels()
    try:
        _address(notice, channels)
        return _deliver(notice, channels, on=clock.today(), by=by, already=set())
    finally:
        for channel in channels:
            channel.close()


@transaction.atomic
def notification_mark_read(*, by: Any, item_ids: Sequence[int] | None = None) -> int:
    """Mark notices of `by`'s own inbox read (all unread ones when `item_ids` is None).
    Returns how many changed."""
    if _actor(by) is None:
        return 0
    items = InboxItem.objects.select_for_update().filter(user_id=by.pk, read_at__isnull=True)
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    now = clock.now()
    changed = 0
    for item in items.select_related("notification"):
        before = snapshot(item)
        item.read_at = now
        item.save(update_fields=["read_at", "updated_at"])
        audit_record(
            action="notifications.inboxitem.read",
            actor=by,
            instance=item,
            before=before,
            after=snapshot(item),
        )
        changed += 1
    return changed
