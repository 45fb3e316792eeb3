"""Unit pages: the list of units (searched without diacritics, by level), and a unit's page — its
lead and coordinating tasks with their status, its reports by period, its service figures, its
validity. A unit role sees its own unit only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dean06.accounts.permissions import Action, can
from dean06.core import clock
from dean06.orgs.models import UnitLevel
from dean06.plans.models import AssignmentRole
from dean06.tracking import lists
from dean06.tracking.status import TaskStatus


class UnitFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm đơn vị",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Tên, tên ngắn, viết tắt — gõ không dấu được"}
        ),
    )
    level = forms.ChoiceField(
        label="Cấp", required=False, choices=[("", "Tất cả"), *UnitLevel.choices]
    )
    current = forms.BooleanField(label="Chỉ đơn vị đang hoạt động", required=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data, label_suffix="")


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can(user, Action.VIEW_PROVINCE) and getattr(user, "unit_id", None):
        # A unit sees one unit, its own: its page is the list.
        return HttpResponseRedirect(reverse("unit_detail", args=[user.unit_id]))
    form = UnitFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    on = clock.today()
    page = lists.unit_list(
        user,
        on,
        q=data.get("q") or "",
        level=data.get("level") or "",
        current_only=bool(data.get("current")),
        page=request.GET.get("trang"),
    )
    filtered = bool(data.get("q") or data.get("level") or data.get("current"))
    return render(
        request,
        "units/list.html",
        {"form": form, "page": page, "filtered": filtered, "on": on},
    )


@require_GET
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = lists.unit_get_visible(request.user, unit_id)
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    on = clock.today()
    page = lists.unit_page(request.user, unit, on)
    return render(
        request,
        "units/detail.html",
        {
            "unit": unit,
            "page": page,
            "on": on,
            "valid": unit.is_valid_on(on),
            "statuses": [(s.value, s.label) for s in TaskStatus],
            "lead": AssignmentRole.LEAD.value,
            "coordinating": AssignmentRole.COORDINATING.value,
            "province": can(request.user, Action.VIEW_PROVINCE),
        },
    )
