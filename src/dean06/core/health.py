"""What `/healthz` reports: the database answers, the background worker is alive, the disk of the
data folder has room. Plain reads, no writes except the worker's own heartbeat file."""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.utils import Error as DatabaseError

HEARTBEAT_FILE = "worker-heartbeat"
# The worker beats every minute: silent for three, it is taken for dead.
HEARTBEAT_STALE_SECONDS = 180


@dataclass(frozen=True)
class Health:
    database: dict[str, Any]
    worker: dict[str, Any]
    disk: dict[str, Any]

    @property
    def serving(self) -> bool:
        """Whether this process can serve requests (a dead worker does not stop the pages)."""
        return bool(self.database["ok"] and self.disk["ok"])

    @property
    def status(self) -> str:
        if not self.serving:
            return "fail"
        return "ok" if self.worker["ok"] else "degraded"

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, **asdict(self)}


def heartbeat_path() -> Path:
    return Path(settings.DATA_DIR) / HEARTBEAT_FILE


def worker_beat() -> None:
    """Called by the worker every minute (core.tasks.heartbeat)."""
    path = heartbeat_path()
    path.touch()


def _database() -> dict[str, Any]:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 1)}


def _worker() -> dict[str, Any]:
    mode = settings.WORKER_MODE
    if mode == "inline":
        return {"ok": True, "mode": mode}
    try:
        age = time.time() - heartbeat_path().stat().st_mtime
    except FileNotFoundError:
        return {"ok": False, "mode": mode, "last_seen_seconds": None}
    return {"ok": age < HEARTBEAT_STALE_SECONDS, "mode": mode, "last_seen_seconds": int(age)}


def _disk() -> dict[str, Any]:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_mb = usage.free // (1024 * 1024)
    minimum = settings.MIN_FREE_DISK_MB
    return {"ok": free_mb >= minimum, "free_mb": free_mb, "min_free_mb": minimum}


def health() -> Health:
    return Health(database=_database(), worker=_worker(), disk=_disk())
