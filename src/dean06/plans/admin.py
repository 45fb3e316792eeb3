"""Administrators' screens for plans and their tasks (corrections after an import; each change
audited)."""

from __future__ import annotations

from django.contrib import admin

from dean06.core.admin import AuditedAdmin
from dean06.plans.models import Assignment, Plan, Task


class AssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Assignment
    extra = 0
    autocomplete_fields = ("unit",)
    fields = ("unit", "role", "via_group", "phrase")


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ("number", "kind", "date", "year", "needs_review")
    list_filter = ("kind", "year", "needs_review")
    search_fields = ("number", "title")
    date_hierarchy = "date"


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ("code", "plan", "deadline_kind", "due_date", "is_recurring", "needs_review")
    list_filter = ("plan", "deadline_kind", "needs_review")
    search_fields = ("code", "content", "plan__number")
    list_select_related = ("plan",)
    inlines = (AssignmentInline,)
