"""Pages of the consolidated monthly report: make it, look at it, download it (and the one that
was sent, made again exactly from what it was made from)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dean06.accounts.permissions import Action, can
from dean06.core import clock
from dean06.core.exceptions import ApplicationError
from dean06.reports.builder import ReportOptions
from dean06.reports.content import MonthlyReport
from dean06.reports.exporters.registry import exporter_for, exporter_formats
from dean06.reports.models import GeneratedReport
from dean06.reports.services import report_file, report_generate, report_reproduce
from dean06.tracking.selectors import reporting_period
from dean06.tracking.services import period_get_or_create
from dean06.web.access import require
from dean06.web.forms import ReportGenerateForm
from dean06.web.forms_reports import PageForm

PAGE_SIZE = 25


def _formats() -> list[tuple[str, str]]:
    """(format, label) of every exporter; one this machine cannot write says why."""
    out = []
    for fmt in exporter_formats():
        exporter = exporter_for(fmt)
        reason = exporter.missing()
        out.append(
            (fmt, f"{exporter.label} — không dùng được: {reason}" if reason else exporter.label)
        )
    return out


def _default_month() -> str:
    """The month of the reporting period under way."""
    period = reporting_period(clock.today())
    return f"{period.year:04d}-{period.number:02d}"


@require(Action.VIEW_GENERATED_REPORTS)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = None
    if can(request.user, Action.GENERATE_REPORT):
        form = ReportGenerateForm(initial={"ky": _default_month()}, formats=_formats())
    return _list_page(request, form)


def _list_page(
    request: HttpRequest, form: ReportGenerateForm | None, status: int = 200
) -> HttpResponse:
    reports = GeneratedReport.objects.select_related("period", "created_by").order_by(
        "-created_at", "-pk"
    )
    page = Paginator(reports, PAGE_SIZE).get_page(PageForm(request.GET).page())
    return render(request, "reports/list.html", {"form": form, "page": page}, status=status)


@require(Action.GENERATE_REPORT)
@require_POST
def report_generate_view(request: HttpRequest) -> HttpResponse:
    form = ReportGenerateForm(request.POST, formats=_formats())
    if not form.is_valid():
        return _list_page(request, form, status=400)
    year, month = form.period()
    period = period_get_or_create("month", year, month, by=request.user)
    options = ReportOptions(
        date=form.cleaned_data["ngay_ky"], signer_name=form.cleaned_data["nguoi_ky"].strip()
    )
    try:
        generated = report_generate(
            period=period,
            fmt=form.cleaned_data["dinh_dang"],
            by=request.user,
            on=clock.today(),
            options=options,
        )
    except ApplicationError as exc:
        form.add_error("dinh_dang", exc.message)
        return _list_page(request, form, status=400)
    messages.success(request, f"Đã lập báo cáo {period.label} ({generated.filename}).")
    return HttpResponseRedirect(reverse("report_detail", args=[generated.pk]))


def _generated(report_id: int) -> GeneratedReport:
    found = (
        GeneratedReport.objects.select_related("period", "created_by").filter(pk=report_id).first()
    )
    if found is None:
        raise Http404("Không tìm thấy báo cáo đã lập.")
    return found


@require(Action.VIEW_GENERATED_REPORTS)
@require_GET
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    generated = _generated(report_id)
    content = MonthlyReport.from_json(generated.snapshot)
    context: dict[str, Any] = {"generated": generated, "report": content}
    return render(request, "reports/detail.html", context)


def _download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exporter_for(fmt).media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require(Action.VIEW_GENERATED_REPORTS)
@require_GET
def report_download(request: HttpRequest, report_id: int) -> HttpResponse:
    generated = _generated(report_id)
    return _download(report_file(generated, request.user), generated.filename, generated.format)


@require(Action.VIEW_GENERATED_REPORTS)
@require_GET
def report_remake(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report made again from its snapshot: what was sent, whatever changed since."""
    generated = _generated(report_id)
    try:
        data = report_reproduce(generated)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("report_detail", args=[generated.pk]))
    return _download(data, generated.filename, generated.format)
