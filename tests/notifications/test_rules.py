"""The reminder rules, pure: the schedule around the due day, one reminder per unit, kind and
period, the repeat window, the latest period only, overdue tasks once per task and unit."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.notifications.rules import (
    Kind,
    OverdueTask,
    Owed,
    Policy,
    Sent,
    TaskRef,
    reminders_due,
    report_kind,
)
from dean06.notifications.texts import Unreached, reminder_text, unreached_text

DUE = dt.date(2024, 7, 15)
A1 = TaskRef(1, "A.1", "18/KH-UBND", "Rà soát thủ tục")
A2 = TaskRef(2, "A.2", "18/KH-UBND", "Làm sạch dữ liệu")
B1 = TaskRef(3, "B.1", "18/KH-UBND", "Tuyên truyền")


def day(n: int, month: int = 7) -> dt.date:
    return dt.date(2024, month, n)


def owed_july(*pairs: tuple[str, TaskRef], due: dt.date = DUE) -> list[Owed]:
    return [Owed(unit, "2024-07", due, task) for unit, task in pairs]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (10, None),
        (11, None),
        (12, Kind.BEFORE_DUE),
        (13, Kind.BEFORE_DUE),
        (14, Kind.BEFORE_DUE),
        (15, Kind.DUE_TODAY),
        (16, Kind.OVERDUE_REPORT),
        (31, Kind.OVERDUE_REPORT),
    ],
)
def test_the_schedule_around_the_due_day(n, expected):
    assert report_kind(day(n), DUE, 3) is expected


def test_the_days_of_notice_are_a_setting():
    assert report_kind(day(10), DUE, 5) is Kind.BEFORE_DUE
    assert report_kind(day(14), DUE, 0) is None
    with pytest.raises(ValueError):
        Policy(days_before=3, repeat_days=0)


def test_one_reminder_per_unit_kind_and_period_listing_its_tasks():
    owed = owed_july(("SO_A", A1), ("SO_A", A2), ("SO_B", B1))
    out = reminders_due(day(12), owed=owed)
    assert [(r.unit, r.kind, r.period) for r in out] == [
        ("SO_A", Kind.BEFORE_DUE, "2024-07"),
        ("SO_B", Kind.BEFORE_DUE, "2024-07"),
    ]
    assert [i.task.code for i in out[0].items] == ["A.1", "A.2"]
    assert out[0].due == DUE and not out[0].to_leaders


def test_plans_with_different_due_days_make_separate_kinds():
    owed = [*owed_july(("SO_A", A1)), *owed_july(("SO_A", A2), due=day(10))]
    out = reminders_due(day(12), owed=owed)
    assert [(r.kind, [i.task.code for i in r.items]) for r in out] == [
        (Kind.BEFORE_DUE, ["A.1"]),
        (Kind.OVERDUE_REPORT, ["A.2"]),
    ]
    assert out[1].to_leaders


def test_never_the_same_twice_within_the_window():
    owed = owed_july(("SO_A", A1))
    sent = [Sent("SO_A", "before_due", "2024-07", day(12))]
    assert reminders_due(day(12), owed=owed, sent=sent) == []
    assert reminders_due(day(14), owed=owed, sent=sent) == []
    # Another kind is another reminder.
    assert [r.kind for r in reminders_due(day(15), owed=owed, sent=sent)] == [Kind.DUE_TODAY]
    overdue_sent = [Sent("SO_A", "overdue_report", "2024-07", day(16))]
    assert reminders_due(day(18), owed=owed, sent=overdue_sent) == []
    assert len(reminders_due(day(19), owed=owed, sent=overdue_sent)) == 1
    # A round run for an earlier day after a later one does not repeat it either.
    assert (
        reminders_due(day(17), owed=owed, sent=[Sent("SO_A", "overdue_report", "2024-07", day(19))])
        == []
    )
    # Another unit, another period: not the same reminder.
    other = [
        Sent("SO_B", "before_due", "2024-07", day(12)),
        Sent("SO_A", "before_due", "2024-06", day(12)),
    ]
    assert len(reminders_due(day(12), owed=owed, sent=other)) == 1


def test_the_repeat_window_is_a_setting():
    owed = owed_july(("SO_A", A1))
    sent = [Sent("SO_A", "overdue_report", "2024-07", day(16))]
    assert reminders_due(day(17), owed=owed, sent=sent, policy=Policy(3, 1)) != []
    assert reminders_due(day(22), owed=owed, sent=sent, policy=Policy(3, 7)) == []


def test_only_the_latest_period_past_due_is_reminded():
    june = Owed("SO_A", "2024-06", dt.date(2024, 6, 15), A1)
    july = Owed("SO_A", "2024-07", DUE, A1)
    # On the 10th of July, June is the latest past due (July is not due yet).
    out = reminders_due(day(10), owed=[june, july])
    assert [(r.kind, r.period) for r in out] == [(Kind.OVERDUE_REPORT, "2024-06")]
    # After the 15th, July replaces it.
    out = reminders_due(day(16), owed=[june, july])
    assert [(r.kind, r.period) for r in out] == [(Kind.OVERDUE_REPORT, "2024-07")]


def test_overdue_tasks_are_named_to_each_lead_unit_once_grouped():
    overdue = [
        OverdueTask("SO_A", A1, day(10)),
        OverdueTask("SO_A", A2, day(11)),
        OverdueTask("SO_B", A1, day(10)),
    ]
    out = reminders_due(day(12), overdue=overdue, task_period="2024-08")
    assert [(r.unit, r.kind, r.period, [i.task.code for i in r.items]) for r in out] == [
        ("SO_A", Kind.TASK_OVERDUE, "2024-08", ["A.1", "A.2"]),
        ("SO_B", Kind.TASK_OVERDUE, "2024-08", ["A.1"]),
    ]
    assert all(r.to_leaders for r in out)
    told = [Sent("SO_A", "task_overdue", "2024-07", day(1), frozenset({1}))]
    out = reminders_due(day(12), overdue=overdue, sent=told, task_period="2024-08")
    assert [(r.unit, [i.task.code for i in r.items]) for r in out] == [
        ("SO_A", ["A.2"]),
        ("SO_B", ["A.1"]),
    ]
    # Within the window, a new overdue task waits for it to pass (one reminder per period).
    recent = [Sent("SO_A", "task_overdue", "2024-08", day(11), frozenset({1}))]
    out = reminders_due(day(12), overdue=overdue, sent=recent, task_period="2024-08")
    assert [r.unit for r in out] == ["SO_B"]


def test_the_words_of_a_reminder_list_the_tasks_in_vietnamese():
    out = reminders_due(day(16), owed=owed_july(("SO_A", A1), ("SO_A", A2)))[0]
    text = reminder_text(
        out.kind,
        on=day(16),
        unit_name="Sở Tư pháp",
        period_label="Tháng 7/2024",
        items=out.items,
        due=out.due,
    )
    assert text.subject == "[Đề án 06] Quá hạn báo cáo tháng 7/2024 (hạn 15/07/2024, đã quá 1 ngày)"
    assert text.body.startswith("Kính gửi: Sở Tư pháp (cán bộ đầu mối và lãnh đạo đơn vị)")
    assert "1. [18/KH-UBND] A.1 — Rà soát thủ tục (hạn báo cáo 15/07/2024)" in text.body
    assert "2. [18/KH-UBND] A.2 — Làm sạch dữ liệu (hạn báo cáo 15/07/2024)" in text.body
    assert "lý do báo cáo muộn" in text.body
    notice = unreached_text(
        on=day(16),
        units=[
            Unreached("Sở Y tế", Kind.OVERDUE_REPORT, "Tháng 7/2024", 2, has_account=False),
            Unreached("Sở Y tế", Kind.TASK_OVERDUE, "Tháng 8/2024", 1, has_account=False),
            Unreached("Sở Xây dựng", Kind.OVERDUE_REPORT, "Tháng 7/2024", 3, has_account=True),
        ],
    )
    assert notice.subject == "[Đề án 06] 2 đơn vị chưa nhận được nhắc việc qua thư điện tử"
    assert (
        "1. Sở Y tế (đơn vị chưa có tài khoản): Quá hạn báo cáo tháng 7/2024 (2 nhiệm vụ); "
        "Nhiệm vụ quá hạn (1 nhiệm vụ)"
    ) in notice.body
    assert "2. Sở Xây dựng (tài khoản của đơn vị chưa có thư điện tử" in notice.body
