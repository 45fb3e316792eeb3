"""In and Out schemas of the REST API. Dates are ISO 8601 (YYYY-MM-DD), moments ISO 8601 with
their offset; periods are written "YYYY-MM" where a month is meant."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from dean06.kpis.api_selectors import stat_share

# Path ids are database keys: bounded so that no id overflows a database integer.
MAX_ID = 2_147_483_647
MONTH_PATTERN = r"^\d{4}-\d{2}$"


def period_key(period: Any) -> str:
    """ "2024-07" for a month; the period's name for a quarter, a half or a year."""
    if period.kind == "month":
        return f"{period.year:04d}-{period.number:02d}"
    return str(period.label)


class ErrorOut(Schema):
    detail: str = Field(description="Lý do, bằng tiếng Việt")
    fields: dict[str, str] | None = Field(None, description="Lỗi theo từng trường")
    errors: list[dict[str, Any]] | None = Field(None, description="Chi tiết lỗi kiểm tra dữ liệu")


ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


# --- units --------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    key: str
    name: str
    short_name: str
    kind: str
    level: str
    parent_id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    email: str


class UnitRef(Schema):
    id: int
    key: str
    name: str


# --- plans --------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    number: str
    kind: str
    date: dt.date | None
    issuer: str
    year: int | None
    title: str
    reporting_day: int | None
    needs_review: bool
    task_count: int = 0


class TaskOut(Schema):
    id: int
    plan_id: int
    plan_number: str = Field(..., alias="plan.number")
    section_code: str | None = None
    code: str
    content: str
    product: str
    deadline: str = Field(..., alias="deadline_raw")
    deadline_kind: str
    due_date: dt.date | None
    start_date: dt.date | None
    is_recurring: bool
    needs_review: bool
    continues_id: int | None

    @staticmethod
    def resolve_section_code(obj: Any) -> str | None:
        return obj.section.code if obj.section_id else None


class TaskAssignmentOut(Schema):
    id: int
    role: str
    unit: UnitRef


class TaskDetailOut(TaskOut):
    assignments: list[TaskAssignmentOut]

    @staticmethod
    def resolve_assignments(obj: Any) -> list[Any]:
        return list(obj.assignments.all())


class AssignmentOut(Schema):
    id: int
    task_id: int
    task_code: str = Field(..., alias="task.code")
    plan_id: int = Field(..., alias="task.plan_id")
    role: str
    unit: UnitRef
    phrase: str


# --- periods and progress reports ---------------------------------------------------------------


class PeriodOut(Schema):
    id: int
    kind: str
    year: int
    number: int
    label: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    is_closed: bool


class ProgressReportOut(Schema):
    id: int
    assignment_id: int
    task_id: int = Field(..., alias="assignment.task_id")
    task_code: str = Field(..., alias="assignment.task.code")
    plan_id: int = Field(..., alias="assignment.task.plan_id")
    unit: UnitRef = Field(..., alias="assignment.unit")
    role: str = Field(..., alias="assignment.role")
    period: str = Field(..., description="YYYY-MM (tháng) hoặc tên kỳ")
    period_id: int
    status: str
    state: str
    percent_complete: int | None
    completed_on: dt.date | None
    progress: str
    figures: str
    result_document: str
    difficulties: str
    proposals: str
    late_reason: str
    return_reason: str
    revision: int
    version: int
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    accepted_at: dt.datetime | None

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return period_key(obj.period)


class ProgressReportIn(Schema):
    """What a unit reports on one of its assignments for a month; sent at once unless
    `submit` is false (then kept as a draft)."""

    assignment_id: int = Field(..., ge=1, le=MAX_ID)
    period: str = Field(..., pattern=MONTH_PATTERN, description="tháng báo cáo, YYYY-MM")
    state: str = Field(
        "",
        pattern=r"^(|not_started|in_progress|done|recurring)$",
        description="not_started | in_progress | done | recurring",
    )
    percent_complete: int | None = Field(None, ge=0, le=100)
    completed_on: dt.date | None = None
    progress: str = Field("", max_length=20000)
    figures: str = Field("", max_length=20000)
    result_document: str = Field("", max_length=255)
    difficulties: str = Field("", max_length=20000)
    proposals: str = Field("", max_length=20000)
    late_reason: str = Field("", max_length=20000)
    version: int | None = Field(None, ge=1, le=MAX_ID, description="phiên bản đã đọc")
    submit: bool = True


