"""`dean06 demo` loads the demo data, prints the URL and accounts, and serves the login page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_demo_serves_the_login_page(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env["DEAN06_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dean06.cli", "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        body = ""
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"demo exited early: {proc.stderr.read() if proc.stderr else ''}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "Đăng nhập" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/dean06/app.css") as r:
            assert b".topbar" in r.read()
        # The embedded worker runs every app's jobs and says so at once: /healthz is "ok" from
        # the start (its periodic jobs were never registered, and it was "degraded" for good).
        health: dict = {}
        beat_deadline = time.monotonic() + 20
        while time.monotonic() < beat_deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                health = json.loads(r.read())
            if health["worker"]["ok"]:
                break
            time.sleep(0.5)
        assert health["status"] == "ok" and health["worker"]["mode"] == "embedded", health
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    assert "thuongtruc / dean06-demo" in out
    assert "18/KH-UBND" in out
