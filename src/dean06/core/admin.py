"""The administrators' screens: every change made there is audited like a service's change."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from dean06.core.audit import action_label, audit_record, object_label, snapshot
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


class _FormFilter(admin.ListFilter):
    """A filter of the log shown as a small form (drop-down lists, a text box, dates) with a
    button, rather than Django's list of links: a province has hundreds of units and users, and
    a list of links that long would fill the page. Works without script (the CSP allows none
    inline). Each subclass names its fields; `choices` readies them for the template."""

    template = "admin/core/form_filter.html"
    fields: tuple[str, ...] = ()

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        # `params`: the query's lists of values, each filter taking out its own.
        super().__init__(request, params, model, model_admin)
        for name in self.fields:
            if name in params:
                value = params.pop(name)[-1].strip()
                if value:
                    self.used_parameters[name] = value
        self.form: list[dict[str, Any]] = []
        self.others: list[tuple[str, str]] = []
        self.clear_url = ""

    def value_of(self, name: str) -> str:
        return str(self.used_parameters.get(name, ""))

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str | None]:
        return list(self.fields)

    def widgets(self) -> list[dict[str, Any]]:
        """The form's fields: name, label, kind ("select", "text", "date"), value, options."""
        raise NotImplementedError

    def choices(self, changelist: Any) -> Any:
        self.form = self.widgets()
        # The rest of the query (search, other filters, ordering) rides along in hidden fields;
        # the page number does not: a narrower list starts on its first page.
        self.others = [
            (key, value)
            for key, values in changelist.filter_params.items()
            if key not in self.fields
            for value in values
        ]
        self.clear_url = changelist.get_query_string(remove=list(self.fields))
        yield {
            "selected": not self.used_parameters,
            "query_string": self.clear_url,
            "display": "Tất cả",
        }


