"""Reads of units for the REST API (`dean06.api.units`), scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dean06.orgs.models import Unit
from dean06.orgs.selectors import units_visible_to


def units_for_api(user: Any, *, q: str = "", level: str = "", kind: str = "") -> QuerySet[Unit]:
    qs = units_visible_to(user)
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        word = q.strip()
        qs = qs.filter(
            Q(name__icontains=word) | Q(short_name__icontains=word) | Q(key__iexact=word)
        )
    return qs.order_by("level", "name", "pk")


def unit_get(user: Any, unit_id: int) -> Unit | None:
    return units_visible_to(user).filter(pk=unit_id).first()
