"""Forms of the service-figure and indicator pages: the month and level asked for, the entry
grid's cells (one field per cell, built from the services shown), the XLSX upload and one
indicator's value. The figures themselves are checked by `kpis.services`; a form only turns what
was typed into the values the service takes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dean06.kpis.entry import COUNT_FIELDS, FIELD_LABELS
from dean06.kpis.models import StatLevel
from dean06.tracking.periods import PeriodError, parse_month

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MonthField(forms.CharField):
    """A month as `2024-07` (what <input type="month"> sends) or «Tháng 7/2024», cleaned to
    (year, month)."""

    widget = forms.TextInput(attrs={"type": "month"})

    def __init__(self, *, invalid: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.invalid = invalid

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except PeriodError as exc:
            raise ValidationError(self.invalid or str(exc), code="invalid") from exc


class MonthForm(forms.Form):
    """`?ky=2024-07`: the month a page shows."""

    ky = MonthField(label="Kỳ báo cáo (tháng)", required=False)

    def month(self) -> tuple[int, int] | None:
        return self.cleaned_data.get("ky") if self.is_valid() else None


class LevelForm(forms.Form):
    """`cap`: the level of the figures (all, province, district, commune)."""

    cap = forms.ChoiceField(label="Cấp", choices=StatLevel.choices, required=False)

    def level(self) -> str:
        if self.is_valid() and self.cleaned_data.get("cap"):
            return str(self.cleaned_data["cap"])
        return str(StatLevel.ALL)


class FiguresFilterForm(MonthForm):
    """The overview's filter: the month, one unit (`don_vi`), or the unit whose grid to open
    (`nhap`)."""

    don_vi = forms.IntegerField(label="Đơn vị", required=False, min_value=1)
    nhap = forms.IntegerField(label="Nhập số liệu cho", required=False, min_value=1)

    def value(self, name: str) -> Any:
        """A field's cleaned value; None when it is empty or wrong (its error is shown)."""
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class ChartForm(MonthForm):
    """A chart's month and whether to download it (`tai`) rather than show it."""

    tai = forms.BooleanField(required=False)


class FiguresGridForm(forms.Form):
    """The entry grid as posted: `c-<code>-<field>` cells (text: the service reads numbers as
    people type them), `v-<code>` the version each row was read at, `accept-<key>` the reason
    given for a warning. Only the rows present in the post are kept."""

    cap = forms.ChoiceField(choices=StatLevel.choices, required=False)

    def __init__(self, data: Any, *, service_codes: Iterable[str], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.codes = [
            code
            for code in service_codes
            if any(f"c-{code}-{name}" in data for name in COUNT_FIELDS)
        ]
        for code in self.codes:
            for name in COUNT_FIELDS:
                self.fields[f"c-{code}-{name}"] = forms.CharField(
                    label=FIELD_LABELS[name], required=False, max_length=40
                )
            self.fields[f"v-{code}"] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput
            )
        for key in data:
            if key.startswith("accept-"):
                self.fields[key] = forms.CharField(label="Lý do", required=False, max_length=1000)

    def raw(self) -> dict[str, dict[str, str]]:
        """The cells as typed, by service code then count field."""
        return {
            code: {name: self.cleaned_data.get(f"c-{code}-{name}") or "" for name in COUNT_FIELDS}
            for code in self.codes
        }

    def versions(self) -> dict[str, int]:
        """The version each row was read at; a row without one counts as read when nothing was
        stored (0), so a form can never overwrite blindly."""
        return {code: self.cleaned_data.get(f"v-{code}") or 0 for code in self.codes}

    def accepted(self) -> dict[str, str]:
        """The reasons given for warnings, by issue key."""
        return {
            key.removeprefix("accept-"): value or ""
            for key, value in self.cleaned_data.items()
            if key.startswith("accept-")
        }


def accepted_reasons(data: Any) -> dict[str, str]:
    """The reasons typed for warnings in a grid post (none on a GET)."""
    if not data:
        return {}
    return {
        k.removeprefix("accept-"): str(data.get(k, ""))[:1000]
        for k in data
        if k.startswith("accept-")
    }


class FiguresUploadForm(forms.Form):
    """The filled XLSX template."""

    file = forms.FileField(
        label="Tải lên biểu mẫu đã điền",
        error_messages={
            "required": "Hãy chọn tệp XLSX (tối đa 5 MB).",
            "empty": "Tệp trống: hãy chọn tệp XLSX đã điền.",
        },
    )
    cap = forms.ChoiceField(choices=StatLevel.choices, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("Hãy chọn tệp XLSX (tối đa 5 MB).", code="too_big")
        return upload


FLAG_CHOICES = [("", "—"), ("yes", "Có"), ("no", "Không")]


class IndicatorValueForm(forms.Form):
    """One indicator's value for a unit and month. Numbers stay text here: the service reads
    them as Vietnamese write them (1.234,5) and says which one is wrong."""

    numerator = forms.CharField(label="Tử số", required=False, max_length=40)
    denominator = forms.CharField(label="Mẫu số", required=False, max_length=40)
    value = forms.CharField(label="Giá trị", required=False, max_length=40)
    flag = forms.ChoiceField(label="Đã thực hiện?", choices=FLAG_CHOICES, required=False)
    cause = forms.CharField(
        label="Nguyên nhân chưa đạt (bắt buộc khi chưa đạt chỉ tiêu)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, kind: str, unit_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if unit_label:
            self.fields["value"].label = f"Giá trị ({unit_label})"
        for name in ("numerator", "denominator", "value"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def shown_fields(self) -> list[forms.BoundField]:
        """The fields of this kind of indicator, then the cause."""
        names = {"ratio": ["numerator", "denominator"], "count": ["value"]}.get(self.kind, ["flag"])
        return [self[name] for name in [*names, "cause"]]

    def flag_value(self) -> bool | None:
        flag = self.cleaned_data.get("flag") or ""
        return None if flag == "" else flag == "yes"
