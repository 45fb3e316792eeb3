"""Numbers and dates written the Vietnamese way ("1.234", "82,27%", "ngày 23 tháng 01 năm 2024",
"Quý II/2024"): what the application prints reads back as the same value, and no text makes a
parser raise anything but its documented error."""

from __future__ import annotations

import datetime as dt
import math
import time
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from dean06.ingest.deadlines import parse_date, parse_deadline
from dean06.ingest.readers.xlsx import format_value as xlsx_format_value
from dean06.ingest.report import parse_document_date, parse_vn_number, printed_decimals
from dean06.kpis.entry import MAX_COUNT, parse_count
from dean06.kpis.shares import format_count, format_share, round_share
from dean06.quality.engine import format_value as rule_format_value
from dean06.tracking.periods import PeriodError, parse_month, period_label
from dean06.web.templatetags.vn import vn_number
from tests.property.conftest import profile
from tests.property.strategies import (
    any_text,
    dates,
    deadline_phrases,
    lose_diacritics,
    sentences,
)

# Words around a date that hold no digit (a number beside it could read as part of it).
plain_words = sentences.filter(lambda s: not any(c.isdigit() for c in s))


# --- numbers -------------------------------------------------------------------------------------


@profile()
@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_a_count_printed_with_dots_reads_back_exactly(n: int) -> None:
    assert parse_vn_number(format_count(n)) == n


@profile()
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_a_number_printed_by_the_pages_reads_back(value: Decimal) -> None:
    printed = vn_number(value)
    read = parse_vn_number(printed)
    assert read is not None, printed
    if value == value.to_integral_value():
        assert read == int(value)
    else:
        assert math.isclose(read, float(value), rel_tol=1e-12), (printed, read)


@profile()
@given(
    st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False),
    st.integers(min_value=0, max_value=6),
)
def test_a_share_printed_as_a_percentage_reads_back_with_its_decimals(
    value: Decimal, digits: int
) -> None:
    printed = format_share(value, digits=digits)
    assert printed.endswith("%")
    assert parse_vn_number(printed) == (
        int(round_share(value, digits)) if digits == 0 else float(round_share(value, digits))
    )
    assert printed_decimals(printed) == digits


@profile()
@given(st.one_of(st.integers(-(10**14), 10**14), st.floats(-1e14, 1e14)))
def test_a_number_in_a_rule_message_reads_back(value: float) -> None:
    printed = rule_format_value(value)
    read = parse_vn_number(printed)
    assert read is not None, printed
    # Messages print two decimals.
    assert abs(read - value) <= 0.005 + abs(value) * 1e-12, (printed, read)


@profile()
@given(any_text)
@example("1" * 5000)
@example("1" * 400)  # an int no float holds: the rules compare figures as floats
@example("1.000.000.000.000.000.000.000,5")
@example("-0,0%")
def test_parse_vn_number_gives_a_finite_number_or_none(text: str) -> None:
    value = parse_vn_number(text)
    assert value is None or math.isfinite(float(value))
    decimals = printed_decimals(text)
    assert (decimals is None) == (value is None)
    assert decimals is None or decimals >= 0


@profile()
@given(st.integers(min_value=0, max_value=MAX_COUNT))
def test_a_count_reads_back_as_typed_with_or_without_dots(n: int) -> None:
    for typed in (format_count(n), str(n), f"  {n}\u00a0", n, float(n), Decimal(n)):
        assert parse_count(typed) == (n, None), typed


@profile()
@given(
    st.one_of(
        any_text,
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.decimals(),
        # Huge exponents both ways: Decimal("-1E+999999") once took int() minutes to expand.
        st.from_regex(r"-?[1-9]E[+-][0-9]{1,9}", fullmatch=True).map(Decimal),
    )
)
@example("1" * 5000)
@example(Decimal("1E+999999999"))
@example(Decimal("-1E+999999"))
@example(Decimal("sNaN"))
@example(float("nan"))
def test_parse_count_gives_a_count_in_range_or_a_message(raw: object) -> None:
    started = time.monotonic()
    value, error = parse_count(raw)
    # A cell is answered at once, whatever it holds.
    assert time.monotonic() - started < 1.0
    if value is not None:
        assert error is None
        assert 0 <= value <= MAX_COUNT
        assert isinstance(value, int) and not isinstance(value, bool)
    elif error is not None:
        assert error.strip()
    else:
        assert raw is None or not str(raw).strip()


