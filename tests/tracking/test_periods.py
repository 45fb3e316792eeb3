"""Period arithmetic per Decree 09/2019: months run from the 15th to the 14th."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.tracking.periods import (
    PeriodError,
    months_in,
    months_since_january,
    next_period,
    parse_month,
    period_containing,
    period_label,
    period_span,
    previous_period,
    recent_months,
)


def test_month_runs_from_the_15th_of_the_previous_month_to_the_14th():
    span = period_span("month", 2024, 7)
    assert (span.start, span.end) == (dt.date(2024, 6, 15), dt.date(2024, 7, 14))
    assert span.due_date == dt.date(2024, 7, 15)
    assert span.label == "Tháng 7/2024"


def test_january_starts_in_december_of_the_previous_year():
    span = period_span("month", 2025, 1)
    assert span.start == dt.date(2024, 12, 15)
    assert span.end == dt.date(2025, 1, 14)


@pytest.mark.parametrize(
    ("kind", "number", "start", "end", "label"),
    [
        ("quarter", 1, dt.date(2023, 12, 15), dt.date(2024, 3, 14), "Quý I/2024"),
        ("quarter", 2, dt.date(2024, 3, 15), dt.date(2024, 6, 14), "Quý II/2024"),
        ("quarter", 4, dt.date(2024, 9, 15), dt.date(2024, 12, 14), "Quý IV/2024"),
        ("half_year", 1, dt.date(2023, 12, 15), dt.date(2024, 6, 14), "6 tháng đầu năm 2024"),
        ("half_year", 2, dt.date(2024, 6, 15), dt.date(2024, 12, 14), "6 tháng cuối năm 2024"),
        ("year", 1, dt.date(2023, 12, 15), dt.date(2024, 12, 14), "Năm 2024"),
    ],
)
def test_longer_periods_follow_the_same_regime(kind, number, start, end, label):
    span = period_span(kind, 2024, number)
    assert (span.start, span.end, span.label) == (start, end, label)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2024, 7, 14), "Tháng 7/2024"),
        (dt.date(2024, 7, 15), "Tháng 8/2024"),
        (dt.date(2024, 12, 20), "Tháng 1/2025"),
        (dt.date(2024, 1, 1), "Tháng 1/2024"),
    ],
)
def test_a_day_belongs_to_the_month_ending_on_the_next_14th(day, label):
    assert period_containing("month", day).label == label


def test_quarter_containing_a_day_after_the_14th_of_its_last_month_is_the_next():
    assert period_containing("quarter", dt.date(2024, 3, 14)).label == "Quý I/2024"
    assert period_containing("quarter", dt.date(2024, 3, 15)).label == "Quý II/2024"


def test_previous_and_next_cross_year_boundaries():
    assert previous_period("month", 2024, 1).label == "Tháng 12/2023"
    assert next_period("month", 2024, 12).label == "Tháng 1/2025"
    assert previous_period("quarter", 2024, 1).label == "Quý IV/2023"


def test_months_helpers():
    assert months_in("quarter", 2024, 2) == [(2024, 4), (2024, 5), (2024, 6)]
    assert months_since_january(2024, 3) == [(2024, 1), (2024, 2), (2024, 3)]
    assert recent_months(2024, 2, 3) == [(2023, 12), (2024, 1), (2024, 2)]


@pytest.mark.parametrize(
    ("kind", "number"), [("month", 13), ("month", 0), ("quarter", 5), ("x", 1)]
)
def test_periods_that_do_not_exist_are_refused(kind, number):
    with pytest.raises(PeriodError):
        period_span(kind, 2024, number)


def test_parse_month_reads_both_spellings():
    assert parse_month("2024-07") == (2024, 7)
    assert parse_month("Tháng 7/2024") == (2024, 7)
    with pytest.raises(PeriodError):
        parse_month("2024-13")
    with pytest.raises(PeriodError):
        parse_month("tháng bảy")
    assert period_label("month", 2024, 12) == "Tháng 12/2024"
