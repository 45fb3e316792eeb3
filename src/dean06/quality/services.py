"""Writes to rules and findings: rules edited by administrators (checked by the engine), the
built-in rules installed once, rules run over a period on demand, findings stored and accepted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dean06.accounts.permissions import Action, can
from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.core.services import LoadResult
from dean06.quality.builtin import BUILTIN_RULES, FIELDS_BY_SCOPE
from dean06.quality.engine import ExpressionError, validate_expression
from dean06.quality.models import Finding, FindingStatus, RuleScope, ValidationRule
from dean06.quality.selectors import MODEL_SCOPE, rule_def

RULE_FIELDS = (
    "code",
    "name",
    "scope",
    "left",
    "operator",
    "right",
    "tolerance",
    "severity",
    "message",
    "importance",
    "missing",
    "params",
    "active",
)
# The names a service-figure expression may use: those of a report's rows, plus staff by level
# (entered in the grid). `kpis.entry.rule_record` fills every one of them.
SERVICE_RULE_NAMES: tuple[str, ...] = (
    *FIELDS_BY_SCOPE["service"],
    "staff_province",
    "staff_district",
    "staff_commune",
)
# What an administrator may change on a built-in rule whose check is written in Python.
SPECIAL_EDITABLE = ("name", "severity", "message", "importance", "params", "active")


def allowed_names(scope: str) -> tuple[str, ...]:
    """The field names an expression of a (model) scope may use."""
    if scope == RuleScope.SERVICE_STAT:
        return SERVICE_RULE_NAMES
    if scope == RuleScope.INDICATOR:
        return ("numerator", "denominator", "value")
    engine_scope = {"document": "document", "progress": "task"}.get(scope, scope)
    return FIELDS_BY_SCOPE.get(engine_scope, ())


def _require_admin(by: Any) -> None:
    if not can(by, Action.EDIT_RULES):
        raise PermissionDeniedError("Chỉ quản trị hệ thống được sửa quy tắc kiểm tra.")


def _check_rule(rule: ValidationRule) -> None:
    """The engine's verdict on a rule, as a Vietnamese ApplicationError."""
    is_special = rule.builtin and not rule.left and not rule.right
    if not is_special:
        if not rule.left or not rule.right or not rule.operator:
            raise ApplicationError("Quy tắc cần đủ vế trái, phép so sánh và vế phải.")
        names = allowed_names(rule.scope)
        try:
            validate_expression(rule.left, names)
            validate_expression(rule.right, names)
        except ExpressionError as exc:
            raise ApplicationError(str(exc), extra={"field": "expression"}) from exc
    try:
        rule_def(rule)
    except (ExpressionError, TypeError) as exc:
        raise ApplicationError(str(exc)) from exc
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise ApplicationError(
            "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
        ) from exc


@transaction.atomic
def rule_create(*, data: Mapping[str, Any], by: Any) -> ValidationRule:
    _require_admin(by)
    values = {k: v for k, v in data.items() if k in RULE_FIELDS}
    if ValidationRule.objects.filter(code=values.get("code", "")).exists():
        raise ApplicationError(f"Đã có quy tắc mã «{values.get('code')}».")
    rule = ValidationRule(builtin=False, **values)
    _check_rule(rule)
    rule.save()
    audit_record(action="quality.rule.created", actor=by, instance=rule, after=snapshot(rule))
    return rule


@transaction.atomic
def rule_update(*, rule: ValidationRule, data: Mapping[str, Any], by: Any) -> ValidationRule:
    _require_admin(by)
    rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule)
    special = rule.builtin and not rule.left and not rule.right
    editable = SPECIAL_EDITABLE if special else tuple(f for f in RULE_FIELDS if f != "code")
    for name, value in data.items():
        if name in editable:
            setattr(rule, name, value)
    _check_rule(rule)
    rule.save()
    audit_record(
        action="quality.rule.updated", actor=by, instance=rule, before=before, after=snapshot(rule)
    )
    return rule


