"""The consolidated monthly report built from the database: what the secretariat compiled by hand.

Reads only (selectors of the domain apps); writes nothing. The result is plain data
(`content.MonthlyReport`) that every exporter lays out and a generated report keeps as its
snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from dean06.accounts.permissions import SystemReader
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from dean06.ingest.text import ROMAN_NUMERALS
from dean06.kpis.models import PublicService, ServiceStat, StatLevel
from dean06.kpis.selectors import (
    province_totals,
    province_unit,
    service_info,
    service_target_defs,
    services_active,
)
from dean06.kpis.shares import online_share
from dean06.kpis.targets import service_result
from dean06.plans.models import AssignmentRole, DirectiveKind, Plan, PlanSection, Task
from dean06.quality.models import Finding, FindingStatus, Severity
from dean06.reports import content as c
from dean06.reports.prose import ReportFacts, write_body
from dean06.tracking.models import ProgressReport, ProgressState, ReportingPeriod
from dean06.tracking.selectors import STATED, completeness, period_owed_reports, status_report

# Phụ lục I: the groups in the order the province's reports print them.
DOCUMENT_GROUPS: tuple[tuple[str, str], ...] = (
    (DocumentGroup.PROVINCE, "Văn bản của UBND tỉnh"),
    (DocumentGroup.WORKING_GROUP, "Văn bản của Tổ công tác Đề án 06 tỉnh"),
    (DocumentGroup.UNIT, "Văn bản của các đơn vị triển khai"),
    (DocumentGroup.CENTRAL, "Văn bản của Trung ương"),
    (DocumentGroup.OTHER, "Văn bản khác"),
)
TASK_GROUPS: tuple[tuple[c.TaskGroupKey, str], ...] = (
    ("done", "NHIỆM VỤ ĐÃ HOÀN THÀNH"),
    ("recurring", "NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN"),
    ("in_progress", "NHIỆM VỤ ĐANG THỰC HIỆN"),
)
PLAN_SHORT = {
    DirectiveKind.PLAN: "KH",
    DirectiveKind.DIRECTIVE: "Chỉ thị",
    DirectiveKind.DECISION: "QĐ",
    DirectiveKind.RESOLUTION: "NQ",
    DirectiveKind.OFFICIAL_LETTER: "CV",
    DirectiveKind.NOTICE: "TB",
}
SEVERITY_LABELS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.RETURNED)


@dataclass(frozen=True)
class ReportOptions:
    """What the data does not say: who issues and signs the report, and to whom it goes.
    Defaults follow the province's People's Committee in the registry."""

    superior_body: str = ""
    issuing_body: str = "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"
    symbol: str = "BC-TCTĐA06"
    place: str = ""
    date: dt.date | None = None
    recipients: tuple[str, ...] = (
        "Tổ công tác triển khai Đề án 06 của Chính phủ (b/c);",
        "Văn phòng Chính phủ (b/c);",
        "Bộ Công an (C06) (b/c);",
        "Thường trực Tỉnh ủy, HĐND, UBND tỉnh (b/c);",
        "Các thành viên Tổ công tác;",
        "Các sở, ban, ngành; UBND các huyện, thành phố;",
        "Lưu: VT.",
    )
    signer_role: str = "TM. TỔ CÔNG TÁC"
    signer_title: str = "TỔ TRƯỞNG"
    signer_name: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _province_names(on: dt.date) -> tuple[str, str]:
    """("UBND TỈNH BẮC GIANG", "Bắc Giang") from the province's People's Committee."""
    unit = province_unit(on)
    name = unit.name if unit is not None else "Ủy ban nhân dân tỉnh"
    place = name
    for prefix in ("Ủy ban nhân dân tỉnh", "UBND tỉnh", "Uỷ ban nhân dân tỉnh"):
        if place.lower().startswith(prefix.lower()):
            place = place[len(prefix) :].strip()
    return (f"UBND TỈNH {place.upper()}" if place else "UBND TỈNH", place)


def _header(period: ReportingPeriod, options: ReportOptions) -> c.Header:
    superior, place = _province_names(period.end)
    return c.Header(
        superior_body=options.superior_body or superior,
        issuing_body=options.issuing_body,
        number_symbol=f"Số:        /{options.symbol}",
        place=options.place or place,
        date=options.date,
        title="BÁO CÁO",
        subject=f"Kết quả triển khai Đề án 06 {period.label[:1].lower()}{period.label[1:]}",
        recipients=options.recipients,
        signer_role=options.signer_role,
        signer_title=options.signer_title,
        signer_name=options.signer_name,
    )


# --- Phụ lục I ---------------------------------------------------------------------------------


def _documents(period: ReportingPeriod) -> tuple[c.DocumentGroup, ...]:
    """The documents recorded for the period (whatever date they print), by who issued them, in
    the order they were recorded."""
    by_group: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in DocumentRecord.objects.filter(period=period).select_related("issuer_unit"):
        by_group[record.group].append(record)
    for records in by_group.values():
        records.sort(key=lambda r: r.pk)
    groups: list[c.DocumentGroup] = []
    for key, title in DOCUMENT_GROUPS:
        records = by_group.get(key, [])
        if not records:
            continue
        rows = tuple(
            c.DocumentRow(
                stt=i,
                number=r.number,
                doc_type=DocumentType(r.doc_type).label
                if r.doc_type in DocumentType.values
                else r.doc_type,
                date=r.date,
                date_raw=r.date_raw,
                summary=r.summary,
                note=(r.issuer_unit.name if r.issuer_unit else r.issuing_body)
                if key == DocumentGroup.UNIT
                else "",
            )
            for i, r in enumerate(records, 1)
        )
        groups.append(c.DocumentGroup(ROMAN_NUMERALS[len(groups)], title, rows))
    return tuple(groups)


# --- Phụ lục II --------------------------------------------------------------------------------


def plan_reference(plan: Plan) -> str:
    """ "KH số 18/KH-UBND": how a report names the document that assigned a task."""
    short = PLAN_SHORT.get(DirectiveKind(plan.kind)) if plan.kind in DirectiveKind.values else None
    return f"{short} số {plan.number}" if short else plan.number


def _timeframe(task: Task) -> str:
    if task.deadline_raw.strip():
        return task.deadline_raw.strip()
    if task.due_date:
        return task.due_date.strftime("%d/%m/%Y")
    return "Thường xuyên" if task.is_recurring else ""


def _lead_phrase(assignments: Iterable[tuple[str, str]]) -> str:
    """The lead units as the plan wrote them: a collective phrase once ("Các sở, ban, ngành"),
    a single unit by its name."""
    shown: list[str] = []
    for phrase, name in assignments:
        text = phrase.strip() or name
        if text not in shown:
            shown.append(text)
    return "; ".join(shown)


def _task_group(states: Sequence[str]) -> c.TaskGroupKey:
    """The report's group of a task from what its lead units said: done when all say done,
    recurring when one says recurring and none is still on it, otherwise in progress."""
    if states and all(s == ProgressState.DONE for s in states):
        return "done"
    if ProgressState.RECURRING in states and all(
        s in (ProgressState.RECURRING, ProgressState.DONE) for s in states
    ):
        return "recurring"
    return "in_progress"


def _result(reports: Sequence[ProgressReport]) -> str:
    """What the units reported: one text when they all say the same, each unit's otherwise."""
    texts: dict[str, list[str]] = {}
    for report in reports:
        text = "\n".join(x for x in (report.progress.strip(), report.figures.strip()) if x)
        if text:
            texts.setdefault(text, []).append(report.assignment.unit.name)
    if len(texts) <= 1:
        return next(iter(texts), "")
    return "\n".join(f"{', '.join(units)}: {text}" for text, units in texts.items())


