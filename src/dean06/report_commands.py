"""`dean06 report`: the consolidated monthly report of a period as Word, Excel or PDF.

Imports stay inside the handler: `dean06 --help` and the other commands do not pay for
python-docx, openpyxl or the report builder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dean06.cli import EXIT_OK, EXIT_USAGE, CommandError, date_arg, setup_django


def _write(path: Path, data: bytes) -> None:
    """All or nothing: a half-written report never replaces a good one."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".dean06-", suffix=path.suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_report(args: argparse.Namespace) -> int:
    from dean06.tracking.periods import PeriodError, parse_month

    try:
        year, month = parse_month(args.period)
    except PeriodError as exc:
        raise CommandError(f"--period: {exc} (dạng YYYY-MM, vd. 2024-07)", EXIT_USAGE) from exc
    out = Path(args.out)
    fmt = (args.format or out.suffix.lstrip(".")).lower()
    if not out.parent.is_dir() and str(out.parent):
        raise CommandError(f"Không có thư mục «{out.parent}» để ghi báo cáo.", EXIT_USAGE)
    setup_django(require_schema=True)
    from dean06.core import clock
    from dean06.core.exceptions import ApplicationError
    from dean06.reports.builder import ReportOptions
    from dean06.reports.content import MonthlyReport
    from dean06.reports.services import report_generate
    from dean06.tracking.models import PeriodKind, ReportingPeriod

    period = ReportingPeriod.objects.filter(kind=PeriodKind.MONTH, year=year, number=month).first()
    if period is None:
        raise CommandError(
            f"Chưa có kỳ báo cáo tháng {month}/{year}: chạy `dean06 init` hoặc nhập báo cáo "
            "của kỳ trước.",
            EXIT_USAGE,
        )
    options = ReportOptions(date=args.date, signer_name=args.signer or "")
    try:
        generated = report_generate(
            period=period, fmt=fmt, by=None, on=args.on or clock.today(), options=options
        )
    except ApplicationError as exc:
        raise CommandError(exc.message, EXIT_USAGE) from exc
    with generated.file.open("rb") as f:
        _write(out, f.read())
    content = MonthlyReport.from_json(generated.snapshot)
    print(
        f"Đã lập báo cáo {content.period_label}: {content.document_count()} văn bản, "
        f"{content.task_count()} nhiệm vụ có báo cáo, {len(content.services)} dịch vụ công "
        f"→ {out} ({generated.size // 1024 or 1} KB; lưu bản số {generated.pk})."
    )
    return EXIT_OK


def _register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="lập báo cáo tổng hợp tháng (Word, Excel hoặc PDF)",
        description=(
            "Lập báo cáo tổng hợp kết quả triển khai Đề án 06 của một tháng từ dữ liệu đã có: "
            "phần báo cáo và các phụ lục (văn bản, tiến độ nhiệm vụ, 25 DVC thiết yếu, tình hình "
            "gửi báo cáo, kiểm tra số liệu). Bản đã lập được lưu kèm dữ liệu để lập lại "
            "đúng như cũ."
        ),
    )
    p.add_argument("--period", required=True, help="kỳ báo cáo YYYY-MM (vd. 2024-07)")
    p.add_argument(
        "--out", required=True, help="tệp ghi ra; định dạng theo đuôi tệp: .docx, .xlsx, .pdf"
    )
    p.add_argument("--format", help="định dạng (mặc định theo đuôi của --out)")
    p.add_argument(
        "--on", type=date_arg, help="số liệu tính đến ngày (YYYY-MM-DD; mặc định hôm nay)"
    )
    p.add_argument("--date", type=date_arg, help="ngày ký in trên báo cáo (mặc định để trống)")
    p.add_argument("--signer", help="họ tên người ký")
    p.set_defaults(handler=cmd_report)


REGISTRARS: list[Callable[[Any], None]] = [_register]
