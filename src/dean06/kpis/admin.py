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
    list_display = ("order", "name", "catalogue", "owner_ministry", "is_linked_group", "active")
    list_filter = ("catalogue", "owner_is_public_security", "is_linked_group", "active")
    search_fields = ("name", "full_name", "code")


@admin.register(ServiceReporter)
class ServiceReporterAdmin(AuditedAdmin):
    """Which units report their part of which service, at which level, and since when. The
    province's People's Committee enters the province's total and is never listed here."""

    form = ServiceReporterForm
    list_display = ("service", "unit", "level", "valid_from", "valid_to")
    list_filter = ("level", "service")
    search_fields = ("service__name", "unit__name", "unit__short_name")
    list_select_related = ("service", "unit")


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ("scope", "service", "indicator", "value", "direction", "valid_from", "valid_to")
    list_filter = ("scope",)


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "direction", "cumulative", "aggregation", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    filter_horizontal = ("reporting_units",)
