"""Pages for service figures: the period overview with targets, the entry grid, the XLSX template
and its upload, charts as PNG, and indicator entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dean06.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from dean06.kpis import charts
from dean06.kpis.entry import COUNT_FIELDS, FIELD_LABELS
from dean06.kpis.models import PublicService, StatLevel
from dean06.kpis.selectors import (
    can_enter_figures,
    entry_grid,
    entry_units,
    indicator_previous_value,
    indicator_results,
    indicator_target,
    indicator_value_get,
    indicators_visible_to,
    latest_month_with_figures,
    latest_month_with_indicator_values,
    service_results,
    service_share_series,
    service_stats_template,
    unit_get_visible,
)
from dean06.kpis.services import (
    indicator_value_save,
    service_stats_save,
    service_stats_upload,
)
from dean06.kpis.shares import format_share, ratio_share
from dean06.orgs.selectors import units_visible_to
from dean06.tracking.periods import PeriodError, period_containing
from dean06.tracking.services import period_unsaved
from dean06.web.forms_kpis import (
    ChartForm,
    FiguresFilterForm,
    FiguresGridForm,
    FiguresUploadForm,
    IndicatorValueForm,
    LevelForm,
    MonthForm,
)


def _month(
    request: HttpRequest,
    latest: Callable[[Any], tuple[int, int] | None] | None = None,
    form: MonthForm | None = None,
) -> tuple[int, int]:
    """The month asked for (?ky=2024-07); else the latest month with data (`latest`); else the
    last month already closed. A month that cannot be read is said beside the month field."""
    form = form if form is not None else MonthForm(request.GET)
    picked = form.month()
    if picked is not None:
        return picked
    found = latest(request.user) if latest else None
    if found is not None:
        return found
    today = timezone.localdate()
    current = period_containing("month", today)
    # Figures are entered for the period that just ended, not the one under way.
    year, number = (
        (current.year, current.number - 1) if current.number > 1 else (current.year - 1, 12)
    )
    return year, number


def _period(year: int, month: int) -> Any:
    try:
        return period_unsaved("month", year, month)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc


def _level(data: Any) -> str:
    return LevelForm(data).level()


def _unit(request: HttpRequest, unit_id: int) -> Any:
    try:
        return unit_get_visible(request.user, unit_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@require_GET
def figures_index(request: HttpRequest) -> HttpResponse:
    form = FiguresFilterForm(request.GET)
    year, month = _month(request, latest_month_with_figures, form)
    opening = form.value("nhap")
    if opening is not None:
        return HttpResponseRedirect(reverse("kpis_grid", args=[year, month, opening]))
    period = _period(year, month)
    picked = form.value("don_vi")
    unit = _unit(request, picked) if picked is not None else None
    rows = service_results(request.user, period, unit=unit)
    return render(
        request,
        "kpis/index.html",
        {
            "form": form,
            "period": period,
            "month_value": f"{year}-{month:02d}",
            "rows": rows,
            "unit": unit,
            "units": units_visible_to(request.user).order_by("level", "name"),
            "entry_units": entry_units(request.user).order_by("level", "name"),
            "counts": {
                status: sum(1 for r in rows if r.status == status)
                for status in ("met", "not_met", "no_data")
            },
            "year": year,
            "month": month,
        },
    )


def _grid_context(
    request: HttpRequest,
    unit: Any,
    period: Any,
    level: str,
    *,
    accepted: dict[str, str] | None = None,
    upload_form: FiguresUploadForm | None = None,
    **grid: Any,
) -> dict[str, Any]:
    outcome = grid.pop("outcome", None)
    rows = entry_grid(unit, period, level, **grid)
    names = {row.service.code: f"{row.service.order}. {row.service.name}" for row in rows}
    accepted = accepted or {}
    return {
        "unit": unit,
        "period": period,
        "level": level,
        "levels": StatLevel.choices,
        "conflicts": outcome.conflicts if outcome else [],
        "rows": rows,
        "fields": [(f, FIELD_LABELS[f]) for f in COUNT_FIELDS],
        "can_edit": can_enter_figures(request.user, unit) and not period.is_closed,
        "outcome": outcome,
        "upload_form": upload_form or FiguresUploadForm(),
        "blocking": [
            {
                "issue": issue,
                "reason": accepted.get(issue.key, ""),
                "service": names.get(issue.service_code, ""),
            }
            for issue in (outcome.blocking if outcome else [])
        ],
        "year": period.year,
        "month": period.number,
    }


@require_http_methods(["GET", "POST"])
def figures_grid(request: HttpRequest, year: int, month: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(year, month)
    if request.method == "GET":
        level = _level(request.GET)
        return render(request, "kpis/grid.html", _grid_context(request, unit, period, level))
    level = _level(request.POST)
    if not can_enter_figures(request.user, unit):
        raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
    form = FiguresGridForm(
        request.POST,
        service_codes=PublicService.objects.filter(active=True).values_list("code", flat=True),
    )
    if not form.is_valid():
        # Cells are text and versions hidden numbers: only a tampered post lands here.
        messages.error(request, "Dữ liệu gửi lên không hợp lệ; hãy tải lại trang và nhập lại.")
        context = _grid_context(request, unit, period, level)
        return render(request, "kpis/grid.html", context, status=422)
    raw = form.raw()
    accepted = form.accepted()
    try:
        outcome = service_stats_save(
            unit=unit,
            period=period,
            level=level,
            rows=list(raw.items()),
            accepted=accepted,
            versions=form.versions(),
            by=request.user,
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        context = _grid_context(request, unit, period, level, accepted=accepted)
        return render(request, "kpis/grid.html", context)
    if outcome.saved:
        messages.success(request, outcome.message)
        url = reverse("kpis_grid", args=[year, month, unit.pk])
        return HttpResponseRedirect(f"{url}?cap={level}")
    messages.error(request, outcome.message)
    context = _grid_context(
        request,
        unit,
        period,
        level,
        accepted=accepted,
        batch=outcome.batch,
        raw=raw,
        outcome=outcome,
    )
    return render(request, "kpis/grid.html", context, status=409 if outcome.conflicts else 422)


@require_GET
def figures_template(request: HttpRequest, year: int, month: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(year, month)
    level = _level(request.GET)
    data = service_stats_template(request.user, unit, period, level)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"so-lieu-dvc-{unit.key}-{year}-{month:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def figures_upload(request: HttpRequest, year: int, month: int, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    period = _period(year, month)
    level = _level(request.POST)
    if not can_enter_figures(request.user, unit):
        raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
    form = FiguresUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _grid_context(request, unit, period, level, upload_form=form)
        return render(request, "kpis/grid.html", context, status=422)
    upload = form.cleaned_data["file"]
    try:
        result = service_stats_upload(
            unit=unit, period=period, level=level, data=upload.read(), by=request.user
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        form.add_error("file", exc.message)
        context = _grid_context(request, unit, period, level, upload_form=form)
        return render(request, "kpis/grid.html", context, status=422)
    outcome = result.outcome
    if outcome.saved:
        messages.success(request, f"Tệp {upload.name}: {outcome.message}")
        url = reverse("kpis_grid", args=[year, month, unit.pk])
        return HttpResponseRedirect(f"{url}?cap={level}")
    messages.error(request, f"Tệp {upload.name}: {outcome.message}")
    context = _grid_context(
        request,
        unit,
        period,
        level,
        batch=outcome.batch,
        raw=dict(result.parsed.rows),
        cell_refs=result.parsed.cells,
        outcome=outcome,
    )
    return render(request, "kpis/grid.html", context, status=422)


def _png(data: bytes, filename: str, request: HttpRequest) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    form = ChartForm(request.GET)
    download = form.is_valid() and form.cleaned_data["tai"]
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def chart_service(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(PublicService, pk=service_id)
    year, month = _month(request)
    points = [
        charts.Point(p.label, p.share, p.target)
        for p in service_share_series(request.user, service, year=year, month=month)
    ]
    title = f"{service.order}. {service.name}: tỷ lệ tiếp nhận trực tuyến"
    return _png(charts.service_share_chart(title, points), f"dvc-{service.code}.png", request)


@require_GET
def chart_period(request: HttpRequest, year: int, month: int) -> HttpResponse:
    period = _period(year, month)
    rows = service_results(request.user, period)
    bars = [
        charts.Bar(
            f"{r.service.order}. {r.service.name}",
            r.share,
            r.result.target.value if r.result.target else None,
            order=r.service.order,
        )
        for r in rows
    ]
    title = f"{period.label}: tỷ lệ tiếp nhận trực tuyến theo dịch vụ"
    return _png(charts.period_ranking_chart(title, bars), f"dvc-{year}-{month:02d}.png", request)


# --- indicators ------------------------------------------------------------------------------


@require_GET
def indicators_index(request: HttpRequest) -> HttpResponse:
    year, month = _month(request, latest_month_with_indicator_values)
    period = _period(year, month)
    enterable = list(entry_units(request.user).order_by("level", "name"))
    rows = [
        (row, [u for u in enterable if not reporting or u.pk in reporting][:30])
        for row in indicator_results(request.user, period)
        for reporting in [{u.pk for u in row.indicator.reporting_units.all()}]
    ]
    return render(
        request,
        "kpis/indicators.html",
        {
            "period": period,
            "rows": rows,
            "year": year,
            "month": month,
            "month_value": f"{year}-{month:02d}",
        },
    )


def _entry_display(value: Any) -> str:
    return "" if value is None else f"{value.normalize():f}"


@require_http_methods(["GET", "POST"])
def indicator_entry(
    request: HttpRequest, indicator_id: int, year: int, month: int, unit_id: int
) -> HttpResponse:
    indicator = get_object_or_404(indicators_visible_to(request.user), pk=indicator_id)
    unit = _unit(request, unit_id)
    period = _period(year, month)
    current = indicator_value_get(indicator, unit, period)
    can_edit = can_enter_figures(request.user, unit)
    shape = {"kind": indicator.kind, "unit_label": indicator.unit_label}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Bạn không có quyền nhập số liệu cho đơn vị này.")
        form = IndicatorValueForm(request.POST, **shape)
        if form.is_valid():
            try:
                indicator_value_save(
                    indicator=indicator,
                    unit=unit,
                    period=period,
                    numerator=form.cleaned_data["numerator"],
                    denominator=form.cleaned_data["denominator"],
                    value=form.cleaned_data["value"],
                    flag=form.flag_value(),
                    cause=form.cleaned_data["cause"],
                    by=request.user,
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                field = str(exc.extra.get("field", ""))
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, "Đã lưu giá trị chỉ tiêu.")
                return HttpResponseRedirect(request.path)
    else:
        form = IndicatorValueForm(
            initial={
                "numerator": _entry_display(getattr(current, "numerator", None)),
                "denominator": _entry_display(getattr(current, "denominator", None)),
                "value": _entry_display(getattr(current, "value", None)),
                "flag": _flag(current),
                "cause": current.cause_if_missed if current else "",
            },
            **shape,
        )
    if not can_edit:
        for locked in form.fields.values():
            locked.disabled = True
    previous = indicator_previous_value(indicator, unit, period)
    return render(
        request,
        "kpis/indicator_entry.html",
        {
            "indicator": indicator,
            "unit": unit,
            "period": period,
            "current": current,
            "previous": previous,
            "previous_text": _previous_text(indicator.kind, previous),
            "target": indicator_target(indicator, period),
            "can_edit": can_edit,
            "form": form,
        },
        status=422 if form.is_bound else 200,
    )


def _previous_text(kind: str, previous: Any) -> str:
    """What the unit reported the period before, as people read it ("9/10 (90,00%)")."""
    if previous is None:
        return "chưa có số liệu"
    if kind == "ratio":
        share = ratio_share(previous.numerator, previous.denominator)
        num, den = _entry_display(previous.numerator), _entry_display(previous.denominator)
        return f"{num}/{den} ({format_share(share)})"
    if kind == "count":
        return _entry_display(previous.value) or "—"
    return {True: "Có", False: "Không"}.get(previous.flag, "—")


def _flag(current: Any) -> str:
    if current is None or current.flag is None:
        return ""
    return "yes" if current.flag else "no"
