"""The built-in data-quality rules: expression rules as plain data, and the special checks that
no expression can say (counts are integers, the total row, outliers, the units' parts against the
province's total, document dates and types).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from dean06.ingest.text import nfc, unaccent
from dean06.quality.engine import Finding, RuleDef, format_message

# The field names an expression rule may use, per scope (for validate_expression(names=...) in
# the admin screen). Service fields are those of ReportService.figures().
FIELDS_BY_SCOPE: dict[str, tuple[str, ...]] = {
    "service": (
        "online_citizens",
        "online_businesses",
        "total",
        "share_reported",
        "share_decimals",
        "on_time",
        "overdue",
        "staff_total",
    ),
    "document": ("year", "month", "day", "date_ordinal"),
    "task": (),
}

# --- the rules ---------------------------------------------------------------------------------

ONLINE_LE_TOTAL = RuleDef(
    code="svc.online_le_total",
    name="Nộp trực tuyến không vượt tổng số tiếp nhận",
    left="online_citizens + online_businesses",
    operator="<=",
    right="total",
    severity="error",
    importance="high",
    scope="service",
    message="Số hồ sơ nộp trực tuyến ({online_citizens} + {online_businesses} = {left}) lớn hơn "
    "tổng số tiếp nhận ({right}).",
)

SHARE_MATCHES = RuleDef(
    code="svc.share_matches",
    name="Tỷ lệ tiếp nhận trực tuyến khớp với số liệu",
    left="share_reported",
    operator="approx",
    # Rounded to the decimals the report printed, so that a share right after rounding passes.
    right="round(share(online_citizens + online_businesses, total), share_decimals)",
    tolerance=0.01,
    severity="error",
    importance="high",
    scope="service",
    message="Tỷ lệ tiếp nhận trực tuyến ghi {left}% nhưng tính từ số liệu là {right}% "
    "(({online_citizens} + {online_businesses}) / {total}).",
)

RESOLVED_LE_TOTAL = RuleDef(
    code="svc.resolved_le_total",
    name="Hồ sơ giải quyết không vượt tổng số tiếp nhận",
    left="on_time + overdue",
    operator="<=",
    right="total",
    severity="error",
    importance="medium",
    scope="service",
    message="Số hồ sơ giải quyết đúng hạn và quá hạn ({on_time} + {overdue} = {left}) lớn hơn "
    "tổng số tiếp nhận ({right}).",
)

NON_NEGATIVE_INT = RuleDef(
    code="svc.non_negative_int",
    kind="special",
    name="Số lượng là số nguyên không âm",
    severity="error",
    importance="high",
    scope="service",
    message="Cột «{column}» phải là số nguyên không âm nhưng ghi «{raw}».",
)

TOTAL_ROW_SUM = RuleDef(
    code="svc.total_row_sum",
    kind="special",
    name="Dòng tổng bằng tổng các dòng",
    severity="error",
    importance="high",
    scope="service",
    message="Dòng tổng, cột «{column}»: ghi {left} nhưng cộng các dòng được {right} "
    "(chênh {diff}).",
)

OUTLIER = RuleDef(
    code="svc.outlier",
    kind="special",
    name="Biến động bất thường so với kỳ trước",
    severity="warning",
    importance="medium",
    scope="service",
    params={"factor": 3.0},
    message="Cột «{column}»: kỳ này {left}, kỳ trước {right} (gấp {ratio} lần) — đề nghị kiểm tra.",
)

PARTS_MATCH_TOTAL = RuleDef(
    code="svc.parts_match_total",
    kind="special",
    name="Số liệu các đơn vị cộng lại khớp với tổng của tỉnh",
    severity="warning",
    importance="high",
    scope="service",
    message="{service}, cột «{column}»: tổng của tỉnh là {left} nhưng cộng số liệu của {units} "
    "đơn vị được {right} (lệch {diff}).",
)

DOC_DATE_COMPLETE = RuleDef(
    code="doc.date_complete",
    kind="special",
    name="Ngày văn bản đầy đủ",
    severity="error",
    importance="medium",
    scope="document",
    message="Văn bản {number}: ngày «{date_raw}» không đầy đủ (cần ngày/tháng/năm, năm 4 chữ số).",
)

DOC_DATE_PLAUSIBLE = RuleDef(
    code="doc.date_plausible",
    kind="special",
    name="Ngày văn bản hợp lý",
    severity="warning",
    importance="medium",
    scope="document",
    message="Văn bản {number}: ngày {date} nằm ngoài khoảng hợp lý ({earliest} – {latest}).",
)

DOC_TYPE_MATCHES_SYMBOL = RuleDef(
    code="doc.type_matches_symbol",
    kind="special",
    name="Loại văn bản khớp với ký hiệu",
    severity="error",
    importance="medium",
    scope="document",
    message="Văn bản {number} ghi loại «{type}» nhưng ký hiệu «{symbol}» là {expected}.",
)

BUILTIN_RULES: tuple[RuleDef, ...] = (
    ONLINE_LE_TOTAL,
    SHARE_MATCHES,
    RESOLVED_LE_TOTAL,
    NON_NEGATIVE_INT,
    TOTAL_ROW_SUM,
    OUTLIER,
    PARTS_MATCH_TOTAL,
    DOC_DATE_COMPLETE,
    DOC_DATE_PLAUSIBLE,
    DOC_TYPE_MATCHES_SYMBOL,
)
SPECIAL_CODES: frozenset[str] = frozenset(r.code for r in BUILTIN_RULES if r.kind == "special")


def builtin_rule(code: str) -> RuleDef:
    """The built-in rule with this code (KeyError if none)."""
    for rule in BUILTIN_RULES:
        if rule.code == code:
            return rule
    raise KeyError(code)


# --- special checks ----------------------------------------------------------------------------


def _finding(rule: RuleDef, ref: str, values: Mapping[str, object], **kw: object) -> Finding:
    left = values.get("left")
    right = values.get("right")
    return Finding(
        rule=rule.code,
        severity=rule.severity,
        message=format_message(rule.message, {**values, "ref": ref}),
        ref=ref,
        left=float(left) if isinstance(left, int | float) else None,
        right=float(right) if isinstance(right, int | float) else None,
        column=str(kw["column"]) if kw.get("column") else None,
        importance=rule.importance,
        scope=rule.scope,
    )


def check_non_negative_integers(
    rule: RuleDef,
    values: Mapping[str, float | int | None],
    *,
    raw: Mapping[str, str] | None = None,
    fields: Sequence[str],
    labels: Mapping[str, str] | None = None,
    ref: str = "",
) -> list[Finding]:
    """One finding per count that is negative, has decimals, or is printed but not a number."""
    out = []
    for name in fields:
        value = values.get(name)
        printed = (raw or {}).get(name, "")
        bad = (value is None and printed.strip() != "") or (
            value is not None and (value < 0 or float(value) != int(value))
        )
        if bad:
            column = (labels or {}).get(name, name)
            out.append(
                _finding(
                    rule,
                    ref,
                    {"column": column, "raw": printed or value, "left": value},
                    column=name,
                )
            )
    return out


def check_total_row(
    rule: RuleDef,
    rows: Sequence[Mapping[str, float | int | None]],
    total: Mapping[str, float | int | None],
    *,
    fields: Sequence[str],
    labels: Mapping[str, str] | None = None,
    ref: str = "Tổng số",
) -> list[Finding]:
    """One finding per column whose total differs from the sum of the rows.

    A column is skipped when the total row leaves it empty or no row fills it; empty cells of
    the rows count as 0 (that is how these tables are summed by hand).
    """
    out = []
    for name in fields:
        printed = total.get(name)
        present = [r.get(name) for r in rows if r.get(name) is not None]
        if printed is None or not present:
            continue
        computed = sum(float(v) for v in present if v is not None)
        if abs(float(printed) - computed) > 1e-6:
            column = (labels or {}).get(name, name)
            values = {"column": column, "left": printed, "right": computed}
            values["diff"] = float(printed) - computed
            out.append(_finding(rule, ref, values, column=name))
    return out


def check_outliers(
    rule: RuleDef,
    current: Mapping[str, float | int | None],
    previous: Mapping[str, float | int | None],
    *,
    fields: Sequence[str],
    labels: Mapping[str, str] | None = None,
    ref: str = "",
) -> list[Finding]:
    """A warning per figure more than `factor` (3) times, or less than 1/factor of, the previous.

    Needs a previous value above 0: a ratio to nothing says nothing.
    """
    factor = float(rule.params.get("factor", 3.0))
    out = []
    for name in fields:
        now, before = current.get(name), previous.get(name)
        if now is None or before is None or before <= 0:
            continue
        ratio = float(now) / float(before)
        if ratio > factor or ratio < 1 / factor:
            column = (labels or {}).get(name, name)
            values = {"column": column, "left": now, "right": before, "ratio": round(ratio, 2)}
            out.append(_finding(rule, ref, values, column=name))
    return out


def parts_disagreement(
    total: Mapping[str, float | int | None],
    parts: Mapping[str, float | int | None],
    *,
    complete: bool,
    fields: Sequence[str],
) -> list[tuple[str, float, float]]:
    """The columns where the units' parts do not add up to the province's total: (column,
    total, parts). Parts above the total are wrong however many units are still to report (a
    missing part can only add to them); parts below it are wrong only once every unit expected
    to report has reported (`complete`): until then they are incomplete, not wrong. A column
    empty on either side is not compared."""
    out = []
    for name in fields:
        left, right = total.get(name), parts.get(name)
        if left is None or right is None:
            continue
        if float(right) > float(left) or (complete and float(right) < float(left)):
            out.append((name, float(left), float(right)))
    return out


def check_parts_total(
    rule: RuleDef,
    *,
    total: Mapping[str, float | int | None],
    parts: Mapping[str, float | int | None],
    complete: bool,
    fields: Sequence[str],
    labels: Mapping[str, str] | None = None,
    service: str = "",
    units: int = 0,
    ref: str = "",
) -> list[Finding]:
    """One finding per column where the parts entered by the units do not add up to the
    province's total of the same service and period (see `parts_disagreement`)."""
    out = []
    for name, left, right in parts_disagreement(total, parts, complete=complete, fields=fields):
        values = {
            "service": service or ref,
            "column": (labels or {}).get(name, name),
            "left": left,
            "right": right,
            "diff": abs(left - right),
            "units": units,
        }
        out.append(_finding(rule, ref or service, values, column=name))
    return out


