"""The online share is computed from counts, rounded half up, compared with what was reported."""

from __future__ import annotations

from decimal import Decimal

from dean06.kpis.shares import (
    format_count,
    format_share,
    online_share,
    ratio_share,
    round_share,
    share_agrees,
)


def test_share_from_seed_003_rows():
    assert online_share(1755, 0, 1869) == Decimal("93.90")
    assert online_share(1061, 63, 1124) == Decimal("100.00")
    assert online_share(1014, 0, 1761) == Decimal("57.58")


def test_blank_online_part_counts_as_zero_but_no_counts_is_no_share():
    assert online_share(50, None, 100) == Decimal("50.00")
    assert online_share(None, 25, 100) == Decimal("25.00")
    assert online_share(None, None, 100) is None


def test_no_share_of_nothing():
    assert online_share(0, 0, 0) is None
    assert online_share(5, 0, None) is None


def test_rounding_is_half_up():
    assert round_share(Decimal("88.725")) == Decimal("88.73")
    assert round_share(Decimal("0.125")) == Decimal("0.13")
    assert online_share(1, 0, 3, digits=None) > Decimal("33.333")


def test_reported_share_agrees_within_a_hundredth_of_a_point():
    computed = online_share(1755, 0, 1869, digits=None)
    assert share_agrees(Decimal("93.90"), computed) is True
    assert share_agrees(Decimal("88.73"), computed) is False
    assert share_agrees(Decimal("93.91"), computed) is True
    assert share_agrees(None, computed) is None


def test_ratio_share_and_formatting():
    assert ratio_share(3, 4) == Decimal("75.00")
    assert ratio_share(3, 0) is None
    assert format_share(Decimal("88.73")) == "88,73%"
    assert format_share(None) == "—"
    assert format_count(45902) == "45.902"
