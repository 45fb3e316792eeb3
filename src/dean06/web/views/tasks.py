"""The task list: every task the user sees, filtered by plan, year, group, unit, role and status,
searched without diacritics, 30 a page, each row opening the task page. The dashboard's figures
link here with the same parameter names (q, status, timeliness, plan, year, section, unit,
role)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.core.validators import RegexValidator
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from dean06.core import clock
from dean06.plans.models import AssignmentRole
from dean06.tracking import lists
from dean06.tracking.status import TaskStatus, Timeliness

ALL = ("", "Tất cả")


class QuickSelect(forms.Select):
    """A select of hundreds of options (a province's units) written in one pass: Django's
    template per option takes tens of milliseconds for 600 units."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class TaskFilterForm(forms.Form):
    """The filters, read from the query string; a value that is not one of the choices is an
    error shown beside its field, and the list is filtered by the others."""

    q = forms.CharField(
        label="Tìm",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Mã, nội dung, đơn vị — gõ không dấu được"}
        ),
    )
    status = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[ALL, *((s.value, s.label) for s in TaskStatus)],
    )
    timeliness = forms.ChoiceField(
        label="So với thời hạn",
        required=False,
        choices=[ALL, *((t.value, t.label) for t in Timeliness)],
    )
    plan = forms.TypedChoiceField(
        label="Kế hoạch", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    year = forms.TypedChoiceField(label="Năm", required=False, coerce=int, empty_value=None)
    section = forms.CharField(
        label="Nhóm nhiệm vụ",
        required=False,
        max_length=50,
        validators=[RegexValidator(r"^[\w.\-]+$", "Mã nhóm không hợp lệ.")],
        widget=QuickSelect,
    )
    unit = forms.TypedChoiceField(
        label="Đơn vị", required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    role = forms.ChoiceField(
        label="Vai trò của đơn vị",
        required=False,
        choices=[ALL, *AssignmentRole.choices],
    )

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data, label_suffix="")
        fields: Any = self.fields
        plans = lists.filter_plans(user)
        fields["plan"].choices = [
            ALL,
            *((p.pk, f"{p.get_kind_display()} {p.number}") for p in plans),
        ]
        fields["year"].choices = [ALL, *((y, str(y)) for y in lists.plan_years(plans))]
        plan_text = str(self.data.get("plan", ""))
        plan_id = int(plan_text) if plan_text.isdigit() else None
        sections = lists.filter_sections(user, plan_id)
        asked = str(self.data.get("section", "")).strip()
        if asked and asked not in {code for code, _ in sections}:
            sections.append((asked, asked))
        fields["section"].widget.choices = [ALL, *sections]
        fields["unit"].choices = [ALL, *((u.pk, u.name) for u in lists.filter_units(user))]

    def filters(self) -> lists.TaskFilters:
        """The valid filters (an invalid field counts as empty)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return lists.TaskFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            timeliness=data.get("timeliness") or "",
            plan_id=data.get("plan"),
            year=data.get("year"),
            section=data.get("section") or "",
            unit_id=data.get("unit"),
            role=data.get("role") or "",
        )


def _plan_changed(request: HttpRequest) -> bool:
    """Whether an HTMX request changes the plan from the page's (its groups are then sent
    again with the results, the select of groups being outside them)."""
    before = parse_qs(urlsplit(request.headers.get("HX-Current-URL", "")).query)
    return before.get("plan", [""])[0] != request.GET.get("plan", "")


def _is_fragment(request: HttpRequest) -> bool:
    """HTMX asks for the results only; a history restore asks for the whole page."""
    return bool(
        request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    )


@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET, user=request.user)
    filters = form.filters()
    on = clock.today()
    result = lists.task_list(
        request.user, on, filters, page=request.GET.get("trang"), with_counts=True
    )
    fragment = _is_fragment(request)
    response = render(
        request,
        "tasks/_results.html" if fragment else "tasks/list.html",
        {
            "form": form,
            "result": result,
            "filtered": filters != lists.TaskFilters(),
            "on": on,
            "statuses": [(s.value, s.label) for s in TaskStatus],
            "fragment": fragment,
            "sections_changed": fragment and _plan_changed(request),
        },
    )
    # The same address answers the whole page or the results alone: caches keep both apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
