from django.contrib import admin

from dean06.core.admin import AuditedAdmin
from dean06.orgs.models import Unit, UnitGroup


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "key", "kind", "level", "valid_from", "valid_to", "origin")
    list_filter = ("kind", "level", "origin")
    search_fields = ("name", "key", "short_name")
    autocomplete_fields = ("parent", "replaced_by")


@admin.register(UnitGroup)
class UnitGroupAdmin(AuditedAdmin):
    list_display = ("name", "key", "fans_out", "member_level")
    search_fields = ("name", "key")
    filter_horizontal = ("members",)
