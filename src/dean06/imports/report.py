"""`import-report`: load a monthly report's appendices into the register, progress and figures.

Phụ lục I → documents register; Phụ lục II → a progress report per matched task (matched by content
against the plans the row names, as they stood in the period; a task of another directing
document, such as Chỉ thị 04/CT-TTg, becomes a task of that document, flagged for review);
Phụ lục III → service figures of the province; every rule finding is stored.

Importing never makes things worse: the same report again changes nothing; another rendition of
the same period is reconciled with what is stored: a value the new file has empty keeps the stored
one (and is reported as kept), findings are updated in place (an accepted warning stays accepted).
Every write goes through the owning app's service and is audited. `dry_run=True` computes the
same outcome and writes nothing (the web page's preview).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q
from rapidfuzz import fuzz, process

from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from dean06.documents.services import document_record_import
from dean06.imports.reconcile import Change, Kind, reconcile
from dean06.ingest.model import UnitRef
from dean06.ingest.report import ExtractedReport, ReportService, ReportTask
from dean06.ingest.text import fold
from dean06.ingest.units import UnitResolver
from dean06.kpis.models import PublicService, ServiceStat, StatLevel
from dean06.kpis.services import service_stat_import, service_totals_check
from dean06.orgs.models import Unit, UnitGroup
from dean06.orgs.selectors import group_members, unit_registry
from dean06.plans.models import AssignmentRole, DirectiveKind, Plan, Task
from dean06.plans.services import assignment_ensure
from dean06.quality.checks import ReportFinding, check_report
from dean06.quality.models import RuleScope
from dean06.quality.selectors import rules_for_scope
from dean06.quality.services import ReportFindingItem, ReportSyncResult, report_findings_sync
from dean06.tracking.models import ProgressReport, ProgressState, ReportingPeriod, ReportStatus
from dean06.tracking.services import period_get_or_create, progress_report_import

# A plan task is the row's when the row's words match it (token set ratio, 0-100) at least this
# much. A match whose whole texts are less alike than this (one side's words a subset of the
# other's), or a second task nearly as close, is imported and flagged for review.
TASK_MATCH_THRESHOLD = 80.0
NEAR_TIE = 5.0
REVIEW_RULE = "import.task_match"
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
# Who issued a group of documents, from the group's title as printed: reports number their
# groups in different orders ("I. Văn bản của UBND tỉnh" in one, "I. Văn bản của Trung ương" in
# another), so the number says nothing. Checked in this order: central bodies, then units and
# localities, then the province (whose words "tỉnh" also appear in the others).
GROUP_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        DocumentGroup.CENTRAL,
        ("trung uong", "chinh phu", "thu tuong", "bo cong an", "cac bo", "bo nganh"),
    ),
    (
        DocumentGroup.UNIT,
        (
            "cac don vi",
            "don vi trien khai",
            "cac so",
            "so nganh",
            "dia phuong",
            "cap huyen",
            "ubnd cac huyen",
            "ubnd huyen",
            "cap xa",
        ),
    ),
    # A title naming both ("UBND tỉnh, Tổ công tác tỉnh") is the province's.
    (DocumentGroup.PROVINCE, ("ubnd tinh", "uy ban nhan dan tinh", "tinh uy")),
    (DocumentGroup.WORKING_GROUP, ("to cong tac", "to de an", "ban chi dao")),
    (DocumentGroup.PROVINCE, ("tinh",)),
)
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
# A document number and symbol as cited: "18/KH-UBND", "04/CT-TTg", "422/QĐ-TTg".
NUMBER_RE = re.compile(r"\b(\d+[a-z]?/[A-ZĐ][\wĐđ&.-]*)")
EMPTY_TEXT = "(trống)"


@dataclass
class ReportImportResult:
    period: ReportingPeriod
    dry_run: bool = False
    documents: int = 0
    progress: int = 0
    tasks_matched: int = 0
    tasks_created: list[str] = field(default_factory=list)
    services: int = 0
    findings: list[ReportFinding] = field(default_factory=list)
    # Matches imported but flagged for review (stored as findings of rule REVIEW_RULE).
    reviews: list[ReportFinding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    finding_sync: ReportSyncResult = field(default_factory=ReportSyncResult)

    def count(self, kind: Kind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def kept_values(self) -> int:
        return sum(len(c.kept) for c in self.changes)

    def summary(self) -> str:
        head = "Xem trước (chưa ghi gì) — k" if self.dry_run else "K"
        return (
            f"{head}ỳ {self.period.label}: {self.documents} văn bản, {self.progress} báo cáo "
            f"tiến độ ({self.tasks_matched} khớp nhiệm vụ đã có, {len(self.tasks_created)} "
            f"nhiệm vụ mới cần rà soát, {len(self.reviews)} khớp cần rà soát), "
            f"{self.services} dịch vụ công, {len(self.findings)} phát hiện. "
            f"Bản ghi: {self.count('new')} mới, {self.count('changed')} thay đổi, "
            f"{self.count('kept')} giữ giá trị cũ vì tệp mới để trống, "
            f"{self.count('unchanged')} không đổi; {self.kept_values} giá trị được giữ. "
            f"Phát hiện: {self.finding_sync.created} mới, {self.finding_sync.updated} cập nhật, "
            f"{self.finding_sync.fixed} không còn (đánh dấu đã sửa)."
        )

    def change_lines(self) -> list[str]:
        """The stored records this import changes or keeps values of, one line each (new
        records are counted in the summary)."""
        lines = []
        for c in self.changes:
            if c.kind in ("new", "unchanged"):
                continue
            parts = [f"{label}: {old} → {new}" for label, old, new in c.fields]
            parts += [f"{label}: giữ «{old}» (tệp mới để trống)" for label, old in c.kept]
            detail = "; ".join(parts)
            lines.append(
                f"PL {c.appendix} · {c.ref} · {c.kind_label}" + (f" · {detail}" if detail else "")
            )
        return lines


def _doc_type(printed: str) -> str:
    key = fold(printed)
    for word, code in TYPE_BY_WORD.items():
        if word in key:
            return code
    return DocumentType.OTHER


def document_group(title: str) -> str:
    """Who issued the documents of a Phụ lục I group, read from the group's printed title."""
    key = f" {fold(title)} "
    for group, words in GROUP_WORDS:
        if any(f" {word} " in key for word in words):
            return group
    return DocumentGroup.OTHER


