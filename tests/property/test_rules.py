"""Data-quality rule expressions (`quality.engine`): any text an administrator types is accepted or
refused with an ExpressionError, never another error; an accepted expression evaluates over any
record to a finite number or to nothing; messages are filled without ever failing."""

from __future__ import annotations

import datetime as dt
import math
import string

from hypothesis import example, given
from hypothesis import strategies as st

from dean06.ingest.report import ExtractedReport, ReportDocument, ReportMeta, ReportService
from dean06.quality.builtin import BUILTIN_RULES
from dean06.quality.checks import check_report
from dean06.quality.engine import (
    FUNCTIONS,
    OPERATORS,
    ExpressionError,
    RuleDef,
    compare,
    compile_expression,
    evaluate,
    format_message,
    validate_expression,
)
from tests.property.conftest import profile
from tests.property.strategies import any_text, vietnamese

NAMES = ("online_citizens", "online_businesses", "total", "on_time", "overdue", "staff_total")

# Numbers as an administrator may write them, the absurd ones too (1e999 is inf to Python).
numbers = st.one_of(
    st.integers(0, 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: repr(abs(f))),
    st.sampled_from(["0", "0.5", "1e308", "1e999", "9" * 400, "1e-400"]),
)


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


def _arity(name: str) -> st.SearchStrategy[int]:
    _fn, low, high = FUNCTIONS[name]
    return st.integers(low, min(high, 3))


@st.composite
def _calls(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    count = draw(_arity(name))
    return _call(name, [draw(inner) for _ in range(count)])


# Expressions the engine accepts: names, numbers, + - * /, unary signs, brackets, functions.
expressions = st.recursive(
    st.one_of(st.sampled_from(NAMES), numbers),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        inner.map(lambda e: f"-{e}"),
        _calls(inner),
    ),
    max_leaves=12,
).filter(lambda text: len(text) <= 500)

finite = st.floats(allow_nan=False, allow_infinity=False)
values = st.one_of(
    st.none(),
    st.integers(0, 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 5e-324]),
)
records = st.fixed_dictionaries({name: values for name in NAMES})


@profile()
@given(expressions, records)
@example("round(online_citizens, 1e999)", dict.fromkeys(NAMES, 1.5))
@example("round(total, share(1e308, 1e-300))", dict.fromkeys(NAMES, 1.5))
@example("share(1e308, 1e-300) + total", dict.fromkeys(NAMES, 1.0))
def test_an_accepted_expression_evaluates_to_a_finite_number_or_nothing(
    text: str, record: dict[str, float | None]
) -> None:
    try:
        expression = compile_expression(text)
    except ExpressionError:
        # Refused for a number no figure can be compared with (1e999 is infinite).
        assert any(n in text for n in ("1e999", "9" * 400))
        return
    assert expression.names <= set(NAMES)
    result = expression.evaluate(record)
    assert result is None or math.isfinite(result), (text, result)


@profile()
@given(
    st.one_of(
        any_text,
        expressions.map(lambda e: e.replace("(", "[", 1)),
        st.text(alphabet=string.printable, max_size=80),
        st.integers(1, 400).map(lambda n: "(" * n + "1" + ")" * n),
        st.integers(1, 200).map(lambda n: "-" * n + "total"),
        st.sampled_from(
            [
                "__import__('os')",
                "total.__class__",
                "total ** 2",
                "total if 1 else 0",
                "lambda: 1",
                "[1][0]",
                "'a'",
                "True",
                "round(x=1)",
                "min(*[1])",
                "f'{total}'",
                "total; 1",
                "1" * 600,
            ]
        ),
    )
)
@example("(" * 100_000)
@example("-" * 400 + "1")
def test_any_typed_expression_is_accepted_or_refused_with_an_expression_error(text: str) -> None:
    try:
        names = validate_expression(text)
    except ExpressionError as exc:
        assert str(exc).strip()
        return
    # Accepted: only names and numbers with the allowed arithmetic, and it can be evaluated.
    assert all(not n.startswith("_") for n in names)
    result = compile_expression(text).evaluate(dict.fromkeys(names, 2.0))
    assert result is None or math.isfinite(result)


