"""Writes to units and unit groups: reference loading, creating units proposed by an import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from dean06.core.audit import audit_record, snapshot
from dean06.ingest.model import read_groups_csv, read_units_csv
from dean06.ingest.text import fold
from dean06.orgs.models import Unit, UnitGroup, UnitKind, UnitLevel, UnitOrigin
from dean06.reference import GROUPS_CSV, UNITS_CSV, reference_path


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} mới, {self.updated} cập nhật, {self.unchanged} không đổi"


def _apply(instance: Any, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


@transaction.atomic
def units_load_reference(
    *, units_csv: Path | None = None, groups_csv: Path | None = None, by: Any = None
) -> tuple[LoadResult, LoadResult]:
    """Install or update the reference units and unit groups. Re-running changes nothing."""
    unit_rows = read_units_csv(units_csv or reference_path(UNITS_CSV))
    group_rows = read_groups_csv(groups_csv or reference_path(GROUPS_CSV))
    units = LoadResult()
    by_key: dict[str, Unit] = {
        u.key: u for u in Unit.objects.filter(key__in=[r.key for r in unit_rows])
    }
    # Two passes: create every unit, then link parents (a parent may come later in the file).
    for row in unit_rows:
        values = {
            "name": row.name,
            "kind": row.kind if row.kind in UnitKind.values else UnitKind.OTHER,
            "level": row.level if row.level in UnitLevel.values else UnitLevel.PROVINCE,
            "aliases": list(row.aliases),
        }
        unit = by_key.get(row.key)
        if unit is None:
            unit = Unit(key=row.key, origin=UnitOrigin.REFERENCE, **values)
            unit.full_clean(exclude=["parent", "replaced_by"])
            unit.save()
            by_key[row.key] = unit
            audit_record(action="orgs.unit.created", actor=by, instance=unit, after=snapshot(unit))
            units.created += 1
        else:
            before = snapshot(unit)
            if _apply(unit, values):
                unit.full_clean(exclude=["parent", "replaced_by"])
                unit.save()
                audit_record(
                    action="orgs.unit.updated",
                    actor=by,
                    instance=unit,
                    before=before,
                    after=snapshot(unit),
                )
                units.updated += 1
            else:
                units.unchanged += 1
    for row in unit_rows:
        unit = by_key[row.key]
        parent = by_key.get(row.parent_key) if row.parent_key else None
        if unit.parent_id != (parent.pk if parent else None):
            before = snapshot(unit)
            unit.parent = parent
            unit.save(update_fields=["parent", "updated_at"])
            audit_record(
                action="orgs.unit.updated",
                actor=by,
                instance=unit,
                before=before,
                after=snapshot(unit),
            )

    groups = LoadResult()
    for grow in group_rows:
        group_values: dict[str, Any] = {
            "name": grow.name,
            "aliases": list(grow.aliases),
            "fans_out": grow.fans_out,
            "member_kinds": list(grow.member_kinds),
            "member_level": grow.member_level or "",
        }
        group = UnitGroup.objects.filter(key=grow.key).first()
        if group is None:
            group = UnitGroup(key=grow.key, **group_values)
            group.full_clean()
            group.save()
            audit_record(
                action="orgs.group.created",
                actor=by,
                instance=group,
                after=snapshot(group, fields=list(group_values)),
            )
            groups.created += 1
        else:
            before = snapshot(group, fields=list(group_values))
            if _apply(group, group_values):
                group.full_clean()
                group.save()
                audit_record(
                    action="orgs.group.updated",
                    actor=by,
                    instance=group,
                    before=before,
                    after=snapshot(group, fields=list(group_values)),
                )
                groups.updated += 1
            else:
                groups.unchanged += 1
    return units, groups


def unique_unit_key(name: str) -> str:
    base = slugify(fold(name)).replace("-", "_").upper()[:56] or "DON_VI"
    key, n = base, 1
    while Unit.objects.filter(key=key).exists():
        n += 1
        key = f"{base}_{n}"
    return key


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str = UnitKind.OTHER,
    level: str = UnitLevel.PROVINCE,
    by: Any,
    origin: str = UnitOrigin.MANUAL,
    key: str | None = None,
    parent: Unit | None = None,
    aliases: list[str] | None = None,
) -> Unit:
    unit = Unit(
        key=key or unique_unit_key(name),
        name=name.strip(),
        kind=kind,
        level=level,
        origin=origin,
        parent=parent,
        aliases=aliases or [],
    )
    unit.full_clean()
    unit.save()
    audit_record(action="orgs.unit.created", actor=by, instance=unit, after=snapshot(unit))
    return unit
