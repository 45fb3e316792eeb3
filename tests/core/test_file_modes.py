"""What dean06 creates is for the user running it alone: the data directory 700, the databases,
the job queue and uploaded files 600 (checked on the mode bits, which root has too)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06 import config


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    # The usual 022, under which files are created readable by everyone unless dean06 says not.
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env.update({"DEAN06_DATA_DIR": str(data), "DEAN06_WORKER": "inline", **extra})
    return env


def _private(root: Path) -> list[str]:
    """Everything under `root` that others may read or enter."""
    found = []
    for path in [root, *root.rglob("*")]:
        expected = 0o700 if path.is_dir() else 0o600
        if _mode(path) != expected:
            found.append(f"{path.relative_to(root.parent)} {oct(_mode(path))}")
    return found


def test_the_data_directory_is_created_private(tmp_path, monkeypatch):
    monkeypatch.setenv("DEAN06_DATA_DIR", str(tmp_path / "new" / "data"))
    with _umask(0o022):
        created = config.data_dir()
    assert _mode(created) == 0o700


def test_dean06_init_creates_only_private_files(tmp_path):
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "dean06.cli", "init", "--no-reference"],
        env=_env(data),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr
    assert (data / "dean06.sqlite3").stat().st_size > 0
    assert (data / "huey.sqlite3").exists()
    assert _private(data) == []


def test_the_databases_are_private_without_the_cli_too(tmp_path):
    """A WSGI server imports the settings without `dean06`'s umask."""
    data = tmp_path / "data"
    probe = (
        "import django; django.setup(); "
        "from django.db import connection; connection.cursor().execute('create table t (x)'); "
        "from django.conf import settings; settings.HUEY.pending_count()"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=_env(data, DJANGO_SETTINGS_MODULE="dean06.settings", DEAN06_WORKER="external"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr
    assert (data / "dean06.sqlite3").stat().st_size > 0
    assert (data / "huey.sqlite3").stat().st_size > 0
    assert _private(data) == []


def test_whatever_a_command_creates_is_private(tmp_path):
    data = tmp_path / "data"
    made = tmp_path / "made.txt"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dean06.cli",
            "manage",
            "shell",
            "-c",
            f"from pathlib import Path; Path({str(made)!r}).write_text('x')",
        ],
        env=_env(data),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )
    assert result.returncode == 0, result.stderr
    assert _mode(made) == 0o600


def test_the_cli_gives_the_umask_back(db):
    from dean06.cli import main

    with _umask(0o022):
        main(["createuser", "x", "--role", "secretariat", "--password", "1"])
        assert os.umask(0o022) == 0o022


def test_uploaded_files_and_their_folders_are_private(settings, tmp_path, reference):
    from dean06.plans.uploads import plan_upload_create

    settings.MEDIA_ROOT = tmp_path / "files"
    with _umask(0o022):
        upload = plan_upload_create(
            file=SimpleUploadedFile("ke-hoach.txt", "Kế hoạch".encode()), by=None
        )
    stored = Path(upload.file.path)
    assert stored.is_file()
    assert _private(tmp_path / "files") == []


def test_collected_static_files_stay_readable_by_a_front_server(settings, tmp_path):
    from django.core.files.storage import storages

    settings.STATIC_ROOT = str(tmp_path / "static")
    storage = storages.create_storage(settings.STORAGES["staticfiles"])
    with _umask(0o077):
        name = storage.save("dean06/x.css", ContentFile(b"body{}"))
    assert _mode(Path(storage.path(name))) == 0o644
    assert _mode(tmp_path / "static" / "dean06") == 0o755


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_stale_timeout_is_a_clear_error(tmp_path, value):
    result = subprocess.run(
        [sys.executable, "-m", "dean06.cli", "init", "--no-reference"],
        env=_env(tmp_path / "data", DEAN06_UPLOAD_STALE_MINUTES=value),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "DEAN06_UPLOAD_STALE_MINUTES" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
