"""Recording changes: every service calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict

from dean06.core.models import AuditEntry


def snapshot(
    instance: models.Model | None, *, fields: list[str] | None = None
) -> dict[str, Any] | None:
    """The field values of a record as JSON-safe data (None for no record)."""
    if instance is None:
        return None
    data = model_to_dict(instance, fields=fields)
    for field in instance._meta.concrete_fields:
        if field.name in data or (fields and field.name not in fields):
            continue
        data[field.name] = field.value_from_object(instance)
    return {k: _jsonable(v) for k, v in data.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def audit_record(
    *,
    action: str,
    actor: Any,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Any = None,
    note: str = "",
) -> AuditEntry:
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id if object_id is not None else instance.pk
        object_repr = object_repr or str(instance)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=actor_obj,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:300],
        unit=unit,
        before=before,
        after=after,
        note=note,
    )
