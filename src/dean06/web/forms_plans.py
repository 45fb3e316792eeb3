"""Forms of the plan import: the file or pasted text, the review of what was read (one form for
the whole review: the plan's details and every task row, each row's errors beside its cells),
and the deadline preview asked while the reviewer types."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.plans.review import ReviewEdits, TaskEdit

# What a row's cells are called in the post ("task-3-lead") and in `ReviewError.errors`.
TASK_CELLS = ("code", "content", "deadline", "lead", "coord", "skip")
PLAN_FIELDS = ("plan-number", "plan-date", "plan-issuer", "plan-title")


class NameListField(forms.Field):
    """Every value posted under one name (unit names typed into repeated inputs), blanks
    dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        names = [" ".join(str(v).split()) for v in values]
        for name in names:
            if len(name) > 500:
                raise ValidationError("Tên đơn vị quá dài (tối đa 500 ký tự).", code="max_length")
        return [n for n in names if n]


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch",
        required=False,
        error_messages={"empty": "Tệp rỗng: không có gì để đọc."},
    )
    text = forms.CharField(
        label="hoặc dán nội dung kế hoạch (văn bản, bảng sao chép từ trang web hay thư điện tử)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Dán nội dung vào đây..."}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        nothing = data.get("file") is None and not (data.get("text") or "").strip()
        if nothing and "file" not in self.errors:
            self.add_error("file", "Hãy chọn một tệp kế hoạch hoặc dán nội dung kế hoạch.")
        return data

    def upload(self) -> Any:
        """The file to read; text pasted from an e-mail or a web page is read like a .txt."""
        file = self.cleaned_data.get("file")
        if file is None:
            pasted = self.cleaned_data["text"].strip()
            file = SimpleUploadedFile("van-ban-dan.txt", pasted.encode("utf-8"), "text/plain")
        return file


class PlanReviewForm(forms.Form):
    """The whole review as posted: the plan's details, then `task-<i>-<cell>` for each row the
    page showed (`count` rows were read). Values are kept as typed; `plans.review.review_apply`
    decides what is wrong and its errors are put back beside their cells."""

    def __init__(self, data: Any, *, count: int, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["plan-number"] = forms.CharField(
            label="Số, ký hiệu", required=False, max_length=100
        )
        self.fields["plan-date"] = forms.CharField(
            label="Ngày ban hành (dd/mm/yyyy)", required=False, max_length=40
        )
        self.fields["plan-issuer"] = forms.CharField(
            label="Cơ quan ban hành", required=False, max_length=255
        )
        self.fields["plan-title"] = forms.CharField(
            label="Trích yếu", required=False, max_length=2000
        )
        self.fields["new-unit"] = NameListField(required=False)
        self.indexes = [i for i in range(count) if f"task-{i}-code" in data]
        for i in self.indexes:
            prefix = f"task-{i}-"
            self.fields[prefix + "code"] = forms.CharField(
                label="Mã nhiệm vụ", required=False, max_length=50
            )
            self.fields[prefix + "content"] = forms.CharField(
                label="Nội dung", required=False, max_length=20000
            )
            self.fields[prefix + "deadline"] = forms.CharField(
                label="Thời hạn", required=False, max_length=500
            )
            self.fields[prefix + "lead"] = NameListField(label="Chủ trì", required=False)
            self.fields[prefix + "coord"] = NameListField(label="Phối hợp", required=False)
            self.fields[prefix + "skip"] = forms.BooleanField(label="Bỏ", required=False)

    def _text(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "")

    def edits(self) -> ReviewEdits:
        return ReviewEdits(
            number=self._text("plan-number"),
            date=self._text("plan-date"),
            issuer=self._text("plan-issuer"),
            title=self._text("plan-title"),
            tasks=[
                TaskEdit(
                    index=i,
                    code=self._text(f"task-{i}-code"),
                    content=self._text(f"task-{i}-content"),
                    deadline_raw=self._text(f"task-{i}-deadline"),
                    lead=list(self.cleaned_data.get(f"task-{i}-lead") or []),
                    coordinating=list(self.cleaned_data.get(f"task-{i}-coord") or []),
                    skip=bool(self.cleaned_data.get(f"task-{i}-skip")),
                )
                for i in self.indexes
            ],
        )

    def new_units(self) -> list[str]:
        return list(self.cleaned_data.get("new-unit") or [])

    def add_review_errors(self, errors: dict[str, str]) -> None:
        """`ReviewError.errors` beside their fields; a row's own error on its code cell."""
        for key, message in errors.items():
            field = key if key in self.fields else f"{key}-code"
            self.add_error(field if field in self.fields else None, message)

    def posted(self, index: int) -> dict[str, Any] | None:
        """A row as the reviewer left it (None when the page did not post it)."""
        if index not in self.indexes:
            return None
        prefix = f"task-{index}-"

        def raw(cell: str) -> Any:
            field = self.fields[prefix + cell]
            return field.widget.value_from_datadict(self.data, self.files, prefix + cell)

        lead, coord = raw("lead"), raw("coord")
        return {
            "code": raw("code") or "",
            "content": raw("content") or "",
            "deadline": raw("deadline") or "",
            "lead": [n for n in (lead or []) if str(n).strip()],
            "coord": [n for n in (coord or []) if str(n).strip()],
            "skip": bool(self.fields[prefix + "skip"].clean(raw("skip"))),
            "errors": {cell: self._errors_of(prefix + cell) for cell in TASK_CELLS},
        }

    def _errors_of(self, name: str) -> str:
        return " ".join(str(e) for e in self.errors.get(name, []))

    def plan_values(self) -> dict[str, dict[str, str]]:
        """The plan's details as typed, with their errors, by short name (number, date, ...)."""
        return {
            name.removeprefix("plan-"): {
                "value": str(self.data.get(name, "")),
                "error": self._errors_of(name),
            }
            for name in PLAN_FIELDS
        }


class DeadlinePreviewForm(forms.Form):
    """`?q=` the deadline phrase being typed, `ngay=` the plan's date as typed."""

    q = forms.CharField(required=False)
    ngay = forms.CharField(required=False, max_length=40)

    def phrase(self) -> str:
        self.is_valid()
        return str(self.cleaned_data.get("q") or "")[:500]

    def plan_date_text(self) -> str:
        self.is_valid()
        return str(self.cleaned_data.get("ngay") or "")