@transaction.atomic
def rules_ensure_builtin(*, by: Any = None) -> LoadResult:
    """Install the built-in rules once; a rule already there (perhaps edited by an administrator)
    is left as it is. Safe to run on every `dean06 init`."""
    result = LoadResult()
    for definition in BUILTIN_RULES:
        if ValidationRule.objects.filter(code=definition.code).exists():
            result.unchanged += 1
            continue
        rule = ValidationRule(
            code=definition.code,
            name=definition.name or definition.code,
            scope=MODEL_SCOPE.get(definition.scope, definition.scope),
            left=definition.left if definition.kind == "expression" else "",
            operator=definition.operator if definition.kind == "expression" else "",
            right=definition.right if definition.kind == "expression" else "",
            tolerance=Decimal(str(definition.tolerance)),
            severity=definition.severity,
            message=definition.message,
            importance=definition.importance,
            missing=definition.missing,
            params=dict(definition.params),
            builtin=True,
            active=definition.active,
        )
        rule.full_clean()
        rule.save()
        audit_record(action="quality.rule.created", actor=by, instance=rule, after=snapshot(rule))
        result.created += 1
    return result


# --- findings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundItem:
    """A rule violation to store: which rule, the message, and the column(s) it concerns."""

    rule_code: str
    severity: str
    message: str
    column: str = ""
    ref: str = ""
    key: str = ""


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    fixed: int = 0
    accepted: int = 0
    findings: list[Finding] = field(default_factory=list)

    def add(self, other: SyncResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.fixed += other.fixed
        self.accepted += other.accepted
        self.findings.extend(other.findings)


def findings_sync(
    *,
    object_type: str,
    object_id: str | int,
    items: Sequence[FoundItem],
    scope: str,
    period: Any = None,
    unit: Any = None,
    source: str = "",
    reasons: Mapping[str, str] | None = None,
    by: Any = None,
) -> SyncResult:
    """Make the stored findings of one record match what the rules found now.

    A finding still there keeps its status (an accepted warning stays accepted); one no longer
    found is fixed. `reasons` gives, by item key, what the person saving wrote for a warning:
    from a unit, an explanation the secretariat will accept or return; from the secretariat
    (who accepts), an acceptance. Call inside the transaction of the change that was checked.
    """
    result = SyncResult()
    existing = {
        (f.rule_code, f.column): f
        for f in Finding.objects.filter(object_type=object_type, object_id=str(object_id))
    }
    seen: set[tuple[str, str]] = set()
    for item in items:
        key = (item.rule_code, item.column)
        seen.add(key)
        reason = ((reasons or {}).get(item.key) or "").strip()
        finding = existing.get(key)
        if finding is None:
            finding = Finding(
                rule_code=item.rule_code,
                object_type=object_type,
                object_id=str(object_id),
                column=item.column,
                scope=scope,
            )
            result.created += 1
        else:
            result.updated += 1
        finding.severity = item.severity
        finding.message = item.message
        finding.ref = item.ref[:500]
        finding.period = period
        finding.unit = unit
        finding.source = source[:255]
        before = snapshot(finding, fields=STATUS_FIELDS) if finding.pk else None
        action = ""
        if finding.status == FindingStatus.FIXED:
            finding.status = FindingStatus.OPEN
            action = "quality.finding.reopened"
        if reason and finding.severity == "warning":
            action = _apply_reason(finding, reason, by) or action
            if finding.status == FindingStatus.ACCEPTED and action == "quality.finding.accepted":
                result.accepted += 1
        finding.full_clean()
        finding.save()
        if action:
            _finding_audit(finding, action=action, before=before, by=by)
        result.findings.append(finding)
    for key, finding in existing.items():
        if key not in seen and finding.status != FindingStatus.FIXED:
            before = snapshot(finding, fields=STATUS_FIELDS)
            finding.status = FindingStatus.FIXED
            finding.save(update_fields=["status", "updated_at"])
            _finding_audit(finding, action="quality.finding.fixed", before=before, by=by)
            result.fixed += 1
    return result


# The fields of a finding's handling; their changes are audited (the text and place of a finding
# follow its record's own entry).
STATUS_FIELDS = [
    "status",
    "explanation",
    "explained_by",
    "explained_at",
    "review_comment",
    "reason",
    "accepted_by",
    "accepted_at",
]


def _apply_reason(finding: Finding, reason: str, by: Any) -> str:
    """What a reason written while saving does to a warning: the secretariat's accepts it; a
    unit's explains it (again, after a return). Returns the audit action, or "" for none."""
    now = timezone.now()
    if can_accept_finding(by, finding):
        if finding.status == FindingStatus.ACCEPTED:
            return ""
        finding.status = FindingStatus.ACCEPTED
        finding.reason = reason
        finding.accepted_by = by
        finding.accepted_at = now
        return "quality.finding.accepted"
    if finding.status == FindingStatus.ACCEPTED or (
        finding.status == FindingStatus.EXPLAINED and finding.explanation == reason
    ):
        return ""
    finding.status = FindingStatus.EXPLAINED
    finding.explanation = reason
    finding.explained_by = by if getattr(by, "is_authenticated", False) else None
    finding.explained_at = now
    return "quality.finding.explained"


def _finding_audit(finding: Finding, *, action: str, before: Any, by: Any) -> None:
    audit_record(
        action=action,
        actor=by,
        instance=finding,
        before=before,
        after=snapshot(finding, fields=STATUS_FIELDS),
        unit=finding.unit,
    )


def can_accept_finding(by: Any, finding: Finding) -> bool:
    """Accepting or returning is the secretariat's act (administrators too), never the unit's
    that entered the figures."""
    return can(by, Action.ACCEPT_FINDING, finding.unit_id)


def can_explain_finding(by: Any, finding: Finding) -> bool:
    """The unit's officer explains its own unit's warnings."""
    return can(by, Action.EXPLAIN_FINDING, finding.unit_id)


def _warning_only(finding: Finding) -> None:
    if finding.severity == "error":
        raise ApplicationError("Lỗi không thể chấp nhận hay giải trình: cần sửa số liệu.")
    if finding.status == FindingStatus.FIXED:
        raise ApplicationError("Phát hiện này đã được khắc phục.")


@transaction.atomic
def finding_explain(*, finding: Finding, explanation: str, by: Any) -> Finding:
    """The unit explains a warning on its data; the secretariat then accepts or returns it."""
    if not can_explain_finding(by, finding):
        raise PermissionDeniedError("Chỉ cán bộ đầu mối của đơn vị được giải trình phát hiện này.")
    _warning_only(finding)
    if not explanation.strip():
        raise ApplicationError("Cần nêu nội dung giải trình.")
    if finding.status == FindingStatus.ACCEPTED:
        raise ApplicationError("Thường trực đã chấp nhận cảnh báo này.")
    before = snapshot(finding, fields=STATUS_FIELDS)
    finding.status = FindingStatus.EXPLAINED
    finding.explanation = explanation.strip()
    finding.explained_by = by
    finding.explained_at = timezone.now()
    finding.full_clean()
    finding.save()
    _finding_audit(finding, action="quality.finding.explained", before=before, by=by)
    return finding


@transaction.atomic
def finding_accept(*, finding: Finding, reason: str, by: Any) -> Finding:
    """The secretariat accepts a warning (with the unit's explanation, or its own reason)."""
    if not can_accept_finding(by, finding):
        raise PermissionDeniedError(
            "Chỉ Thường trực Tổ công tác được chấp nhận cảnh báo; đơn vị gửi giải trình."
        )
    _warning_only(finding)
    reason = reason.strip() or finding.explanation
    if not reason:
        raise ApplicationError("Cần nêu lý do chấp nhận.")
    before = snapshot(finding, fields=STATUS_FIELDS)
    finding.status = FindingStatus.ACCEPTED
    finding.reason = reason
    finding.accepted_by = by
    finding.accepted_at = timezone.now()
    finding.full_clean()
    finding.save()
    _finding_audit(finding, action="quality.finding.accepted", before=before, by=by)
    return finding


@transaction.atomic
def finding_return(*, finding: Finding, comment: str, by: Any) -> Finding:
    """The secretariat sends an explanation back to the unit, saying why."""
    if not can_accept_finding(by, finding):
        raise PermissionDeniedError("Chỉ Thường trực Tổ công tác được trả lại giải trình.")
    _warning_only(finding)
    if finding.status != FindingStatus.EXPLAINED:
        raise ApplicationError("Chỉ trả lại được giải trình đang chờ xem xét.")
    if not comment.strip():
        raise ApplicationError("Cần nêu lý do trả lại để đơn vị bổ sung.")
    before = snapshot(finding, fields=STATUS_FIELDS)
    finding.status = FindingStatus.RETURNED
    finding.review_comment = comment.strip()
    finding.full_clean()
    finding.save()
    _finding_audit(finding, action="quality.finding.returned", before=before, by=by)
    return finding


# --- findings of an imported monthly report -----------------------------------------------------

# The object type of every finding a report import stores; its object id names the record the
# row became ("documents.documentrecord:12", "plans.task:40", "kpis.publicservice:9"), or the row
# itself ("row:II.done.4") when the row became no record.
REPORT_OBJECT_TYPE = "imports.report"
# What a report finding says and where it is: compared to decide whether it changed.
REPORT_FINDING_FIELDS = [
    "severity",
    "message",
    "scope",
    "appendix",
    "row",
    "ref",
    "column",
    "object_type",
    "object_id",
]


@dataclass(frozen=True)
class ReportFindingItem:
    """A finding of an imported report, with the record its row became (`object_id`)."""

    rule_code: str
    severity: str
    message: str
    scope: str
    appendix: str
    row: str
    ref: str
    object_id: str
    column: str = ""


def _report_item_values(item: ReportFindingItem) -> dict[str, Any]:
    return {
        "severity": item.severity,
        "message": item.message,
        "scope": item.scope,
        "appendix": item.appendix,
        "row": item.row[:32],
        "ref": item.ref[:500],
        "column": item.column[:64],
        "object_type": REPORT_OBJECT_TYPE,
        "object_id": item.object_id[:64],
    }


@dataclass
class ReportSyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    fixed: int = 0
    findings: list[Finding] = field(default_factory=list)


def _claim(pool: list[Finding], item: ReportFindingItem, *keys: tuple[str, ...]) -> Finding | None:
    """The first stored finding of `pool` equal to `item` on one of the `keys` (tried in order),
    taken out of the pool."""
    wanted = _report_item_values(item) | {"rule_code": item.rule_code}
    for key in keys:
        for finding in pool:
            if all(getattr(finding, name) == wanted[name] for name in key):
                pool.remove(finding)
                return finding
    return None


@transaction.atomic
def report_findings_sync(
    *, period: Any, items: Sequence[ReportFindingItem], source: str, by: Any
) -> ReportSyncResult:
    """Make the stored findings of a period's imported report match `items`, in place.

    A finding is the same one when its rule, object and row (or, across renditions that number
    rows differently, its rule and object) are the same: its status stays (an accepted warning
    stays accepted), only what it says is updated. One no longer found is marked fixed, never
    deleted. Findings stored by earlier versions of the import (no object) are taken over by rule,
    appendix and row. Every write is audited with before and after.
    """
    result = ReportSyncResult()
    stored = list(
        Finding.objects.select_for_update()
        .filter(period=period, object_type=REPORT_OBJECT_TYPE)
        .order_by("pk")
    )
    legacy = list(
        Finding.objects.select_for_update()
        .filter(period=period, object_type="", appendix__in=["I", "II", "III"])
        .order_by("pk")
    )
    for item in items:
        values = _report_item_values(item)
        finding = _claim(
            stored,
            item,
            ("rule_code", "object_id", "column", "row"),
            ("rule_code", "object_id", "column"),
        ) or _claim(legacy, item, ("rule_code", "appendix", "row"))
        if finding is None:
            finding = Finding(rule_code=item.rule_code, period=period, source=source[:255])
            for name, value in values.items():
                setattr(finding, name, value)
            finding.full_clean()
            finding.save()
            audit_record(
                action="quality.finding.created",
                actor=by,
                instance=finding,
                after=snapshot(finding),
            )
            result.created += 1
            result.findings.append(finding)
            continue
        changed = [name for name, value in values.items() if getattr(finding, name) != value]
        reopen = finding.status == FindingStatus.FIXED
        if not changed and not reopen:
            result.unchanged += 1
            result.findings.append(finding)
            continue
        before = snapshot(finding, fields=[*REPORT_FINDING_FIELDS, "status"])
        for name in changed:
            setattr(finding, name, values[name])
        if reopen:
            finding.status = FindingStatus.OPEN
        finding.full_clean()
        finding.save()
        audit_record(
            action="quality.finding.reopened" if reopen else "quality.finding.updated",
            actor=by,
            instance=finding,
            before=before,
            after=snapshot(finding, fields=[*REPORT_FINDING_FIELDS, "status"]),
            unit=finding.unit,
        )
        if reopen:
            result.reopened += 1
        else:
            result.updated += 1
        result.findings.append(finding)
    for finding in [*stored, *legacy]:
        if finding.status == FindingStatus.FIXED:
            continue
        before = snapshot(finding, fields=STATUS_FIELDS)
        finding.status = FindingStatus.FIXED
        finding.save(update_fields=["status", "updated_at"])
        _finding_audit(finding, action="quality.finding.fixed", before=before, by=by)
        result.fixed += 1
    return result
