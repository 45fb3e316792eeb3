"""Subcommands of `dean06` that read documents: extract, import-plan, check-report, import-report.

Each registrar adds one subparser; handlers parse, call the ingest library or a service, print.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dean06.cli import EXIT_OK, EXIT_USAGE, CommandError, setup_django


def _read_input(path: str) -> tuple[bytes, str]:
    """The file's bytes and name; a file over every size limit is refused before it is read."""
    from dean06.ingest import IngestError
    from dean06.ingest.limits import check_file_size, current

    try:
        if path == "-":
            data = sys.stdin.buffer.read(current().file_bytes + 1)
            check_file_size(len(data))
            return data, "stdin.txt"
        file = Path(path)
        check_file_size(file.stat().st_size)
        return file.read_bytes(), file.name
    except IngestError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    except FileNotFoundError as exc:
        raise CommandError(f"Không tìm thấy tệp {path} (file not found)", EXIT_USAGE) from exc
    except IsADirectoryError as exc:
        raise CommandError(f"{path} là thư mục, không phải tệp (not a file)", EXIT_USAGE) from exc
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}", EXIT_USAGE) from exc


def _progress(done: int, total: int, message: str) -> None:
    """Progress of long reading (OCR) on stderr: one updating line on a terminal, else lines."""
    if sys.stderr.isatty():
        print(f"\r\033[K[{done}/{total}] {message}", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)
    else:
        print(f"[{done}/{total}] {message}", file=sys.stderr, flush=True)


def _extract(path: str, registry: Any = None) -> Any:
    from dean06.ingest import IngestError, extract

    data, name = _read_input(path)
    try:
        return extract(data, registry, filename=name, progress=_progress), data, name
    except IngestError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc


def _extract_registry() -> tuple[Any, str]:
    """The registry `extract` resolves units against, and one line saying which: the database's
    (the one `import-plan` uses) when one is set up, else the file shipped with the package."""
    from dean06 import config
    from dean06.ingest import UnitRegistry

    shipped = UnitRegistry.default()
    why = "chưa có cơ sở dữ liệu"
    try:
        url = config.database_url(config.data_dir(create=False))
        # A missing SQLite file is no database: connecting would create an empty one.
        missing = url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).exists()
        if not missing:
            setup_django(require_schema=True)
            from dean06.orgs.selectors import unit_registry

            registry = unit_registry()
            if registry.units:
                return registry, (
                    f"Đối chiếu đơn vị theo danh mục trong cơ sở dữ liệu ({len(registry.units)} "
                    "đơn vị), như khi nhập kế hoạch."
                )
            why = "cơ sở dữ liệu chưa có đơn vị nào"
    except CommandError:
        why = "cơ sở dữ liệu chưa được khởi tạo hoặc không kết nối được"
    except Exception as exc:  # any database failure: extract still works without it
        why = f"không đọc được cơ sở dữ liệu ({type(exc).__name__})"
    return shipped, (
        f"Đối chiếu đơn vị theo danh mục kèm phần mềm ({len(shipped.units)} đơn vị) vì {why}."
    )