@dataclass
class _TaskReports:
    task: Task
    reports: list[ProgressReport] = field(default_factory=list)


def _reported_tasks(period: ReportingPeriod) -> list[_TaskReports]:
    found: dict[int, _TaskReports] = {}
    reports = (
        ProgressReport.objects.filter(
            period=period, status__in=STATED, assignment__role=AssignmentRole.LEAD
        )
        .select_related("assignment__task__plan", "assignment__unit")
        .order_by("pk")
    )
    for report in reports:
        task = report.assignment.task
        found.setdefault(task.pk, _TaskReports(task)).reports.append(report)
    return sorted(
        found.values(),
        key=lambda t: (
            t.task.plan.date or dt.date.max,
            t.task.plan_id,
            t.task.order,
            t.task.code,
        ),
    )


def _tasks(reported: Sequence[_TaskReports]) -> tuple[c.TaskGroup, ...]:
    rows: dict[str, list[c.TaskRow]] = defaultdict(list)
    for item in reported:
        key = _task_group([r.state for r in item.reports])
        rows[key].append(
            c.TaskRow(
                stt=len(rows[key]) + 1,
                content=item.task.content,
                assigning_document=plan_reference(item.task.plan),
                lead_unit=_lead_phrase(
                    (r.assignment.phrase, r.assignment.unit.name) for r in item.reports
                ),
                timeframe=_timeframe(item.task),
                result=_result(item.reports),
            )
        )
    return tuple(
        c.TaskGroup(ROMAN_NUMERALS[i], key, title, tuple(rows.get(key, [])))
        for i, (key, title) in enumerate(TASK_GROUPS)
    )


