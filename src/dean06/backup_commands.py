"""`dean06 backup --out FILE` and `dean06 restore FILE`: the database and the uploaded files in
one archive with a manifest and checksums (`dean06.core.backup`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dean06.cli import EXIT_OK, EXIT_USAGE, CommandError, setup_django


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_backup(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".zip":
        raise CommandError("--out: tên tệp sao lưu phải có đuôi .zip", EXIT_USAGE)
    setup_django(require_schema=True)
    from dean06.core.backup import BackupError, backup_write

    try:
        summary = backup_write(out, progress=_say)
    except BackupError as exc:
        raise CommandError(exc.message) from exc
    print(
        f"Đã sao lưu {summary.rows} dòng dữ liệu và {summary.files} tệp → {summary.path} "
        f"({summary.size // 1024} KB)."
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    archive = Path(args.file)
    if not archive.is_file():
        raise CommandError(f"Không có tệp «{archive}».", EXIT_USAGE)
    setup_django()
    from django.core.management import call_command

    from dean06.core.backup import BackupError, backup_restore

    _say("Tạo cấu trúc cơ sở dữ liệu…")
    call_command("migrate", verbosity=0, interactive=False)
    try:
        summary = backup_restore(archive, progress=_say)
    except BackupError as exc:
        raise CommandError(exc.message) from exc
    print(f"Đã phục hồi {summary.rows} dòng dữ liệu và {summary.files} tệp từ {archive}.")
    return EXIT_OK


def _register(sub: Any) -> None:
    from dean06.cli import _add

    p = _add(
        sub,
        "backup",
        cmd_backup,
        "sao lưu cơ sở dữ liệu và các tệp vào một tệp .zip (kèm danh mục, mã kiểm tra)",
    )
    p.add_argument("--out", required=True, help="tệp sao lưu sẽ ghi (.zip)")
    p = _add(
        sub,
        "restore",
        cmd_restore,
        "phục hồi từ tệp sao lưu vào cơ sở dữ liệu và thư mục dữ liệu đang cấu hình (phải trống)",
    )
    p.add_argument("file", help="tệp sao lưu (.zip) do `dean06 backup` lập")


REGISTRARS: list[Callable[[Any], None]] = [_register]
