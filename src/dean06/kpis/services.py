"""Writes to the service catalogue and to service figures."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from dean06.core.audit import audit_record, snapshot
from dean06.kpis.models import PublicService, ServiceCatalogue
from dean06.orgs.services import LoadResult
from dean06.reference import SERVICES_CSV, reference_path

PUBLIC_SECURITY = "Bộ Công an"


@transaction.atomic
def services_load_reference(*, path: Path | None = None, by: Any = None) -> LoadResult:
    """Install or update the 25 essential services. Re-running changes nothing."""
    result = LoadResult()
    with open(path or reference_path(SERVICES_CSV), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        code = f"DA06-{int(row['no']):02d}"
        values: dict[str, Any] = {
            "order": int(row["no"]),
            "name": row["name"].strip(),
            "full_name": (row.get("full_name") or row["name"]).strip(),
            "online_level": (row.get("online_level") or "").strip(),
            "province_body": (row.get("province_body") or "").strip(),
            "owner_ministry": (row.get("owner_ministry") or "").strip(),
            "owner_is_public_security": (row.get("owner_ministry") or "").strip()
            == PUBLIC_SECURITY,
            "is_linked_group": (row.get("linked_group") or "").strip().lower() == "yes",
            "catalogue": ServiceCatalogue.ESSENTIAL_25,
        }
        service = PublicService.objects.filter(code=code).first()
        if service is None:
            service = PublicService(code=code, **values)
            service.full_clean()
            service.save()
            audit_record(
                action="kpis.service.created", actor=by, instance=service, after=snapshot(service)
            )
            result.created += 1
            continue
        before = snapshot(service)
        changed = False
        for field, value in values.items():
            if getattr(service, field) != value:
                setattr(service, field, value)
                changed = True
        if changed:
            service.full_clean()
            service.save()
            audit_record(
                action="kpis.service.updated",
                actor=by,
                instance=service,
                before=before,
                after=snapshot(service),
            )
            result.updated += 1
        else:
            result.unchanged += 1
    return result
