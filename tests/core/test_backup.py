"""`dean06 backup` / `dean06 restore`: a round trip gives back every row of every table and every
file, on SQLite and on PostgreSQL; a damaged archive or a non-empty target is refused and leaves
the target as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dean06.reference import seed_path

pytestmark = [pytest.mark.slow, pytest.mark.once]
BIN = Path(sys.executable).parent / "dean06"
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


def _env(data: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env["DEAN06_DATA_DIR"] = str(data)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([str(BIN), *args], env=env, capture_output=True, text=True)
    if ok:
        assert out.returncode == 0, out.stderr
    return out


def _rows(env: dict[str, str]) -> list[dict]:
    """Every row of every table, as the backup's own precise JSON, in a fixed order."""
    args = ["manage", "dumpdata", "--natural-foreign", "--format=precisejson"]
    rows = json.loads(_run(env, *args, *(f"--exclude={e}" for e in EXCLUDE)).stdout)
    return sorted(rows, key=lambda r: (r["model"], str(r.get("pk"))))


def _files(data: Path) -> dict[str, str]:
    root = data / "files"
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A province's data on SQLite: the 2024 plan, July's report, the consolidated report made
    (a file), and its backup."""
    folder = tmp_path_factory.mktemp("backup-source")
    env = _env(folder / "data")
    _run(env, "init", "--quiet")
    _run(env, "import-plan", str(seed_path("000_29642a5544120c4a.txt")))
    _run(env, "import-report", str(seed_path("003_9912287c508b6ad0.txt")), "--period", "2024-07")
    _run(env, "report", "--period", "2024-07", "--out", str(folder / "r.docx"))
    archive = folder / "sao-luu.zip"
    _run(env, "backup", "--out", str(archive))
    return {"env": env, "data": folder / "data", "archive": archive, "rows": _rows(env)}


def test_the_archive_holds_a_manifest_with_checksums(source):
    assert source["archive"].stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(source["archive"]) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert set(manifest["members"]) == set(z.namelist()) - {"manifest.json"}
        for name, member in manifest["members"].items():
            assert hashlib.sha256(z.read(name)).hexdigest() == member["sha256"]
    rows = manifest["rows"]
    assert rows["plans.task"] > 40 and rows["documents.documentrecord"] == 30
    assert any(name.startswith("files/reports/") for name in manifest["members"])


def _restore_and_compare(source: dict, data: Path, url: str | None = None) -> dict[str, str]:
    target = _env(data, url)
    _run(target, "restore", str(source["archive"]))
    assert len(source["rows"]) > 3000
    assert _rows(target) == source["rows"]
    assert _files(data) == _files(source["data"]) != {}
    return target


def test_round_trip_on_sqlite_gives_back_every_row_and_file(source, tmp_path):
    target = _restore_and_compare(source, tmp_path / "b")
    # A second restore into what is no longer empty is refused, and changes nothing.
    again = _run(target, "restore", str(source["archive"]), ok=False)
    assert again.returncode == 1 and "không trống" in again.stderr
    assert _rows(target) == source["rows"]


def _postgres_databases(*names: str) -> list[str]:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 5432)) != 0 or shutil.which("psql") is None:
            pytest.skip("PostgreSQL không chạy ở 127.0.0.1:5432 — no PostgreSQL here")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    urls = []
    for name in names:
        db = f"dean06_backup_{name}_{worker}"
        for sql in (f"DROP DATABASE IF EXISTS {db} WITH (FORCE)", f"CREATE DATABASE {db}"):
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
                check=True,
                capture_output=True,
            )
        urls.append(f"postgres://postgres@127.0.0.1:5432/{db}")
    return urls


def test_round_trip_through_postgresql(source, tmp_path):
    """SQLite → PostgreSQL, then a backup made on PostgreSQL restored into another one."""
    first, second = _postgres_databases("a", "b")
    on_postgres = _restore_and_compare(source, tmp_path / "b", first)
    archive = tmp_path / "tu-postgres.zip"
    _run(on_postgres, "backup", "--out", str(archive))
    _restore_and_compare({**source, "archive": archive}, tmp_path / "c", second)


def test_a_damaged_archive_is_refused_and_nothing_is_written(source, tmp_path):
    damaged = tmp_path / "hong.zip"
    with zipfile.ZipFile(source["archive"]) as z, zipfile.ZipFile(damaged, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "data.json":
                data = data.replace(b'"18/KH-UBND"', b'"19/KH-UBND"', 1)
            out.writestr(item, data)
    target = _env(tmp_path / "b")
    result = _run(target, "restore", str(damaged), ok=False)
    assert result.returncode == 1 and "bị hỏng" in result.stderr
    assert _rows(target) == []
    files = tmp_path / "b" / "files"
    assert not files.exists() or not any(files.iterdir())


def test_an_archive_of_a_later_zip_version_is_refused_in_words(tmp_path):
    # zipfile raises NotImplementedError for "zip file version 6.4": a refusal, not a traceback.
    from dean06.core.backup import BackupError, backup_restore

    path = tmp_path / "moi.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("manifest.json", "{}")
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 6 : central + 8] = (64).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="Không mở được bản sao lưu"):
        backup_restore(path)
