"""The units' ranking "x/N" from per-unit counts (pure: no database)."""

from __future__ import annotations

from fractions import Fraction

from dean06.dashboard.scorecard import Mark, UnitCounts, rank_units


def _unit(unit_id, **counts):
    return UnitCounts(unit_id=unit_id, name=counts.pop("name", f"Đơn vị {unit_id}"), **counts)


def test_reports_on_time_rank_first_then_overdue_then_done():
    units = [
        _unit(1, tasks=4, overdue=1, reports_expected=4, reports_on_time=4),
        _unit(2, tasks=4, overdue=0, reports_expected=4, reports_on_time=2),
        _unit(3, tasks=4, overdue=0, done=2, reports_expected=4, reports_on_time=4),
        _unit(4, tasks=4, overdue=0, done=1, reports_expected=4, reports_on_time=4),
    ]
    ranked = rank_units(units)
    assert [r.unit_id for r in ranked] == [3, 4, 1, 2]
    assert [r.label for r in ranked] == ["1/4", "2/4", "3/4", "4/4"]
    assert not any(r.tied for r in ranked)


def test_shares_not_counts_decide_so_a_big_unit_is_not_punished_for_its_size():
    big = _unit(1, tasks=40, overdue=2, reports_expected=40, reports_on_time=40)
    small = _unit(2, tasks=2, overdue=1, reports_expected=2, reports_on_time=2)
    assert [r.unit_id for r in rank_units([small, big])] == [1, 2]


def test_equal_units_share_a_rank_and_the_next_rank_skips():
    units = [
        _unit(1, name="Sở B", tasks=2, reports_expected=2, reports_on_time=2),
        _unit(2, name="Sở A", tasks=2, reports_expected=2, reports_on_time=2),
        _unit(3, name="Sở C", tasks=4, reports_expected=4, reports_on_time=4),
        _unit(4, tasks=2, overdue=1, reports_expected=2, reports_on_time=1),
    ]
    ranked = rank_units(units)
    # Same shares (0 overdue, all on time, none done): one rank, listed by name.
    assert [(r.counts.name, r.label, r.tied) for r in ranked] == [
        ("Sở A", "1/4", True),
        ("Sở B", "1/4", True),
        ("Sở C", "1/4", True),
        ("Đơn vị 4", "4/4", False),
    ]


def test_a_report_not_yet_due_is_not_held_against_the_unit():
    waiting = _unit(1, tasks=1, reports_expected=3, reports_on_time=1, reports_pending=2)
    assert waiting.reports_due == 1 and waiting.on_time_share == Fraction(1)
    assert waiting.on_time_percent == 100
    late = _unit(2, tasks=1, reports_expected=3, reports_on_time=1, reports_late=2)
    assert late.on_time_share == Fraction(1, 3)
    assert [r.unit_id for r in rank_units([late, waiting])] == [1, 2]


def test_nothing_owed_is_not_ranked_and_nothing_due_counts_as_on_time():
    idle = _unit(1)
    fresh = _unit(2, tasks=3)
    ranked = rank_units([idle, fresh])
    assert [r.unit_id for r in ranked] == [2]
    assert ranked[0].label == "1/1"
    assert fresh.on_time_percent is None and fresh.on_time_share == 1
    assert rank_units([]) == []


def test_the_best_spotless_units_are_commended_and_the_last_ones_pushed():
    units = [
        _unit(i, tasks=4, done=4 - i % 4, reports_expected=4, reports_on_time=4)
        for i in range(1, 5)
    ]
    units += [
        _unit(10 + i, tasks=4, overdue=i, reports_expected=4, reports_on_time=4 - i)
        for i in (1, 2, 3)
    ]
    ranked = rank_units(units, highlight=3)
    marks = [r.mark for r in ranked]
    assert marks[:3] == [Mark.COMMEND] * 3
    assert marks[-3:] == [Mark.PUSH] * 3
    assert marks[3] is Mark.NONE
    assert Mark.COMMEND.label == "Biểu dương" and Mark.PUSH.label == "Cần đôn đốc"


def test_no_one_is_pushed_who_has_nothing_late_nor_commended_who_has():
    clean = [_unit(i, tasks=1, reports_expected=1, reports_on_time=1) for i in range(1, 4)]
    ranked = rank_units(clean, highlight=3)
    assert all(r.mark is Mark.COMMEND for r in ranked)
    troubled = [_unit(i, tasks=1, overdue=1, reports_expected=1) for i in range(1, 4)]
    assert all(r.mark is Mark.PUSH for r in rank_units(troubled, highlight=3))
    # One unit alone is neither.
    assert rank_units([clean[0]])[0].mark is Mark.NONE
