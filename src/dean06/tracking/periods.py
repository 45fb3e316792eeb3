"""Reporting-period arithmetic per Decree 09/2019/NĐ-CP (pure: no Django).

A month N runs from the 15th of month N-1 to the 14th of month N; a quarter, half-year or year
runs from the 15th of the month before its first month to the 14th of its last month. Reports are
due the day after the period ends (the plans ask units to report by the 15th).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

PeriodKindName = Literal["month", "quarter", "half_year", "year"]
KINDS: tuple[str, ...] = ("month", "quarter", "half_year", "year")
# How many periods of each kind a year has, and how many months each spans.
PERIODS_PER_YEAR: dict[str, int] = {"month": 12, "quarter": 4, "half_year": 2, "year": 1}
MONTHS_PER_PERIOD: dict[str, int] = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
ROMAN = ("I", "II", "III", "IV")
# The day a monthly period closes: figures up to the 14th belong to that month.
CLOSING_DAY = 14


class PeriodError(ValueError):
    """A period that does not exist (month 13, quarter 5, unknown kind); Vietnamese message."""


@dataclass(frozen=True, order=True)
class PeriodSpan:
    """One reporting period as plain data (the `tracking.ReportingPeriod` model mirrors it)."""

    kind: str
    year: int
    number: int
    start: dt.date
    end: dt.date
    due_date: dt.date
    label: str

    @property
    def first_month(self) -> int:
        return (self.number - 1) * MONTHS_PER_PERIOD[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.number * MONTHS_PER_PERIOD[self.kind]

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _check(kind: str, year: int, number: int) -> None:
    if kind not in PERIODS_PER_YEAR:
        raise PeriodError(f"Loại kỳ báo cáo không hợp lệ: {kind!r}.")
    if not 1 <= number <= PERIODS_PER_YEAR[kind]:
        raise PeriodError(f"Kỳ số {number} không có trong loại kỳ «{kind_label(kind)}».")
    if not 1900 <= year <= 9998:
        raise PeriodError(f"Năm không hợp lệ: {year}.")


def _month_start(year: int, month: int) -> dt.date:
    """The 15th of the month before `month` of `year`."""
    if month == 1:
        return dt.date(year - 1, 12, CLOSING_DAY + 1)
    return dt.date(year, month - 1, CLOSING_DAY + 1)


def kind_label(kind: str) -> str:
    return {"month": "Tháng", "quarter": "Quý", "half_year": "6 tháng", "year": "Năm"}.get(
        kind, kind
    )


def period_label(kind: str, year: int, number: int) -> str:
    """ "Tháng 7/2024", "Quý II/2024", "6 tháng đầu năm 2024", "Năm 2024"."""
    _check(kind, year, number)
    if kind == "month":
        return f"Tháng {number}/{year}"
    if kind == "quarter":
        return f"Quý {ROMAN[number - 1]}/{year}"
    if kind == "half_year":
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return f"Năm {year}"


def period_span(kind: str, year: int, number: int) -> PeriodSpan:
    """The dates of a period: `period_span("month", 2024, 7)` runs 15/6/2024 – 14/7/2024."""
    _check(kind, year, number)
    months = MONTHS_PER_PERIOD[kind]
    first, last = (number - 1) * months + 1, number * months
    end = dt.date(year, last, CLOSING_DAY)
    return PeriodSpan(
        kind=kind,
        year=year,
        number=number,
        start=_month_start(year, first),
        end=end,
        due_date=end + dt.timedelta(days=1),
        label=period_label(kind, year, number),
    )


def month_of(day: dt.date) -> tuple[int, int]:
    """The (year, month) of the monthly period a day falls in: 15/12/2024 is in month 1/2025."""
    if day.day <= CLOSING_DAY:
        return day.year, day.month
    if day.month == 12:
        return day.year + 1, 1
    return day.year, day.month + 1


def period_containing(kind: str, day: dt.date) -> PeriodSpan:
    """The period of `kind` a day falls in."""
    year, month = month_of(day)
    months = MONTHS_PER_PERIOD.get(kind, 0)
    if not months:
        raise PeriodError(f"Loại kỳ báo cáo không hợp lệ: {kind!r}.")
    return period_span(kind, year, (month - 1) // months + 1)


def shift(kind: str, year: int, number: int, by: int) -> tuple[int, int]:
    """(year, number) of the period `by` periods later (negative: earlier)."""
    _check(kind, year, number)
    per_year = PERIODS_PER_YEAR[kind]
    index = year * per_year + (number - 1) + by
    return index // per_year, index % per_year + 1


def previous_period(kind: str, year: int, number: int) -> PeriodSpan:
    y, n = shift(kind, year, number, -1)
    return period_span(kind, y, n)


def next_period(kind: str, year: int, number: int) -> PeriodSpan:
    y, n = shift(kind, year, number, 1)
    return period_span(kind, y, n)


def months_in(kind: str, year: int, number: int) -> list[tuple[int, int]]:
    """The monthly periods (year, month) a period is made of."""
    span = period_span(kind, year, number)
    return [(year, m) for m in range(span.first_month, span.last_month + 1)]


def months_since_january(year: int, month: int) -> list[tuple[int, int]]:
    """The months a figure cumulative from January sums for month `month` (1..month)."""
    _check("month", year, month)
    return [(year, m) for m in range(1, month + 1)]


def recent_months(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """The `count` months ending with (year, month), oldest first."""
    out = []
    for back in range(count - 1, -1, -1):
        out.append(shift("month", year, month, -back))
    return out


_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_LABEL_RE = re.compile(r"^\s*th[áa]ng\s+(\d{1,2})\s*/\s*(\d{4})\s*$", re.IGNORECASE)


def parse_month(text: str) -> tuple[int, int]:
    """ "2024-07" or "Tháng 7/2024" → (2024, 7)."""
    match = _MONTH_RE.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = _LABEL_RE.match(text)
        if not match:
            raise PeriodError(f"Không hiểu kỳ «{text}»: dùng dạng 2024-07 hoặc «Tháng 7/2024».")
        month, year = int(match.group(1)), int(match.group(2))
    _check("month", year, month)
    return year, month
