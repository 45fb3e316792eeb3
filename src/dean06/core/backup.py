"""Backup and restore: the database and the uploaded files in one archive, with a manifest.

The archive is a zip file:
- `manifest.json`: format, dean06 version, when, the database it came from, the migrations applied,
  the number of rows of every model, and the size and SHA-256 of every member;
- `data.json`: every row, serialised by Django (natural keys for content types and permissions,
  which `migrate` makes again; times to the microsecond: `core.serialization`) — portable between
  SQLite and PostgreSQL;
- `files/…`: the data folder's files (uploads, evidence, generated reports and their snapshots).

The rows are read in one transaction (on PostgreSQL at REPEATABLE READ), so they are one consistent
state. A restore goes only into an empty database and an empty files folder: it checks every
checksum first, loads all rows in one transaction and moves the files into place only when the rows
are in — a failure leaves the target as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

import dean06
from dean06.core.exceptions import ApplicationError

FORMAT = "dean06-backup/1"
# Made again by `migrate` (content types, permissions) or of no worth after a restore (sessions,
# failed sign-in attempts, the job queue lives outside the database).
EXCLUDED = (
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
)
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(ApplicationError):
    """A backup that cannot be made or restored; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    files: int
    size: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _models() -> list[Any]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED and model._meta.managed
    ]


def row_counts() -> dict[str, int]:
    """Rows of every model the backup holds, by label ("plans.task")."""
    return {model._meta.label_lower: model._default_manager.count() for model in _models()}


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _files_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _walk_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def backup_write(out: Path, *, progress: Progress | None = None) -> BackupSummary:
    """Write the archive to `out` (atomically: a half-written archive never takes its place)."""
    say = progress or (lambda _message: None)
    out = out.resolve()
    if not out.parent.is_dir():
        raise BackupError(f"Không có thư mục «{out.parent}» để ghi bản sao lưu.")
    root = _files_root().resolve()
    if out.is_relative_to(root):
        raise BackupError("Không ghi bản sao lưu vào trong thư mục tệp của dean06.")
    fd, tmp_name = tempfile.mkstemp(prefix=".dean06-backup-", suffix=".zip", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryDirectory(prefix="dean06-backup-") as work:
            data = Path(work) / "data.precisejson"
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                say("Đọc cơ sở dữ liệu…")
                counts = row_counts()
                migrations = _applied_migrations()
                call_command(
                    "dumpdata",
                    *sorted({m._meta.app_label for m in _models()}),
                    exclude=list(EXCLUDED),
                    natural_foreign=True,
                    format="precisejson",
                    output=str(data),
                    verbosity=0,
                )
            members: dict[str, dict[str, Any]] = {
                "data.json": {"size": data.stat().st_size, "sha256": _sha256_file(data)}
            }
            files = list(_walk_files(root))
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
                z.write(data, "data.json")
                for number, path in enumerate(files, 1):
                    name = "files/" + path.relative_to(root).as_posix()
                    members[name] = {"size": path.stat().st_size, "sha256": _sha256_file(path)}
                    z.write(path, name)
                    if number % 200 == 0:
                        say(f"Đã chép {number}/{len(files)} tệp…")
                manifest = {
                    "format": FORMAT,
                    "dean06": dean06.__version__,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "database": connection.vendor,
                    "migrations": migrations,
                    "rows": counts,
                    "members": members,
                }
                z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupSummary(out, sum(counts.values()), len(files), out.stat().st_size)


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError("Tệp không phải bản sao lưu của dean06 (thiếu manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu không hỗ trợ: {manifest.get('format')!r}.")
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    names = set(archive.namelist()) - {"manifest.json"}
    listed = set(manifest["members"])
    if names != listed:
        raise BackupError("Bản sao lưu không khớp danh mục: thiếu hoặc thừa tệp.")
    for name, expected in manifest["members"].items():
        if name.startswith("/") or ".." in Path(name).parts:
            raise BackupError(f"Tên tệp không hợp lệ trong bản sao lưu: {name}")
        digest = hashlib.sha256()
        with archive.open(name) as handle:
            for block in iter(lambda h=handle: h.read(CHUNK), b""):  # type: ignore[misc]
                digest.update(block)
        if digest.hexdigest() != expected["sha256"]:
            raise BackupError(f"Tệp {name} trong bản sao lưu bị hỏng (sai mã kiểm tra).")


def _target_is_empty() -> None:
    filled = {label: n for label, n in row_counts().items() if n}
    if filled:
        first = ", ".join(f"{label} ({n})" for label, n in sorted(filled.items())[:3])
        raise BackupError(
            "Cơ sở dữ liệu đích không trống (" + first + "): chỉ phục hồi vào cơ sở dữ liệu mới."
        )
    root = _files_root()
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"Thư mục tệp «{root}» không trống: chỉ phục hồi vào thư mục trống.")


def backup_restore(path: Path, *, progress: Progress | None = None) -> BackupSummary:
    """Restore the archive at `path` into the configured (migrated, empty) database and folder."""
    say = progress or (lambda _message: None)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, NotImplementedError, ValueError) as exc:
        raise BackupError(f"Không mở được bản sao lưu «{path}»: {exc}") from exc
    with archive:
        manifest = _read_manifest(archive)
        unknown = sorted(set(manifest["migrations"]) - set(_applied_migrations()))
        if unknown:
            raise BackupError(
                "Bản sao lưu được lập bởi phiên bản dean06 mới hơn (có bước nâng cấp "
                f"{unknown[0]} mà bản này chưa có): nâng cấp dean06 trước."
            )
        say("Kiểm tra mã kiểm tra của từng tệp…")
        _verify(archive, manifest)
        _target_is_empty()
        root = _files_root()
        root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".dean06-restore-", dir=root.parent))
        try:
            files = [n for n in manifest["members"] if n.startswith("files/")]
            for name in files:
                target = staging / name.removeprefix("files/")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(name) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink, CHUNK)
            with tempfile.TemporaryDirectory(prefix="dean06-restore-") as work:
                data = Path(work) / "data.precisejson"
                data.write_bytes(archive.read("data.json"))
                say("Nạp dữ liệu…")
                with transaction.atomic():
                    call_command("loaddata", str(data), verbosity=0)
                    counts = row_counts()
                    expected = {k: v for k, v in manifest["rows"].items() if k in counts}
                    if {k: counts[k] for k in expected} != expected:
                        raise BackupError("Số dòng sau khi nạp không khớp bản sao lưu.")
            if root.exists():
                root.rmdir()  # empty, checked above
            staging.rename(root)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BackupSummary(path, sum(counts.values()), len(files), path.stat().st_size)