def _unreported(period: ReportingPeriod) -> tuple[c.UnreportedTask, ...]:
    """Tasks in force in the period on which no lead unit stated anything, with who owes."""
    by_task: dict[int, tuple[Task, list[str], bool]] = {}
    for owed in period_owed_reports(period):
        task = owed.assignment.task
        entry = by_task.setdefault(task.pk, (task, [], False))
        if owed.report is None:
            entry[1].append(owed.assignment.unit.name)
        else:
            by_task[task.pk] = (task, entry[1], True)
    out: list[c.UnreportedTask] = []
    for task, owing, any_report in by_task.values():
        if any_report or not owing:
            continue
        out.append(
            c.UnreportedTask(
                stt=len(out) + 1,
                content=task.content,
                assigning_document=plan_reference(task.plan),
                timeframe=_timeframe(task),
                owing_units=tuple(owing),
            )
        )
    return tuple(out)


# --- Phụ lục III -------------------------------------------------------------------------------


def _marks(stat: ServiceStat | None) -> tuple[str, str, str]:
    marked = stat.levels_marked if stat is not None else ""
    return tuple("x" if code in marked else "" for code in "THX")  # type: ignore[return-value]


def _services(period: ReportingPeriod) -> tuple[tuple[c.ServiceRow, ...], c.ServiceTotal]:
    services: list[PublicService] = list(services_active())
    totals = province_totals([period], services=services)
    targets = service_target_defs()
    province = province_unit(period.end)
    province_stats = {
        s.service_id: s
        for s in ServiceStat.objects.filter(
            period=period, unit=province, level=StatLevel.ALL
        ).select_related("service")
    }
    rows = []
    for i, service in enumerate(services, 1):
        figures = totals.get((service.pk, period.pk))
        values = (figures.values if figures is not None else None) or {}
        citizens = values.get("online_citizens")
        businesses = values.get("online_businesses")
        total = values.get("total_received")
        share = online_share(citizens, businesses, total)
        target = service_result(service_info(service), share, targets, period.end).target
        stat = province_stats.get(service.pk)
        staff = _marks(stat)
        rows.append(
            c.ServiceRow(
                stt=i,
                name=service.name,
                online_citizens=citizens,
                online_businesses=businesses,
                total=total,
                share=share,
                on_time=stat.on_time if stat else None,
                overdue=stat.overdue if stat else None,
                staff_total=stat.staff_total if stat else None,
                staff_province=staff[0],
                staff_district=staff[1],
                staff_commune=staff[2],
                target=Decimal(str(target.value)) if target is not None else None,
            )
        )
    return tuple(rows), _total(rows)


