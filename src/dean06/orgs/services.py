"""Writes to units and unit groups: reference loading, creating units proposed by an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from dean06.core.audit import audit_record, snapshot
from dean06.core.services import LoadResult, upsert_audited
from dean06.ingest.model import read_groups_csv, read_units_csv
from dean06.ingest.text import fold
from dean06.orgs.models import Unit, UnitGroup, UnitKind, UnitLevel, UnitOrigin
from dean06.reference import GROUPS_CSV, UNITS_CSV, reference_path


@transaction.atomic
def units_load_reference(
    *, units_csv: Path | None = None, groups_csv: Path | None = None, by: Any = None
) -> tuple[LoadResult, LoadResult]:
    """Install or update the reference units and unit groups. Re-running changes nothing."""
    unit_rows = read_units_csv(units_csv or reference_path(UNITS_CSV))
    group_rows = read_groups_csv(groups_csv or reference_path(GROUPS_CSV))
    units = LoadResult()
    by_key: dict[str, Unit] = {}
    # Two passes: create every unit, then link parents (a parent may come later in the file).
    for row in unit_rows:
        unit, outcome = upsert_audited(
            Unit,
            lookup={"key": row.key},
            values={
                "name": row.name,
                "kind": row.kind if row.kind in UnitKind.values else UnitKind.OTHER,
                "level": row.level if row.level in UnitLevel.values else UnitLevel.PROVINCE,
                "aliases": list(row.aliases),
            },
            defaults={"origin": UnitOrigin.REFERENCE},
            action="orgs.unit",
            by=by,
            exclude_clean=["parent", "replaced_by"],
        )
        by_key[row.key] = unit
        units.count(outcome)
    for row in unit_rows:
        parent = by_key.get(row.parent_key) if row.parent_key else None
        upsert_audited(
            Unit,
            lookup={"key": row.key},
            values={"parent": parent},
            action="orgs.unit",
            by=by,
            instance=by_key[row.key],
        )

    groups = LoadResult()
    for grow in group_rows:
        _, outcome = upsert_audited(
            UnitGroup,
            lookup={"key": grow.key},
            values={
                "name": grow.name,
                "aliases": list(grow.aliases),
                "fans_out": grow.fans_out,
                "member_kinds": list(grow.member_kinds),
                "member_level": grow.member_level or "",
            },
            action="orgs.group",
            by=by,
        )
        groups.count(outcome)
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
