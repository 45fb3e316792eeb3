"""Subcommands of the monthly cycle: `periods`, `status` (and `remind`, registered by the
notifications app). Their JSON shapes are read by other tools: keep the keys."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from dean06.cli import EXIT_OK, EXIT_USAGE, CommandError, date_arg, setup_django


def _table(rows: list[list[Any]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


# --- periods -----------------------------------------------------------------------------------


def cmd_periods(args: argparse.Namespace) -> int:
    """The reporting periods of a year (Decree 09/2019): pure arithmetic, no database needed."""
    from dean06 import config
    from dean06.tracking.periods import KINDS, PERIODS_PER_YEAR, PeriodError, period_span

    today = config.demo_today() or dt.datetime.now(tz=ZoneInfo("Asia/Ho_Chi_Minh")).date()
    year = args.year or today.year
    try:
        spans = [
            period_span(kind, year, number)
            for kind in KINDS
            for number in range(1, PERIODS_PER_YEAR[kind] + 1)
        ]
    except PeriodError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    items = [
        {
            "kind": s.kind,
            "year": s.year,
            "number": s.number,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "due_date": s.due_date.isoformat(),
            "label": s.label,
        }
        for s in spans
    ]
    if args.format == "json":
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        rows = [
            [s.label, f"{s.start:%d/%m/%Y}", f"{s.end:%d/%m/%Y}", f"{s.due_date:%d/%m/%Y}"]
            for s in spans
        ]
        print(_table(rows, ["Kỳ", "Từ ngày", "Đến ngày", "Hạn báo cáo"]))
    return EXIT_OK


def _register_periods(sub: Any) -> None:
    p = sub.add_parser(
        "periods",
        help="các kỳ báo cáo của một năm (Nghị định 09/2019: tháng từ ngày 15 tháng trước)",
        description="In các kỳ báo cáo của một năm: tháng, quý, 6 tháng, năm.",
    )
    p.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.set_defaults(handler=cmd_periods)


# --- status ------------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    """Every task's derived status on a day, and the four counts."""
    setup_django(require_schema=True)
    from dean06.accounts.permissions import SystemReader
    from dean06.core import clock
    from dean06.plans.models import Plan
    from dean06.tracking.selectors import status_report

    on = args.on or clock.today()
    plan = None
    if args.plan:
        plans = Plan.objects.filter(number__iexact=args.plan.strip())
        if args.plan.isdigit():
            plans = Plan.objects.filter(pk=int(args.plan)) | plans
        plan = plans.order_by("-date").first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch «{args.plan}».", EXIT_USAGE)
    report = status_report(SystemReader(), on, plan=plan)
    tasks: list[dict[str, Any]] = [
        {
            "plan": row.task.plan.number,
            "code": row.task.code,
            "status": row.status.value,
            "status_label": row.status.label,
            "timeliness": row.verdict.timeliness.value,
            "due_date": row.task.due_date.isoformat() if row.task.due_date else None,
            "completed_on": row.verdict.completed_on.isoformat()
            if row.verdict.completed_on
            else None,
            "days_left": row.verdict.days_left,
            "lead_units": [u.key for u in row.lead_units],
            "lead_unit_names": [u.name for u in row.lead_units],
        }
        for row in report.rows
    ]
    data = {
        "on": on.isoformat(),
        "plan": plan.number if plan else None,
        "counts": {**report.counts, **{f"status_{k}": v for k, v in report.by_status.items()}},
        "tasks": tasks,
        "without_lead": [f"{t.plan.number} {t.code}" for t in report.without_lead],
    }
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    from dean06.tracking.status import Timeliness

    print(f"Tình hình thực hiện nhiệm vụ đến ngày {on:%d/%m/%Y}" + (f" — {plan}" if plan else ""))
    for t in Timeliness:
        print(f"  {t.label}: {report.counts[t.value]}")
    rows = [
        [
            f"{r['plan']} {r['code']}",
            r["status_label"],
            dt.date.fromisoformat(r["due_date"]).strftime("%d/%m/%Y") if r["due_date"] else "—",
            _units_text(r["lead_unit_names"]),
        ]
        for r in tasks
    ]
    print()
    print(_table(rows, ["Nhiệm vụ", "Tình trạng", "Hạn", "Chủ trì"]))
    if report.without_lead:
        print(f"\n{len(report.without_lead)} nhiệm vụ chưa có đơn vị chủ trì.")
    return EXIT_OK


