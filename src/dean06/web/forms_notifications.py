"""Forms of the notification pages: the page of a list, marking notices read, and the log's
filter (period, unit, kind, outcome)."""

from __future__ import annotations

from typing import Any

from django import forms

from dean06.notifications.models import NOTIFICATION_KINDS, NotificationStatus
from dean06.orgs.models import Unit
from dean06.tracking.models import ReportingPeriod
from dean06.web.forms import MAX_ROW_ID


class PageForm(forms.Form):
    """`?trang=`: the page of a paginated list; anything else is the first page."""

    trang = forms.IntegerField(required=False, min_value=1)

    def page(self) -> int:
        self.is_valid()
        return 1 if "trang" in self.errors else (self.cleaned_data.get("trang") or 1)


class MarkReadForm(forms.Form):
    """One notice (`muc`), or all of them when none is named."""

    muc = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ROW_ID, widget=forms.HiddenInput
    )

    def item_ids(self) -> list[int] | None:
        item = self.cleaned_data.get("muc")
        return [item] if item else None


class LogFilterForm(PageForm):
    ky = forms.ModelChoiceField(
        label="Kỳ báo cáo", queryset=ReportingPeriod.objects.all(), required=False
    )
    don_vi = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.all(), required=False)
    loai = forms.ChoiceField(
        label="Loại", choices=[("", "Tất cả"), *NOTIFICATION_KINDS], required=False
    )
    trang_thai = forms.ChoiceField(
        label="Kết quả", choices=[("", "Tất cả"), *NotificationStatus.choices], required=False
    )

    def value(self, name: str) -> Any:
        """A filter's value; empty when it is wrong (its error is shown beside it)."""
        self.is_valid()
        if name in self.errors:
            return None if name in ("ky", "don_vi") else ""
        default = None if name in ("ky", "don_vi") else ""
        return self.cleaned_data.get(name) or default
