"""Reads of findings for the REST API (`dean06.api.quality`): `selectors.findings_visible_to`
narrowed by the API's filters."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dean06.quality.models import Finding
from dean06.quality.selectors import findings_visible_to


def findings_for_api(
    user: Any,
    *,
    month: tuple[int, int] | None = None,
    unit: int | None = None,
    status: str = "",
    severity: str = "",
    scope: str = "",
) -> QuerySet[Finding]:
    qs = findings_visible_to(user, status=status or None)
    if month is not None:
        qs = qs.filter(period__kind="month", period__year=month[0], period__number=month[1])
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if severity:
        qs = qs.filter(severity=severity)
    if scope:
        qs = qs.filter(scope=scope)
    return qs.order_by("-created_at", "pk")


def finding_get(user: Any, finding_id: int) -> Finding | None:
    return findings_visible_to(user).filter(pk=finding_id).first()
