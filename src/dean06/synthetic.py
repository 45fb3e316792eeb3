"""A synthetic province for measuring: units, one plan of tasks with lead and coordinating units,
and months of progress reports (some on time, some late, some missing) — `dean06
generate-province`. The records are written in bulk and marked as synthetic; never load it into
a province's real database."""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dean06.cli import EXIT_OK, EXIT_USAGE, CommandError, setup_django

SOURCE = "synthetic"
PLAN_PREFIX = "TH"  # "tổng hợp": the synthetic plans' numbers are TH-<n>/KH-UBND


@dataclass
class Generated:
    units: int
    tasks: int
    assignments: int
    reports: int
    plan_number: str
    documents: int = 0
    figures: int = 0


def generate_province(
    *, units: int, tasks: int, months: int, end_year: int, end_month: int, seed: int = 6
) -> Generated:
    """Create `units` units, a plan of `tasks` tasks (one lead and two coordinating units each),
    and the lead units' reports of the `months` months ending with (end_year, end_month)."""
    from django.db import transaction

    from dean06.orgs.models import Unit
    from dean06.plans.models import Assignment, Plan, Task
    from dean06.tracking.models import ProgressReport, ReportStatus
    from dean06.tracking.periods import recent_months
    from dean06.tracking.services import period_get_or_create

    rng = random.Random(seed)  # noqa: S311 — test data, not secrets
    with transaction.atomic():
        run = Plan.objects.filter(number__startswith=f"{PLAN_PREFIX}-").count() + 1
        prefix = f"SYN{run}"
        unit_objs = Unit.objects.bulk_create(
            Unit(
                key=f"{prefix}-{i:04d}",
                name=f"Đơn vị tổng hợp {run}.{i}",
                kind="department" if i % 5 else "people_committee",
                level="province" if i % 5 else "district",
            )
            for i in range(1, units + 1)
        )
        months_list = recent_months(end_year, end_month, months)
        first_year, first_month = months_list[0]
        issued = dt.date(first_year, first_month, 1) - dt.timedelta(days=20)
        plan = Plan.objects.create(
            number=f"{PLAN_PREFIX}-{run}/KH-UBND",
            date=issued,
            year=first_year,
            title="Kế hoạch tổng hợp để đo hiệu năng",
            source_format=SOURCE,
        )
        span_days = max(30, months * 30)
        task_objs = Task.objects.bulk_create(
            Task(
                plan=plan,
                code=f"{1 + i // 10}.{1 + i % 10}",
                content=f"Nhiệm vụ tổng hợp số {i + 1}: triển khai ứng dụng dữ liệu dân cư",
                order=i,
                deadline_kind="date",
                due_date=issued + dt.timedelta(days=rng.randrange(30, span_days + 60)),
                origin=SOURCE,
            )
            for i in range(tasks)
        )
        assignments = []
        due = {t.pk: t.due_date or issued for t in task_objs}
        for task in task_objs:
            chosen = rng.sample(unit_objs, k=min(3, len(unit_objs)))
            roles = ["lead", "coordinating", "coordinating"]
            assignments += [
                Assignment(task=task, unit=u, role=r) for u, r in zip(chosen, roles, strict=False)
            ]
        Assignment.objects.bulk_create(assignments)
        leads = [a for a in assignments if a.role == "lead"]
        periods = [period_get_or_create("month", y, m) for y, m in months_list]
        reports = []
        for period in periods:
            for assignment in leads:
                roll = rng.random()
                if roll > 0.85:
                    continue  # missing
                day = period.due_date - dt.timedelta(days=rng.randrange(1, 8))
                if roll > 0.7:
                    day = period.due_date + dt.timedelta(days=rng.randrange(1, 10))
                done = due[assignment.task.pk] <= period.end and roll < 0.6
                sent = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
                reports.append(
                    ProgressReport(
                        assignment=assignment,
                        period=period,
                        status=ReportStatus.ACCEPTED,
                        state="done" if done else "in_progress",
                        completed_on=due[assignment.task.pk] if done else None,
                        progress="Kết quả thực hiện trong kỳ (số liệu tổng hợp).",
                        source=SOURCE,
                        submitted_at=sent,
                        accepted_at=sent + dt.timedelta(days=2),
                    )
                )
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        documents = _documents(rng, periods, unit_objs)
        figures = _figures(rng, periods, unit_objs)
    return Generated(
        len(unit_objs),
        len(task_objs),
        len(assignments),
        len(reports),
        plan.number,
        documents,
        figures,
    )


