from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from dean06.accounts.models import User
from dean06.core.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "get_full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("unit",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Vai trò và đơn vị", {"fields": ("role", "unit", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Vai trò và đơn vị", {"fields": ("role", "unit")}),
    )
