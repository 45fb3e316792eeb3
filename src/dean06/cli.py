"""The `dean06` command: parses arguments and calls services or Django management commands.

Every failure the user can cause (bad input, unreachable database, unwritable data directory)
ends with one clear line on stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure to report in one line, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def date_arg(text: str) -> dt.date:
    """An argparse type: a day written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ngày «{text}» không đúng dạng YYYY-MM-DD") from exc


def _fail(message: str) -> None:
    print(f"dean06: lỗi: {message}", file=sys.stderr)


def setup_django(*, check_database: bool = True, require_schema: bool = False) -> None:
    """Configure Django; check that the data directory is writable and the database answers."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dean06.settings")
    from dean06 import config

    try:
        import django

        directory = config.data_dir()
        config.ensure_writable(directory)
        django.setup()
    except config.ConfigError as exc:
        raise CommandError(str(exc)) from exc
    except ValueError as exc:  # dj-database-url: an unknown scheme or a malformed URL
        raise CommandError(
            f"DATABASE_URL không hợp lệ: {exc} (invalid DATABASE_URL)", EXIT_USAGE
        ) from exc
    if check_database:
        from django.db import connection
        from django.db.utils import Error as DatabaseError

        try:
            connection.ensure_connection()
        except DatabaseError as exc:
            first_line = (
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
            raise CommandError(
                f"Không kết nối được cơ sở dữ liệu ({first_line}). "
                "Kiểm tra DATABASE_URL. (cannot connect to the database)"
            ) from exc
    if require_schema:
        from dean06 import bootstrap

        if not bootstrap.is_migrated():
            raise CommandError(
                "Cơ sở dữ liệu chưa được khởi tạo hoặc cần nâng cấp: chạy `dean06 init` trước. "
                "(database not initialised: run `dean06 init`)"
            )


# --- commands ---------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    setup_django()
    from dean06 import bootstrap

    for line in bootstrap.initialise(reference=not args.no_reference, verbose=not args.quiet):
        print(line)
    return EXIT_OK


def cmd_load_reference(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    from dean06 import bootstrap

    for line in bootstrap.load_reference():
        print(line)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("DEAN06_WORKER", "embedded")
    if os.environ.get("DEAN06_DEMO_TODAY"):
        raise CommandError(
            "DEAN06_DEMO_TODAY chỉ dùng cho bản dùng thử (`dean06 demo`); "
            "máy chủ thật chạy theo ngày thực. (DEAN06_DEMO_TODAY is for the demo only)",
            EXIT_USAGE,
        )
    setup_django(require_schema=True)
    return _serve(args.host, args.port, args.threads)


def _serve(host: str, port: int, threads: int) -> int:
    import waitress

    from dean06.wsgi import application

    consumer = _start_embedded_worker()
    print(f"dean06 đang chạy tại http://{host}:{port}/  (Ctrl+C để dừng)", flush=True)
    try:
        waitress.serve(application, host=host, port=port, threads=threads, ident="dean06")
    except OSError as exc:
        raise CommandError(
            f"Không mở được cổng {host}:{port}: {exc.strerror or exc} (cannot listen)"
        ) from exc
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
    return EXIT_OK


def _start_embedded_worker() -> Any:
    """Background jobs (plan reading, OCR) in worker threads of this process, unless another
    process runs them (DEAN06_WORKER=external) or they run inline."""
    import signal

    from django.conf import settings

    if settings.WORKER_MODE != "embedded":
        return None
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    # Every app's tasks module, as `run_huey` imports them: the periodic jobs (the heartbeat, the
    # morning reminders) and the start-up hook exist only once their module is imported, and the
    # pages import only some of them.
    autodiscover_modules("tasks")

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=True)
    consumer.start()
    # The consumer takes over SIGINT/SIGTERM for its own run loop, which we do not use: give
    # them back so that Ctrl+C and `kill` stop the server.
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    return consumer


# The demo runs inside the July 2024 cycle of its documents: what is due, late and waiting.
DEMO_TODAY = "2024-07-10"


def cmd_demo(args: argparse.Namespace) -> int:
    if not args.no_serve:
        os.environ.setdefault("DEAN06_WORKER", "embedded")
    os.environ.setdefault("DEAN06_DEMO_TODAY", DEMO_TODAY)
    setup_django()
    from dean06 import demo

    for line in demo.load_demo(progress=True):
        print(line, flush=True)
    print(f"\nMở trình duyệt: http://{args.host}:{args.port}/", flush=True)
    print("Tài khoản dùng thử (tên đăng nhập / mật khẩu — vai trò):", flush=True)
    for account in demo.DEMO_ACCOUNTS:
        print(
            f"  {account.username} / {account.password} — {account.role_label}"
            + (f" ({account.unit_key})" if account.unit_key else ""),
            flush=True,
        )
    if args.no_serve:
        return EXIT_OK
    return _serve(args.host, args.port, args.threads)


def cmd_createuser(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    from dean06.accounts.services import user_create
    from dean06.core.exceptions import ApplicationError
    from dean06.orgs.models import Unit

    unit = None
    if args.unit:
        unit = Unit.objects.filter(key=args.unit).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã '{args.unit}'.", EXIT_USAGE)
    password = args.password or os.environ.get("DEAN06_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CommandError(
                "Cần mật khẩu: dùng --password hoặc biến DEAN06_PASSWORD.", EXIT_USAGE
            )
        password = getpass.getpass("Mật khẩu: ")
    try:
        user = user_create(
            username=args.username,
            password=password,
            role=args.role,
            unit=unit,
            email=args.email or "",
            full_name=args.full_name or "",
        )
    except ApplicationError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    print(f"Đã tạo tài khoản {user.username} ({user.role_label}).")
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    setup_django(check_database=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dean06 manage", *args.django_args])
    return EXIT_OK


# --- parser -----------------------------------------------------------------------------------

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one Vietnamese line."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"dean06: lỗi: {message}\nXem `{self.prog} --help`.\n")


def _add(
    sub: Any, name: str, handler: Handler, help_text: str, description: str | None = None
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=description or help_text
    )
    parser.set_defaults(handler=handler)
    return parser


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="cổng (mặc định 8000)")
    parser.add_argument("--threads", type=int, default=8, help="số luồng phục vụ (mặc định 8)")


def build_parser() -> argparse.ArgumentParser:
    from dean06 import __version__

    parser = _Parser(
        prog="dean06",
        description="dean06 — theo dõi triển khai Đề án 06 của tỉnh (Project 06 tracking).",
        epilog="Biến môi trường: DATABASE_URL, DEAN06_DATA_DIR, DEAN06_SECRET_KEY, DEAN06_DEBUG.",
    )
    parser.add_argument("--version", action="version", version=f"dean06 {__version__}")
    sub = parser.add_subparsers(title="lệnh", metavar="LỆNH", parser_class=_Parser, dest="command")

    p = _add(sub, "init", cmd_init, "khởi tạo cơ sở dữ liệu và nạp dữ liệu danh mục")
    p.add_argument("--no-reference", action="store_true", help="không nạp dữ liệu danh mục")
    p.add_argument("--quiet", action="store_true", help="chỉ in kết quả chính")

    _add(
        sub,
        "load-reference",
        cmd_load_reference,
        "nạp/cập nhật danh mục đơn vị, nhóm đơn vị và 25 DVC thiết yếu (chạy lại không đổi gì)",
    )

    p = _add(sub, "serve", cmd_serve, "chạy máy chủ web (waitress)")
    _add_server_options(p)

    p = _add(
        sub,
        "demo",
        cmd_demo,
        "khởi tạo, nạp dữ liệu mẫu và tài khoản dùng thử, rồi chạy máy chủ web",
    )
    _add_server_options(p)
    p.add_argument("--no-serve", action="store_true", help="chỉ nạp dữ liệu mẫu, không chạy web")

    from dean06.accounts.roles import Role

    p = _add(sub, "createuser", cmd_createuser, "tạo tài khoản người dùng")
    p.add_argument("username", help="tên đăng nhập")
    p.add_argument("--role", required=True, choices=Role.values, help="vai trò")
    p.add_argument("--unit", help="mã đơn vị (bắt buộc với cán bộ đầu mối, lãnh đạo đơn vị)")
    p.add_argument("--password", help="mật khẩu (hoặc biến DEAN06_PASSWORD, hoặc nhập khi hỏi)")
    p.add_argument("--email", help="thư điện tử")
    p.add_argument("--full-name", help="họ và tên")

    p = _add(
        sub,
        "manage",
        cmd_manage,
        "chuyển lệnh cho Django (vd. `dean06 manage migrate`, `dean06 manage shell`)",
    )
    p.add_argument("django_args", nargs=argparse.REMAINDER, help="lệnh và tham số của Django")

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[Any], None]]:
    """Commands contributed by other modules (documents, the cycle), each registering itself."""
    from dean06 import (
        api_commands,
        backup_commands,
        commands,
        cycle_commands,
        report_commands,
        synthetic,
    )

    return [
        *api_commands.REGISTRARS,
        *backup_commands.REGISTRARS,
        *commands.REGISTRARS,
        *cycle_commands.REGISTRARS,
        *report_commands.REGISTRARS,
        *synthetic.REGISTRARS,
    ]


# Files this process creates (the database and its journals, the job queue, uploaded files) are
# for the user running dean06 alone: they hold personal data and the accounts' password hashes.
PRIVATE_UMASK = 0o077


def actor_label(args: argparse.Namespace) -> str:
    """Who is acting, for audit entries written by a command: "dean06 import-plan (root)"."""
    command = str(getattr(args, "command", None) or "")
    if command == "manage" and getattr(args, "django_args", None):
        command = f"manage {args.django_args[0]}"
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"
    return f"dean06 {command} ({user})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    from dean06.core.actor import audit_context

    # Set before anything is created; given back on return so that a caller inside the same
    # process (the tests) keeps its own.
    old_umask = os.umask(PRIVATE_UMASK)
    try:
        with audit_context(actor_label(args)):
            return handler(args)
    except CommandError as exc:
        _fail(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    finally:
        os.umask(old_umask)


if __name__ == "__main__":
    # Run as `python -m dean06.cli`, this file is loaded twice (as __main__ and as dean06.cli,
    # which the document commands import): use the package's copy so that its errors are caught.
    from dean06.cli import main as package_main

    sys.exit(package_main())
