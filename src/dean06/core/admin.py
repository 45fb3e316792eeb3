"""The administrators' screens: every change made there is audited like a service's change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.http import HttpRequest

from dean06.core.audit import action_label, audit_record, snapshot
from dean06.core.models import AuditEntry

NOTE = "Quản trị"
# Set on the object being saved by `save_model`, read by `save_related`: the object is the one
# thing both calls share that belongs to this request alone (the ModelAdmin serves all threads).
_PENDING = "_dean06_audit_before"


def _unit_of(obj: models.Model) -> Any:
    """The unit an entry concerns, for records that belong to one (an assignment, a user)."""
    try:
        field = obj._meta.get_field("unit")
    except FieldDoesNotExist:
        return None
    unit_model = AuditEntry._meta.get_field("unit").related_model
    if getattr(field, "related_model", None) is not unit_model:
        return None
    return getattr(obj, "unit", None)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """ModelAdmin whose saves and deletions, and those of its inlines, write an AuditEntry with
    before and after (many-to-many members included, secrets left out)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Read from the database: the form has already copied the new values onto `obj`, and the
        # many-to-many members are still the old ones until `save_related`.
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        setattr(obj, _PENDING, (before, change))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # What ModelAdmin.save_related does, with the parent's entry written once its
        # many-to-many members are saved and before its inlines' own entries.
        form.save_m2m()
        obj = form.instance
        pending = obj.__dict__.pop(_PENDING, None)
        if pending is not None:
            before, changed = pending
            audit_record(
                action=f"{obj._meta.label_lower}.{'updated' if changed else 'created'}",
                actor=request.user,
                instance=obj,
                before=before,
                after=snapshot(obj),
                unit=_unit_of(obj),
                note=NOTE,
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Save an inline and audit each row added, changed or deleted."""
        model = formset.model
        deleting = {id(f) for f in formset.deleted_forms}
        touched = [
            f.instance
            for f in formset.initial_forms
            if f.instance.pk is not None and (f.has_changed() or id(f) in deleting)
        ]
        stored = model._default_manager.in_bulk([o.pk for o in touched])
        # Keyed by the object itself: a deleted row has lost its primary key by the time we
        # write its entry.
        befores = {
            id(o): (o.pk, snapshot(stored[o.pk]), str(stored[o.pk])[:300])
            for o in touched
            if o.pk in stored
        }
        super().save_formset(request, form, formset, change)
        label = model._meta.label_lower
        for obj in formset.new_objects:
            audit_record(
                action=f"{label}.created",
                actor=request.user,
                instance=obj,
                after=snapshot(obj),
                unit=_unit_of(obj),
                note=NOTE,
            )
        for obj, _fields in formset.changed_objects:
            audit_record(
                action=f"{label}.updated",
                actor=request.user,
                instance=obj,
                before=befores.get(id(obj), (None, None, ""))[1],
                after=snapshot(obj),
                unit=_unit_of(obj),
                note=NOTE,
            )
        for obj in formset.deleted_objects:
            pk, before, text = befores.get(id(obj), (None, None, str(obj)))
            audit_record(
                action=f"{label}.deleted",
                actor=request.user,
                object_type=label,
                object_id=pk,
                object_repr=text,
                before=before,
                unit=_unit_of(obj),
                note=NOTE,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                action=f"{obj._meta.label_lower}.deleted",
                actor=request.user,
                instance=obj,
                before=snapshot(obj),
                unit=_unit_of(obj),
                note=NOTE,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ActionFilter(admin.SimpleListFilter):
    """The log filtered by what was done, named in words rather than by action code."""

    title = "hành động"
    parameter_name = "hanh_dong"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((c, action_label(c)) for c in codes), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "action_text", "actor", "actor_label", "object_repr", "unit")
    list_filter = (ActionFilter,)
    search_fields = ("object_repr", "action", "object_id", "actor_label")
    date_hierarchy = "at"

    @admin.display(description="hành động", ordering="action")
    def action_text(self, entry: AuditEntry) -> str:
        return action_label(entry.action)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