def check_document_date_complete(
    rule: RuleDef, *, date_raw: str, date: dt.date | None, number: str = "", ref: str = ""
) -> list[Finding]:
    """A finding when the printed date is not a whole day/month/4-digit year ("24/06/202")."""
    if date is not None:
        return []
    values = {"date_raw": date_raw, "number": number or ref}
    return [_finding(rule, ref, values, column="date")]


def check_document_date_plausible(
    rule: RuleDef,
    *,
    date: dt.date | None,
    earliest: dt.date | None,
    latest: dt.date | None,
    number: str = "",
    ref: str = "",
) -> list[Finding]:
    """A finding when a complete date falls outside [earliest, latest] (plan year − 1 .. report)."""
    if date is None or (earliest is None and latest is None):
        return []
    if (earliest is None or date >= earliest) and (latest is None or date <= latest):
        return []
    values = {
        "number": number or ref,
        "date": date.strftime("%d/%m/%Y"),
        "earliest": earliest.strftime("%d/%m/%Y") if earliest else "…",
        "latest": latest.strftime("%d/%m/%Y") if latest else "…",
    }
    return [_finding(rule, ref, values, column="date")]


# The type a number's symbol names (Decree 30/2020/NĐ-CP, appendix III). A number whose symbol
# names no type (3240/UBND-KGVX) is a công văn. KHPH/KHLT are joint plans (kế hoạch phối hợp,
# liên tịch): still plans.
DOCUMENT_TYPE_SYMBOLS: dict[str, str] = {
    "KH": "Kế hoạch",
    "KHPH": "Kế hoạch",
    "KHLT": "Kế hoạch",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "CT": "Chỉ thị",
    "NQ": "Nghị quyết",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "QC": "Quy chế",
    "KL": "Kết luận",
    "GM": "Giấy mời",
}
NO_SYMBOL_TYPE = "Công văn"


