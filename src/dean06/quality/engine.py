"""Data-quality rule engine in the spirit of DHIS2 validation rules: left expression, operator,
right expression over the named fields of a record, evaluated safely (pure Python, no Django).
"""

from __future__ import annotations

import ast
import math
import operator as op
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

Operator = Literal["==", "!=", "<", "<=", ">", ">=", "approx"]
Severity = Literal["error", "warning"]
Importance = Literal["high", "medium", "low"]
Scope = Literal["service", "document", "task"]
# DHIS2's missing value strategies: skip the rule when any (or all) of its values are missing,
# or never skip (missing values count as 0).
MissingStrategy = Literal["skip_if_any_missing", "skip_if_all_missing", "never_skip"]
RuleKind = Literal["expression", "special"]

OPERATORS: tuple[str, ...] = ("==", "!=", "<", "<=", ">", ">=", "approx")
SEVERITIES: tuple[str, ...] = ("error", "warning")
MAX_EXPRESSION_LENGTH = 500
# Floats printed with two decimals compare within this much on top of the rule's tolerance.
_EPSILON = 1e-9


class ExpressionError(ValueError):
    """An expression the engine refuses; the message is Vietnamese, for the admin screen."""


_SCOPE_ALIASES: dict[str, str] = {"service_stat": "service", "progress": "task"}


@dataclass(frozen=True)
class RuleDef:
    """A data-quality rule as plain data (the Django model that stores rules maps onto it).

    `kind="expression"`: `left operator right` over the fields of one record of `scope`.
    `kind="special"`: a check written in Python (see `dean06.quality.builtin.SPECIAL_CHECKS`),
    found by `code`; `left`/`right` are unused and `params` tunes it (e.g. {"factor": 3}).
    """

    code: str
    left: str = ""
    operator: Operator = "=="
    right: str = ""
    severity: Severity = "error"
    message: str = ""
    importance: Importance = "medium"
    scope: Scope = "service"
    tolerance: float = 0.0
    missing: MissingStrategy = "skip_if_any_missing"
    kind: RuleKind = "expression"
    name: str = ""
    params: Mapping[str, float] = field(default_factory=dict)
    active: bool = True

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["params"] = dict(self.params)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleDef:
        """Build a rule from stored data, checking its operator, severity and expressions.

        Accepts the storage's spellings: scope "service_stat"/"progress", a Decimal tolerance,
        an empty operator; with no `kind`, a rule with neither side is a special one.
        """
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        scope = values.get("scope") or "service"
        values["scope"] = _SCOPE_ALIASES.get(scope, scope)
        if values.get("tolerance") is not None:
            values["tolerance"] = float(values["tolerance"])
        if not values.get("operator"):
            values["operator"] = "=="
        if "kind" not in values:
            no_sides = not values.get("left") and not values.get("right")
            values["kind"] = "special" if no_sides else "expression"
        if values.get("params") is None:
            values.pop("params", None)
        rule = cls(**values)
        validate_rule(rule)
        return rule


@dataclass
class Finding:
    """A rule broken by a record: which rule, how serious, the message, and the values compared."""

    rule: str
    severity: Severity
    message: str
    ref: str = ""
    left: float | None = None
    right: float | None = None
    column: str | None = None
    importance: Importance = "medium"
    scope: Scope = "service"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- expressions ---------------------------------------------------------------------------------

Value = float | None
Collection = set[str] | frozenset[str] | list[str] | tuple[str, ...] | Mapping[str, Any]


def _share(a: Value, b: Value) -> Value:
    """a / b × 100; None when b is 0 (no share of nothing)."""
    if a is None or b is None or b == 0:
        return None
    return a / b * 100


def _round(x: Value, digits: Value = 0) -> Value:
    if x is None or digits is None or not math.isfinite(digits):
        return None
    return float(round(x, int(digits)))


def _abs(x: Value) -> Value:
    return None if x is None else abs(x)


def _min(*xs: Value) -> Value:
    return None if any(x is None for x in xs) else min(cast(list[float], list(xs)))


def _max(*xs: Value) -> Value:
    return None if any(x is None for x in xs) else max(cast(list[float], list(xs)))


def _coalesce(*xs: Value) -> Value:
    return next((x for x in xs if x is not None), None)


