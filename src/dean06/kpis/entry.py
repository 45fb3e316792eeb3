"""Checking the service figures a unit enters (grid or XLSX upload) before anything is saved
(pure: rules come in as `RuleDef`s, the previous period as plain numbers).

Every problem is an `Issue` tied to a service row and the cells it concerns. Errors block the
save; warnings block it until someone accepts them with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dean06.ingest.report import parse_vn_number
from dean06.kpis.shares import online_share
from dean06.quality.builtin import check_outliers
from dean06.quality.engine import RuleDef, compile_expression, evaluate

# The counts a unit enters, in grid order.
COUNT_FIELDS: tuple[str, ...] = (
    "online_citizens",
    "online_businesses",
    "total_received",
    "on_time",
    "overdue",
    "staff_total",
    "staff_province",
    "staff_district",
    "staff_commune",
)
FIELD_LABELS: dict[str, str] = {
    "online_citizens": "Trực tuyến — công dân",
    "online_businesses": "Trực tuyến — doanh nghiệp",
    "total_received": "Tổng số tiếp nhận",
    "on_time": "Giải quyết đúng hạn",
    "overdue": "Giải quyết quá hạn",
    "staff_total": "Nhân lực — tổng số",
    "staff_province": "Nhân lực — tỉnh",
    "staff_district": "Nhân lực — huyện",
    "staff_commune": "Nhân lực — xã",
}
# The model calls it total_received; rules (and reports) call it total.
TO_RULE_NAME: dict[str, str] = {"total_received": "total"}
FROM_RULE_NAME: dict[str, str] = {v: k for k, v in TO_RULE_NAME.items()}
# Names an administrator's expression may use for service figures.
RULE_FIELD_NAMES: tuple[str, ...] = (
    *(TO_RULE_NAME.get(f, f) for f in COUNT_FIELDS),
    "share_reported",
    "share_decimals",
)
OUTLIER_FIELDS: tuple[str, ...] = ("online_citizens", "online_businesses", "total")
PARSE_RULE = "svc.non_negative_int"
TOTAL_REQUIRED_RULE = "entry.total_required"
OUTLIER_RULE = "svc.outlier"
# Counts are whole numbers; "6.635" is how Vietnamese spreadsheets print 6635.
# The largest count a PositiveIntegerField holds on every database (PostgreSQL's integer); a
# larger one would fail at save, after every check had passed.
MAX_COUNT = 2_147_483_647
TOO_LARGE = "Số quá lớn (tối đa 2.147.483.647)."

Values = dict[str, int | None]


def parse_count(raw: object) -> tuple[int | None, str | None]:
    """A cell as typed → (value, None) or (None, Vietnamese error). Blank → (None, None)."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return None, "Phải là số nguyên không âm."
    if isinstance(raw, int):
        if raw < 0:
            return None, "Không được là số âm."
        if raw > MAX_COUNT:
            return None, TOO_LARGE
        return raw, None
    if isinstance(raw, float | Decimal):
        finite = raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)
        if not finite:
            return None, "Không phải là số."
        # Both before int(): Decimal("1E+999999999") or "-1E+999999" would take minutes.
        if raw > MAX_COUNT:
            return None, TOO_LARGE
        if raw < 0:
            return None, "Không được là số âm."
        if raw != int(raw):
            return None, "Phải là số nguyên (không có phần thập phân)."
        return parse_count(int(raw))
    text = str(raw).strip()
    if not text:
        return None, None
    value = None if text.endswith("%") else parse_vn_number(text)
    if value is None:
        return None, f"«{text[:30]}» không phải là số."
    if isinstance(value, float):
        return None, "Phải là số nguyên (không có phần thập phân)."
    return parse_count(value)