def _units_text(names: list[str]) -> str:
    if not names:
        return "CHƯA CÓ ĐƠN VỊ CHỦ TRÌ"
    if len(names) > 3:
        return f"{', '.join(names[:2])} và {len(names) - 2} đơn vị khác"
    return ", ".join(names)


def _register_status(sub: Any) -> None:
    p = sub.add_parser(
        "status",
        help="tình trạng các nhiệm vụ và bốn chỉ số (đúng hạn, trễ hạn, trong hạn, quá hạn)",
        description="In tình trạng từng nhiệm vụ (suy ra từ thời hạn và báo cáo) tại một ngày.",
    )
    p.add_argument("--on", type=date_arg, help="ngày xét (YYYY-MM-DD; mặc định hôm nay)")
    p.add_argument("--plan", help="số, ký hiệu kế hoạch (vd. 18/KH-UBND)")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.set_defaults(handler=cmd_status)


# --- remind ------------------------------------------------------------------------------------


def cmd_remind(args: argparse.Namespace) -> int:
    """One round of reminders by hand (the worker runs one every day at 07:00)."""
    setup_django(require_schema=True)
    from dean06.core import clock
    from dean06.notifications.services import reminders_round

    on = args.on or clock.today()
    result = reminders_round(on, dry_run=args.dry_run)
    data = result.as_dict()
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    heading = "Nhắc việc (chạy thử: không gửi, không ghi)" if args.dry_run else "Nhắc việc"
    print(f"{heading} ngày {on:%d/%m/%Y}: {len(result.reminders)} thông báo")
    if result.reminders:
        rows = [
            [
                notice.unit.name if notice.unit else "—",
                notice.kind.label,
                notice.period_label or "—",
                ", ".join(notice.addresses) or "CHƯA CÓ NGƯỜI NHẬN",
                ", ".join(i.task.code for i in notice.items),
                _remind_outcome(notice.status),
            ]
            for notice in result.reminders
        ]
        print()
        print(_table(rows, ["Đơn vị", "Loại", "Kỳ", "Thư điện tử", "Nhiệm vụ", "Kết quả"]))
    if result.secretariat_told:
        print(
            f"\nĐã báo Thường trực: {len(result.secretariat_told)} đơn vị chưa có người nhận "
            "thư điện tử."
            if not args.dry_run
            else f"\nSẽ báo Thường trực: {len(result.secretariat_told)} đơn vị chưa có người "
            "nhận thư điện tử."
        )
    if result.failed:
        print(f"\n{result.failed} thông báo gửi không được: sẽ gửi lại ở lần nhắc sau.")
    return EXIT_OK


def _remind_outcome(status: str | None) -> str:
    from dean06.notifications.models import NotificationStatus

    if status is None:
        return "chưa gửi (chạy thử)"
    return str(NotificationStatus(status).label)


def _register_remind(sub: Any) -> None:
    p = sub.add_parser(
        "remind",
        help="nhắc các đơn vị chưa báo cáo (thư điện tử và thông báo trên hệ thống)",
        description=(
            "Chạy một lượt nhắc việc: đơn vị chưa báo cáo trước hạn, đúng ngày hạn, quá hạn; "
            "nhiệm vụ quá hạn. Mỗi đơn vị một thông báo cho mỗi loại và kỳ; không nhắc lại "
            "trong số ngày DEAN06_REMIND_REPEAT_DAYS."
        ),
    )
    p.add_argument("--dry-run", action="store_true", help="chỉ in, không gửi và không ghi gì")
    p.add_argument("--on", type=date_arg, help="ngày xét (YYYY-MM-DD; mặc định hôm nay)")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.set_defaults(handler=cmd_remind)


REGISTRARS: list[Callable[[Any], None]] = [_register_periods, _register_status, _register_remind]
