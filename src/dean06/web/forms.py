"""Forms of the pages: what a person types, checked and turned into typed values; errors are
shown beside their field. Business rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from dean06.tracking.models import ProgressState
from dean06.tracking.services import ReportInput


class ProgressReportForm(forms.Form):
    state = forms.ChoiceField(
        label="Tình hình thực hiện",
        choices=[("", "— chọn —"), *ProgressState.choices],
        required=False,
    )
    percent_complete = forms.IntegerField(
        label="Tỷ lệ hoàn thành (%)",
        min_value=0,
        max_value=100,
        required=False,
        help_text="Khi có ý nghĩa (nhiệm vụ có khối lượng đo được).",
    )
    completed_on = forms.DateField(
        label="Ngày hoàn thành",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    progress = forms.CharField(
        label="Kết quả thực hiện trong kỳ",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    figures = forms.CharField(
        label="Số liệu cụ thể",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Ví dụ: số hồ sơ, số tài khoản, số buổi tuyên truyền.",
    )
    result_document = forms.CharField(
        label="Văn bản kết quả (số, ký hiệu)", max_length=255, required=False
    )
    difficulties = forms.CharField(
        label="Khó khăn, vướng mắc",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    proposals = forms.CharField(
        label="Đề xuất, kiến nghị", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    late_reason = forms.CharField(
        label="Lý do báo cáo muộn",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_input(self) -> ReportInput:
        data: dict[str, Any] = {
            name: self.cleaned_data.get(name)
            for name in (
                "state",
                "percent_complete",
                "completed_on",
                "progress",
                "figures",
                "result_document",
                "difficulties",
                "proposals",
                "late_reason",
            )
        }
        data = {
            k: ("" if v is None and k not in ("percent_complete", "completed_on") else v)
            for k, v in data.items()
        }
        return ReportInput(**data)


class DecisionForm(forms.Form):
    """A leader's or the secretariat's decision on a report: the comment (needed to return)."""

    comment = forms.CharField(
        label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Tệp minh chứng (PDF, DOCX, ảnh PNG/JPEG; tối đa 10 MB)", required=False
    )
    document = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportGenerateForm(forms.Form):
    """The consolidated report to make: which month, which format, and what the data does not
    say (the day printed under the place, the signer)."""

    ky = forms.RegexField(
        label="Kỳ báo cáo (tháng)",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": "Chọn một tháng, ví dụ 2024-07.", "required": "Chọn kỳ."},
    )
    dinh_dang = forms.ChoiceField(label="Định dạng", choices=())
    ngay_ky = forms.DateField(
        label="Ngày ký in trên báo cáo (để trống cho văn thư điền)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Ngày không hợp lệ."},
    )
    nguoi_ky = forms.CharField(label="Họ tên người ký", required=False, max_length=100)

    def __init__(self, *args: Any, formats: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dinh_dang"].choices = formats  # type: ignore[attr-defined]

    def period(self) -> tuple[int, int]:
        year, month = self.cleaned_data["ky"].split("-")
        return int(year), int(month)
