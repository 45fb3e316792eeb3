"""Administrators' screens for service figures' catalogues: the public services, which units
report which part of them, the targets in force and the indicators plans set."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from dean06.core.admin import AuditedAdmin
from dean06.kpis.models import Indicator, PublicService, ServiceReporter, StatLevel, Target
from dean06.kpis.services import service_reporter_check


class ServiceReporterForm(forms.ModelForm):  # type: ignore[type-arg]
    """Refuses what would be counted twice (the province as a part, overlapping dates)."""

    class Meta:
        model = ServiceReporter
        fields = ("service", "unit", "level", "valid_from", "valid_to", "note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        service, unit, valid_from = data.get("service"), data.get("unit"), data.get("valid_from")
        if service is None or unit is None or valid_from is None:
            return data  # the field left empty already says so
        probe = ServiceReporter(
            pk=self.instance.pk,
            service=service,
            unit=unit,
            level=data.get("level") or StatLevel.ALL,
            valid_from=valid_from,
            valid_to=data.get("valid_to"),
        )
        service_reporter_check(probe)
        return data


@admin.register(PublicService)
class PublicServiceAdmin(AuditedAdmin):
    list_display = (
        "order",
        "name",
        "code",
        "catalogue",
        "owner_ministry",
        "is_linked_group",
        "active",
    )
    list_filter = ("catalogue", "owner_is_public_security", "is_linked_group", "active")
    search_fields = ("name", "full_name", "code")
    ordering = ("order",)


@admin.register(ServiceReporter)
class ServiceReporterAdmin(AuditedAdmin):
    """Which units report their part of which service, at which level, and since when. The
    province's People's Committee enters the province's total and is never listed here."""

    form = ServiceReporterForm
    list_display = ("service", "unit", "level", "valid_from", "valid_to", "note")
    list_filter = ("level", "unit__level", "service")
    search_fields = ("service__name", "service__code", "unit__name", "unit__short_name")
    list_select_related = ("service", "unit")
    autocomplete_fields = ("service", "unit")
    date_hierarchy = "valid_from"


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = (
        "scope",
        "service",
        "indicator",
        "value",
        "direction",
        "valid_from",
        "valid_to",
        "source",
    )
    list_filter = ("scope", "direction")
    search_fields = ("service__name", "indicator__name", "indicator__code", "source")
    list_select_related = ("service", "indicator")
    autocomplete_fields = ("service", "indicator")
    fieldsets = (
        (None, {"fields": ("scope", "service", "indicator")}),
        (
            "Mức và thời gian áp dụng",
            {
                "fields": ("value", "direction", "valid_from", "valid_to", "source"),
                "description": (
                    "Tỷ lệ nhập theo phần trăm (ví dụ 80 là 80%). Chỉ tiêu áp dụng tại ngày cuối "
                    "kỳ; khi đổi mức, kết thúc chỉ tiêu cũ và thêm chỉ tiêu mới."
                ),
            },
        ),
    )


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "unit_label", "direction", "cumulative", "active")
    list_filter = ("kind", "direction", "cumulative", "active")
    search_fields = ("code", "name")
    autocomplete_fields = ("reporting_units", "task")
