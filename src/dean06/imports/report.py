"""`import-report`: load a monthly report's appendices into the register, progress and figures.

Phụ lục I → documents register; Phụ lục II → a progress report per matched task (matched by content
against the imported plans; a task of another directing document, such as Chỉ thị 04/CT-TTg,
becomes a task of that document, flagged for review); Phụ lục III → service figures of the province;
every rule finding is stored. Importing the same report twice for a period changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz, process

from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError
from dean06.core.services import upsert_audited
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from dean06.ingest.model import UnitRef
from dean06.ingest.report import ExtractedReport, ReportService, ReportTask
from dean06.ingest.text import fold
from dean06.ingest.units import UnitResolver
from dean06.kpis.models import PublicService, ServiceStat, StatLevel
from dean06.kpis.services import service_totals_check
from dean06.orgs.models import Unit, UnitGroup
from dean06.orgs.selectors import group_members, unit_registry
from dean06.plans.models import AssignmentRole, DirectiveKind, Plan, Task
from dean06.plans.services import assignment_ensure
from dean06.quality.checks import ReportFinding, check_report
from dean06.quality.models import Finding, RuleScope
from dean06.quality.selectors import rules_for_scope
from dean06.tracking.models import ProgressReport, ProgressState, ReportingPeriod, ReportStatus
from dean06.tracking.services import period_get_or_create

TASK_MATCH_THRESHOLD = 80.0
PROVINCE_UNIT_KEY = "UBND_TINH"

TYPE_BY_WORD = {
    "ke hoach": DocumentType.PLAN,
    "quyet dinh": DocumentType.DECISION,
    "thong bao": DocumentType.NOTICE,
    "bao cao": DocumentType.REPORT,
    "cong van": DocumentType.LETTER,
    "chi thi": DocumentType.DIRECTIVE,
    "nghi quyet": DocumentType.RESOLUTION,
    "to trinh": DocumentType.SUBMISSION,
}
GROUP_BY_CODE = {
    "I": DocumentGroup.CENTRAL,
    "II": DocumentGroup.PROVINCE,
    "III": DocumentGroup.UNIT,
}
REPORT_GROUP_NUMBER = {"done": "I", "recurring": "II", "in_progress": "III"}
# The report's group of a task is what the unit said of its work.
REPORT_STATE = {
    "done": ProgressState.DONE,
    "recurring": ProgressState.RECURRING,
    "in_progress": ProgressState.IN_PROGRESS,
}
APPENDIX_SCOPE = {"I": RuleScope.DOCUMENT, "II": RuleScope.PROGRESS, "III": RuleScope.SERVICE_STAT}
DIRECTIVE_RE = re.compile(r"(?:Chỉ thị|CT)\s*(?:số\s*)?(\d+/CT-[\wĐđ-]+)", re.IGNORECASE)
PLAN_RE = re.compile(r"(\d+/KH-[\wĐđ-]+)")


@dataclass
class ReportImportResult:
    period: ReportingPeriod
    documents: int = 0
    progress: int = 0
    tasks_matched: int = 0
    tasks_created: list[str] = field(default_factory=list)
    services: int = 0
    findings: list[ReportFinding] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Kỳ {self.period.label}: {self.documents} văn bản, {self.progress} báo cáo tiến độ "
            f"({self.tasks_matched} khớp nhiệm vụ đã có, {len(self.tasks_created)} nhiệm vụ mới "
            f"cần rà soát), {self.services} dịch vụ công, {len(self.findings)} phát hiện."
        )


def _doc_type(printed: str) -> str:
    key = fold(printed)
    for word, code in TYPE_BY_WORD.items():
        if word in key:
            return code
    return DocumentType.OTHER


class _TaskMatcher:
    """Finds the plan task a report row speaks of, by folded content."""

    def __init__(self) -> None:
        self.tasks = list(Task.objects.select_related("plan"))
        self.keys = [fold(t.content) for t in self.tasks]

    def match(self, content: str) -> Task | None:
        if not self.tasks:
            return None
        best = process.extractOne(fold(content), self.keys, scorer=fuzz.token_set_ratio)
        if best is None or best[1] < TASK_MATCH_THRESHOLD:
            return None
        return self.tasks[best[2]]

    def add(self, task: Task) -> None:
        self.tasks.append(task)
        self.keys.append(fold(task.content))


def _directive_for(row: ReportTask, by: Any) -> Plan:
    match = DIRECTIVE_RE.search(row.assigning_document) or PLAN_RE.search(row.assigning_document)
    number = match.group(1) if match else (row.assigning_document.strip() or "Không rõ văn bản")
    kind = DirectiveKind.DIRECTIVE if "/CT-" in number.upper() else DirectiveKind.OTHER
    plan = Plan.objects.filter(number=number).order_by("-date").first()
    if plan is None:
        plan = Plan(
            number=number[:100], kind=kind, title=row.assigning_document[:500], needs_review=True
        )
        plan.full_clean()
        plan.save()
        audit_record(action="plans.plan.created", actor=by, instance=plan, after=snapshot(plan))
    return plan


def _units_of(row: ReportTask, resolver: UnitResolver, on: Any) -> list[Unit]:
    """The registry's units a report row names as lead; a collective ("Các Sở, ngành, UBND các
    huyện") fans out into its members on the day, as in a plan. A name the registry does not
    know makes no unit: units come from the registry (an administrator adds one)."""
    units: list[Unit] = []
    refs: list[UnitRef] = resolver.parse_units(row.lead_unit) if row.lead_unit else []
    for ref in refs:
        found: list[Unit] = []
        if ref.unit_key:
            found = list(Unit.objects.filter(key=ref.unit_key))
        elif ref.collective:
            group = UnitGroup.objects.filter(key=ref.collective).first()
            found = group_members(group, on=on) if group is not None else []
        else:
            found = list(Unit.objects.filter(name__iexact=ref.name)[:1])
        units.extend(u for u in found if u not in units)
    return units


def _import_task_row(
    row: ReportTask,
    period: ReportingPeriod,
    matcher: _TaskMatcher,
    resolver: UnitResolver,
    result: ReportImportResult,
    by: Any,
    source: str,
) -> None:
    task = matcher.match(row.content)
    units = _units_of(row, resolver, period.end)
    if task is None:
        plan = _directive_for(row, by)
        # The code the report itself prints: group number and row ("II.6" = Phụ lục II,
        # group II "thực hiện thường xuyên", row 6), so a reader finds the row in the report.
        code = f"{REPORT_GROUP_NUMBER[row.group]}.{row.stt}"
        task = Task.objects.filter(plan=plan, content=row.content.strip()).first()
        if task is None:
            n = 1
            base = code
            while Task.objects.filter(plan=plan, code=code).exists():
                n += 1
                code = f"{base} ({n})"
            task = Task(
                plan=plan,
                code=code,
                content=row.content.strip(),
                needs_review=True,
                deadline_raw=row.progress[:200],
                origin="report",
            )
            task.full_clean()
            task.save()
            audit_record(
                action="plans.task.created",
                actor=by,
                instance=task,
                after=snapshot(task),
                note=f"Từ báo cáo {source}",
            )
            result.tasks_created.append(f"{plan.number}: {task.content[:60]}")
        matcher.add(task)
    else:
        result.tasks_matched += 1
    assignments = []
    for unit in units or [a.unit for a in task.assignments.filter(role=AssignmentRole.LEAD)][:1]:
        assignments.append(
            assignment_ensure(
                task=task, unit=unit, role=AssignmentRole.LEAD, phrase=row.lead_unit, by=by
            )
        )
    if not assignments:
        return
    progress_text = "\n".join(x for x in (row.progress.strip(), row.result.strip()) if x)
    for assignment in assignments:
        values = {
            "progress": progress_text,
            "status": ReportStatus.ACCEPTED,
            "state": REPORT_STATE[row.group],
            "source": "import",
            "percent_complete": 100 if row.group == "done" else None,
        }
        report = ProgressReport.objects.filter(assignment=assignment, period=period).first()
        if report is None:
            report = ProgressReport(
                assignment=assignment, period=period, accepted_at=timezone.now(), **values
            )
            report.full_clean()
            report.save()
            audit_record(
                action="tracking.report.imported",
                actor=by,
                instance=report,
                after=snapshot(report),
                unit=assignment.unit,
            )
        else:
            before = snapshot(report)
            changed = [k for k, v in values.items() if getattr(report, k) != v]
            if changed:
                for key in changed:
                    setattr(report, key, values[key])
                report.version += 1
                report.full_clean()
                report.save()
                audit_record(
                    action="tracking.report.updated",
                    actor=by,
                    instance=report,
                    before=before,
                    after=snapshot(report),
                    unit=assignment.unit,
                )
        result.progress += 1


def _service_for(row: ReportService, services: list[PublicService]) -> PublicService | None:
    if row.stt and row.stt.isdigit():
        by_order = next((s for s in services if s.order == int(row.stt)), None)
        if by_order and fuzz.token_set_ratio(fold(by_order.name), fold(row.name)) >= 70:
            return by_order
    best = process.extractOne(
        fold(row.name), [fold(s.name) for s in services], scorer=fuzz.token_set_ratio
    )
    return services[best[2]] if best and best[1] >= 80 else None


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _import_service_row(
    row: ReportService,
    period: ReportingPeriod,
    province: Unit,
    services: list[PublicService],
    by: Any,
) -> bool:
    service = _service_for(row, services)
    if service is None:
        return False
    marks = "".join(
        code
        for code, mark in (
            ("T", row.staff_province),
            ("H", row.staff_district),
            ("X", row.staff_commune),
        )
        if mark and mark.strip()
    )
    values: dict[str, Any] = {
        "online_citizens": _int(row.online_citizens),
        "online_businesses": _int(row.online_businesses),
        "total_received": _int(row.total),
        "share_reported": None
        if row.share_reported is None
        else Decimal(str(row.share_reported)).quantize(Decimal("0.01")),
        "on_time": _int(row.on_time),
        "overdue": _int(row.overdue),
        "staff_total": _int(row.staff_total),
        "levels_marked": marks,
        "source": "import",
    }
    upsert_audited(
        ServiceStat,
        lookup={"service": service, "unit": province, "period": period, "level": StatLevel.ALL},
        values=values,
        action="kpis.stat",
        by=by,
        unit=province,
    )
    return True


@transaction.atomic
def report_import(
    *, report: ExtractedReport, year: int, month: int, by: Any, source: str = ""
) -> ReportImportResult:
    period = period_get_or_create("month", year, month, by=by)
    result = ReportImportResult(period=period)
    source = source[:200] or "báo cáo"

    for doc in report.documents:
        values = {
            "doc_type": _doc_type(doc.type),
            "date": doc.date,
            "date_raw": doc.date_raw[:50],
            "summary": doc.summary,
            "issuing_body": (doc.issuer or "")[:255],
            "group": GROUP_BY_CODE.get(doc.group, DocumentGroup.OTHER),
            "group_label": doc.group_title[:255],
            "source": source,
        }
        upsert_audited(
            DocumentRecord,
            lookup={"number": doc.number[:100], "period": period},
            values=values,
            action="documents.record",
            by=by,
        )
        result.documents += 1

    matcher = _TaskMatcher()
    resolver = UnitResolver(unit_registry())
    for task_row in report.tasks:
        _import_task_row(task_row, period, matcher, resolver, result, by, source)

    province = Unit.objects.filter(key=PROVINCE_UNIT_KEY).first()
    if province is None and report.services:
        raise ApplicationError(
            "Chưa có đơn vị UBND tỉnh (mã UBND_TINH) để gắn số liệu dịch vụ công: "
            "chạy `dean06 load-reference`."
        )
    services = list(PublicService.objects.filter(active=True))
    for service_row in report.services:
        if province is not None and _import_service_row(
            service_row, period, province, services, by
        ):
            result.services += 1
    if result.services:
        # The province's totals against the parts units entered themselves.
        service_totals_check(period=period, by=by, source=source)

    # The rules in force in this installation (administrators may have edited or switched
    # some off); the built-in ones until rules are installed.
    rules = [
        rule
        for scope in (RuleScope.SERVICE_STAT, RuleScope.DOCUMENT, RuleScope.PROGRESS)
        for rule in rules_for_scope(scope)
    ]
    result.findings = check_report(report, rules)
    Finding.objects.filter(period=period, source=source).delete()
    Finding.objects.bulk_create(
        Finding(
            rule_code=f.rule,
            severity=f.severity,
            message=f.message,
            scope=APPENDIX_SCOPE.get(f.appendix, RuleScope.SERVICE_STAT),
            appendix=f.appendix,
            row=f.row or "",
            ref=f.ref[:500],
            period=period,
            source=source,
        )
        for f in result.findings
    )
    audit_record(
        action="imports.report.imported",
        actor=by,
        object_type="imports.report",
        object_repr=source,
        after={"period": period.label, "summary": result.summary()},
    )
    return result
