"""/api/exports: a month's tasks, progress reports and service figures for other systems, as
CSV (UTF-8 with BOM, which Excel opens as such), XLSX or JSON. Rows are what the caller may see.
"""

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from openpyxl import Workbook

from dean06.api.auth import acting_user
from dean06.api.common import required_month
from dean06.api.schemas import ERRORS, ExportFilters, period_key
from dean06.kpis.api_selectors import figure_export_rows
from dean06.tracking.api_selectors import progress_export_rows, task_export_rows

router = Router()

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
Rows = Callable[[Any, tuple[int, int]], tuple[Any, list[dict[str, Any]]]]


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else _text(row[c]) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(title: str, columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook always has its sheet)
    sheet.title = title[:31]
    sheet.append(columns)
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            if isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None) if value.tzinfo else value
            values.append(value)
        sheet.append(values)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _export(request: HttpRequest, filters: ExportFilters, name: str, rows_of: Rows) -> HttpResponse:
    month = required_month(filters.period)
    period, rows = rows_of(acting_user(request), month)
    columns = list(rows[0]) if rows else _COLUMNS[name]
    key = period_key(period)
    fmt = filters.format
    if fmt == "csv":
        data = _csv(columns, rows)
    elif fmt == "xlsx":
        data = _xlsx(f"{name} {key}", columns, rows)
    else:
        body = {
            "period": key,
            "period_label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "count": len(rows),
            "items": [{k: _text(v) for k, v in row.items()} for row in rows],
        }
        data = json.dumps(body, ensure_ascii=False).encode()
    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="dean06-{name}-{key}.{fmt}"'
    return response


_COLUMNS = {
    "tasks": [
        "plan",
        "task_id",
        "code",
        "content",
        "deadline",
        "due_date",
        "lead_units",
        "coordinating_units",
        "status",
        "status_label",
        "completed_on",
    ],
    "progress": [
        "period",
        "plan",
        "task_code",
        "unit_key",
        "unit",
        "role",
        "status",
        "status_label",
        "state",
        "percent_complete",
        "completed_on",
        "progress",
        "figures",
        "difficulties",
        "proposals",
        "submitted_at",
        "accepted_at",
    ],
    "figures": [
        "period",
        "service_code",
        "service",
        "unit_key",
        "unit",
        "level",
        "online_citizens",
        "online_businesses",
        "total_received",
        "online_share",
        "on_time",
        "overdue",
    ],
}

_FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "Tệp xuất: CSV, XLSX hoặc JSON theo `format`",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    }
}


@router.get(
    "/tasks",
    response=ERRORS,
    summary="Xuất nhiệm vụ và tình trạng của một tháng",
    openapi_extra=_FILE_RESPONSE,
)
def export_tasks(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    return _export(request, filters, "tasks", task_export_rows)


@router.get(
    "/progress",
    response=ERRORS,
    summary="Xuất báo cáo tiến độ của một tháng",
    openapi_extra=_FILE_RESPONSE,
)
def export_progress(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    return _export(request, filters, "progress", progress_export_rows)


@router.get(
    "/service-figures",
    response=ERRORS,
    summary="Xuất số liệu dịch vụ công của một tháng",
    openapi_extra=_FILE_RESPONSE,
)
def export_figures(request: HttpRequest, filters: Query[ExportFilters]) -> HttpResponse:
    return _export(request, filters, "figures", figure_export_rows)
