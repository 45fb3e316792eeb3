"""The leaders' dashboard (`/bang-dieu-khien/`, and `/` for the provincial leader): filters read
by a form from the query string (bookmarkable), the read model of `dean06.dashboard`, one
template whose body HTMX swaps when a filter changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dean06.accounts.permissions import Action, can
from dean06.core.exceptions import PermissionDeniedError
from dean06.dashboard import selectors
from dean06.tracking.periods import PeriodError, parse_month

ALL = ("", "Tất cả")
SCORECARD_PAGE = 20


class DashboardFilterForm(forms.Form):
    """The dashboard's filters; a value that is not one of the choices is an error shown beside
    its field, and the dashboard is drawn with the others."""

    period = forms.CharField(
        label="Kỳ báo cáo (tháng)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text="Dạng 2024-07.",
    )
    year = forms.TypedChoiceField(
        label="Năm kế hoạch", required=False, coerce=int, empty_value=None
    )
    plan = forms.TypedChoiceField(label="Kế hoạch", required=False, coerce=int, empty_value=None)
    section = forms.ChoiceField(label="Nhóm nhiệm vụ", required=False)
    unit = forms.TypedChoiceField(label="Đơn vị", required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, choices: selectors.FilterChoices) -> None:
        super().__init__(data)
        fields: Any = self.fields
        self.plans = {p.pk: p for p in choices.plans}
        fields["year"].choices = [("", "Tất cả các năm"), *((y, str(y)) for y in choices.years)]
        fields["plan"].choices = [
            ("", "Tất cả kế hoạch"),
            *((p.pk, f"{p.get_kind_display()} {p.number}") for p in choices.plans),
        ]
        fields["section"].choices = [("", "Tất cả các nhóm"), *choices.sections]
        fields["unit"].choices = [("", "Toàn tỉnh"), *((u.pk, u.name) for u in choices.units)]

    def clean_period(self) -> tuple[int, int] | None:
        text = (self.cleaned_data.get("period") or "").strip()
        if not text:
            return None
        try:
            return parse_month(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plan = self.plans.get(data.get("plan") or 0)
        year = data.get("year")
        if plan is not None and year is not None and selectors.plan_year(plan) != year:
            self.add_error(
                "year",
                f"Kế hoạch {plan.number} không thuộc năm {year}: bỏ chọn năm hoặc chọn kế hoạch "
                "khác.",
            )
        return data

    def filters(self) -> selectors.DashboardFilters:
        """The filters that are valid (an invalid one is left out, its error shown)."""
        self.is_valid()
        data = self.cleaned_data
        return selectors.DashboardFilters(
            year=data.get("year"),
            month=data.get("period"),
            plan_id=data.get("plan"),
            unit_id=data.get("unit"),
            section=data.get("section") or "",
        )


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return dashboard_page(request)


def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The dashboard for the signed-in user (province-wide roles only: 403 for the others);
    the home page of the provincial leader calls it too."""
    user: Any = request.user
    if not can(user, Action.VIEW_PROVINCE):
        raise PermissionDenied(
            "Bảng điều khiển toàn tỉnh dành cho lãnh đạo tỉnh và Thường trực Tổ công tác."
        )
    query = request.GET.copy()
    if not query.get("period"):
        # The month shown is written in the form, so that the next filter keeps it.
        year, month = selectors.default_month()
        query["period"] = f"{year}-{month:02d}"
    form = DashboardFilterForm(query, choices=selectors.filter_choices(user))
    filters = form.filters()
    try:
        data = selectors.dashboard(user, filters)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    scorecard = Paginator(data.scorecard, SCORECARD_PAGE).get_page(request.GET.get("trang"))
    kept = request.GET.copy()
    kept.pop("trang", None)
    return render(
        request,
        "dashboard/page.html",
        {
            "form": form,
            "d": data,
            "scorecard": scorecard,
            "paging_base": kept.urlencode(),
            "overdue_shown": data.overdue[: selectors.SHORT_LIST],
            "countdowns_shown": data.countdowns[: selectors.SHORT_LIST],
            "status_chart": data.status_chart(),
            "spark_data": data.spark_data(),
            "completeness_chart": data.completeness_chart(),
            "countdowns_more": max(0, len(data.countdowns) - selectors.SHORT_LIST),
            "countdown_days": selectors.COUNTDOWN_DAYS,
            "spark_months": selectors.SPARK_MONTHS,
        },
    )
