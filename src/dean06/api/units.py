"""/api/units: the units the caller may see (a unit role: its own unit)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dean06.api.auth import acting_user
from dean06.api.common import Paging, PathId, found
from dean06.api.schemas import ERRORS, UnitFilters, UnitOut
from dean06.orgs.api_selectors import unit_get, units_for_api

router = Router()


@router.get("", response={200: list[UnitOut], **ERRORS}, summary="Danh sách đơn vị")
@paginate(Paging)
def unit_list(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    return units_for_api(acting_user(request), q=filters.q, level=filters.level, kind=filters.kind)


@router.get("/{unit_id}", response={200: UnitOut, **ERRORS}, summary="Một đơn vị")
def unit_detail(request: HttpRequest, unit_id: PathId) -> Any:
    return found(unit_get(acting_user(request), unit_id), "Không tìm thấy đơn vị.")
