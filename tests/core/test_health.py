"""`/healthz`: the database, the worker's heartbeat and the free disk, open to the watchers."""

from __future__ import annotations

import os
import signal
import time

import pytest

from dean06.core.health import heartbeat_path
from dean06.core.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_all_well_with_jobs_run_inline(client, settings):
    settings.WORKER_MODE = "inline"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["disk"]["ok"] and body["disk"]["free_mb"] > 0
    assert body["worker"] == {"ok": True, "mode": "inline"}
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_a_silent_worker_makes_it_degraded_but_still_serving(client, settings, tmp_path):
    settings.WORKER_MODE = "embedded"
    settings.DATA_DIR = tmp_path
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["worker"]["last_seen_seconds"] is None

    heartbeat.call_local()  # what the worker runs every minute
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["worker"]["last_seen_seconds"] < 5

    old = time.time() - 600
    os.utime(heartbeat_path(), (old, old))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "degraded"


def test_a_full_disk_takes_the_process_out_of_service(client, settings):
    settings.WORKER_MODE = "inline"
    settings.MIN_FREE_DISK_MB = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail" and response.json()["disk"]["ok"] is False


def test_a_worker_that_starts_is_seen_at_once(client, settings, tmp_path):
    """A real Huey consumer (threads, as `dean06 serve` runs it): its start writes the heartbeat,
    without waiting for the minute's periodic beat."""
    from huey.contrib.djhuey import HUEY

    settings.WORKER_MODE = "embedded"
    settings.DATA_DIR = tmp_path
    assert client.get("/healthz").json()["worker"]["last_seen_seconds"] is None
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    immediate = HUEY.immediate
    HUEY.immediate = False  # the suite runs jobs inline; a consumer needs the real queue
    try:
        consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=False)
        consumer.start()
        try:
            deadline = time.monotonic() + 10
            while not heartbeat_path().exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            consumer.stop(graceful=False)
    finally:
        HUEY.immediate = immediate
        for sig, handler in handlers.items():  # the consumer took them over, as in `serve`
            signal.signal(sig, handler)
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["worker"]["last_seen_seconds"] < 5
