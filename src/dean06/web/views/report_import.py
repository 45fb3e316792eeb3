"""Import of a monthly report by the secretariat: upload → preview of what would change → confirm.

The preview is the import itself run with `dry_run=True` (nothing written); confirming runs it
for real on the same file.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dean06.accounts.permissions import Action
from dean06.core.exceptions import ApplicationError
from dean06.imports.reconcile import KINDS
from dean06.imports.report import report_import
from dean06.imports.uploads import pending_discard, pending_read, pending_save
from dean06.tracking.periods import PeriodError, parse_month
from dean06.web.access import require

SESSION_KEY = "report_import"
# Importing a report records its progress as accepted by the secretariat.
require_report_import = require(Action.ACCEPT_REPORT)


def _month(value: str) -> tuple[int, int]:
    try:
        return parse_month(value)
    except PeriodError as exc:
        raise ApplicationError("Chọn kỳ báo cáo (tháng) hợp lệ, ví dụ 2024-07.") from exc


@require_report_import
@require_http_methods(["GET", "POST"])
def report_import_start(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"month_value": request.POST.get("ky", "")}
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            year, month = _month(request.POST.get("ky", ""))
            if file is None:
                raise ApplicationError("Hãy chọn tệp báo cáo tháng.")
            token = pending_save(file)
            try:
                report = pending_read(token)
                result = report_import(
                    report=report,
                    year=year,
                    month=month,
                    by=request.user,
                    source=file.name or "",
                    dry_run=True,
                )
            except ApplicationError:
                pending_discard(token)
                raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, "report_import/start.html", context, status=400)
        previous = request.session.get(SESSION_KEY)
        if previous and previous.get("token") != token:
            pending_discard(previous.get("token", ""))
        request.session[SESSION_KEY] = {
            "token": token,
            "name": (file.name or "")[:200],
            "ky": request.POST.get("ky", ""),
        }
        return render(
            request,
            "report_import/preview.html",
            {
                "result": result,
                "token": token,
                "name": file.name,
                "report": report,
                "counts": {kind: result.count(kind) for kind in KINDS},
                "changes": [c for c in result.changes if c.kind != "unchanged"],
                "findings": [*result.findings, *result.reviews],
            },
        )
    return render(request, "report_import/start.html", context)


@require_report_import
@require_POST
def report_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not pending or pending.get("token") != token:
        messages.error(request, "Phiên nhập báo cáo đã hết hoặc không khớp: hãy tải tệp lên lại.")
        return redirect("report_import_start")
    if "huy" in request.POST:
        pending_discard(token)
        request.session.pop(SESSION_KEY, None)
        messages.info(request, "Đã hủy, không nhập gì.")
        return redirect("report_import_start")
    try:
        year, month = _month(pending.get("ky", ""))
        result = report_import(
            report=pending_read(token),
            year=year,
            month=month,
            by=request.user,
            source=pending.get("name", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("report_import_start")
    pending_discard(token)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Đã nhập báo cáo «{pending.get('name', '')}». {result.summary()}")
    return redirect("report_import_start")