def _shown(value: Any) -> str:
    if value is None or value == "":
        return EMPTY_TEXT
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"


def _label(model: type[models.Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _reconciled(
    result: ReportImportResult,
    *,
    model: type[models.Model],
    appendix: str,
    ref: str,
    instance: models.Model | None,
    incoming: Mapping[str, Any],
    partial_text: Sequence[str] = (),
    quiet: Sequence[str] = ("source",),
) -> dict[str, Any]:
    """`incoming` reconciled with the stored `instance`; the outcome noted in `result.changes`.
    Returns the values to write. `quiet` fields are written but not reported as changes."""
    current = None if instance is None else {k: getattr(instance, k) for k in incoming}
    merged = reconcile(current, incoming, partial_text=partial_text)
    changed = [n for n in merged.changed if n not in quiet]
    if current is not None and not changed:
        # Only where the values came from differs (another file of the same report): the
        # record stays as it is, untouched.
        merged.values.update({n: current[n] for n in quiet if n in current})
    kind: Kind
    if instance is None:
        kind = "new"
    elif changed:
        kind = "changed"
    elif merged.kept:
        kind = "kept"
    else:
        kind = "unchanged"
    result.changes.append(
        Change(
            appendix=appendix,
            ref=ref,
            kind=kind,
            fields=tuple(
                (_label(model, n), _shown(current and current[n]), _shown(incoming[n]))
                for n in changed
            ),
            kept=tuple((_label(model, n), _shown(current and current[n])) for n in merged.kept),
        )
    )
    return merged.values


# --- Phụ lục II: which task a row speaks of ----------------------------------------------------


@dataclass(frozen=True)
class TaskMatch:
    task: Task
    score: float  # the whole texts' likeness, 0-100 (token sort ratio): 100 only for the same words
    review: str = ""  # why a person should look at this match ("" for a sure one)


class _TaskMatcher:
    """Finds the plan task a report row speaks of: among the tasks of the plans the row names
    (as they stood at the end of the period), or, when the row names none, of the plans of the
    period's year; by folded content."""

    def __init__(self, period: ReportingPeriod) -> None:
        self.period = period
        self._plans: dict[str, Plan | None] = {}
        self._tasks: dict[int, list[tuple[Task, str]]] = {}

    def _in_period(self) -> Q:
        return Q(date__isnull=True) | Q(date__lte=self.period.end)

    def _plan(self, number: str) -> Plan | None:
        key = number.upper()
        if key not in self._plans:
            self._plans[key] = (
                Plan.objects.filter(self._in_period(), number__iexact=number)
                .order_by(F("date").desc(nulls_last=True), "-pk")
                .first()
            )
        return self._plans[key]

    def plans_for(self, row: ReportTask) -> list[Plan]:
        numbers = list(dict.fromkeys(NUMBER_RE.findall(row.assigning_document)))
        if numbers:
            return [p for p in (self._plan(n) for n in numbers) if p is not None]
        year = self.period.year
        return list(
            Plan.objects.filter(self._in_period())
            .filter(Q(year=year) | Q(year__isnull=True, date__year=year))
            .order_by("pk")
        )

    def _tasks_of(self, plan: Plan) -> list[tuple[Task, str]]:
        if plan.pk not in self._tasks:
            self._tasks[plan.pk] = [
                (t, fold(t.content)) for t in Task.objects.filter(plan=plan).select_related("plan")
            ]
        return self._tasks[plan.pk]

    def match(self, row: ReportTask) -> TaskMatch | None:
        candidates = [pair for plan in self.plans_for(row) for pair in self._tasks_of(plan)]
        if not candidates:
            return None
        query = fold(row.content)
        keys = [key for _, key in candidates]
        by_set = process.extract(query, keys, scorer=fuzz.token_set_ratio, limit=None)
        scored = sorted(
            ((s, fuzz.token_sort_ratio(query, keys[i]), i) for _, s, i in by_set),
            key=lambda x: (-x[0], -x[1], x[2]),
        )
        best_set, best_sort, best_i = scored[0]
        if best_set < TASK_MATCH_THRESHOLD:
            return None
        task = candidates[best_i][0]
        reasons = []
        if best_sort < TASK_MATCH_THRESHOLD:
            reasons.append(
                "chỉ khớp một phần: các từ của bên này nằm trong bên kia, toàn văn giống "
                f"{best_sort:.0f}/100"
            )
        rival = next((x for x in scored[1:] if candidates[x[2]][0].pk != task.pk), None)
        if (
            rival is not None
            and rival[0] >= TASK_MATCH_THRESHOLD
            and best_set - rival[0] < NEAR_TIE
            and best_sort - rival[1] < NEAR_TIE
        ):
            other = candidates[rival[2]][0]
            reasons.append(f"gần bằng nhiệm vụ {other.code} của {other.plan.number}")
        return TaskMatch(task=task, score=best_sort, review="; ".join(reasons))

    def add(self, task: Task) -> None:
        self._tasks.setdefault(task.plan_id, []).append((task, fold(task.content)))


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


def _row_code(row: ReportTask) -> str:
    # The code the report itself prints: group number and row ("II.6" = Phụ lục II, group II
    # "thực hiện thường xuyên", row 6), so a reader finds the row in the report.
    return f"{REPORT_GROUP_NUMBER[row.group]}.{row.stt}"


def _new_task(row: ReportTask, result: ReportImportResult, by: Any, source: str) -> Task:
    plan = _directive_for(row, by)
    code = _row_code(row)
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
    return task


def _import_task_row(
    row: ReportTask,
    period: ReportingPeriod,
    matcher: _TaskMatcher,
    resolver: UnitResolver,
    result: ReportImportResult,
    by: Any,
    source: str,
) -> Task:
    found = matcher.match(row)
    units = _units_of(row, resolver, period.end)
    if found is None:
        task = _new_task(row, result, by, source)
        matcher.add(task)
    else:
        task = found.task
        result.tasks_matched += 1
        if found.review:
            result.reviews.append(
                ReportFinding(
                    appendix="II",
                    row=row.stt,
                    ref=row.content[:80],
                    rule=REVIEW_RULE,
                    severity="warning",
                    message=(
                        f"Dòng {_row_code(row)} được gắn với nhiệm vụ {task.code} của "
                        f"{task.plan.number} (độ giống {found.score:.0f}/100) nhưng chưa chắc "
                        f"chắn: {found.review}. Cần rà soát."
                    ),
                    group=row.group,
                    line=row.source.line,
                )
            )
    assignments = []
    for unit in units or [a.unit for a in task.assignments.filter(role=AssignmentRole.LEAD)][:1]:
        assignments.append(
            assignment_ensure(
                task=task, unit=unit, role=AssignmentRole.LEAD, phrase=row.lead_unit, by=by
            )
        )
    progress_text = "\n".join(x for x in (row.progress.strip(), row.result.strip()) if x)
    for assignment in assignments:
        incoming = {
            "progress": progress_text,
            "status": ReportStatus.ACCEPTED,
            "state": REPORT_STATE[row.group],
            "source": "import",
            "percent_complete": 100 if row.group == "done" else None,
        }
        stored = (
            ProgressReport.objects.filter(assignment=assignment, period=period)
            .order_by("pk")
            .first()
        )
        values = _reconciled(
            result,
            model=ProgressReport,
            appendix="II",
            ref=f"{_row_code(row)} → {task.plan.number} {task.code} · {assignment.unit.name}",
            instance=stored,
            incoming=incoming,
            partial_text=("progress",),
        )
        progress_report_import(assignment=assignment, period=period, values=values, by=by)
        result.progress += 1
    return task


# --- Phụ lục III ----------------------------------------------------------------------------


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
    service: PublicService,
    period: ReportingPeriod,
    province: Unit,
    result: ReportImportResult,
    by: Any,
) -> None:
    marks = "".join(
        code
        for code, mark in (
            ("T", row.staff_province),
            ("H", row.staff_district),
            ("X", row.staff_commune),
        )
        if mark and mark.strip()
    )
    incoming: dict[str, Any] = {
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
    stored = ServiceStat.objects.filter(
        service=service, unit=province, period=period, level=StatLevel.ALL
    ).first()
    values = _reconciled(
        result,
        model=ServiceStat,
        appendix="III",
        ref=f"{row.stt or '-'}. {service.name}",
        instance=stored,
        incoming=incoming,
    )
    service_stat_import(service=service, unit=province, period=period, values=values, by=by)
    result.services += 1


# --- the import -------------------------------------------------------------------------------


class _DryRun(Exception):  # noqa: N818 - not an error: how a preview leaves its transaction
    def __init__(self, result: ReportImportResult) -> None:
        super().__init__("dry run")
        self.result = result


def report_import(
    *,
    report: ExtractedReport,
    year: int,
    month: int,
    by: Any,
    source: str = "",
    dry_run: bool = False,
) -> ReportImportResult:
    """Import `report` as the monthly report of `month`/`year` (see the module's docstring).

    `dry_run`: compute everything the import would do (the same code path, so the preview is
    what confirming will do) inside a transaction that is then rolled back: nothing is written,
    audit entries included. A report without appendix tables (only figures in its prose) is
    refused: there is nothing it could record."""
    if not (report.documents or report.tasks or report.services) and report.figures:
        raise ApplicationError(
            "Báo cáo không có bảng phụ lục (văn bản, tiến độ nhiệm vụ, 25 DVC) để nạp; chỉ có "
            f"{len(report.figures)} số liệu trong lời văn, cần người xác nhận."
        )
    try:
        with transaction.atomic():
            result = _import(report=report, year=year, month=month, by=by, source=source)
            if dry_run:
                result.dry_run = True
                raise _DryRun(result)
    except _DryRun as preview:
        return preview.result
    return result


def _import(
    *, report: ExtractedReport, year: int, month: int, by: Any, source: str
) -> ReportImportResult:
    period = period_get_or_create("month", year, month, by=by)
    result = ReportImportResult(period=period)
    source = source[:200] or "báo cáo"
    # Where each finding's row went: (appendix, group, row) → the record it became.
    objects: dict[tuple[str, str | None, str | None], str] = {}

    for doc in report.documents:
        number = doc.number.strip()[:100]
        incoming = {
            "doc_type": _doc_type(doc.type),
            "date": doc.date,
            "date_raw": doc.date_raw[:50],
            "summary": doc.summary,
            "issuing_body": (doc.issuer or "")[:255],
            "group": document_group(doc.group_title),
            "group_label": doc.group_title[:255],
            "source": source[:64],
        }
        stored = DocumentRecord.objects.filter(number=number, period=period).first()
        values = _reconciled(
            result,
            model=DocumentRecord,
            appendix="I",
            ref=number,
            instance=stored,
            incoming=incoming,
        )
        record, _ = document_record_import(number=number, period=period, values=values, by=by)
        objects[("I", doc.group, doc.stt)] = f"documents.documentrecord:{record.pk}"
        result.documents += 1

    matcher = _TaskMatcher(period)
    resolver = UnitResolver(unit_registry())
    for task_row in report.tasks:
        task = _import_task_row(task_row, period, matcher, resolver, result, by, source)
        objects[("II", task_row.group, task_row.stt)] = f"plans.task:{task.pk}"

    province = Unit.objects.filter(key=PROVINCE_UNIT_KEY).first()
    if province is None and report.services:
        raise ApplicationError(
            "Chưa có đơn vị UBND tỉnh (mã UBND_TINH) để gắn số liệu dịch vụ công: "
            "chạy `dean06 load-reference`."
        )
    services = list(PublicService.objects.filter(active=True))
    for service_row in report.services:
        service = _service_for(service_row, services)
        if province is None or service is None:
            continue
        _import_service_row(service_row, service, period, province, result, by)
        objects[("III", None, service_row.stt)] = f"kpis.publicservice:{service.pk}"
    objects[("III", None, None)] = f"tracking.reportingperiod:{period.pk}"
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
    result.finding_sync = report_findings_sync(
        period=period,
        items=[_finding_item(f, objects) for f in [*result.findings, *result.reviews]],
        source=source,
        by=by,
    )
    audit_record(
        action="imports.report.imported",
        actor=by,
        object_type="imports.report",
        object_repr=source,
        after={"period": period.label, "summary": result.summary()},
    )
    return result


def _finding_item(
    f: ReportFinding, objects: Mapping[tuple[str, str | None, str | None], str]
) -> ReportFindingItem:
    group = None if f.appendix == "III" else f.group
    object_id = objects.get((f.appendix, group, f.row)) or f"row:{f.appendix}.{f.group}.{f.row}"
    return ReportFindingItem(
        rule_code=f.rule,
        severity=f.severity,
        message=f.message,
        scope=APPENDIX_SCOPE.get(f.appendix, RuleScope.SERVICE_STAT),
        appendix=f.appendix,
        row=f.row or "",
        ref=f.ref,
        object_id=object_id,
        column=f.column or "",
    )