FUNCTIONS: dict[str, tuple[Callable[..., Value], int, int]] = {
    # name: (function, min args, max args)
    "share": (_share, 2, 2),
    "round": (_round, 1, 2),
    "abs": (_abs, 1, 1),
    "min": (_min, 1, 10),
    "max": (_max, 1, 10),
    "coalesce": (_coalesce, 1, 10),
}

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: op.add,
    ast.Sub: op.sub,
    ast.Mult: op.mul,
    ast.Div: op.truediv,
}


def validate_expression(text: str, names: Collection | None = None) -> frozenset[str]:
    """Check an expression and return the field names it uses.

    Allowed: field names, numbers, + - * /, parentheses and the functions of FUNCTIONS. Anything
    else (attributes, subscripts, calls of other names, strings, `**`...) raises ExpressionError
    with a Vietnamese message. With `names`, field names outside it are refused too.
    """
    tree = _parse(text)
    used: set[str] = set()
    try:
        _check_node(tree.body, used)
    except RecursionError as exc:
        raise ExpressionError("Biểu thức lồng nhau quá sâu.") from exc
    if names is not None:
        unknown = sorted(used - set(names))
        if unknown:
            raise ExpressionError(
                f"Biểu thức dùng trường không có: {', '.join(unknown)}. "
                f"Các trường dùng được: {', '.join(sorted(names))}."
            )
    return frozenset(used)


def _parse(text: str) -> ast.Expression:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("Biểu thức trống.")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"Biểu thức quá dài (tối đa {MAX_EXPRESSION_LENGTH} ký tự).")
    try:
        return ast.parse(text.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"Biểu thức sai cú pháp: {text!r} .") from exc


def _check_node(node: ast.AST, used: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"Chỉ được dùng số, không dùng giá trị {node.value!r}.")
        # 1e999 is infinite to Python and 10**400 written out has no float: no figure compares.
        if not _finite(node.value):
            raise ExpressionError("Số trong biểu thức quá lớn.")
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ExpressionError(f"Tên trường không hợp lệ: {node.id}.")
        used.add(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise ExpressionError("Chỉ được dùng các phép tính + - * / và dấu ngoặc.")
        _check_node(node.left, used)
        _check_node(node.right, used)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise ExpressionError("Chỉ được dùng các phép tính + - * / và dấu ngoặc.")
        _check_node(node.operand, used)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            allowed = ", ".join(f"{n}()" for n in FUNCTIONS)
            raise ExpressionError(f"Chỉ được gọi các hàm: {allowed}.")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"Hàm {node.func.id}() chỉ nhận đối số theo vị trí.")
        _fn, low, high = FUNCTIONS[node.func.id]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} đến {high}"
            raise ExpressionError(f"Hàm {node.func.id}() cần {count} đối số.")
        for arg in node.args:
            _check_node(arg, used)
    else:
        raise ExpressionError(
            f"Biểu thức có thành phần không được phép ({type(node).__name__}); chỉ dùng tên "
            "trường, số, + - * /, dấu ngoặc và các hàm share(), round(), abs(), min(), max(), "
            "coalesce()."
        )


def _finite(number: float) -> bool:
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


@dataclass(frozen=True)
class Expression:
    """A checked expression, ready to evaluate many times."""

    text: str
    names: frozenset[str]
    tree: ast.Expression

    @classmethod
    def compile(cls, text: str) -> Expression:
        names = validate_expression(text)
        return cls(text=text, names=names, tree=_parse(text))

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        """The value; None when a value it needs is missing or a division is by zero."""
        return _eval(self.tree.body, values)


def _eval(node: ast.AST, values: Mapping[str, Value]) -> Value:
    # Only the node types _check_node admits ever reach here.
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        value = values.get(node.id)
        return None if value is None else float(value)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        if operand is None:
            return None
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div) and right == 0:
            return None
        result = _BINARY[type(node.op)](left, right)
        return result if math.isfinite(result) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        fn = FUNCTIONS[node.func.id][0]
        value = fn(*(_eval(a, values) for a in node.args))
        # share(1e308, 1e-300) overflows to infinity: not a value, as with + - * /.
        return value if value is None or math.isfinite(value) else None
    raise ExpressionError(f"Thành phần không được phép: {type(node).__name__}.")


