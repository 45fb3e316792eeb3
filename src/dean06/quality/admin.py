"""Validation rules in the administration: listed here, edited on their own page
(`/kiem-tra/quy-tac/`), where the engine checks each expression before it is saved and the
change is audited by `quality.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from dean06.core.admin import AuditedAdmin
from dean06.quality.models import ValidationRule


@admin.register(ValidationRule)
class ValidationRuleAdmin(AuditedAdmin):
    """The admin's entry to the rules: every page leads to the rules' own screens, so that no
    rule is saved without the engine's check."""

    list_display = ("name", "scope", "severity", "active")
    list_filter = ("scope", "severity", "active", "builtin")
    search_fields = ("code", "name", "message")

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("quality_rules"))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("quality_rule_new"))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        if not object_id.isdigit():
            return HttpResponseRedirect(reverse("quality_rules"))
        return HttpResponseRedirect(reverse("quality_rule_edit", args=[int(object_id)]))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Findings name their rule; a rule is switched off ("đang áp dụng"), never deleted.
        return False
