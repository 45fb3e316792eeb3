"""Reads of units and groups, scoped to the acting user; the registry handed to `dean06.ingest`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dean06.ingest.model import RegistryGroup, RegistryUnit, UnitRegistry
from dean06.orgs.models import Unit, UnitGroup


def units_valid_on(day: dt.date | None = None) -> QuerySet[Unit]:
    day = day or timezone.localdate()
    return Unit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


def units_visible_to(user: Any) -> QuerySet[Unit]:
    """Every unit for province-wide roles; a unit role sees its own unit only."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.sees_whole_province:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=user.unit_id)


def group_members(group: UnitGroup, *, on: dt.date | None = None) -> list[Unit]:
    """The units a collective stands for on a day: explicit members plus the kind/level rule."""
    if not group.fans_out:
        return []
    members = {u.pk: u for u in group.members.all()}
    if group.member_kinds or group.member_level:
        rule = units_valid_on(on)
        if group.member_kinds:
            rule = rule.filter(kind__in=group.member_kinds)
        if group.member_level:
            rule = rule.filter(level=group.member_level)
        members.update({u.pk: u for u in rule})
    return sorted(members.values(), key=lambda u: (u.level, u.name))


def unit_registry(*, on: dt.date | None = None) -> UnitRegistry:
    """The registry as plain data for the ingest library: units valid on the day, or every unit
    ever registered when no day is given (a 2024 plan read in 2026 still names 2024's units)."""
    unit_qs = units_valid_on(on) if on is not None else Unit.objects.all()
    units = tuple(
        RegistryUnit(
            key=u.key,
            name=u.name,
            kind=u.kind,
            level=u.level,
            parent_key=u.parent.key if u.parent else None,
            aliases=tuple(u.aliases or ()) + ((u.short_name,) if u.short_name else ()),
        )
        for u in unit_qs.select_related("parent")
    )
    groups = tuple(
        RegistryGroup(
            key=g.key,
            name=g.name,
            fans_out=g.fans_out,
            member_kinds=tuple(g.member_kinds or ()),
            member_level=g.member_level or None,
            aliases=tuple(g.aliases or ()),
        )
        for g in UnitGroup.objects.all()
    )
    return UnitRegistry(units=units, groups=groups)
