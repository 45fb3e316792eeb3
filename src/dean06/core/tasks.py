"""Background jobs of the core: the worker's heartbeat, read by `/healthz`."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import on_startup, periodic_task


@periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def heartbeat() -> None:
    from dean06.core.health import worker_beat

    worker_beat()


@on_startup()  # type: ignore[untyped-decorator]
def heartbeat_on_start() -> None:
    """A worker says it is alive as it starts, not only at the next whole minute: a server just
    started (`dean06 demo`, a restart) is not reported degraded for up to a minute."""
    from dean06.core.health import worker_beat

    worker_beat()