def _key(text: str) -> str:
    return unaccent(nfc(text)).strip()


_TYPE_BY_KEY = {_key(k): v for k, v in DOCUMENT_TYPE_SYMBOLS.items()}
# Printed types are sometimes abbreviated ("CV", "QĐ").
_PRINTED_TYPE = {**{_key(v): v for v in DOCUMENT_TYPE_SYMBOLS.values()}, **_TYPE_BY_KEY}


def type_symbol(number: str) -> str | None:
    """The symbol's first segment ("41/KH-UBND" → "KH", "3240/UBND-KGVX" → "UBND"), if any."""
    if "/" not in number:
        return None
    tail = re.sub(r"\s+", "", number.split("/", 1)[1])
    first = tail.split("-", 1)[0]
    return first or None


def expected_document_type(number: str) -> str | None:
    """The type a number's symbol names ("41/KH-UBND" → "Kế hoạch"); None without a symbol."""
    symbol = type_symbol(number)
    if symbol is None:
        return None
    return _TYPE_BY_KEY.get(_key(symbol), NO_SYMBOL_TYPE)


def check_document_type(
    rule: RuleDef, *, number: str, doc_type: str, ref: str = ""
) -> list[Finding]:
    """A finding when the printed type contradicts the symbol in the number."""
    expected = expected_document_type(number)
    printed = _PRINTED_TYPE.get(_key(doc_type))
    if expected is None or printed is None or _key(printed) == _key(expected):
        return []
    symbol = type_symbol(number) or ""
    expected_text = expected.lower()
    if _key(symbol) not in _TYPE_BY_KEY:
        expected_text += " (không mang ký hiệu loại văn bản)"
    values = {"number": number, "type": doc_type, "symbol": symbol, "expected": expected_text}
    return [_finding(rule, ref or number, values, column="type")]


__all__ = [
    "BUILTIN_RULES",
    "DOCUMENT_TYPE_SYMBOLS",
    "FIELDS_BY_SCOPE",
    "SPECIAL_CODES",
    "builtin_rule",
    "check_document_date_complete",
    "check_document_date_plausible",
    "check_document_type",
    "check_non_negative_integers",
    "check_outliers",
    "check_parts_total",
    "check_total_row",
    "expected_document_type",
    "parts_disagreement",
    "type_symbol",
]