def _sum(values: Iterable[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _total(rows: Sequence[c.ServiceRow]) -> c.ServiceTotal:
    """The true sums of the rows (never a total typed by someone) and the share from them."""
    citizens = _sum(r.online_citizens for r in rows)
    businesses = _sum(r.online_businesses for r in rows)
    total = _sum(r.total for r in rows)
    return c.ServiceTotal(
        online_citizens=citizens,
        online_businesses=businesses,
        total=total,
        share=online_share(citizens, businesses, total),
        on_time=_sum(r.on_time for r in rows),
        overdue=_sum(r.overdue for r in rows),
        staff_total=_sum(r.staff_total for r in rows),
    )


# --- submissions and findings ------------------------------------------------------------------


def _submissions(period: ReportingPeriod, on: dt.date) -> tuple[c.SubmissionRow, ...]:
    grid = completeness(SystemReader(), [period], on)
    last_sent: dict[int, dt.date] = {}
    for unit_id, at in ProgressReport.objects.filter(
        period=period, status__in=STATED, submitted_at__isnull=False
    ).values_list("assignment__unit_id", "submitted_at"):
        if at is None:
            continue
        day = at.date()
        if unit_id not in last_sent or day > last_sent[unit_id]:
            last_sent[unit_id] = day
    rows: list[c.SubmissionRow] = []
    for unit in grid.units:
        cell = grid.cell(unit, period)
        if not cell.expected:
            continue
        state: c.SubmissionState
        if not cell.sent:
            state = "missing"
        elif cell.late:
            state = "late"
        else:
            state = "on_time"
        rows.append(
            c.SubmissionRow(
                stt=len(rows) + 1,
                unit=unit.name,
                state=state,
                submitted_on=last_sent.get(unit.pk),
                days_late=cell.max_days_late if state == "late" else 0,
                missing_tasks=cell.missing + cell.pending,
            )
        )
    order = {"missing": 0, "late": 1, "on_time": 2}
    rows.sort(key=lambda r: (order[r.state], -r.days_late))
    return tuple(
        c.SubmissionRow(i, r.unit, r.state, r.submitted_on, r.days_late, r.missing_tasks)
        for i, r in enumerate(rows, 1)
    )


def _where(finding: Finding) -> str:
    if finding.appendix:
        row = f", dòng {finding.row}" if finding.row else ""
        return f"Phụ lục {finding.appendix}{row}"
    return finding.unit.name if finding.unit is not None else finding.ref[:120]


def _findings(period: ReportingPeriod) -> tuple[c.FindingRow, ...]:
    findings = (
        Finding.objects.filter(period=period, status__in=OPEN_FINDINGS)
        .select_related("unit")
        .order_by("appendix", "pk")
    )
    return tuple(
        c.FindingRow(
            stt=i,
            severity=SEVERITY_LABELS.get(Severity(f.severity), f.severity)
            if f.severity in Severity.values
            else f.severity,
            where=_where(f),
            message=f.message,
        )
        for i, f in enumerate(findings, 1)
    )


# --- the whole report --------------------------------------------------------------------------


def monthly_report_build(
    period: ReportingPeriod, *, on: dt.date, options: ReportOptions | None = None
) -> c.MonthlyReport:
    """The consolidated report of `period` from the data as it stands on day `on` (the day tells
    which units are late or missing)."""
    options = options or ReportOptions()
    reported = _reported_tasks(period)
    services, total = _services(period)
    submissions = _submissions(period, on)
    # The tasks' status as the units' reports for the period stand once they are due (the day
    # of generation when earlier).
    as_of = min(on, max(period.end, period.due_date))
    status = status_report(SystemReader(), as_of)
    difficulties, proposals = _difficulties(reported)
    report = c.MonthlyReport(
        period_label=period.label,
        year=period.year,
        month=period.number,
        period_start=period.start,
        period_end=period.end,
        header=_header(period, options),
        documents=_documents(period),
        tasks=_tasks(reported),
        unreported=_unreported(period),
        services=services,
        service_total=total,
        submissions=submissions,
        findings=_findings(period),
    )
    facts = ReportFacts(
        as_of=as_of,
        counts=status.counts,
        overdue=tuple(
            (
                row.task.content,
                ", ".join(u.name for u in row.lead_units),
                -(row.verdict.days_left or 0),
            )
            for row in status.rows
            if row.status.value == "overdue"
        ),
        done_in_period=tuple(
            row.task.content
            for row in status.rows
            if row.verdict.completed_on is not None
            and period.start <= row.verdict.completed_on <= as_of
        ),
        next_tasks=_next_tasks(period),
        by_group=_by_group(status.rows),
        difficulties=difficulties,
        proposals=proposals,
    )
    return c.MonthlyReport(**{**report.__dict__, "body": write_body(report, facts)})


def _by_group(rows: Sequence[Any]) -> tuple[tuple[str, int, int, int], ...]:
    """(group of the plan, tasks, done, overdue) for each top-level group of the plans' tasks."""
    tops = {
        (s.plan_id, s.code): s
        for s in PlanSection.objects.filter(
            plan__in={r.task.plan_id for r in rows}, parent__isnull=True
        ).select_related("plan")
    }
    counts: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        section = row.task.section
        if section is None:
            continue
        key = (row.task.plan_id, section.code.split(".")[0])
        if key not in tops:
            continue
        entry = counts.setdefault(key, [0, 0, 0])
        entry[0] += 1
        entry[1] += row.status.value == "done"
        entry[2] += row.status.value == "overdue"
    out = []
    for key, (total, done, overdue) in counts.items():
        top = tops[key]
        out.append((f"{top.code}. {top.title} ({plan_reference(top.plan)})", total, done, overdue))
    return tuple(out)


def _difficulties(
    reported: Sequence[_TaskReports],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(unit, text) of the difficulties and of the proposals the units reported, each once."""
    difficulties: dict[str, str] = {}
    proposals: dict[str, str] = {}
    for item in reported:
        for report in item.reports:
            unit = report.assignment.unit.name
            if report.difficulties.strip():
                difficulties.setdefault(report.difficulties.strip(), unit)
            if report.proposals.strip():
                proposals.setdefault(report.proposals.strip(), unit)
    return (
        tuple((unit, text) for text, unit in difficulties.items()),
        tuple((unit, text) for text, unit in proposals.items()),
    )


def _next_tasks(period: ReportingPeriod) -> tuple[tuple[str, str], ...]:
    """Tasks falling due in the month after the period: (content, lead units)."""
    start = period.end + dt.timedelta(days=1)
    end = start + dt.timedelta(days=31)
    tasks = (
        Task.objects.filter(due_date__gte=start, due_date__lte=end)
        .filter(Q(plan__date__isnull=True) | Q(plan__date__lte=period.end))
        .prefetch_related("assignments__unit")
        .order_by("due_date", "plan_id", "order")
    )
    out = []
    for task in tasks:
        leads = _lead_phrase(
            (a.phrase, a.unit.name) for a in task.assignments.all() if a.role == AssignmentRole.LEAD
        )
        out.append((f"{task.content} (hạn {task.due_date:%d/%m/%Y})", leads))
    return tuple(out)
