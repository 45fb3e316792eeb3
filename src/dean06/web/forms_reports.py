"""Forms of the monthly report pages: the import of a unit's or the province's report (month and
file, then confirm or cancel) and the page of the list of generated reports. The form that makes
a consolidated report is `web.forms.ReportGenerateForm`."""

from __future__ import annotations

from typing import Any

from django import forms

from dean06.web.forms_kpis import MonthField

# The query parameter naming an upload on the start page's address.
UPLOAD_PARAM = "phien"


class ReportImportForm(forms.Form):
    ky = MonthField(
        label="Kỳ báo cáo (tháng)",
        invalid="Chọn kỳ báo cáo (tháng) hợp lệ, ví dụ 2024-07.",
        error_messages={"required": "Chọn kỳ báo cáo (tháng), ví dụ 2024-07."},
    )
    file = forms.FileField(
        label="Tệp báo cáo",
        error_messages={
            "required": "Hãy chọn tệp báo cáo tháng.",
            "empty": "Tệp rỗng: không có gì để đọc.",
        },
    )

    def month_text(self) -> str:
        year, month = self.cleaned_data["ky"]
        return f"{year:04d}-{month:02d}"


class UploadParamForm(forms.Form):
    """`?phien=<token>` on the start page: the upload to show (any text reaches the token check,
    which refuses what is not an upload of this person)."""

    phien = forms.CharField(required=False, strip=False, max_length=200)

    def asked(self) -> bool:
        return UPLOAD_PARAM in self.data

    def token(self) -> str:
        return str(self.cleaned_data.get("phien") or "") if self.is_valid() else ""


class PresenceWidget(forms.HiddenInput):
    """A submit button's name: pressed when present in the post, whatever its value."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return name in data


class ReportImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=200, widget=forms.HiddenInput)
    huy = forms.BooleanField(required=False, widget=PresenceWidget)


class PageForm(forms.Form):
    """`?trang=`: the page of a list; anything else is the first page."""

    trang = forms.IntegerField(required=False, min_value=1)

    def page(self) -> int:
        self.is_valid()
        return 1 if "trang" in self.errors else (self.cleaned_data.get("trang") or 1)
