"""Administrators' screens for the unit registry: units with their validity through
reorganisations (who replaced whom) and the unit groups that collective phrases fan out to."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from dean06.core import clock
from dean06.core.admin import AuditedAdmin
from dean06.orgs.models import Unit, UnitGroup


class ValidityFilter(admin.SimpleListFilter):
    """Units in force today, ended, or not yet in force."""

    title = "hiệu lực"
    parameter_name = "hieu_luc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("con", "Đang hiệu lực"),
            ("het", "Đã hết hiệu lực"),
            ("sap", "Chưa đến ngày hiệu lực"),
            ("thay", "Đã được thay bằng đơn vị khác"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        day = clock.today()
        started = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
        not_ended = Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        if self.value() == "con":
            return queryset.filter(started & not_ended)
        if self.value() == "het":
            return queryset.filter(valid_to__lt=day)
        if self.value() == "sap":
            return queryset.filter(valid_from__gt=day)
        if self.value() == "thay":
            return queryset.filter(replaced_by__isnull=False)
        return queryset


class ReplacesInline(admin.TabularInline):  # type: ignore[type-arg]
    """The units this one took the place of (read here, set on the older unit)."""

    model = Unit
    fk_name = "replaced_by"
    fields = ("name", "level", "valid_from", "valid_to")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "đơn vị được thay thế"
    verbose_name_plural = "đơn vị mà đơn vị này thay thế"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = (
        "name",
        "short_name",
        "key",
        "kind",
        "level",
        "parent",
        "valid_from",
        "valid_to",
        "in_force",
        "replaced_by",
        "origin",
    )
    list_filter = (ValidityFilter, "level", "kind", "origin")
    search_fields = ("name", "key", "short_name", "email")
    autocomplete_fields = ("parent", "replaced_by")
    list_select_related = ("parent", "replaced_by")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("name", "short_name", "key", "aliases", "kind", "level", "parent")}),
        (
            "Hiệu lực (sáp nhập, đổi tên, giải thể)",
            {
                "fields": ("valid_from", "valid_to", "replaced_by"),
                "description": (
                    "Đơn vị đã có dữ liệu thì không xóa: nhập ngày hết hiệu lực và đơn vị thay "
                    "thế (nếu có). Dữ liệu cũ vẫn gắn với đơn vị như lúc đó."
                ),
            },
        ),
        ("Liên hệ và nguồn", {"fields": ("email", "origin")}),
    )
    inlines = (ReplacesInline,)

    @admin.display(description="đang hiệu lực", boolean=True)
    def in_force(self, unit: Unit) -> bool:
        return unit.is_valid_on(clock.today())


@admin.register(UnitGroup)
class UnitGroupAdmin(AuditedAdmin):
    list_display = ("name", "key", "fans_out", "member_level", "member_count")
    list_filter = ("fans_out", "member_level")
    search_fields = ("name", "key", "members__name")
    autocomplete_fields = ("members",)
    fieldsets = (
        (None, {"fields": ("name", "key", "aliases", "fans_out")}),
        (
            "Thành viên",
            {
                "fields": ("members", "member_kinds", "member_level"),
                "description": (
                    "Thành viên là các đơn vị chọn ở đây, cộng với mọi đơn vị thuộc loại và cấp "
                    "đã đặt còn hiệu lực vào ngày của kế hoạch."
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        groups: QuerySet[Any] = super().get_queryset(request)
        counted: QuerySet[Any] = groups.annotate(_members=Count("members", distinct=True))
        return counted

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        found, _duplicates = super().get_search_results(request, queryset, search_term)
        return found.distinct(), False

    @admin.display(description="số đơn vị chọn riêng", ordering="_members")
    def member_count(self, group: Any) -> int:
        return int(getattr(group, "_members", 0))
