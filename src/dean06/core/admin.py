"""The administrators' screens: every change made there is audited like a service's change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from dean06.core.audit import audit_record, snapshot
from dean06.core.models import AuditEntry


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """ModelAdmin whose saves and deletions write an AuditEntry with before and after."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                action=f"{obj._meta.label_lower}.{'updated' if change else 'created'}",
                actor=request.user,
                instance=obj,
                before=before,
                after=snapshot(obj),
                note="Quản trị",
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                action=f"{obj._meta.label_lower}.deleted",
                actor=request.user,
                instance=obj,
                before=snapshot(obj),
                note="Quản trị",
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "action", "actor", "object_repr", "unit")
    list_filter = ("action",)
    search_fields = ("object_repr", "action", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
