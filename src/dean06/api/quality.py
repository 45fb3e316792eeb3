"""/api/findings: data-quality findings (a unit: its own unit's)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dean06.api.auth import acting_user
from dean06.api.common import Paging, PathId, found, month_filter
from dean06.api.schemas import ERRORS, FindingFilters, FindingOut
from dean06.quality.api_selectors import finding_get, findings_for_api

router = Router()


@router.get("", response={200: list[FindingOut], **ERRORS}, summary="Cảnh báo số liệu")
@paginate(Paging)
def finding_list(request: HttpRequest, filters: Query[FindingFilters]) -> Any:
    return findings_for_api(
        acting_user(request),
        month=month_filter(filters.period),
        unit=filters.unit,
        status=filters.status,
        severity=filters.severity,
        scope=filters.scope,
    )


@router.get("/{finding_id}", response={200: FindingOut, **ERRORS}, summary="Một cảnh báo")
def finding_detail(request: HttpRequest, finding_id: PathId) -> Any:
    return found(finding_get(acting_user(request), finding_id), "Không tìm thấy cảnh báo.")