_CACHE: dict[str, Expression] = {}


def compile_expression(text: str) -> Expression:
    """Compile once per text (rules are evaluated over many records)."""
    expr = _CACHE.get(text)
    if expr is None:
        expr = Expression.compile(text)
        if len(_CACHE) < 1024:
            _CACHE[text] = expr
    return expr


# --- rules ------------------------------------------------------------------------------------


def validate_rule(rule: RuleDef) -> None:
    """Raise ExpressionError (a ValueError, Vietnamese message) for a rule that cannot run."""
    if rule.operator not in OPERATORS:
        raise ExpressionError(
            f"Toán tử không hợp lệ: {rule.operator!r}; dùng một trong {', '.join(OPERATORS)}."
        )
    if rule.severity not in SEVERITIES:
        raise ExpressionError(f"Mức độ không hợp lệ: {rule.severity!r}; dùng error hoặc warning.")
    if rule.tolerance < 0:
        raise ExpressionError("Dung sai phải là số không âm.")
    if rule.kind == "expression":
        validate_expression(rule.left)
        validate_expression(rule.right)


def compare(left: float, operator: Operator, right: float, tolerance: float = 0.0) -> bool:
    """Whether `left operator right` holds (approx: |left − right| ≤ tolerance)."""
    if operator == "approx":
        return abs(left - right) <= tolerance + _EPSILON
    if operator == "==":
        return abs(left - right) <= _EPSILON
    if operator == "!=":
        return abs(left - right) > _EPSILON
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right + _EPSILON
    if operator == ">":
        return left > right
    if operator == ">=":
        return left + _EPSILON >= right
    raise ExpressionError(f"Toán tử không hợp lệ: {operator!r}.")


def evaluate(
    rule: RuleDef,
    record: Mapping[str, float | int | None],
    *,
    ref: str = "",
    context: Mapping[str, object] | None = None,
) -> Finding | None:
    """A Finding when the record breaks the rule; None when it holds or is skipped.

    Skipped: a value the rule needs is missing (per `rule.missing`), or a side cannot be computed
    (a share of a total of 0). `context` adds placeholders for the message (e.g. the service name).
    """
    if rule.kind != "expression" or not rule.active:
        return None
    left_expr, right_expr = compile_expression(rule.left), compile_expression(rule.right)
    names = left_expr.names | right_expr.names
    values: dict[str, Value] = {
        k: None if v is None else float(v) for k, v in record.items() if k in names
    }
    missing = [n for n in names if values.get(n) is None]
    if missing:
        if rule.missing == "skip_if_any_missing":
            return None
        if rule.missing == "skip_if_all_missing" and len(missing) == len(names):
            return None
        values.update(dict.fromkeys(missing, 0.0))
    left, right = left_expr.evaluate(values), right_expr.evaluate(values)
    if left is None or right is None:
        return None
    if compare(left, rule.operator, right, rule.tolerance):
        return None
    placeholders: dict[str, object] = {**values, **(context or {})}
    placeholders.update(left=left, right=right, diff=left - right, ref=ref)
    placeholders.update(tolerance=rule.tolerance, operator=rule.operator)
    return Finding(
        rule=rule.code,
        severity=rule.severity,
        message=format_message(rule.message or _default_message(rule), placeholders),
        ref=ref,
        left=left,
        right=right,
        importance=rule.importance,
        scope=rule.scope,
    )


def _default_message(rule: RuleDef) -> str:
    """For a rule stored without a message: named as people know it, not by its code."""
    return f"Không thỏa quy tắc «{rule.name or 'kiểm tra số liệu'}» ({{left}} và {{right}})."


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def format_message(template: str, values: Mapping[str, object]) -> str:
    """Fill {name} placeholders; numbers the Vietnamese way ("45.902", "88,73").

    Not str.format: messages are edited by administrators, and str.format would let a template
    reach attributes ("{left.__class__}"). Unknown placeholders are left as written.
    """

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        return format_value(values[key])

    return _PLACEHOLDER.sub(fill, template)


def format_value(value: object) -> str:
    """45902 → "45.902"; 88.73 → "88,73"; 93.8999 → "93,90"; None → "(trống)"."""
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and abs(number) < 1e15:
            return f"{int(number):,}".replace(",", ".")
        text = f"{number:,.2f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(value)