def cmd_extract(args: argparse.Namespace) -> int:
    from dean06.ingest.present import plan_table

    registry, which = _extract_registry()
    plan, _, _ = _extract(args.file, registry)
    if args.format == "json":
        # The JSON stays parseable: which registry was used goes to stderr.
        print(which, file=sys.stderr)
        print(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(which)
        print(plan_table(plan))
    return EXIT_OK


@contextmanager
def _database_errors() -> Iterator[None]:
    """A database or validation error as one line and exit 2.

    Two imports at once meet here: SQLite answers "database is locked" once its busy timeout runs
    out, and two first saves of the same record collide on a unique constraint.
    """
    from django.core.exceptions import ValidationError
    from django.db import Error as DatabaseError
    from django.db import IntegrityError, OperationalError

    try:
        yield
    except ValidationError as exc:
        # A value the database cannot hold (a 30-digit count) stops the import, atomically.
        pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
        detail = "; ".join(
            f"{field}: {message}" if field else message
            for field, messages in pairs
            for message in dict.fromkeys(messages)
        )
        raise CommandError(
            f"Số liệu không hợp lệ, chưa ghi gì: {detail} (invalid value)", EXIT_USAGE
        ) from exc
    except DatabaseError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        # SQLite: "database is locked"; PostgreSQL: lock timeouts, deadlocks, serialization.
        busy = isinstance(exc, IntegrityError) or (
            isinstance(exc, OperationalError)
            and any(word in detail.lower() for word in ("lock", "busy", "serializ"))
        )
        if busy:
            message = (
                "Cơ sở dữ liệu đang bận hoặc một lần nhập khác đang chạy; thử lại sau. "
                f"(database busy or another import running: {detail})"
            )
        else:
            message = f"Lỗi cơ sở dữ liệu, chưa ghi gì: {detail} (database error)"
        raise CommandError(message, EXIT_USAGE) from exc


def cmd_import_plan(args: argparse.Namespace) -> int:
    with _database_errors():
        return _import_plan(args)


def _import_plan(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    from dean06.core.exceptions import ApplicationError
    from dean06.ingest.present import plan_table
    from dean06.orgs.selectors import unit_registry
    from dean06.plans.services import plan_import

    plan, data, name = _extract(args.file, unit_registry())
    print(plan_table(plan))
    print()
    try:
        result = plan_import(
            extracted=plan, by=None, source_name=name, source_bytes=data, dry_run=args.dry_run
        )
    except ApplicationError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    for change in result.changes:
        label = {"added": "mới", "changed": "thay đổi", "removed": "bỏ"}[change.kind]
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        print(f"  {label}: {change.code}{fields}")
    print(result.summary())
    for links in result.continuity:
        _print_links(links, dry_run=args.dry_run)
    if args.dry_run:
        print("(--dry-run: chưa ghi gì vào cơ sở dữ liệu)")
    return EXIT_OK


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _print_links(links: Any, *, dry_run: bool) -> None:
    """The tasks of a plan that continue last year's, and those on either side left unmatched."""

    def decimal(value: float) -> str:
        return f"{value:.2f}".replace(".", ",")

    plan, previous = links.plan, links.previous
    year = f"năm {previous.year} " if previous.year else ""
    print()
    print(
        f"Tiếp nối kế hoạch {year}{previous.number}: {plan.number} có {len(links.matched)} "
        f"nhiệm vụ tiếp nối ({'sẽ ' if dry_run else ''}thay đổi lần này: {links.changed}), "
        f"{len(links.unmatched_new)} nhiệm vụ mới; {len(links.unmatched_old)} nhiệm vụ năm "
        "trước không được tiếp nối."
    )
    for link in links.matched:
        review = ""
        if link.review and link.rival_score is not None:
            review = f"; cần rà soát: gần bằng {link.rival} ({decimal(link.rival_score)})"
        print(
            f"  {link.task.code} tiếp nối {link.previous.code} (điểm {decimal(link.score)}"
            f"{review}){' [mới]' if link.changed else ''}: {_short(link.previous.content)}"
        )
    for task in links.kept:
        print(f"  {task.code}: giữ liên kết đã có với nhiệm vụ {task.continues.code}")
    if links.unmatched_new:
        codes = ", ".join(t.code for t in links.unmatched_new)
        print(f"Nhiệm vụ mới, không tiếp nối nhiệm vụ nào: {codes}")
    if links.unmatched_old:
        print(f"Nhiệm vụ của kế hoạch {previous.number} không được tiếp nối:")
        for task in links.unmatched_old:
            print(f"  {task.code}: {_short(task.content)}")


def _register_extract(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="đọc một kế hoạch và in nhiệm vụ, đơn vị, thời hạn (không ghi cơ sở dữ liệu)",
        description="Đọc kế hoạch (Word, PDF, PDF scan, Excel, HTML, văn bản) và in kết quả.",
    )
    p.add_argument("file", help="tệp kế hoạch, hoặc - để đọc từ đầu vào chuẩn")
    p.add_argument("--format", choices=["json", "table"], default="table", help="dạng in ra")
    p.set_defaults(handler=cmd_extract)


def _register_import_plan(sub: Any) -> None:
    p = sub.add_parser(
        "import-plan",
        help="đọc, xem trước và lưu kế hoạch cùng phân công nhiệm vụ",
        description="Đọc kế hoạch, in bản xem trước và lưu (chạy lại cùng tệp không đổi gì).",
    )
    p.add_argument("file", help="tệp kế hoạch")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    p.set_defaults(handler=cmd_import_plan)


def _read_report(path: str) -> Any:
    """The report in any form (text, Word, legacy Word, Excel, PDF, scan), chosen by content."""
    from dean06.ingest import IngestError
    from dean06.ingest.report import extract_report

    data, _name = _read_input(path)
    try:
        return extract_report(data, filename=_name, progress=_progress)
    except IngestError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc


def _figure_line(figure: Any) -> str:
    """A prose figure for the table output: value (of whole), unit, its clause and line."""

    def number(value: float) -> str:
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")

    value = number(figure.value) + ("%" if figure.unit == "%" else "")
    if figure.whole is not None:
        value += f"/{number(figure.whole)}"
    unit = "" if figure.unit == "%" else f" {figure.unit}"
    where = f"dòng {figure.source.line}" if figure.source.line else ""
    topic = f" [{figure.topic}]" if figure.topic else ""
    return f"{value}{unit}{topic} ({where}): {_short(figure.label, 90)}"


def _findings_table(findings: list[Any]) -> list[str]:
    lines = [f"{'PL':<4}{'Dòng':<8}{'Mức':<9}{'Quy tắc':<26}Nội dung"]
    for f in findings:
        row = "tổng" if f.row is None else f.row
        lines.append(f"{f.appendix:<4}{row:<8}{f.severity:<9}{f.rule:<26}{f.ref}: {f.message}")
    return lines


def cmd_check_report(args: argparse.Namespace) -> int:
    from dean06.quality.checks import check_report, check_report_dict

    report = _read_report(args.file)
    if args.format == "json":
        data = check_report_dict(report)
        if report.figures:
            # Only a report without appendices has them: the appendix JSON stays as it was.
            data["figures"] = report.to_dict()["figures"]
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    findings = check_report(report)
    print(
        f"Đã đọc: {len(report.documents)} văn bản (Phụ lục I), {len(report.tasks)} nhiệm vụ "
        f"(Phụ lục II), {len(report.services)} dịch vụ công (Phụ lục III)."
    )
    if report.figures:
        print(
            "Báo cáo không có bảng phụ lục: đã đọc "
            f"{len(report.figures)} số liệu viết trong lời văn (cần người xác nhận trước khi dùng):"
        )
        for figure in report.figures:
            print("  " + _figure_line(figure))
    for warning in report.warnings:
        if warning.code == "report.reader":
            print(f"Lưu ý: {warning.message}")
    print(f"{len(findings)} phát hiện:")
    for line in _findings_table(findings):
        print("  " + line)
    return EXIT_OK


def cmd_import_report(args: argparse.Namespace) -> int:
    from dean06.tracking.periods import PeriodError, parse_month

    try:
        year, month = parse_month(args.period)
    except PeriodError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    report = _read_report(args.file)
    with _database_errors():
        setup_django(require_schema=True)
        from dean06.core.exceptions import ApplicationError
        from dean06.imports.report import report_import

        try:
            result = report_import(
                report=report,
                year=year,
                month=month,
                by=None,
                source=Path(args.file).name,
                dry_run=args.dry_run,
            )
        except ApplicationError as exc:
            hint = f" Xem bằng `dean06 check-report {args.file}`." if report.figures else ""
            raise CommandError(exc.message + hint, EXIT_USAGE) from exc
    print(result.summary())
    changes = result.change_lines()
    if changes:
        print("Thay đổi so với dữ liệu đã có:")
        for line in changes:
            print("  " + line)
    for line in _findings_table([*result.findings, *result.reviews]):
        print("  " + line)
    for created in result.tasks_created:
        print(f"  nhiệm vụ mới cần rà soát: {created}")
    if args.dry_run:
        print("(--dry-run: chưa ghi gì vào cơ sở dữ liệu)")
    return EXIT_OK


def _register_check_report(sub: Any) -> None:
    p = sub.add_parser(
        "check-report",
        help="đọc phụ lục của một báo cáo tháng và in mọi lỗi số liệu (không ghi cơ sở dữ liệu)",
        description="Đọc Phụ lục I (văn bản), II (tiến độ), III (25 DVC) và kiểm tra số liệu.",
    )
    p.add_argument("file", help="tệp báo cáo, hoặc - để đọc từ đầu vào chuẩn")
    p.add_argument("--format", choices=["json", "table"], default="table", help="dạng in ra")
    p.set_defaults(handler=cmd_check_report)


def _register_import_report(sub: Any) -> None:
    p = sub.add_parser(
        "import-report",
        help="nạp một báo cáo tháng: văn bản, tiến độ nhiệm vụ, số liệu DVC và các phát hiện",
        description="Nạp báo cáo tháng vào cơ sở dữ liệu (chạy lại cùng tệp không đổi gì).",
    )
    p.add_argument("file", help="tệp báo cáo")
    p.add_argument("--period", required=True, help="kỳ báo cáo dạng YYYY-MM, vd. 2024-07")
    p.add_argument(
        "--dry-run", action="store_true", help="chỉ in những gì sẽ thay đổi, không ghi gì"
    )
    p.set_defaults(handler=cmd_import_report)


REGISTRARS: list[Callable[[Any], None]] = [
    _register_extract,
    _register_import_plan,
    _register_check_report,
    _register_import_report,
]
