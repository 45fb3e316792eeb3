"""Which target applies to a service on a day, and the verdict; indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dean06.kpis.targets import (
    IndicatorEntry,
    IndicatorInputError,
    ServiceInfo,
    Status,
    TargetDef,
    aggregate,
    check_entry,
    cumulate,
    indicator_status,
    indicator_value,
    service_result,
    target_for,
)

DEFAULTS = [
    TargetDef("all", Decimal(60), dt.date(2022, 1, 1)),
    TargetDef("mps", Decimal(100), dt.date(2022, 1, 1)),
    TargetDef("linked", Decimal(80), dt.date(2024, 4, 1), dt.date(2024, 9, 30)),
    TargetDef("linked", Decimal(100), dt.date(2024, 10, 1)),
]
MPS = ServiceInfo("DA06-03", is_public_security=True)
JUSTICE = ServiceInfo("DA06-09")
LINKED = ServiceInfo("DA06-15", is_linked_group=True)


def test_every_service_has_at_least_sixty_percent():
    assert target_for(JUSTICE, DEFAULTS, dt.date(2024, 7, 14)).value == 60


def test_public_security_services_must_be_fully_online():
    assert target_for(MPS, DEFAULTS, dt.date(2024, 7, 14)).value == 100


@pytest.mark.parametrize(
    ("day", "value"),
    [
        (dt.date(2024, 3, 14), 60),
        (dt.date(2024, 4, 1), 80),
        (dt.date(2024, 9, 30), 80),
        (dt.date(2024, 10, 1), 100),
        (dt.date(2025, 6, 14), 100),
    ],
)
def test_linked_groups_are_staged(day, value):
    assert target_for(LINKED, DEFAULTS, day).value == value


def test_a_service_target_beats_group_targets_and_a_newer_one_beats_an_older():
    specific = TargetDef("service", Decimal(95), dt.date(2024, 1, 1), service_code="DA06-03")
    assert target_for(MPS, [*DEFAULTS, specific], dt.date(2024, 7, 1)).value == 95
    newer = TargetDef("all", Decimal(70), dt.date(2024, 6, 1))
    assert target_for(JUSTICE, [*DEFAULTS, newer], dt.date(2024, 5, 1)).value == 60
    assert target_for(JUSTICE, [*DEFAULTS, newer], dt.date(2024, 7, 1)).value == 70


def test_met_not_met_no_data():
    day = dt.date(2024, 7, 14)
    assert service_result(JUSTICE, Decimal("60.00"), DEFAULTS, day).status is Status.MET
    assert service_result(JUSTICE, Decimal("59.99"), DEFAULTS, day).status is Status.NOT_MET
    assert service_result(MPS, Decimal("99.57"), DEFAULTS, day).status is Status.NOT_MET
    assert service_result(MPS, None, DEFAULTS, day).status is Status.NO_DATA
    assert service_result(MPS, Decimal(100), [], day).status is Status.NO_TARGET
    assert Status.NOT_MET.label == "Chưa đạt"


def test_lower_is_better_direction():
    target = TargetDef("all", Decimal(5), dt.date(2024, 1, 1), direction="lower")
    assert service_result(JUSTICE, Decimal(4), [target], dt.date(2024, 2, 1)).status is Status.MET
    assert service_result(JUSTICE, Decimal(6), [target], dt.date(2024, 2, 1)).status is (
        Status.NOT_MET
    )


def test_numerator_above_denominator_is_refused():
    with pytest.raises(IndicatorInputError) as info:
        check_entry("ratio", IndicatorEntry(numerator=Decimal(5), denominator=Decimal(4)))
    assert info.value.field == "numerator"
    with pytest.raises(IndicatorInputError):
        check_entry("ratio", IndicatorEntry(numerator=Decimal(5)))
    with pytest.raises(IndicatorInputError):
        check_entry("count", IndicatorEntry(value=Decimal(-1)))
    check_entry("ratio", IndicatorEntry(numerator=Decimal(4), denominator=Decimal(4)))


def test_cumulative_from_january_adds_numerators_and_denominators():
    months = [
        IndicatorEntry(numerator=Decimal(1), denominator=Decimal(4)),
        IndicatorEntry(),
        IndicatorEntry(numerator=Decimal(5), denominator=Decimal(6)),
    ]
    total = cumulate("ratio", months)
    assert (total.numerator, total.denominator) == (Decimal(6), Decimal(10))
    assert indicator_value("ratio", total) == Decimal("60.00")
    assert (
        cumulate(
            "count", [IndicatorEntry(value=Decimal(2)), IndicatorEntry(value=Decimal(3))]
        ).value
        == 5
    )
    assert cumulate("boolean", [IndicatorEntry(flag=False), IndicatorEntry(flag=True)]).flag is True


def test_indicator_status_by_kind():
    assert indicator_status("boolean", True, None) is Status.MET
    assert indicator_status("boolean", False, None) is Status.NOT_MET
    assert indicator_status("count", Decimal(3), Decimal(2), "lower") is Status.NOT_MET
    assert indicator_status("count", None, Decimal(2)) is Status.NO_DATA


def test_aggregation_sum_average_and_every_unit_must_pass():
    a = IndicatorEntry(numerator=Decimal(9), denominator=Decimal(10))
    b = IndicatorEntry(numerator=Decimal(1), denominator=Decimal(10))
    summed = aggregate("ratio", "sum", [a, b], Decimal(50))
    assert summed.value == Decimal("50.00") and summed.status is Status.MET
    averaged = aggregate("ratio", "average", [a, b], Decimal(60))
    assert averaged.value == Decimal("50.00") and averaged.status is Status.NOT_MET
    every = aggregate("ratio", "all", [a, b], Decimal(50))
    assert every.value == 1 and every.status is Status.NOT_MET
    assert aggregate("ratio", "all", [a, a], Decimal(50)).status is Status.MET
    missing = aggregate("ratio", "all", [a, None], Decimal(50))
    assert missing.status is Status.NO_DATA and (missing.reporting, missing.expected) == (1, 2)
    assert aggregate("count", "sum", [None, None], Decimal(1)).status is Status.NO_DATA
    counts = [IndicatorEntry(value=Decimal(2)), IndicatorEntry(value=Decimal(3))]
    assert aggregate("count", "sum", counts, Decimal(5)).status is Status.MET
    flags = [IndicatorEntry(flag=True), IndicatorEntry(flag=False)]
    assert aggregate("boolean", "sum", flags, None).status is Status.NOT_MET
