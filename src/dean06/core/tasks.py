"""Background jobs of the core: the worker's heartbeat, read by `/healthz`."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task


@periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def heartbeat() -> None:
    from dean06.core.health import worker_beat

    worker_beat()
