"""Admin change pages submitted as a browser would: every field of the form and its inlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone


def _put(data: dict[str, Any], form: Any, name: str) -> None:
    field = form.fields[name]
    if field.disabled:
        return
    key = form.add_prefix(name)
    value = form[name].value()
    if isinstance(field, forms.SplitDateTimeField):
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            data[key + "_0"] = local.strftime("%Y-%m-%d")
            data[key + "_1"] = local.strftime("%H:%M:%S")
        return
    if value is None or value is False:
        return
    if value is True:
        data[key] = "on"
    elif isinstance(value, list | tuple):
        data[key] = [str(v) for v in value]
    else:
        data[key] = str(value)


def form_data(page: Any) -> dict[str, Any]:
    """The POST data of an admin change page, unchanged (main form, inlines, management forms)."""
    data: dict[str, Any] = {}
    form = page.context["adminform"].form
    for name in form.fields:
        _put(data, form, name)
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for sub in formset.forms:
            for name in sub.fields:
                _put(data, sub, name)
    data["_save"] = "Lưu"
    return data
