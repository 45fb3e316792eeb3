"""/api/services and /api/service-figures: the public services followed, and their monthly
figures (a unit: its own unit's)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dean06.api.auth import acting_user
from dean06.api.common import Paging, month_filter
from dean06.api.schemas import ERRORS, FigureFilters, ServiceFigureOut, ServiceFilters, ServiceOut
from dean06.kpis.api_selectors import service_stats_for_api, services_for_api

router = Router()


@router.get("/services", response={200: list[ServiceOut], **ERRORS}, summary="Dịch vụ công")
@paginate(Paging)
def service_list(request: HttpRequest, filters: Query[ServiceFilters]) -> Any:
    return services_for_api(catalogue=filters.catalogue, active=filters.active)


@router.get(
    "/service-figures",
    response={200: list[ServiceFigureOut], **ERRORS},
    summary="Số liệu dịch vụ công",
)
@paginate(Paging)
def figure_list(request: HttpRequest, filters: Query[FigureFilters]) -> Any:
    return service_stats_for_api(
        acting_user(request),
        month=month_filter(filters.period),
        unit=filters.unit,
        service=filters.service,
        level=filters.level,
    )
