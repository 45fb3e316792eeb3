"""Background jobs of notifications (Huey): the daily round of reminders at 07:00 in Vietnam,
and the notice of a returned report. Jobs take ids and call one service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from huey.contrib.djhuey import db_periodic_task, db_task

from dean06.core.actor import audit_context

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
ROUND_AT = (7, 0)
WORKER_LABEL = "dean06 (nhắc việc tự động)"


def at_local_time(hour: int, minute: int) -> Callable[[dt.datetime], bool]:
    """A Huey schedule matching hour:minute in Vietnam. Huey hands periodic tasks a naive
    moment, in UTC when the queue runs in UTC (its default) and in the machine's time
    otherwise; `crontab` would read it as it is, so 07:00 would mean 07:00 UTC."""

    def matches(moment: dt.datetime) -> bool:
        from huey.contrib.djhuey import HUEY

        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC) if HUEY.utc else moment.astimezone()
        local = moment.astimezone(LOCAL_TIME)
        return (local.hour, local.minute) == (hour, minute)

    return matches


@db_periodic_task(at_local_time(*ROUND_AT))  # type: ignore[untyped-decorator]
def reminders_daily() -> None:
    from dean06.core import clock
    from dean06.notifications.services import reminders_round

    with audit_context(WORKER_LABEL):
        reminders_round(clock.today(), dry_run=False)


@db_task()  # type: ignore[untyped-decorator]
def report_returned_notice(report_id: int) -> None:
    from dean06.notifications.services import notify_report_returned

    with audit_context(WORKER_LABEL):
        notify_report_returned(report_id=report_id)