@profile()
@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.datetimes(),
        st.dates(),
        st.times(),
        st.timedeltas(),
        any_text,
    ),
    st.sampled_from(["General", "0.00%", "#,##0", "0%", "", "dd/mm/yyyy"]),
)
def test_a_spreadsheet_value_is_shown_as_text(value: object, number_format: str) -> None:
    shown = xlsx_format_value(value, number_format)
    assert isinstance(shown, str)
    plain = "%" not in number_format
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e15 and plain:
        assert math.isclose(float(shown), value, rel_tol=1e-9, abs_tol=1e-10)


# --- dates ---------------------------------------------------------------------------------------

DATE_FORMATS = (
    "{d:02d}/{m:02d}/{y}",
    "{d}/{m}/{y}",
    "{d}-{m}-{y}",
    "{d:02d}.{m:02d}.{y}",
    "{d} / {m} / {y}",
)


@profile()
@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(DATE_FORMATS))
def test_a_document_date_reads_back(day: dt.date, form: str) -> None:
    text = form.format(d=day.day, m=day.month, y=day.year)
    assert parse_document_date(f" {text} ") == day


@profile()
@given(any_text)
@example("31/02/2024")
@example("99/99/9999")
def test_parse_document_date_gives_a_real_date_or_none(text: str) -> None:
    found = parse_document_date(text)
    assert found is None or isinstance(found, dt.date)


DATE_PHRASES = (
    *DATE_FORMATS,
    "ngày {d} tháng {m} năm {y}",
    "ngày {d:02d} tháng {m:02d} năm {y}",
    "{y}-{m:02d}-{d:02d}",
)


@profile()
@given(
    dates,
    st.sampled_from(DATE_PHRASES),
    plain_words,
    plain_words,
    st.sampled_from([str, lose_diacritics, str.upper]),
)
def test_a_written_date_is_found_among_words(
    day: dt.date, form: str, before: str, after: str, spelling: object
) -> None:
    text = f"{before}, {form.format(d=day.day, m=day.month, y=day.year)} {after}"
    assert parse_date(spelling(text)) == day  # type: ignore[operator]


# --- deadline phrases ----------------------------------------------------------------------------


@profile()
@given(deadline_phrases(), st.sampled_from([str, lose_diacritics, str.upper, str.lower]))
def test_a_deadline_phrase_gives_its_due_date_however_it_is_spelled(
    phrase: tuple[str, str, dt.date], spelling: object
) -> None:
    text, kind, due = phrase
    written = spelling(text)  # type: ignore[operator]
    deadline = parse_deadline(written)
    assert (deadline.kind, deadline.due_date) == (kind, due), written
    assert deadline.raw == written
    assert deadline.confidence == 1.0


@profile()
@given(deadline_phrases(), st.sampled_from([" ", "  ", "\n", "\t", " \u00a0"]))
def test_spacing_does_not_change_a_deadline(phrase: tuple[str, str, dt.date], space: str) -> None:
    text, kind, due = phrase
    spaced = space + text.replace(" ", space) + space
    assert (parse_deadline(spaced).kind, parse_deadline(spaced).due_date) == (kind, due)


@profile()
@given(any_text, st.none() | dates, st.none() | st.integers(1900, 2100))
def test_parse_deadline_of_any_text_is_a_deadline_with_sane_dates(
    text: str, plan_date: dt.date | None, year: int | None
) -> None:
    deadline = parse_deadline(text, plan_date=plan_date, year=year)
    assert deadline.raw == text
    assert 0.0 <= deadline.confidence <= 1.0
    if deadline.due_date is not None and deadline.start_date is not None:
        assert deadline.start_date <= deadline.due_date or deadline.recurring
    for quota in deadline.quota:
        assert quota.count >= 0
    for target in deadline.targets:
        assert math.isfinite(target.value)


# --- months of the forms -------------------------------------------------------------------------


@profile()
@given(st.integers(1900, 9998), st.integers(1, 12))
def test_a_month_reads_back_from_both_of_its_spellings(year: int, month: int) -> None:
    for text in (f"{year}-{month:02d}", f"{year}-{month}", period_label("month", year, month)):
        assert parse_month(text) == (year, month)
    assert parse_month(lose_diacritics(period_label("month", year, month)).lower()) == (year, month)


@profile()
@given(any_text)
@example("0000-01")
@example("9999-12")
@example("Tháng 0/2024")
@example("2024-\u0663")  # an Arabic-Indic digit is a digit to the regex
def test_parse_month_gives_a_month_or_a_period_error(text: str) -> None:
    try:
        year, month = parse_month(text)
    except PeriodError as exc:
        assert str(exc)
    else:
        assert 1 <= month <= 12
        assert 1900 <= year <= 9998
