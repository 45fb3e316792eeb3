from django.contrib import admin

from dean06.core.admin import AuditedAdmin
from dean06.kpis.models import Indicator, PublicService, Target


@admin.register(PublicService)
class PublicServiceAdmin(AuditedAdmin):
    list_display = ("order", "name", "catalogue", "owner_ministry", "is_linked_group", "active")
    list_filter = ("catalogue", "owner_is_public_security", "is_linked_group", "active")
    search_fields = ("name", "full_name", "code")


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