@profile()
@given(
    expressions,
    st.sampled_from(OPERATORS),
    expressions,
    st.floats(0, 1e6),
    st.sampled_from(["skip_if_any_missing", "skip_if_all_missing", "never_skip"]),
    records,
    st.one_of(st.just(""), vietnamese, st.sampled_from(["{left} {right} {diff}", "{total}%"])),
)
def test_a_rule_gives_a_finding_with_finite_values_or_none(
    left: str,
    operator: str,
    right: str,
    tolerance: float,
    missing: str,
    record: dict[str, float | None],
    message: str,
) -> None:
    data = {"code": "p.rule", "left": left, "operator": operator, "right": right}
    data |= {"tolerance": tolerance, "missing": missing, "message": message}
    try:
        rule = RuleDef.from_dict(data)
    except ExpressionError:
        return
    finding = evaluate(rule, record, ref="DVC 1", context={"name": "Đăng ký khai sinh"})
    if finding is not None:
        assert finding.left is not None and math.isfinite(finding.left)
        assert finding.right is not None and math.isfinite(finding.right)
        assert not compare(finding.left, rule.operator, finding.right, rule.tolerance)
        assert isinstance(finding.message, str) and finding.message


@profile()
@given(finite, finite)
def test_equal_and_not_equal_are_opposites_and_symmetric(a: float, b: float) -> None:
    assert compare(a, "==", b) != compare(a, "!=", b)
    assert compare(a, "==", b) == compare(b, "==", a)
    assert compare(a, "approx", b, 0.5) == compare(b, "approx", a, 0.5)
    # Less-than and greater-or-equal cannot both fail.
    assert compare(a, "<", b) or compare(a, ">=", b)


placeholder_values = st.dictionaries(
    st.text(alphabet=string.ascii_letters + "_", min_size=1, max_size=8),
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    max_size=5,
)


@profile()
@given(any_text, placeholder_values)
@example("{left.__class__.__mro__}", {"left": 1.0})
@example("{0}{}{{left}}", {"left": 2.5})
def test_a_message_template_is_always_filled(template: str, values: dict[str, object]) -> None:
    text = format_message(template, values)
    assert isinstance(text, str)
    # Nothing but its own placeholders changes; a template without any stays as written.
    if not any("{" + key + "}" in template for key in values):
        assert text == template


# --- the built-in checks of a report read from a file ---------------------------------------------

# Counts as a report's cells give them (parse_vn_number): ints exact to 300 digits, finite floats.
counts = st.one_of(
    st.none(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(10**15, 10**300),
)


@st.composite
def extracted_reports(draw: st.DrawFn) -> ExtractedReport:
    services = [
        ReportService(
            stt=str(i),
            name=draw(vietnamese),
            online_citizens=draw(counts),
            online_businesses=draw(counts),
            total=draw(counts),
            share_reported=draw(st.none() | st.floats(-1e6, 1e6)),
            share_decimals=draw(st.none() | st.integers(0, 4)),
            on_time=draw(counts),
            overdue=draw(counts),
            staff_total=draw(counts),
        )
        for i in range(1, draw(st.integers(0, 4)) + 1)
    ]
    documents = [
        ReportDocument(
            group="I",
            group_title="Văn bản của UBND tỉnh",
            stt=str(i),
            number=draw(st.sampled_from(["18/KH-UBND", "25/QĐ-UBND", "", "3240/UBND-NC"])),
            type=draw(st.sampled_from(["Kế hoạch", "Quyết định", "Công văn", ""])),
            date=draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))),
            date_raw=draw(st.sampled_from(["24/06/202", "07/2024", "", "01/02/2024"])),
            summary=draw(vietnamese),
        )
        for i in range(1, draw(st.integers(0, 3)) + 1)
    ]
    meta = ReportMeta(
        period_month=draw(st.none() | st.integers(1, 12)),
        period_year=draw(st.none() | st.integers(1901, 2100)),
    )
    total = draw(st.none() | st.just(ReportService(stt=None, name="Tổng", total=draw(counts))))
    return ExtractedReport(meta=meta, documents=documents, services=services, total_row=total)


@profile()
@given(extracted_reports(), st.none() | extracted_reports())
def test_the_report_checks_run_over_any_report(
    report: ExtractedReport, previous: ExtractedReport | None
) -> None:
    findings = check_report(report, BUILTIN_RULES, previous)
    for finding in findings:
        assert finding.appendix in ("I", "II", "III")
        assert finding.message
        for value in (finding.left, finding.right):
            assert value is None or not math.isnan(value)
