"""/api/generated-reports: the consolidated monthly reports made so far, and their files, for
those who may see the province's reports (secretariat, administrators, provincial leaders)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from dean06.accounts.permissions import Action, can
from dean06.api.auth import acting_user
from dean06.api.common import Paging, PathId, found, month_filter
from dean06.api.schemas import ERRORS, GeneratedReportFilters, GeneratedReportOut
from dean06.reports.api_selectors import generated_report_get, generated_reports_for_api
from dean06.reports.exporters.registry import exporter_for
from dean06.reports.services import report_file

router = Router()

FILE_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/pdf",
)


def _reader(request: HttpRequest) -> Any:
    user = acting_user(request)
    if not can(user, Action.VIEW_GENERATED_REPORTS):
        raise PermissionDenied(f"Bạn không có quyền {Action.VIEW_GENERATED_REPORTS.label}.")
    return user


@router.get(
    "", response={200: list[GeneratedReportOut], **ERRORS}, summary="Báo cáo tổng hợp đã lập"
)
@paginate(Paging)
def generated_report_list(request: HttpRequest, filters: Query[GeneratedReportFilters]) -> Any:
    return generated_reports_for_api(
        _reader(request),
        month=month_filter(filters.period),
        year=filters.year,
        fmt=filters.format,
    )


@router.get(
    "/{report_id}", response={200: GeneratedReportOut, **ERRORS}, summary="Một báo cáo đã lập"
)
def generated_report_detail(request: HttpRequest, report_id: PathId) -> Any:
    return found(
        generated_report_get(_reader(request), report_id), "Không tìm thấy báo cáo đã lập."
    )


@router.get(
    "/{report_id}/file",
    response=ERRORS,
    summary="Tải tệp báo cáo đã lập",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp báo cáo (Word, Excel hoặc PDF)",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in FILE_TYPES
                },
            }
        }
    },
)
def generated_report_file(request: HttpRequest, report_id: PathId) -> HttpResponse:
    user = _reader(request)
    generated = found(generated_report_get(user, report_id), "Không tìm thấy báo cáo đã lập.")
    data = report_file(generated, user)
    response = HttpResponse(data, content_type=exporter_for(generated.format).media_type)
    response["Content-Disposition"] = f'attachment; filename="{generated.filename}"'
    return response