# --- documents ----------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    number: str
    doc_type: str
    date: dt.date | None
    summary: str
    issuing_body: str
    issuer_unit: UnitRef | None
    group: str
    period_id: int | None
    plan_id: int | None
    source: str


# --- services and figures -----------------------------------------------------------------------


class ServiceOut(Schema):
    id: int
    code: str
    order: int
    name: str
    full_name: str
    catalogue: str
    online_level: str
    active: bool


class ServiceFigureOut(Schema):
    id: int
    service_id: int
    service_code: str = Field(..., alias="service.code")
    unit: UnitRef
    period: str
    level: str
    online_citizens: int | None
    online_businesses: int | None
    total_received: int | None
    online_share: float | None = Field(None, description="tỷ lệ trực tuyến (%), tính từ số liệu")
    on_time: int | None
    overdue: int | None
    note: str
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_online_share(obj: Any) -> float | None:
        share = stat_share(obj)
        return float(share) if share is not None else None

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return period_key(obj.period)


# --- findings -----------------------------------------------------------------------------------


class FindingOut(Schema):
    id: int
    rule_code: str
    rule_name: str | None = None
    severity: str
    scope: str
    message: str
    object_type: str
    object_id: str
    period_id: int | None
    unit: UnitRef | None
    status: str
    explanation: str
    review_comment: str
    created_at: dt.datetime


# --- generated reports --------------------------------------------------------------------------


class GeneratedReportOut(Schema):
    id: int
    period: str
    format: str
    filename: str
    size: int
    sha256: str
    as_of: dt.date | None
    created_at: dt.datetime

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return period_key(obj.period)


# --- filters (query strings) --------------------------------------------------------------------

Id = Annotated[int | None, Field(None, ge=1, le=MAX_ID)]
Year = Annotated[int | None, Field(None, ge=1900, le=2200, description="năm")]
Month = Annotated[
    str | None, Field(None, pattern=MONTH_PATTERN, description="tháng báo cáo, YYYY-MM")
]
Words = Annotated[str, Field("", max_length=200, description="tìm theo từ")]


def _choice(*values: str) -> str:
    return "^(|" + "|".join(values) + ")$"


class UnitFilters(Schema):
    q: Words = ""
    level: str = Field("", pattern=_choice("province", "district", "commune"))
    kind: str = Field("", max_length=32)


class PlanFilters(Schema):
    year: Year = None
    q: Words = ""


class TaskFilters(Schema):
    plan: Id = None
    unit: Id = None
    year: Year = None
    q: Words = ""


class AssignmentFilters(Schema):
    plan: Id = None
    unit: Id = None
    task: Id = None
    role: str = Field("", pattern=_choice("lead", "coordinating"))


class PeriodFilters(Schema):
    year: Year = None
    kind: str = Field("", pattern=_choice("month", "quarter", "half_year", "year"))
    is_closed: bool | None = None


class ProgressReportFilters(Schema):
    period: Month = None
    unit: Id = None
    plan: Id = None
    task: Id = None
    status: str = Field(
        "", pattern=_choice("draft", "submitted", "approved", "accepted", "returned")
    )


class DocumentFilters(Schema):
    period: Month = None
    plan: Id = None
    unit: Id = None
    year: Year = None
    q: Words = ""
    group: str = Field("", max_length=16)
    doc_type: str = Field("", max_length=8)


class ServiceFilters(Schema):
    catalogue: str = Field("", max_length=16)
    active: bool | None = None


class FigureFilters(Schema):
    period: Month = None
    unit: Id = None
    service: Id = None
    level: str = Field("", pattern=_choice("province", "district", "commune", "all"))


class FindingFilters(Schema):
    period: Month = None
    unit: Id = None
    status: str = Field("", pattern=_choice("open", "explained", "returned", "accepted", "fixed"))
    severity: str = Field("", pattern=_choice("error", "warning"))
    scope: str = Field("", pattern=_choice("service_stat", "document", "progress", "indicator"))


class GeneratedReportFilters(Schema):
    period: Month = None
    year: Year = None
    format: str = Field("", pattern=_choice("docx", "xlsx", "pdf"))


class ExportFilters(Schema):
    period: str = Field(..., pattern=MONTH_PATTERN, description="tháng, YYYY-MM")
    format: str = Field("json", pattern=r"^(csv|xlsx|json)$", description="csv | xlsx | json")
