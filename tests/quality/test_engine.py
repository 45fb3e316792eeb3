"""Unit tests of the rule engine: expressions, operators, missing values, built-in rules."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.quality import builtin
from dean06.quality.engine import (
    ExpressionError,
    RuleDef,
    compare,
    evaluate,
    format_message,
    format_value,
    validate_expression,
    validate_rule,
)

# --- expressions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("total", {"total"}),
        ("online_citizens + online_businesses", {"online_citizens", "online_businesses"}),
        ("(on_time + overdue) * 2 - 1 / total", {"on_time", "overdue", "total"}),
        ("share(a, b)", {"a", "b"}),
        ("round(share(a + b, total), share_decimals)", {"a", "b", "total", "share_decimals"}),
        ("-x + 3.5", {"x"}),
        ("min(a, b, 3) + max(a, 1) + abs(c) + coalesce(d, 0)", {"a", "b", "c", "d"}),
    ],
)
def test_validate_expression_accepts_arithmetic_and_returns_the_names(text, names):
    assert validate_expression(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "__import__('os').system('echo pwned')",
        "().__class__.__bases__",
        "open('/etc/passwd')",
        "eval('1+1')",
        "a ** 2",
        "a % 2",
        "a // 2",
        "a if b else c",
        "a < b",
        "a and b",
        "[a, b]",
        "a[0]",
        "'text'",
        "True",
        "lambda: 1",
        "share(a)",
        "share(a, b, c)",
        "round(a, digits=2)",
        "share(*a)",
        "_private",
        "a +",
        "",
        "   ",
        "1" * 600,
        "(" * 300 + "a" + ")" * 300,
    ],
)
def test_validate_expression_rejects_anything_but_names_numbers_and_arithmetic(text):
    with pytest.raises(ValueError):
        validate_expression(text)


def test_expression_error_is_a_value_error_with_a_vietnamese_message():
    with pytest.raises(ExpressionError) as info:
        validate_expression("__import__('os')")
    assert isinstance(info.value, ValueError)
    assert "Chỉ được gọi các hàm" in str(info.value)
    with pytest.raises(ExpressionError, match="sai cú pháp"):
        validate_expression("a + ")


def test_validate_expression_refuses_unknown_fields_when_given_the_allowed_names():
    assert validate_expression("total", names={"total", "overdue"}) == {"total"}
    with pytest.raises(ExpressionError, match="trường không có: totl"):
        validate_expression("totl + 1", names={"total"})


def test_injection_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    rule = RuleDef(code="x", left=f"__import__('pathlib').Path('{marker}').touch()", right="1")
    with pytest.raises(ExpressionError):
        evaluate(rule, {})
    assert not marker.exists()


# --- operators -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "operator", "right", "holds"),
    [
        (1, "==", 1, True),
        (1, "==", 2, False),
        (1, "!=", 2, True),
        (2, "!=", 2, False),
        (1, "<", 2, True),
        (2, "<", 2, False),
        (2, "<=", 2, True),
        (3, "<=", 2, False),
        (3, ">", 2, True),
        (2, ">", 2, False),
        (2, ">=", 2, True),
        (1, ">=", 2, False),
        (88.73, "approx", 88.735, True),
        (88.73, "approx", 88.74, True),
        (88.73, "approx", 88.75, False),
        (0.1 + 0.2, "==", 0.3, True),
    ],
)
def test_compare_each_operator(left, operator, right, holds):
    assert compare(left, operator, right, tolerance=0.01) is holds


def test_rule_with_bad_operator_or_severity_is_refused():
    with pytest.raises(ExpressionError, match="Toán tử"):
        validate_rule(RuleDef(code="x", left="a", operator="=<", right="b"))  # type: ignore[arg-type]
    with pytest.raises(ExpressionError, match="Mức độ"):
        validate_rule(RuleDef(code="x", left="a", right="b", severity="fatal"))  # type: ignore[arg-type]
    with pytest.raises(ExpressionError):
        RuleDef.from_dict({"code": "x", "left": "a.b", "operator": "==", "right": "1"})


def test_rule_round_trips_through_a_dict():
    rule = builtin.SHARE_MATCHES
    assert RuleDef.from_dict(rule.to_dict()) == rule


# --- evaluate ------------------------------------------------------------------------------------

LE = RuleDef(
    code="t.le",
    left="a + b",
    operator="<=",
    right="total",
    severity="warning",
    message="{name}: {a} + {b} = {left} > {right}",
)


def test_evaluate_returns_a_finding_with_values_and_filled_message():
    finding = evaluate(LE, {"a": 1200, "b": 5, "total": 1000}, ref="X", context={"name": "Dịch vụ"})
    assert finding is not None
    assert (finding.rule, finding.severity, finding.ref) == ("t.le", "warning", "X")
    assert (finding.left, finding.right) == (1205, 1000)
    assert finding.message == "Dịch vụ: 1.200 + 5 = 1.205 > 1.000"


def test_evaluate_returns_none_when_the_rule_holds():
    assert evaluate(LE, {"a": 1, "b": 2, "total": 3}) is None


def test_missing_value_skips_the_rule_by_default():
    assert evaluate(LE, {"a": 1200, "b": None, "total": 1000}) is None
    assert evaluate(LE, {"a": 1200, "total": 1000}) is None


def test_never_skip_counts_missing_values_as_zero():
    rule = RuleDef(code="t", left="a + b", operator="<=", right="total", missing="never_skip")
    finding = evaluate(rule, {"a": 1200, "b": None, "total": 1000})
    assert finding is not None and finding.left == 1200


def test_skip_if_all_missing_runs_when_one_value_is_there():
    rule = RuleDef(code="t", left="a + b", operator="<=", right="c", missing="skip_if_all_missing")
    assert evaluate(rule, {"a": None, "b": None, "c": None}) is None
    finding = evaluate(rule, {"a": 5, "b": None, "c": None})
    assert finding is not None and (finding.left, finding.right) == (5, 0)


def test_share_of_zero_total_is_not_computable_so_the_rule_is_skipped():
    assert evaluate(builtin.SHARE_MATCHES, _svc(0, 0, 0, share=0.0, decimals=0)) is None


def test_inactive_and_special_rules_are_not_evaluated_as_expressions():
    inactive = RuleDef(code="t", left="1", operator="==", right="2", active=False)
    assert evaluate(inactive, {}) is None
    assert evaluate(builtin.TOTAL_ROW_SUM, {}) is None


def test_division_by_zero_skips_instead_of_raising():
    rule = RuleDef(code="t", left="a / b", operator="==", right="1")
    assert evaluate(rule, {"a": 1, "b": 0}) is None


def test_format_message_leaves_unknown_placeholders_and_never_reaches_attributes():
    assert format_message("{left.__class__} {nope} {left}", {"left": 3.5}) == (
        "{left.__class__} {nope} 3,50"
    )
    assert format_value(45902) == "45.902"
    assert format_value(93.8999) == "93,90"
    assert format_value(1234567.5) == "1.234.567,50"
    assert format_value(None) == "(trống)"


# --- built-in rules on small records ----------------------------------------------------------


def _svc(citizens, businesses, total, *, share=None, decimals=2, on_time=None, overdue=None):
    return {
        "online_citizens": citizens,
        "online_businesses": businesses,
        "total": total,
        "share_reported": share,
        "share_decimals": decimals,
        "on_time": on_time,
        "overdue": overdue,
    }


def test_online_le_total():
    assert evaluate(builtin.ONLINE_LE_TOTAL, _svc(1061, 63, 1124)) is None
    finding = evaluate(builtin.ONLINE_LE_TOTAL, _svc(1061, 64, 1124))
    assert finding is not None and finding.severity == "error"
    assert "1.125" in finding.message and "1.124" in finding.message


@pytest.mark.parametrize(
    ("citizens", "total", "printed", "decimals", "ok"),
    [
        (7227, 7258, 99.57, 2, True),  # 99.5729 → 99.57
        (959, 1042, 92.03, 2, True),  # 92.0345 → 92.03
        (1268, 1835, 69.10, 2, True),  # 69.1008 → 69.10
        (1268, 1835, 69.1, 1, True),  # printed with one decimal
        (1268, 1835, 69.11, 2, True),  # off by one in the last printed digit: within 0.01
        (1268, 1835, 69.12, 2, False),
        (1755, 1869, 88.73, 2, False),  # 93.90 computed
        (28, 28, 0.0, 2, False),  # 100 computed
        (2, 3, 67, 0, True),  # 66.67 printed as "67%"
    ],
)
def test_share_matches_after_rounding_to_the_printed_decimals(
    citizens, total, printed, decimals, ok
):
    finding = evaluate(
        builtin.SHARE_MATCHES, _svc(citizens, 0, total, share=printed, decimals=decimals)
    )
    assert (finding is None) is ok


def test_share_matches_counts_businesses_too():
    assert evaluate(builtin.SHARE_MATCHES, _svc(1061, 63, 1124, share=100.0)) is None
    assert evaluate(builtin.SHARE_MATCHES, _svc(1061, 0, 1124, share=100.0)) is not None


def test_resolved_le_total():
    assert evaluate(builtin.RESOLVED_LE_TOTAL, _svc(10, 0, 10, on_time=8, overdue=2)) is None
    assert evaluate(builtin.RESOLVED_LE_TOTAL, _svc(10, 0, 10, on_time=9, overdue=2)) is not None
    # Reports often leave the resolved columns empty: skipped, not flagged.
    assert evaluate(builtin.RESOLVED_LE_TOTAL, _svc(10, 0, 10)) is None


def test_non_negative_integers():
    values = {"total": 12.5, "overdue": -1, "on_time": 3, "staff_total": None}
    raw = {"total": "12,5", "overdue": "-1", "on_time": "3", "staff_total": "ba"}
    found = builtin.check_non_negative_integers(
        builtin.NON_NEGATIVE_INT,
        values,
        raw=raw,
        fields=("total", "overdue", "on_time", "staff_total", "online_citizens"),
        labels={"total": "Tổng số tiếp nhận"},
        ref="Đăng ký khai sinh",
    )
    assert [f.column for f in found] == ["total", "overdue", "staff_total"]
    assert found[0].message == (
        "Cột «Tổng số tiếp nhận» phải là số nguyên không âm nhưng ghi «12,5»."
    )
    assert found[0].ref == "Đăng ký khai sinh"


def test_total_row_sum_one_finding_per_mismatching_column():
    rows = [{"a": 1, "b": 10, "c": None}, {"a": 2, "b": None, "c": None}]
    found = builtin.check_total_row(
        builtin.TOTAL_ROW_SUM, rows, {"a": 3, "b": 11, "c": 5}, fields=("a", "b", "c")
    )
    # a: 3 = 1 + 2; b: 11 ≠ 10 (empty cell counts as 0); c: no row fills it, skipped.
    assert [(f.column, f.left, f.right) for f in found] == [("b", 11, 10)]
    assert "chênh 1" in found[0].message
    # A total row that leaves a column empty is not checked on it.
    assert builtin.check_total_row(builtin.TOTAL_ROW_SUM, rows, {"a": None}, fields=("a",)) == []


def test_outlier_more_than_three_times_or_less_than_a_third():
    fields = ("total",)
    rule = builtin.OUTLIER

    def check(now, before):
        return builtin.check_outliers(rule, {"total": now}, {"total": before}, fields=fields)

    assert check(300, 100) == []
    assert check(34, 100) == []
    high = check(301, 100)
    assert len(high) == 1 and high[0].severity == "warning"
    assert len(check(33, 100)) == 1
    assert check(50, 0) == []  # no ratio to nothing
    assert check(None, 100) == []
    wider = RuleDef(code="svc.outlier", kind="special", params={"factor": 5.0})
    assert builtin.check_outliers(wider, {"t": 400}, {"t": 100}, fields=("t",)) == []


@pytest.mark.parametrize("raw", ["24/06/202", "07/2024", "/7/2024", "", "31/02/2024", "2024"])
def test_document_date_incomplete(raw):
    from dean06.ingest.report import parse_document_date

    date = parse_document_date(raw)
    assert date is None
    found = builtin.check_document_date_complete(
        builtin.DOC_DATE_COMPLETE, date_raw=raw, date=date, number="1/UBND"
    )
    assert len(found) == 1 and found[0].rule == "doc.date_complete"


def test_document_date_complete_passes_whole_dates():
    rule = builtin.DOC_DATE_COMPLETE
    for raw, date in (("11/7/2024", dt.date(2024, 7, 11)), ("01/07/2024", dt.date(2024, 7, 1))):
        assert builtin.check_document_date_complete(rule, date_raw=raw, date=date) == []


def test_document_date_plausible_between_the_year_before_the_plan_and_the_report():
    rule = builtin.DOC_DATE_PLAUSIBLE
    earliest, latest = dt.date(2023, 1, 1), dt.date(2024, 8, 31)

    def check(date):
        return builtin.check_document_date_plausible(
            rule, date=date, earliest=earliest, latest=latest, number="1/UBND"
        )

    assert check(dt.date(2023, 1, 1)) == []
    assert check(dt.date(2024, 8, 31)) == []
    assert len(check(dt.date(2022, 12, 31))) == 1
    late = check(dt.date(2024, 9, 1))
    assert len(late) == 1 and "01/09/2024" in late[0].message


@pytest.mark.parametrize(
    ("number", "printed", "contradicts"),
    [
        ("41/KH-UBND", "Công văn", True),
        ("125/KH-UBND", "Kế hoạch", False),
        ("4305/QĐ-UBND", "Công văn", True),
        ("4305/QĐ-UBND", "Quyết định", False),
        ("243/TB-UBND", "Thông báo", False),
        ("243/TB-UBND", "Báo cáo", True),
        ("12/BC-UBND", "Báo cáo", False),
        ("04/CT-TTg", "Chỉ thị", False),
        ("3/NQ-HĐND", "Nghị quyết", False),
        ("7/TTr-STP", "Tờ trình", False),
        ("7/TTr-STP", "Kế hoạch", True),
        ("3240/UBND-KGVX", "Công văn", False),
        ("1324/QLHC", "Công văn", False),
        ("3203/BGDĐT-GDTH", "Công văn", False),
        ("3240/UBND-KGVX", "Kế hoạch", True),  # a plan always carries KH
        ("185/KHPH-CAH-BHXH", "Công văn", True),  # kế hoạch phối hợp: a joint plan
        ("18/KH- UBND", "Kế hoạch", False),  # a stray space in the symbol
        ("41/KH-UBND", "CV", True),  # abbreviated printed type
        ("41/KH-UBND", "Hồ sơ", False),  # a printed type we do not know: no judgement
        ("Số 41", "Công văn", False),  # no symbol at all
    ],
)
def test_document_type_matches_symbol(number, printed, contradicts):
    found = builtin.check_document_type(
        builtin.DOC_TYPE_MATCHES_SYMBOL, number=number, doc_type=printed
    )
    assert bool(found) is contradicts


def test_type_symbol_message_names_the_expected_type():
    (finding,) = builtin.check_document_type(
        builtin.DOC_TYPE_MATCHES_SYMBOL, number="41/KH-UBND", doc_type="Công văn"
    )
    assert finding.message == (
        "Văn bản 41/KH-UBND ghi loại «Công văn» nhưng ký hiệu «KH» là kế hoạch."
    )


def test_builtin_rules_have_stable_unique_codes_and_valid_definitions():
    codes = [r.code for r in builtin.BUILTIN_RULES]
    assert len(codes) == len(set(codes))
    assert {
        "svc.online_le_total",
        "svc.share_matches",
        "svc.total_row_sum",
        "svc.resolved_le_total",
        "svc.non_negative_int",
        "svc.outlier",
        "doc.date_complete",
        "doc.type_matches_symbol",
    } <= set(codes)
    for rule in builtin.BUILTIN_RULES:
        validate_rule(rule)
        assert rule.message and rule.name
    assert builtin.builtin_rule("svc.outlier").severity == "warning"


def test_builtin_expression_rules_use_only_the_fields_of_their_scope():
    from dean06.ingest.report import ReportService

    assert set(builtin.FIELDS_BY_SCOPE["service"]) == set(ReportService(None, "x").figures())
    for rule in builtin.BUILTIN_RULES:
        if rule.kind == "expression":
            names = builtin.FIELDS_BY_SCOPE[rule.scope]
            validate_expression(rule.left, names=names)
            validate_expression(rule.right, names=names)


def test_rule_from_the_storage_spellings():
    from decimal import Decimal

    stored = {
        "code": "svc.share_matches",
        "name": "x",
        "scope": "service_stat",
        "left": "share_reported",
        "operator": "approx",
        "right": "share(online_citizens, total)",
        "tolerance": Decimal("0.0100"),
        "severity": "warning",
        "message": "m",
        "builtin": True,
        "active": True,
        "id": 7,
    }
    rule = RuleDef.from_dict(stored)
    assert (rule.scope, rule.tolerance, rule.kind, rule.severity) == (
        "service",
        0.01,
        "expression",
        "warning",
    )
    special = RuleDef.from_dict(
        {
            "code": "svc.total_row_sum",
            "scope": "service_stat",
            "left": "",
            "operator": "",
            "right": "",
            "severity": "error",
            "message": "m",
        }
    )
    assert special.kind == "special" and special.operator == "=="
    assert RuleDef.from_dict(
        {"code": "t", "scope": "progress", "left": "1", "right": "1"}
    ).scope == ("task")
