"""A round of reminders against a real SMTP server in the test process: who receives what, in
Vietnamese, one message per unit, kind and period, never the same twice within the window,
units without an address reported to the secretariat, failures recorded and tried again."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.notifications.models import InboxItem, Notification, NotificationStatus
from dean06.notifications.services import reminders_round
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.services import ReportInput, progress_report_save
from tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db

OFFICER = "canbo@so-a.gov.vn"
LEADER = "lanhdao@so-a.gov.vn"
SECRETARIAT = "thuongtruc@congan.gov.vn"


def day(n: int) -> dt.date:
    return dt.date(2024, 7, n)


def kinds(result) -> dict[str, str]:
    return {n.unit.key: n.kind.value for n in result.reminders}


def test_before_the_due_day_each_unit_gets_one_message_listing_its_tasks(province, smtp):
    result = reminders_round(day(12), dry_run=False)

    assert kinds(result) == {"SO_A": "before_due", "SO_B": "before_due"}
    to_a = smtp.mailbox.to(OFFICER)
    assert len(to_a) == 1  # one message for two tasks, not one per task
    message = to_a[0]
    assert message.rcpt_tos == [OFFICER]  # before the due day: the officer, not the leader
    assert message.subject == "[Đề án 06] Nhắc báo cáo tháng 7/2024: hạn 15/07/2024, còn 3 ngày"
    assert message.message["From"] == "dean06@congan.bacgiang.gov.vn"
    body = message.body
    assert body.startswith("Kính gửi: Sở Thử nghiệm A")
    assert "1. [18/KH-UBND] A.1 — Rà soát, cắt giảm thủ tục hành chính" in body
    assert "2. [18/KH-UBND] A.2 — Làm sạch dữ liệu dân cư" in body
    assert "B.1" not in body  # another unit's task
    # The log: one entry per unit, kind and period, with the tasks and the addresses.
    entry = Notification.objects.get(unit=province["unit_a"])
    assert (entry.kind, entry.status, entry.period) == ("before_due", "sent", province["period"])
    assert entry.tasks == ["A.1", "A.2"] and entry.recipients == [OFFICER]
    assert {d["channel"]: d["status"] for d in entry.deliveries} == {
        "email": "sent",
        "in_app": "sent",
    }
    assert InboxItem.objects.filter(user=province["officer"], notification=entry).exists()
    assert not InboxItem.objects.filter(user=province["leader"]).exists()
    assert AuditEntry.objects.filter(
        action="notifications.notification.sent", object_id=str(entry.pk)
    ).exists()


def test_the_schedule_day_by_day(province, smtp, settings):
    """Due on the 15th, three days' notice: 12, 13, 14 before the day; 15 on it; after it,
    overdue, to the unit and its leader (a one-day window, so that every day sends)."""
    settings.REMIND_REPEAT_DAYS = 1
    seen: dict[int, tuple[str | None, list[str], str]] = {}
    for n in range(10, 19):
        reminders_round(day(n), dry_run=False)
        messages = smtp.mailbox.take()
        to_a = [m for m in messages if OFFICER in m.rcpt_tos]
        assert len(to_a) <= 1
        entry = Notification.objects.filter(unit=province["unit_a"], day=day(n)).first()
        seen[n] = (
            entry.kind if entry else None,
            sorted(to_a[0].rcpt_tos) if to_a else [],
            to_a[0].subject if to_a else "",
        )
    assert [seen[n][0] for n in range(10, 19)] == [
        None,
        None,
        "before_due",
        "before_due",
        "before_due",
        "due_today",
        "overdue_report",
        "overdue_report",
        "overdue_report",
    ]
    assert seen[14][2].endswith("hạn 15/07/2024, còn 1 ngày")
    assert seen[15][2] == "[Đề án 06] Hôm nay (15/07/2024) là hạn báo cáo tháng 7/2024"
    assert seen[15][1] == [OFFICER]
    assert seen[16][1] == sorted([OFFICER, LEADER])  # after the due day: the leader too
    assert seen[18][2] == (
        "[Đề án 06] Quá hạn báo cáo tháng 7/2024 (hạn 15/07/2024, đã quá 3 ngày)"
    )


def test_never_the_same_reminder_twice_within_the_window(province, smtp):
    reminders_round(day(12), dry_run=False)
    assert len(smtp.mailbox.take()) == 2  # Sở A, and the secretariat about Sở B
    # The same day again, then the next two days: nothing new.
    for n in (12, 13, 14):
        result = reminders_round(day(n), dry_run=False)
        assert result.reminders == [] and smtp.mailbox.take() == []
    # The due day is another kind of reminder: it goes.
    reminders_round(day(15), dry_run=False)
    assert [m.subject for m in smtp.mailbox.to(OFFICER)] == [
        "[Đề án 06] Hôm nay (15/07/2024) là hạn báo cáo tháng 7/2024"
    ]
    smtp.mailbox.take()
    reminders_round(day(16), dry_run=False)
    assert len(smtp.mailbox.to(OFFICER)) == 1
    smtp.mailbox.take()
    for n in (17, 18):
        reminders_round(day(n), dry_run=False)
        assert smtp.mailbox.take() == []
    # N (3) days after the last one, the same reminder goes again.
    reminders_round(day(19), dry_run=False)
    again = smtp.mailbox.to(OFFICER)
    assert len(again) == 1 and "đã quá 4 ngày" in again[0].subject
    counts = Notification.objects.filter(unit=province["unit_a"]).values_list("kind", "day")
    assert sorted(counts) == [
        ("before_due", day(12)),
        ("due_today", day(15)),
        ("overdue_report", day(16)),
        ("overdue_report", day(19)),
    ]


def test_a_unit_that_reported_is_not_reminded_and_the_list_shrinks(province, smtp):
    assignment = province["tasks"]["A.1"].assignments.get()
    progress_report_save(
        assignment=assignment,
        period=province["period"],
        data=ReportInput(state="in_progress", progress="Đã rà soát 120 thủ tục"),
        by=province["officer"],
        submit=True,
    )
    reminders_round(day(13), dry_run=False)
    body = smtp.mailbox.to(OFFICER)[0].body
    assert "A.2" in body and "A.1" not in body
    # Every task reported: nothing more for Sở A.
    progress_report_save(
        assignment=province["tasks"]["A.2"].assignments.get(),
        period=province["period"],
        data=ReportInput(state="in_progress", progress="Đã làm sạch 80% dữ liệu"),
        by=province["officer"],
        submit=True,
    )
    smtp.mailbox.take()
    result = reminders_round(day(20), dry_run=False)
    assert "SO_A" not in kinds(result) and smtp.mailbox.to(OFFICER) == []


def test_a_unit_without_an_account_is_logged_and_the_secretariat_is_told(province, smtp):
    result = reminders_round(day(12), dry_run=False)

    entry = Notification.objects.get(unit=province["unit_b"])
    assert entry.status == NotificationStatus.NO_RECIPIENT and entry.recipients == []
    assert entry.tasks == ["B.1"]
    assert AuditEntry.objects.filter(
        action="notifications.notification.unaddressed", object_id=str(entry.pk)
    ).exists()
    assert result.secretariat_told == ["SO_B"]
    told = smtp.mailbox.to(SECRETARIAT)
    assert len(told) == 1
    assert told[0].subject == "[Đề án 06] 1 đơn vị chưa nhận được nhắc việc qua thư điện tử"
    assert (
        "1. Sở Chưa Có Tài Khoản (đơn vị chưa có tài khoản): Sắp đến hạn báo cáo tháng 7/2024 "
        "(1 nhiệm vụ)"
    ) in told[0].body
    notice = Notification.objects.get(kind="unreached_units")
    assert InboxItem.objects.filter(user=province["secretariat"], notification=notice).exists()
    # Logged without a recipient counts as done: not again within the window, nor the notice.
    smtp.mailbox.take()
    reminders_round(day(13), dry_run=False)
    assert smtp.mailbox.take() == []
    assert Notification.objects.filter(kind="unreached_units").count() == 1


def test_an_account_without_e_mail_gets_the_inbox_and_the_secretariat_is_told(
    province, smtp, make_user
):
    officer_b = make_user(Role.UNIT_OFFICER, unit=province["unit_b"], email="")
    result = reminders_round(day(12), dry_run=False)

    notice = next(n for n in result.reminders if n.unit.key == "SO_B")
    assert notice.addresses == [] and notice.inbox == [officer_b.username]
    entry = Notification.objects.get(unit=province["unit_b"])
    assert entry.recipients == [] and entry.status == NotificationStatus.SENT
    assert InboxItem.objects.filter(user=officer_b, notification=entry).exists()
    assert result.secretariat_told == ["SO_B"]
    assert "chưa có thư điện tử" in smtp.mailbox.to(SECRETARIAT)[0].body


def test_the_unit_mailbox_receives_when_the_unit_has_no_account(province, smtp):
    unit_b = province["unit_b"]
    unit_b.email = "vanthu@so-b.gov.vn"
    unit_b.save()
    result = reminders_round(day(12), dry_run=False)
    assert [m.rcpt_tos for m in smtp.mailbox.to("vanthu@so-b.gov.vn")] == [["vanthu@so-b.gov.vn"]]
    assert result.secretariat_told == [] and smtp.mailbox.to(SECRETARIAT) == []


def test_a_task_turning_overdue_notifies_its_lead_units_once(province, smtp, make_user):
    plan = province["plan"]
    unit_a, unit_b = province["unit_a"], province["unit_b"]
    officer_b = make_user(Role.UNIT_OFFICER, unit=unit_b, email="canbo@so-b.gov.vn")
    shared = TaskFactory(
        plan=plan, code="C.1", content="Kết nối dữ liệu hộ tịch", due_date=day(10), order=4
    )
    AssignmentFactory(task=shared, unit=unit_a)
    AssignmentFactory(task=shared, unit=unit_b)
    # Due on the 10th: on the 10th it is not overdue yet.
    result = reminders_round(day(10), dry_run=False)
    assert "task_overdue" not in {n.kind.value for n in result.reminders}
    result = reminders_round(day(11), dry_run=False)
    overdue = {n.unit.key: n for n in result.reminders if n.kind.value == "task_overdue"}
    assert set(overdue) == {"SO_A", "SO_B"}
    to_a = [m for m in smtp.mailbox.to(OFFICER) if "quá hạn hoàn thành" in m.subject]
    assert len(to_a) == 1 and sorted(to_a[0].rcpt_tos) == sorted([OFFICER, LEADER])
    assert to_a[0].subject == "[Đề án 06] 1 nhiệm vụ đơn vị chủ trì đã quá hạn hoàn thành"
    assert "1. [18/KH-UBND] C.1 — Kết nối dữ liệu hộ tịch (hạn hoàn thành 10/07/2024)" in (
        to_a[0].body
    )
    assert len(smtp.mailbox.to(officer_b.email)) == 1
    # Sở B reports it done; a second task of Sở A turns overdue on the 14th.
    progress_report_save(
        assignment=shared.assignments.get(unit=unit_b),
        period=province["period"],
        data=ReportInput(state="done", completed_on=day(9), progress="Đã kết nối"),
        by=officer_b,
        submit=True,
    )
    second = TaskFactory(plan=plan, code="C.2", content="Số hóa hồ sơ", due_date=day(14), order=5)
    AssignmentFactory(task=second, unit=unit_a)
    smtp.mailbox.take()
    result = reminders_round(day(15), dry_run=False)
    overdue = {n.unit.key: n for n in result.reminders if n.kind.value == "task_overdue"}
    # Each task is named to a unit once: C.1 is not repeated, C.2 is new; Sở B has nothing.
    assert set(overdue) == {"SO_A"}
    assert [i.task.code for i in overdue["SO_A"].items] == ["C.2"]
    # Later rounds: nothing more about overdue tasks.
    smtp.mailbox.take()
    result = reminders_round(day(25), dry_run=False)
    assert "task_overdue" not in {n.kind.value for n in result.reminders}


def test_smtp_down_is_recorded_as_failed_and_tried_again_next_round(province, smtp):
    smtp.stop()
    result = reminders_round(day(12), dry_run=False)  # nothing raises

    entry = Notification.objects.get(unit=province["unit_a"])
    assert entry.status == NotificationStatus.FAILED
    assert entry.error.startswith("Thư điện tử: Không kết nối được máy chủ thư")
    deliveries = {d["channel"]: d for d in entry.deliveries}
    assert deliveries["email"]["status"] == "failed" and deliveries["in_app"]["status"] == "sent"
    assert AuditEntry.objects.filter(
        action="notifications.notification.send_failed", object_id=str(entry.pk)
    ).exists()
    assert result.failed == 1
    # The server is back: the next round sends the e-mail again, without a second inbox entry.
    smtp.start()
    reminders_round(day(13), dry_run=False)
    received = smtp.mailbox.to(OFFICER)
    assert len(received) == 1 and "còn 2 ngày" in received[0].subject
    retried = Notification.objects.filter(unit=province["unit_a"]).latest("id")
    assert retried.status == NotificationStatus.SENT
    assert {d["channel"]: d["status"] for d in retried.deliveries} == {
        "email": "sent",
        "in_app": "skipped",
    }
    assert InboxItem.objects.filter(user=province["officer"]).count() == 1
    # Sent now: not again within the window.
    smtp.mailbox.take()
    reminders_round(day(14), dry_run=False)
    assert smtp.mailbox.to(OFFICER) == []


def test_a_dry_run_sends_nothing_and_records_nothing(province, smtp):
    counts = (
        Notification.objects.count(),
        AuditEntry.objects.count(),
        InboxItem.objects.count(),
        ReportingPeriod.objects.count(),
    )
    result = reminders_round(day(16), dry_run=True)

    assert kinds(result) == {"SO_A": "overdue_report", "SO_B": "overdue_report"}
    a = next(n for n in result.reminders if n.unit.key == "SO_A")
    assert sorted(a.addresses) == sorted([OFFICER, LEADER]) and a.channels == ["email", "in_app"]
    assert result.secretariat_told == ["SO_B"]
    assert (
        Notification.objects.count(),
        AuditEntry.objects.count(),
        InboxItem.objects.count(),
        ReportingPeriod.objects.count(),
    ) == counts
    assert smtp.mailbox.messages == []
    # And it did not count as sent: the real round still sends.
    reminders_round(day(16), dry_run=False)
    assert len(smtp.mailbox.to(OFFICER)) == 1


def test_the_plan_of_2024_reminds_each_lead_unit_once(cycle, smtp, make_user):
    """On the real plan: Sở TT&TT leads many tasks; it gets one reminder listing them."""
    officer = cycle["officer"]
    officer.email = "stttt@bacgiang.gov.vn"
    officer.save()
    result = reminders_round(day(13), dry_run=False)
    mine = [n for n in result.reminders if n.unit.key == "STTTT"]
    assert {n.kind.value for n in mine} >= {"before_due"}
    assert len([n for n in mine if n.kind.value == "before_due"]) == 1
    before = smtp.mailbox.to("stttt@bacgiang.gov.vn")
    subjects = [m.subject for m in before]
    assert len(subjects) == len(set(subjects)) == len(mine)
    listed = next(m for m in before if "Nhắc báo cáo" in m.subject).body
    assert "B.1.3" in listed
    # Units without an account are many; the secretariat gets them in one notice.
    assert len(result.secretariat_told) > 5
    keys = [(n.unit.key, n.kind.value, n.period_key) for n in result.reminders]
    assert len(keys) == len(set(keys))


def test_a_new_channel_is_one_registered_class_and_the_rules_do_not_change(
    province, smtp, monkeypatch, settings
):
    """How Zalo or SMS would be added: a class registered once. Here a channel that texts the
    people who have a phone number, next to e-mail and the inbox."""
    from dean06.notifications import channels

    texted: list[tuple[str, str]] = []

    monkeypatch.setattr(channels, "_REGISTRY", dict(channels._REGISTRY))

    @channels.register_channel
    class TextMessageChannel(channels.Channel):
        name = "sms"
        label = "Tin nhắn"

        def addresses(self, notice):
            return [r.phone for r in notice.recipients if r.phone]

        def send(self, notice):
            to = self.addresses(notice)
            texted.extend((phone, notice.subject) for phone in to)
            status = channels.SENT if to else channels.SKIPPED
            return channels.Delivery(self.name, status, tuple(to))

    officer = province["officer"]
    officer.phone = "0912345678"
    officer.save()
    result = reminders_round(day(12), dry_run=False)

    a = next(n for n in result.reminders if n.unit.key == "SO_A")
    assert a.channels == ["email", "in_app", "sms"]
    assert sorted(a.addresses) == sorted([OFFICER, "0912345678"])
    assert texted == [("0912345678", smtp.mailbox.to(OFFICER)[0].subject)]
    entry = Notification.objects.get(unit=province["unit_a"])
    assert {d["channel"]: d["status"] for d in entry.deliveries}["sms"] == "sent"
    # A deployment may choose its channels: e-mail only.
    settings.NOTIFICATION_CHANNELS = ["email"]
    smtp.mailbox.take()
    reminders_round(day(15), dry_run=False)
    due = Notification.objects.get(unit=province["unit_a"], kind="due_today")
    assert [d["channel"] for d in due.deliveries] == ["email"]
    assert not InboxItem.objects.filter(notification=due).exists()
