"""Writes shared by every domain app: create-or-update a record, validated and audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.db import models

from dean06.core.audit import audit_record, snapshot

M = TypeVar("M", bound=models.Model)
Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class LoadResult:
    """How many records a load created, updated or left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} mới, {self.updated} cập nhật, {self.unchanged} không đổi"


def upsert_audited(
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    action: str,
    by: Any,
    unit: Any = None,
    defaults: Mapping[str, Any] | None = None,
    exclude_clean: Sequence[str] = (),
    instance: M | None = None,
) -> tuple[M, Outcome]:
    """The record found by `lookup` (or given as `instance`) made to hold `values`.

    A new record also gets `defaults`. Writes only when something differs, then records
    `<action>.created` or `<action>.updated` with before and after. Running it again with the same
    values changes nothing and records nothing.
    """
    if instance is None:
        # `lookup` is a unique key: ordering by pk spares compiling the model's ordering (its
        # joins), which dominated imports of hundreds of rows.
        instance = model._default_manager.filter(**lookup).order_by("pk").first()
    if instance is None:
        instance = model(**lookup, **(defaults or {}), **values)
        instance.full_clean(exclude=list(exclude_clean))
        instance.save()
        audit_record(
            action=f"{action}.created",
            actor=by,
            instance=instance,
            after=snapshot(instance),
            unit=unit,
        )
        return instance, "created"
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    if not changed:
        return instance, "unchanged"
    before = snapshot(instance)
    for field in changed:
        setattr(instance, field, values[field])
    instance.full_clean(exclude=list(exclude_clean))
    instance.save()
    audit_record(
        action=f"{action}.updated",
        actor=by,
        instance=instance,
        before=before,
        after=snapshot(instance),
        unit=unit,
    )
    return instance, "updated"
