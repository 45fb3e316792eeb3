"""Settings come from the environment: data directory, database URL, secret key, debug."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import json, dean06.settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'db': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'key': s.SECRET_KEY, 'data': str(s.DATA_DIR)}))"
)


def _settings(env: dict[str, str], cwd: Path) -> dict:
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))
    }
    full_env.update(env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_defaults_use_sqlite_in_var_and_debug_off(tmp_path):
    result = _settings({}, tmp_path)
    assert result["debug"] is False
    assert result["db"] == "django.db.backends.sqlite3"
    assert result["data"] == str(tmp_path / "var")
    assert result["name"] == str(tmp_path / "var" / "dean06.sqlite3")
    assert (tmp_path / "var").is_dir()


def test_secret_key_is_generated_once_kept_private_and_reused(tmp_path):
    first = _settings({"DEAN06_DATA_DIR": str(tmp_path / "d")}, tmp_path)
    key_file = tmp_path / "d" / "secret_key"
    assert key_file.read_text() == first["key"]
    assert len(first["key"]) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    second = _settings({"DEAN06_DATA_DIR": str(tmp_path / "d")}, tmp_path)
    assert second["key"] == first["key"]


def test_environment_overrides(tmp_path):
    result = _settings(
        {
            "DEAN06_DATA_DIR": str(tmp_path / "elsewhere"),
            "DEAN06_SECRET_KEY": "from-the-environment",
            "DEAN06_DEBUG": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything",
        },
        tmp_path,
    )
    assert result["key"] == "from-the-environment"
    assert result["debug"] is True
    assert result["db"] == "django.db.backends.postgresql"
    assert result["name"] == "anything"
    assert not (tmp_path / "elsewhere" / "secret_key").exists()


def test_an_unknown_worker_mode_is_refused_in_one_line(tmp_path):
    """`DEAN06_WORKER=1` (what the docs once said) must not silently mean "inline"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env.update(DEAN06_DATA_DIR=str(tmp_path / "data"), DEAN06_WORKER="1")
    result = subprocess.run(
        [sys.executable, "-m", "dean06.cli", "init", "--quiet"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "DEAN06_WORKER='1' không hợp lệ" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_each_documented_worker_mode_is_taken(tmp_path):
    for mode in ("inline", "embedded", "external"):
        probe = "import dean06.settings as s; print(s.WORKER_MODE)"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
        env.update(DEAN06_DATA_DIR=str(tmp_path / "data"), DEAN06_WORKER=mode.upper())
        out = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == mode


def test_behind_https_the_deployment_check_is_clean(tmp_path):
    """`check --deploy` with the production settings: no warning left (HSTS, SSL redirect,
    secure cookies), as docs/deploy.md promises."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env.update(
        DEAN06_DATA_DIR=str(tmp_path / "data"),
        DEAN06_HTTPS="1",
        DEAN06_ALLOWED_HOSTS="dean06.example.gov.vn",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dean06.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_behind_https_plain_http_is_redirected_and_health_checks_are_not(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    answer = client.get("/dang-nhap/")
    assert answer.status_code == 301 and answer["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    secure = client.get("/dang-nhap/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200 and secure["Strict-Transport-Security"] == "max-age=3600"


# With DEAN06_REDIS_URL the queue and the cache live in Redis (shared by every process), not in
# the data folder.
REDIS_PROBE = """
import django, json, os, uuid
os.environ["DJANGO_SETTINGS_MODULE"] = "dean06.settings"
django.setup()
from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
key = uuid.uuid4().hex
cache.set(key, "ok", 30)
HUEY.put("dean06-probe-" + key, "queued")
print(json.dumps({
    "huey": type(HUEY).__name__,
    "cache": cache.get(key),
    "shared": HUEY.get("dean06-probe-" + key),
    "sqlite": (settings.DATA_DIR / "huey.sqlite3").exists(),
    "sessions": settings.SESSION_ENGINE,
}))
"""


def test_redis_holds_the_queue_and_the_cache_for_several_processes(tmp_path):
    import socket

    import pytest

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("Redis không chạy ở 127.0.0.1:6379 — no Redis server here")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env.update(
        {"DEAN06_DATA_DIR": str(tmp_path / "d"), "DEAN06_REDIS_URL": "redis://127.0.0.1:6379/0"}
    )
    out = subprocess.run(
        [sys.executable, "-c", REDIS_PROBE], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result == {
        "huey": "RedisHuey",
        "cache": "ok",
        "shared": "queued",
        "sqlite": False,
        # Sessions read through the shared cache, kept in the database.
        "sessions": "django.contrib.sessions.backends.cached_db",
    }


LOG_PROBE = """
import logging, os
os.environ["DJANGO_SETTINGS_MODULE"] = "dean06.settings"
import django
django.setup()
logging.getLogger("dean06.probe").warning("Hết chỗ lưu tệp trong %s", "/srv/dean06/files")
"""


def test_logs_can_be_one_json_object_a_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env.update({"DEAN06_DATA_DIR": str(tmp_path / "d"), "DEAN06_LOG_FORMAT": "json"})
    out = subprocess.run(
        [sys.executable, "-c", LOG_PROBE], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    record = json.loads(out.stderr.strip().splitlines()[-1])
    assert record["level"] == "WARNING" and record["logger"] == "dean06.probe"
    assert record["message"] == "Hết chỗ lưu tệp trong /srv/dean06/files" and record["time"]

    env["DEAN06_LOG_FORMAT"] = "xml"
    bad = subprocess.run(
        [sys.executable, "-c", LOG_PROBE], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert bad.returncode != 0 and "DEAN06_LOG_FORMAT='xml' không hợp lệ" in bad.stderr