@dataclass(frozen=True)
class Issue:
    """A problem with one row: which rule, how serious, the message and the cells concerned."""

    service_code: str
    rule: str
    severity: str
    message: str
    fields: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable across submissions, so a reason given for a warning stays attached to it."""
        return f"{self.rule}:{self.service_code}:{'+'.join(self.fields)}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class RowResult:
    service_code: str
    values: Values
    share: Decimal | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return all(v is None for v in self.values.values())

    def cell_issues(self, name: str) -> list[Issue]:
        return [i for i in self.issues if name in i.fields]


@dataclass
class BatchResult:
    rows: list[RowResult]

    @property
    def issues(self) -> list[Issue]:
        return [i for r in self.rows for i in r.issues]

    def blocking(self, accepted: Mapping[str, str]) -> list[Issue]:
        """Errors, and warnings nobody accepted with a (non-blank) reason."""
        return [i for i in self.issues if i.is_error or not (accepted.get(i.key) or "").strip()]

    def can_save(self, accepted: Mapping[str, str]) -> bool:
        return not self.blocking(accepted)

    def row(self, code: str) -> RowResult | None:
        return next((r for r in self.rows if r.service_code == code), None)


def rule_record(
    values: Mapping[str, int | None], share_reported: Decimal | float | None = None
) -> dict[str, float | None]:
    """A row's counts under the names rules use; a blank online part is 0 when the other one
    is given (otherwise "online ≤ total" would be skipped for a row missing businesses)."""
    record: dict[str, float | None] = {
        TO_RULE_NAME.get(k, k): None if values.get(k) is None else float(values[k] or 0)
        for k in COUNT_FIELDS
    }
    if (record["online_citizens"] is None) != (record["online_businesses"] is None):
        record["online_citizens"] = record["online_citizens"] or 0.0
        record["online_businesses"] = record["online_businesses"] or 0.0
    # A typed share is only ever compared: stored with two decimals, as reports print it.
    record["share_reported"] = None if share_reported is None else float(share_reported)
    record["share_decimals"] = None if share_reported is None else 2.0
    return record


def _fields_of(rule: RuleDef) -> tuple[str, ...]:
    names: set[str] = set()
    for text in (rule.left, rule.right):
        if text:
            names |= compile_expression(text).names
    mapped = {FROM_RULE_NAME.get(n, n) for n in names}
    return tuple(f for f in COUNT_FIELDS if f in mapped)


def check_values(
    code: str,
    values: Mapping[str, int | None],
    rules: Sequence[RuleDef],
    previous: Mapping[str, int | None] | None = None,
    *,
    name: str = "",
    share_reported: Decimal | float | None = None,
) -> list[Issue]:
    """The rules' verdict on one row of parsed counts (and the share a report printed)."""
    issues: list[Issue] = []
    has_online = values.get("online_citizens") is not None or (
        values.get("online_businesses") is not None
    )
    if has_online and values.get("total_received") is None:
        issues.append(
            Issue(
                code,
                TOTAL_REQUIRED_RULE,
                "error",
                "Cần nhập tổng số tiếp nhận khi đã nhập số hồ sơ trực tuyến.",
                ("total_received",),
            )
        )
    record = rule_record(values, share_reported)
    for rule in rules:
        if not rule.active or rule.scope != "service":
            continue
        if rule.kind == "expression":
            finding = evaluate(rule, record, ref=name or code, context={"name": name})
            if finding is not None:
                issues.append(
                    Issue(code, rule.code, rule.severity, finding.message, _fields_of(rule))
                )
        elif rule.code == OUTLIER_RULE and previous:
            before = rule_record(previous)
            for f in check_outliers(rule, record, before, fields=OUTLIER_FIELDS, ref=name or code):
                column = FROM_RULE_NAME.get(f.column or "", f.column or "")
                label = FIELD_LABELS.get(column, column)
                message = f.message.replace(f"«{f.column}»", f"«{label}»")
                issues.append(Issue(code, rule.code, f.severity, message, (column,)))
    return issues


def check_rows(
    rows: Sequence[tuple[str, Mapping[str, object]]],
    rules: Sequence[RuleDef],
    previous: Mapping[str, Mapping[str, int | None]] | None = None,
    *,
    names: Mapping[str, str] | None = None,
) -> BatchResult:
    """Parse and check a batch: `rows` pairs a service code with its cells as typed."""
    results: list[RowResult] = []
    for code, cells in rows:
        values: Values = {}
        issues: list[Issue] = []
        for name in COUNT_FIELDS:
            value, error = parse_count(cells.get(name))
            values[name] = value
            if error:
                message = f"{FIELD_LABELS[name]}: {error}"
                issues.append(Issue(code, PARSE_RULE, "error", message, (name,)))
        row = RowResult(code, values, issues=issues)
        if not row.is_blank and not issues:
            row.issues.extend(
                check_values(
                    code,
                    values,
                    rules,
                    (previous or {}).get(code),
                    name=(names or {}).get(code, ""),
                )
            )
        row.share = online_share(
            values["online_citizens"], values["online_businesses"], values["total_received"]
        )
        results.append(row)
    return BatchResult(results)
