"""Forms of the pages: what a person types, checked and turned into typed values; errors are
shown beside their field. Business rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from dean06.orgs.models import Unit
from dean06.plans.models import AssignmentRole
from dean06.tracking.models import ProgressState
from dean06.tracking.periods import PeriodError, parse_month
from dean06.tracking.services import ReportInput
from dean06.tracking.status import TaskStatus

# The largest id a row has (a 64-bit integer): a larger number names no row, and SQLite refuses
# to compare with it (OverflowError) where PostgreSQL answers "no row".
MAX_ROW_ID = 2**63 - 1


def row_id(value: Any) -> int | None:
    """The id a value names, or None: ASCII digits only ("²" passes isdigit()), within 64 bits."""
    text = str(value if value is not None else "").strip()
    if text.isascii() and text.isdigit() and int(text) <= MAX_ROW_ID:
        return int(text)
    return None


class RowsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several rows chosen by id. An id past 64 bits is an invalid choice like any unknown id,
    not a database error: Django guards its one-row lookups against it, not `id IN (...)`."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            # Digits that name no row (past 64 bits); other text is Django's own refusal.
            text = str(pk).strip()
            if text.isascii() and text.isdigit() and row_id(text) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


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


class ReportActionForm(forms.Form):
    """Which button of the report form was pressed, and the version the page was read at."""

    action = forms.ChoiceField(
        choices=[
            ("save", "Lưu nháp"),
            ("submit", "Gửi báo cáo"),
            ("correct", "Mở bản sửa"),
            ("evidence", "Thêm minh chứng"),
        ],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def chosen(self) -> str:
        return (self.cleaned_data.get("action") if self.is_valid() else "") or "save"

    def read_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.is_valid() else None


class DecisionForm(forms.Form):
    """A leader's or the secretariat's decision on a report: the comment (needed to return)."""

    comment = forms.CharField(
        label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Tệp minh chứng (PDF, DOCX, ảnh PNG/JPEG; tối đa 10 MB)",
        error_messages={
            "required": "Chọn một tệp để tải lên.",
            "empty": "Tệp rỗng: chọn tệp khác.",
            "invalid": "Không đọc được tệp: chọn lại.",
        },
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

    def clean_ky(self) -> str:
        text: str = self.cleaned_data["ky"]
        try:
            # "0000-07" has the shape of a month but no reporting period.
            parse_month(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        return text

    def period(self) -> tuple[int, int]:
        year, month = self.cleaned_data["ky"].split("-")
        return int(year), int(month)


class MonthField(forms.CharField):
    """A month as "2024-07" (the browser's month input) or "Tháng 7/2024" → (year, month)."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": "Chọn một tháng, ví dụ 2024-07."}

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, tuple):
            return f"{value[0]}-{value[1]:02d}"
        return value


class UnitTasksFilterForm(forms.Form):
    """The filters of a unit's task list (GET, bookmarkable). A province role also picks the
    unit; a unit role always sees its own."""

    don_vi = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— chọn —",
        error_messages={"invalid_choice": "Chọn một đơn vị trong danh sách."},
    )
    ky = MonthField(label="Kỳ báo cáo", required=False)
    vai_tro = forms.ChoiceField(
        label="Vai trò",
        choices=[("", "Tất cả"), *AssignmentRole.choices],
        required=False,
    )
    trang_thai = forms.ChoiceField(
        label="Tình trạng",
        choices=[("", "Tất cả"), *((s.value, s.label) for s in TaskStatus)],
        required=False,
    )
    can_bao_cao = forms.BooleanField(label="Chỉ việc cần báo cáo kỳ này", required=False)
    q = forms.CharField(
        label="Tìm",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Mã hoặc nội dung, gõ không dấu cũng được", "type": "search"}
        ),
    )
    trang = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["don_vi"]
        else:
            self.fields["don_vi"].queryset = units  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        """The cleaned value of a filter; an invalid one counts as not given (its error is
        shown beside the field)."""
        if not self.is_valid() and name in self.errors:
            return None
        return self.cleaned_data.get(name)


class CompletenessFilterForm(forms.Form):
    """The completeness grid's filters: the last month shown, how many months, a unit name."""

    ky = MonthField(label="Đến kỳ", required=False)
    so_ky = forms.IntegerField(
        label="Số kỳ",
        min_value=1,
        max_value=24,
        required=False,
        error_messages={
            "min_value": "Từ 1 đến 24 kỳ.",
            "max_value": "Từ 1 đến 24 kỳ.",
            "invalid": "Nhập một số từ 1 đến 24.",
        },
    )
    q = forms.CharField(
        label="Tìm đơn vị",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "gõ không dấu cũng được", "type": "search"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def value(self, name: str) -> Any:
        if not self.is_valid() and name in self.errors:
            return None
        return self.cleaned_data.get(name)


class PageForm(forms.Form):
    """The page asked for in a paginated list (?trang=2); anything else is the first page."""

    trang = forms.IntegerField(min_value=1, required=False)

    def number(self) -> int:
        return (self.cleaned_data.get("trang") if self.is_valid() else None) or 1
