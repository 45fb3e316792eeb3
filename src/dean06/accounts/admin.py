"""Administrators' screens for accounts: each person's role and unit, audited like a service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from dean06.accounts.models import User
from dean06.core.admin import AuditedAdmin
from dean06.core.audit import audit_record


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = (
        "username",
        "full_name",
        "role",
        "unit",
        "email",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "unit__level", "is_staff")
    search_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "phone",
        "unit__name",
        "unit__short_name",
    )
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    ordering = ("username",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Vai trò và đơn vị",
            {
                "fields": ("role", "unit", "phone"),
                "description": (
                    "Cán bộ đầu mối và lãnh đạo đơn vị phải gắn với đúng một đơn vị; họ chỉ xem "
                    "và sửa dữ liệu của đơn vị đó."
                ),
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Vai trò và đơn vị", {"fields": ("role", "unit", "email", "first_name", "last_name")}),
    )

    @admin.display(description="họ và tên", ordering="last_name")
    def full_name(self, user: Any) -> str:
        return str(user.get_full_name())

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password page, audited: the entry says that the password changed, never what
        it is (the page saves through its form, not through `save_model`)."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            old_hash = user.password if user is not None else None
            response: HttpResponse = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                if user.password != old_hash:
                    audit_record(
                        action="accounts.user.password_changed",
                        actor=request.user,
                        instance=user,
                        object_repr=user.username,
                        after={
                            "password_changed": True,
                            "usable_password": user.has_usable_password(),
                        },
                        unit=user.unit,
                        note="Quản trị: đổi mật khẩu (mật khẩu không được ghi lại).",
                    )
        return response
