"""/api/periods and /api/progress-reports: the reporting calendar; progress reports read (a
unit: its own, and its coordinating units' on the tasks it leads) and submitted (a unit
officer, for its own unit's assignments, as on the report form)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from dean06.api.auth import acting_user, writing_user
from dean06.api.common import Paging, PathId, found, month_filter, required_month
from dean06.api.schemas import (
    ERRORS,
    ErrorOut,
    PeriodFilters,
    PeriodOut,
    ProgressReportFilters,
    ProgressReportIn,
    ProgressReportOut,
)
from dean06.plans.api_selectors import assignment_get
from dean06.tracking.api_selectors import (
    month_period,
    period_get,
    periods_for_api,
    progress_report_get,
    progress_reports_for_api,
)
from dean06.tracking.services import ReportInput, progress_report_save

router = Router()


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="Kỳ báo cáo")
@paginate(Paging)
def period_list(request: HttpRequest, filters: Query[PeriodFilters]) -> Any:
    return periods_for_api(year=filters.year, kind=filters.kind, is_closed=filters.is_closed)


@router.get("/periods/{period_id}", response={200: PeriodOut, **ERRORS}, summary="Một kỳ")
def period_detail(request: HttpRequest, period_id: PathId) -> Any:
    return found(period_get(period_id), "Không tìm thấy kỳ báo cáo.")


@router.get(
    "/progress-reports",
    response={200: list[ProgressReportOut], **ERRORS},
    summary="Báo cáo tiến độ",
)
@paginate(Paging)
def progress_report_list(request: HttpRequest, filters: Query[ProgressReportFilters]) -> Any:
    return progress_reports_for_api(
        acting_user(request),
        month=month_filter(filters.period),
        unit=filters.unit,
        plan=filters.plan,
        task=filters.task,
        status=filters.status,
    )


@router.get(
    "/progress-reports/{report_id}",
    response={200: ProgressReportOut, **ERRORS},
    summary="Một báo cáo tiến độ",
)
def progress_report_detail(request: HttpRequest, report_id: PathId) -> Any:
    return found(
        progress_report_get(acting_user(request), report_id), "Không tìm thấy báo cáo tiến độ."
    )


@router.post(
    "/progress-reports",
    response={201: ProgressReportOut, 409: ErrorOut, **ERRORS},
    summary="Soạn và gửi báo cáo tiến độ",
    description=(
        "Báo cáo của đơn vị về một phân công trong một tháng, như trên trang soạn báo cáo: "
        "gửi ngay (`submit`: true, mặc định) hoặc lưu nháp. Cần khóa API có quyền ghi hoặc "
        "phiên đăng nhập của cán bộ đầu mối đơn vị (kèm X-CSRFToken). Gửi lại một bản cũ "
        "hơn bản đã lưu (`version`) bị từ chối với mã 409."
    ),
)
def progress_report_submit(request: HttpRequest, payload: ProgressReportIn) -> Any:
    user = writing_user(request)
    month = required_month(payload.period)
    assignment = found(assignment_get(user, payload.assignment_id), "Không tìm thấy phân công.")
    data = ReportInput(
        state=payload.state,
        percent_complete=payload.percent_complete,
        completed_on=payload.completed_on,
        progress=payload.progress,
        figures=payload.figures,
        result_document=payload.result_document,
        difficulties=payload.difficulties,
        proposals=payload.proposals,
        late_reason=payload.late_reason,
    )
    report = progress_report_save(
        assignment=assignment,
        period=month_period(month),
        data=data,
        by=user,
        version=payload.version,
        submit=payload.submit,
    )
    return Status(201, report)
