"""Reads of rules and findings: rules as the engine's `RuleDef`s, findings scoped to the user."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from dean06.orgs.selectors import units_visible_to
from dean06.quality.builtin import BUILTIN_RULES
from dean06.quality.engine import ExpressionError, RuleDef
from dean06.quality.models import Finding, FindingStatus, ValidationRule

# The model's scope names → the engine's.
ENGINE_SCOPE: dict[str, str] = {
    "service_stat": "service",
    "document": "document",
    "progress": "task",
    "indicator": "indicator",
}
MODEL_SCOPE: dict[str, str] = {v: k for k, v in ENGINE_SCOPE.items()}


def rule_def(rule: ValidationRule) -> RuleDef:
    """A stored rule as the engine's plain data (raises ExpressionError if it cannot run)."""
    return RuleDef.from_dict(
        {
            "code": rule.code,
            "name": rule.name,
            "scope": rule.scope,
            "left": rule.left,
            "operator": rule.operator,
            "right": rule.right,
            "tolerance": rule.tolerance,
            "severity": rule.severity,
            "message": rule.message,
            "importance": rule.importance,
            "missing": rule.missing,
            "params": rule.params or {},
            "active": rule.active,
        }
    )


def rules_for_scope(scope: str) -> list[RuleDef]:
    """The active rules of a model scope ("service_stat", "document"...). Before the rules are
    installed in the database the built-in ones apply, so a new installation still checks."""
    stored = list(ValidationRule.objects.filter(scope=scope))
    if not stored:
        engine_scope = ENGINE_SCOPE.get(scope, scope)
        return [r for r in BUILTIN_RULES if r.scope == engine_scope and r.active]
    out = []
    for rule in stored:
        if not rule.active:
            continue
        try:
            out.append(rule_def(rule))
        except ExpressionError:
            # Rules are validated when saved; one broken by a later engine change is skipped,
            # not allowed to stop every entry.
            continue
    return out


def rules_all() -> QuerySet[ValidationRule]:
    return ValidationRule.objects.order_by("scope", "code")


def findings_visible_to(
    user: Any,
    *,
    period: Any = None,
    status: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
) -> QuerySet[Finding]:
    """Province-wide roles see every finding; a unit role sees its own unit's. Each carries
    `rule_name`, the name of its rule as people read it (the code is for machines)."""
    if not getattr(user, "is_authenticated", False):
        return Finding.objects.none()
    rule_name = ValidationRule.objects.filter(code=OuterRef("rule_code")).values("name")[:1]
    qs = Finding.objects.select_related("period", "unit", "accepted_by").annotate(
        rule_name=Subquery(rule_name)
    )
    if not user.sees_whole_province:
        qs = qs.filter(unit__in=units_visible_to(user))
    if period is not None:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id is not None:
        qs = qs.filter(object_id=str(object_id))
    return qs.order_by("-created_at", "id")


def standing_explanations(
    object_type: str, object_ids: Iterable[int | str]
) -> dict[tuple[str, str, str], str]:
    """Warnings of these records already explained by their unit or accepted by the secretariat,
    by (object id, rule code, column) → the text given. Saving the same figures again does not
    ask for it a second time; a returned explanation is not here: the unit must write again."""
    rows = Finding.objects.filter(
        object_type=object_type,
        object_id__in=[str(i) for i in object_ids],
        severity="warning",
        status__in=[FindingStatus.EXPLAINED, FindingStatus.ACCEPTED],
    ).values_list("object_id", "rule_code", "column", "explanation", "reason")
    return {
        (object_id, rule, column): explanation or reason or "—"
        for object_id, rule, column, explanation, reason in rows
    }
