"""Reporting settings in the administration: each reporting period's deadline and whether it is
locked. Periods themselves are made by the application from Decree 09/2019 (15th to 14th), so
they are changed here, never added or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dean06.core.admin import AuditedAdmin
from dean06.tracking.models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AuditedAdmin):
    list_display = ("label", "kind", "start", "end", "due_date", "is_closed")
    list_filter = ("kind", "year", "is_closed")
    search_fields = ("label",)
    readonly_fields = ("kind", "year", "number", "label", "start", "end")
    fieldsets = (
        (None, {"fields": ("label", "kind", "year", "number", "start", "end")}),
        (
            "Hạn báo cáo và khóa kỳ",
            {
                "fields": ("due_date", "is_closed"),
                "description": (
                    "Hạn báo cáo dùng để nhắc đơn vị và tính báo cáo đúng hạn, muộn. Kỳ đã khóa "
                    "không nhận sửa số liệu nữa."
                ),
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
