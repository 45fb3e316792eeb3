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