class _OptionFilter(_FormFilter):
    """One drop-down list."""

    label = ""

    @property
    def name(self) -> str:
        return self.fields[0]

    def value(self) -> str:
        return self.value_of(self.name)

    def options(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def widgets(self) -> list[dict[str, Any]]:
        return [
            {
                "name": self.name,
                "label": self.label or self.title,
                "kind": "select",
                "value": self.value(),
                "options": self.options(),
            }
        ]


class ActionFilter(_OptionFilter):
    """The log filtered by what was done, named in words rather than by action code."""

    title = "hành động"
    fields = ("hanh_dong",)

    def options(self) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((c, action_label(c)) for c in codes), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


NO_ACTOR = "khong"


class ActorFilter(_OptionFilter):
    """Who acted: the accounts that appear in the log, and "no one signed in" (commands, the
    demo, the background jobs: their label is in `actor_label`)."""

    title = "người thực hiện"
    fields = ("nguoi_thuc_hien",)

    def options(self) -> list[tuple[str, str]]:
        users = (
            get_user_model()
            .objects.filter(pk__in=AuditEntry.objects.order_by().values("actor_id"))
            .order_by("username")
        )
        named = [
            (str(u.pk), f"{u.username} — {full}" if (full := u.get_full_name()) else u.username)
            for u in users
        ]
        return [*named, (NO_ACTOR, "Không có người đăng nhập (lệnh, hệ thống)")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        if not value:
            return queryset
        if value == NO_ACTOR:
            return queryset.filter(actor__isnull=True)
        if not value.isdigit():
            raise IncorrectLookupParameters(f"nguoi_thuc_hien={value!r}")
        return queryset.filter(actor_id=int(value))


class UnitFilter(_OptionFilter):
    """A unit's part of the log: the entries about its records (`AuditEntry.unit`, which the
    services set to the unit a record belongs to) and those made by its own people (the actor's
    unit). Together they answer "what happened around this unit", whoever did it."""

    title = "đơn vị"
    fields = ("don_vi",)

    def options(self) -> list[tuple[str, str]]:
        # By name: core sits below orgs (import-linter) and only points at its model.
        unit_model = apps.get_model("orgs", "Unit")
        entries = AuditEntry.objects.order_by()
        units = unit_model._default_manager.filter(
            models.Q(pk__in=entries.values("unit_id"))
            | models.Q(pk__in=entries.filter(actor__unit__isnull=False).values("actor__unit_id"))
        ).order_by("name")
        return [(str(u.pk), str(u)) for u in units]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(f"don_vi={value!r}")
        return queryset.filter(models.Q(unit_id=int(value)) | models.Q(actor__unit_id=int(value)))


class ObjectFilter(_FormFilter):
    """One kind of record, or one record's whole history (its kind and its id); each row's
    object links here."""

    title = "đối tượng"
    fields = ("loai_doi_tuong", "ma_doi_tuong")

    def widgets(self) -> list[dict[str, Any]]:
        kinds = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
        return [
            {
                "name": "loai_doi_tuong",
                "label": "loại đối tượng",
                "kind": "select",
                "value": self.value_of("loai_doi_tuong"),
                "options": sorted(
                    ((k, object_label(k)) for k in kinds if k), key=lambda item: item[1]
                ),
            },
            {
                "name": "ma_doi_tuong",
                "label": "mã đối tượng",
                "kind": "text",
                "value": self.value_of("ma_doi_tuong"),
            },
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if kind := self.value_of("loai_doi_tuong"):
            queryset = queryset.filter(object_type=kind)
        if object_id := self.value_of("ma_doi_tuong"):
            queryset = queryset.filter(object_id=object_id)
        return queryset


class DateRangeFilter(_FormFilter):
    """From one day to another, both included, in Vietnam's time (a reporting period runs from
    the 15th to the 14th: the year/month/day links above the list cannot say that)."""

    title = "thời gian"
    fields = ("tu_ngay", "den_ngay")

    def widgets(self) -> list[dict[str, Any]]:
        return [
            {
                "name": "tu_ngay",
                "label": "từ ngày",
                "kind": "date",
                "value": self.value_of("tu_ngay"),
            },
            {
                "name": "den_ngay",
                "label": "đến ngày",
                "kind": "date",
                "value": self.value_of("den_ngay"),
            },
        ]

    def _day(self, name: str) -> dt.date | None:
        value = self.value_of(name)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise IncorrectLookupParameters(f"{name}={value!r}") from exc

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        zone = timezone.get_current_timezone()
        if start := self._day("tu_ngay"):
            queryset = queryset.filter(at__gte=dt.datetime.combine(start, dt.time.min, zone))
        if end := self._day("den_ngay"):
            after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone)
            queryset = queryset.filter(at__lt=after)
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log for administrators: read-only for everyone, superusers included (an entry
    that could be edited would prove nothing). Seen by those holding `core.view_auditentry`:
    the administrators' role group has every permission, the other roles' groups do not have
    this one (`accounts.roles.ROLE_PERMISSIONS`; core may not import accounts)."""

    list_display = ("at", "action_text", "actor", "actor_label", "object_link", "unit")
    list_filter = (DateRangeFilter, ActorFilter, UnitFilter, ActionFilter, ObjectFilter)
    list_select_related = ("actor", "unit")
    search_fields = ("object_repr", "action", "object_id", "actor_label")
    date_hierarchy = "at"
    # Counting each choice of each filter over a log of many thousand entries is slow, and the
    # drop-down lists do not show counts.
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="hành động", ordering="action")
    def action_text(self, entry: AuditEntry) -> str:
        return action_label(entry.action)

    @admin.display(description="đối tượng", ordering="object_repr")
    def object_link(self, entry: AuditEntry) -> str:
        """The object's name, linking to its whole history in the log."""
        text = entry.object_repr or entry.object_id or "—"
        if not entry.object_type:
            return text
        query = urlencode({"loai_doi_tuong": entry.object_type, "ma_doi_tuong": entry.object_id})
        return format_html('<a href="?{}" title="Lịch sử của đối tượng này">{}</a>', query, text)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
