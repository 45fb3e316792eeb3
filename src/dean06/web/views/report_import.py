"""Import of a monthly report by the secretariat: upload → reading in the background (progress
shown) → preview of what would change → confirm.

The file is read once by a background job (`imports.tasks.read_report`); the preview is the
import itself run with `dry_run=True` (nothing written) on that reading, and confirming runs it
for real on the same reading.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dean06.accounts.permissions import Action
from dean06.core.exceptions import ApplicationError
from dean06.imports.reconcile import KINDS
from dean06.imports.report import report_import
from dean06.imports.tasks import read_report
from dean06.imports.uploads import (
    ReadingStatus,
    pending_discard,
    pending_save,
    pending_state,
)
from dean06.tracking.periods import PeriodError, parse_month
from dean06.web.access import require
from dean06.web.forms_reports import ReportImportConfirmForm, ReportImportForm, UploadParamForm

SESSION_KEY = "report_import"
# Seconds between two refreshes of the page while the file is being read.
REFRESH_SECONDS = 2
# Importing a report records its progress as accepted by the secretariat.
require_report_import = require(Action.ACCEPT_REPORT)


def _month(value: str) -> tuple[int, int]:
    try:
        return parse_month(value)
    except PeriodError as exc:
        raise ApplicationError("Chọn kỳ báo cáo (tháng) hợp lệ, ví dụ 2024-07.") from exc


def _page_url(token: str) -> str:
    return reverse("report_import_page", args=[token])


@require_report_import
@require_http_methods(["GET", "POST"])
def report_import_start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        asked = UploadParamForm(request.GET)
        if asked.asked():
            return report_import_page(request, asked.token())
        return render(request, "report_import/start.html", {"form": ReportImportForm()})
    form = ReportImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "report_import/start.html", {"form": form}, status=400)
    try:
        token = pending_save(form.cleaned_data["file"], by=request.user, month=form.month_text())
    except ApplicationError as exc:
        form.add_error("file", exc.message)
        return render(request, "report_import/start.html", {"form": form}, status=400)
    previous = request.session.get(SESSION_KEY)
    if previous and previous.get("token") != token:
        pending_discard(previous.get("token", ""))
    request.session[SESSION_KEY] = {"token": token}
    read_report(token)
    return redirect(_page_url(token))


@require_report_import
@require_http_methods(["GET"])
def report_import_page(request: HttpRequest, token: str) -> HttpResponse:
    """The upload's page: its reading's progress (refreshed every few seconds), its failure, or
    the preview of what confirming would change."""
    try:
        pending = pending_state(token, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("report_import_start")
    context: dict[str, Any] = {
        "pending": pending,
        "refresh": REFRESH_SECONDS if pending.waiting else None,
        "start_url": reverse("report_import_start"),
    }
    if pending.status != ReadingStatus.READ or pending.report is None:
        return render(request, "report_import/reading.html", context)
    try:
        year, month = _month(pending.month)
        result = report_import(
            report=pending.report,
            year=year,
            month=month,
            by=request.user,
            source=pending.name,
            dry_run=True,
        )
    except ApplicationError as exc:
        context["refused"] = exc.message
        return render(request, "report_import/reading.html", context)
    return render(
        request,
        "report_import/preview.html",
        {
            "result": result,
            "token": token,
            "name": pending.name,
            "report": pending.report,
            "counts": {kind: result.count(kind) for kind in KINDS},
            "changes": [c for c in result.changes if c.kind != "unchanged"],
            "findings": [*result.findings, *result.reviews],
        },
    )


@require_report_import
@require_POST
def report_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY) or {}
    form = ReportImportConfirmForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    if not token or not pending or pending.get("token") != token:
        messages.error(request, "Phiên nhập báo cáo đã hết hoặc không khớp: hãy tải tệp lên lại.")
        return redirect("report_import_start")
    if form.cleaned_data["huy"]:
        pending_discard(token)
        request.session.pop(SESSION_KEY, None)
        messages.info(request, "Đã hủy, không nhập gì.")
        return redirect("report_import_start")
    try:
        state = pending_state(token, by=request.user)
        year, month = _month(state.month)
        result = report_import(
            report=state.extracted(),
            year=year,
            month=month,
            by=request.user,
            source=state.name,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("report_import_start")
    pending_discard(token)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Đã nhập báo cáo «{state.name}». {result.summary()}")
    return redirect("report_import_start")
