"""Background jobs of the cycle (Huey): the reporting periods of the coming year exist before
anyone needs them."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="5", hour="0"))  # type: ignore[untyped-decorator]
def periods_keep() -> None:
    from dean06.core import clock
    from dean06.tracking.services import periods_ensure

    year = clock.today().year
    periods_ensure(range(year - 1, year + 2))
