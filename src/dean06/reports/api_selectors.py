"""Reads of generated reports for the REST API (`dean06.api.reports`): only those who may see
the province's generated reports (`Action.VIEW_GENERATED_REPORTS`) see any."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dean06.accounts.permissions import Action, can
from dean06.reports.models import GeneratedReport


def generated_reports_for_api(
    user: Any, *, month: tuple[int, int] | None = None, year: int | None = None, fmt: str = ""
) -> QuerySet[GeneratedReport]:
    if not can(user, Action.VIEW_GENERATED_REPORTS):
        return GeneratedReport.objects.none()
    qs = GeneratedReport.objects.select_related("period", "created_by")
    if month is not None:
        qs = qs.filter(period__kind="month", period__year=month[0], period__number=month[1])
    if year is not None:
        qs = qs.filter(period__year=year)
    if fmt:
        qs = qs.filter(format=fmt)
    return qs.order_by("-created_at", "-pk")


def generated_report_get(user: Any, report_id: int) -> GeneratedReport | None:
    if not can(user, Action.VIEW_GENERATED_REPORTS):
        return None
    return GeneratedReport.objects.select_related("period").filter(pk=report_id).first()
