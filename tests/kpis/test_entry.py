"""Checking entered figures: parse errors per cell, rule errors, outliers as warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dean06.kpis.entry import check_rows, parse_count
from dean06.quality.builtin import BUILTIN_RULES

RULES = list(BUILTIN_RULES)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("12", 12), (" 6.635 ", 6635), ("1 234", 1234), ("", None), (None, None), (7, 7), (3.0, 3)],
)
def test_counts_parse(raw, value):
    assert parse_count(raw) == (value, None)


@pytest.mark.parametrize("raw", ["-1", "abc", "1,5", "2.5", -3, 2.5, True, "12a"])
def test_bad_counts_give_a_vietnamese_error(raw):
    value, error = parse_count(raw)
    assert value is None and error


def test_online_above_total_is_an_error_on_the_three_cells():
    batch = check_rows(
        [("S1", {"online_citizens": "90", "online_businesses": "20", "total_received": "100"})],
        RULES,
    )
    [issue] = batch.issues
    assert issue.rule == "svc.online_le_total" and issue.is_error
    assert set(issue.fields) == {"online_citizens", "online_businesses", "total_received"}
    assert not batch.can_save({issue.key: "lý do"})


def test_online_above_total_is_caught_when_businesses_is_blank():
    batch = check_rows([("S1", {"online_citizens": "120", "total_received": "100"})], RULES)
    assert [i.rule for i in batch.issues] == ["svc.online_le_total"]


def test_text_and_negative_cells_are_errors_per_cell():
    batch = check_rows(
        [("S1", {"online_citizens": "abc", "total_received": "-4", "on_time": "2"})], RULES
    )
    assert {i.fields for i in batch.issues} == {("online_citizens",), ("total_received",)}
    assert all(i.rule == "svc.non_negative_int" for i in batch.issues)


def test_resolved_above_total_and_missing_total():
    batch = check_rows(
        [
            ("S1", {"total_received": "10", "on_time": "8", "overdue": "5"}),
            ("S2", {"online_citizens": "3"}),
        ],
        RULES,
    )
    assert [(i.service_code, i.rule) for i in batch.issues] == [
        ("S1", "svc.resolved_le_total"),
        ("S2", "entry.total_required"),
    ]


def test_outlier_is_a_warning_that_a_reason_accepts():
    previous = {"S1": {"online_citizens": 10, "online_businesses": 0, "total_received": 10}}
    batch = check_rows(
        [("S1", {"online_citizens": "100", "online_businesses": "0", "total_received": "100"})],
        RULES,
        previous,
    )
    warnings = batch.issues
    assert {i.rule for i in warnings} == {"svc.outlier"} and len(warnings) == 2
    assert all(not i.is_error for i in warnings)
    assert "Trực tuyến — công dân" in warnings[0].message
    assert not batch.can_save({})
    assert not batch.can_save({warnings[0].key: "  "})
    assert batch.can_save({i.key: "Tháng cao điểm" for i in warnings})


def test_valid_rows_compute_the_share_and_blank_rows_are_skipped():
    batch = check_rows(
        [
            ("S1", {"online_citizens": "1755", "online_businesses": "0", "total_received": "1869"}),
            ("S2", {}),
        ],
        RULES,
    )
    assert batch.issues == []
    assert batch.row("S1").share == Decimal("93.90")
    assert batch.row("S2").is_blank and batch.row("S2").share is None


def test_inactive_rules_do_not_run():
    from dataclasses import replace

    rules = [replace(r, active=False) for r in RULES]
    batch = check_rows([("S1", {"online_citizens": "120", "total_received": "100"})], rules)
    assert batch.issues == []