def _documents(rng: random.Random, periods: list[Any], units: list[Any]) -> int:
    """Each month, one document recorded for every two units, in the three groups."""
    from dean06.documents.models import DocumentGroup, DocumentRecord

    groups = [DocumentGroup.PROVINCE, DocumentGroup.WORKING_GROUP, DocumentGroup.UNIT]
    records = [
        DocumentRecord(
            number=f"{i + 1}/{period.year}{period.number:02d}/TH",
            doc_type="CV",
            date=period.start + dt.timedelta(days=rng.randrange(0, 28)),
            summary=f"V/v triển khai Đề án 06 (văn bản tổng hợp số {i + 1})",
            group=groups[i % 3],
            issuer_unit=units[i % len(units)] if i % 3 == 2 else None,
            period=period,
            source=SOURCE,
        )
        for period in periods
        for i in range(max(1, len(units) // 2))
    ]
    DocumentRecord.objects.bulk_create(records, batch_size=2000)
    return len(records)


def _figures(rng: random.Random, periods: list[Any], units: list[Any]) -> int:
    """Each month, every People's Committee unit's figures of the 25 services (their parts of
    the province's total)."""
    from dean06.kpis.models import PublicService, ServiceStat, StatLevel

    services = list(PublicService.objects.all())
    committees = [u for u in units if u.kind == "people_committee"]
    stats = []
    for period in periods:
        for service in services:
            for unit in committees:
                total = rng.randrange(0, 400)
                citizens = rng.randrange(0, total + 1)
                stats.append(
                    ServiceStat(
                        service=service,
                        unit=unit,
                        period=period,
                        level=StatLevel.ALL,
                        online_citizens=citizens,
                        online_businesses=rng.randrange(0, total - citizens + 1),
                        total_received=total,
                        source=SOURCE,
                    )
                )
    ServiceStat.objects.bulk_create(stats, batch_size=5000)
    return len(stats)


def cmd_generate_province(args: argparse.Namespace) -> int:
    setup_django(require_schema=True)
    if min(args.units, args.tasks, args.months) < 1:
        raise CommandError("Số đơn vị, nhiệm vụ và tháng phải từ 1 trở lên.", EXIT_USAGE)
    try:
        year, month = (int(x) for x in args.until.split("-"))
    except ValueError as exc:
        raise CommandError("--until phải có dạng YYYY-MM.", EXIT_USAGE) from exc
    made = generate_province(
        units=args.units,
        tasks=args.tasks,
        months=args.months,
        end_year=year,
        end_month=month,
        seed=args.seed,
    )
    print(
        f"Đã tạo {made.units} đơn vị, kế hoạch {made.plan_number} với {made.tasks} nhiệm vụ, "
        f"{made.assignments} phân công, {made.reports} báo cáo tiến độ, {made.documents} văn "
        f"bản, {made.figures} dòng số liệu DVC (dữ liệu tổng hợp)."
    )
    return EXIT_OK


def _register(sub: Any) -> None:
    p = sub.add_parser(
        "generate-province",
        help="tạo một tỉnh giả lập để đo hiệu năng (không dùng trên dữ liệu thật)",
        description=(
            "Tạo đơn vị, một kế hoạch và báo cáo tiến độ nhiều tháng, ghi hàng loạt, đánh dấu "
            "là dữ liệu tổng hợp. Chỉ dùng để đo hiệu năng."
        ),
    )
    p.add_argument("--units", type=int, default=60)
    p.add_argument("--tasks", type=int, default=50)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--until", default="2024-12", help="tháng cuối (YYYY-MM)")
    p.add_argument("--seed", type=int, default=6)
    p.set_defaults(handler=cmd_generate_province)


REGISTRARS: list[Callable[[Any], None]] = [_register]
