"""Forms of the data-quality pages: the findings filter, running the rules for a month, the text
of a decision on a finding, and a validation rule (its expressions checked by the engine as they
are typed, so the error stands beside the side that is wrong)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dean06.quality.engine import ExpressionError, validate_expression
from dean06.quality.models import (
    RULE_CODE_VALIDATOR,
    Importance,
    MissingStrategy,
    RuleScope,
    Severity,
    ValidationRule,
)
from dean06.quality.services import SERVICE_RULE_NAMES, allowed_names
from dean06.web.forms_kpis import MonthField

OPERATORS = ("<=", "<", "==", "!=", ">=", ">", "approx")
# The findings waiting for the secretariat, and those the unit still has to handle.
WAITING = "cho"
OPEN = "open"


class FindingsFilterForm(forms.Form):
    ky = MonthField(label="Kỳ (tháng)", required=False)
    trang_thai = forms.ChoiceField(label="Xử lý", required=False)

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trang_thai"].choices = [("", "Tất cả"), *statuses]  # type: ignore[attr-defined]

    def month(self) -> tuple[int, int] | None:
        self.is_valid()
        return None if "ky" in self.errors else self.cleaned_data.get("ky")

    def status(self, default: str) -> str:
        """The status picked; absent or unknown → `default`, explicitly empty → all."""
        if self.data.get("trang_thai") is None:
            return default
        self.is_valid()
        if "trang_thai" in self.errors:
            return default
        return str(self.cleaned_data.get("trang_thai") or "")


class RunRulesForm(forms.Form):
    ky = MonthField(
        label="Chạy kiểm tra cho kỳ",
        error_messages={"required": "Chọn kỳ (tháng) cần chạy kiểm tra."},
    )


class FindingDecisionForm(forms.Form):
    """A unit's explanation, or the secretariat's reason to accept or to return. Whether the text
    may be empty depends on the decision; the service says so."""

    text = forms.CharField(label="Nội dung", required=False, max_length=2000)


class DecimalCommaField(forms.CharField):
    """A number typed the Vietnamese way (0,5) or the English way (0.5)."""

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(self.message, code="invalid") from exc


class RuleForm(forms.Form):
    """A validation rule. A built-in rule written in Python (no expression) shows only what may
    change on it; a new rule also asks its code and scope."""

    code = forms.CharField(
        label="Mã quy tắc",
        help_text="Chữ thường không dấu, số, dấu chấm, gạch ngang và gạch dưới.",
        max_length=64,
        validators=[RULE_CODE_VALIDATOR],
        error_messages={"required": "Cần nhập mã quy tắc."},
    )
    scope = forms.ChoiceField(label="Áp dụng cho", choices=RuleScope.choices)
    name = forms.CharField(
        label="Tên quy tắc", max_length=255, error_messages={"required": "Cần nhập tên quy tắc."}
    )
    factor = DecimalCommaField(
        label="Hệ số (bất thường khi gấp hơn ... lần hoặc nhỏ hơn 1/... kỳ trước)",
        required=False,
        message="Hệ số phải là một số.",
    )
    left = forms.CharField(label="Vế trái", max_length=500, required=False)
    operator = forms.ChoiceField(
        label="Phép so sánh", choices=[(op, op) for op in OPERATORS], required=False
    )
    right = forms.CharField(label="Vế phải", max_length=500, required=False)
    tolerance = DecimalCommaField(
        label="Sai số cho phép (với phép approx)",
        required=False,
        message="Sai số cho phép phải là một số.",
    )
    missing = forms.ChoiceField(
        label="Khi thiếu giá trị", choices=MissingStrategy.choices, required=False
    )
    severity = forms.ChoiceField(label="Mức độ", choices=Severity.choices, required=False)
    importance = forms.ChoiceField(
        label="Tầm quan trọng", choices=Importance.choices, required=False
    )
    message = forms.CharField(
        label="Thông báo (tiếng Việt; có thể dùng {left}, {right}, tên trường trong ngoặc nhọn)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần nhập thông báo."},
    )
    active = forms.BooleanField(label="Đang áp dụng", required=False)

    def __init__(self, *args: Any, rule: ValidationRule | None = None, **kwargs: Any) -> None:
        if rule is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": rule.name,
                "left": rule.left,
                "operator": rule.operator,
                "right": rule.right,
                "tolerance": rule.tolerance,
                "missing": rule.missing,
                "severity": rule.severity,
                "importance": rule.importance,
                "message": rule.message,
                "active": rule.active,
                "factor": (rule.params or {}).get("factor"),
            }
        elif rule is None and "initial" not in kwargs:
            kwargs["initial"] = {
                "active": True,
                "importance": Importance.MEDIUM,
                "scope": RuleScope.SERVICE_STAT,
            }
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.special = bool(rule and rule.builtin and not rule.left and not rule.right)
        if rule is not None:
            del self.fields["code"], self.fields["scope"]
        if self.special:
            for name in ("left", "operator", "right", "tolerance", "missing"):
                del self.fields[name]
            if not (rule and (rule.params or {}).get("factor")):
                del self.fields["factor"]
        else:
            del self.fields["factor"]

    def scope_value(self) -> str:
        if self.rule is not None:
            return self.rule.scope
        picked = self.data.get("scope") if self.is_bound else None
        return picked if picked in RuleScope.values else str(RuleScope.SERVICE_STAT)

    def names(self) -> tuple[str, ...]:
        """The names an expression of this rule may use."""
        return allowed_names(self.scope_value()) or SERVICE_RULE_NAMES

    def _expression(self, name: str) -> str:
        text = (self.cleaned_data.get(name) or "").strip()
        if text:
            try:
                validate_expression(text, allowed_names(self.scope_value()))
            except ExpressionError as exc:
                raise ValidationError(str(exc), code="expression") from exc
        return text

    def clean_left(self) -> str:
        return self._expression("left")

    def clean_right(self) -> str:
        return self._expression("right")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not self.special:
            for name, message in (
                ("left", "Cần nhập vế trái."),
                ("operator", "Chọn phép so sánh."),
                ("right", "Cần nhập vế phải."),
            ):
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        return data

    def to_data(self) -> dict[str, Any]:
        """The values the rule services take."""
        data = self.cleaned_data
        out: dict[str, Any] = {
            "name": data["name"].strip(),
            "severity": data.get("severity") or Severity.ERROR,
            "importance": data.get("importance") or Importance.MEDIUM,
            "message": data["message"].strip(),
            "active": bool(data.get("active")),
        }
        if not self.special:
            out.update(
                left=data["left"],
                operator=data["operator"],
                right=data["right"],
                tolerance=data.get("tolerance") or Decimal(0),
                missing=data.get("missing") or MissingStrategy.SKIP_IF_ANY,
            )
        if data.get("factor") is not None:
            out["params"] = {"factor": float(data["factor"])}
        if self.rule is None:
            out["code"] = data["code"].strip()
            out["scope"] = data["scope"]
        return out
