"""Reads of services and their figures for the REST API (`dean06.api.kpis`, exports): every
unit's figures for province-wide roles, a unit's own for unit roles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dean06.accounts.permissions import Action, can
from dean06.kpis.models import PublicService, ServiceStat
from dean06.kpis.shares import online_share
from dean06.tracking.api_selectors import Month, month_period
from dean06.tracking.models import ReportingPeriod


def services_for_api(*, catalogue: str = "", active: bool | None = None) -> QuerySet[PublicService]:
    qs = PublicService.objects.all()
    if catalogue:
        qs = qs.filter(catalogue=catalogue)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("catalogue", "order", "code", "pk")


def service_stats_for_api(
    user: Any,
    *,
    month: Month | None = None,
    unit: int | None = None,
    service: int | None = None,
    level: str = "",
) -> QuerySet[ServiceStat]:
    if not getattr(user, "is_authenticated", False):
        return ServiceStat.objects.none()
    qs = ServiceStat.objects.select_related("service", "unit", "period")
    if not can(user, Action.VIEW_PROVINCE):
        qs = qs.filter(unit_id=getattr(user, "unit_id", None) or 0)
    if month is not None:
        qs = qs.filter(period__kind="month", period__year=month[0], period__number=month[1])
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if service is not None:
        qs = qs.filter(service_id=service)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-period__end", "service__catalogue", "service__order", "unit__name", "pk")


def stat_share(stat: ServiceStat) -> Any:
    return online_share(stat.online_citizens, stat.online_businesses, stat.total_received)


def figure_export_rows(user: Any, month: Month) -> tuple[ReportingPeriod, list[dict[str, Any]]]:
    period = month_period(month)
    rows = []
    for stat in service_stats_for_api(user, month=month):
        share = stat_share(stat)
        rows.append(
            {
                "period": stat.period.label,
                "service_code": stat.service.code,
                "service": stat.service.name,
                "unit_key": stat.unit.key,
                "unit": stat.unit.name,
                "level": stat.level,
                "online_citizens": stat.online_citizens,
                "online_businesses": stat.online_businesses,
                "total_received": stat.total_received,
                "online_share": float(share) if share is not None else None,
                "on_time": stat.on_time,
                "overdue": stat.overdue,
            }
        )
    return period, rows
