"""`dean06 remind`: one round by hand, its JSON shape (other tools read it), the dry run, and
the daily job of the worker (07:00 in Vietnam) running the same round."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dean06.cli import main
from dean06.core.models import AuditEntry
from dean06.notifications.models import InboxItem, Notification

pytestmark = pytest.mark.django_db

OFFICER = "canbo@so-a.gov.vn"
LEADER = "lanhdao@so-a.gov.vn"


def test_remind_as_json_lists_each_reminder_with_its_recipients(province, smtp, capsys):
    assert main(["remind", "--on", "2024-07-16", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["on"] == "2024-07-16" and data["dry_run"] is False
    by_unit = {r["unit"]: r for r in data["reminders"]}
    assert set(by_unit) == {"SO_A", "SO_B"}
    a = by_unit["SO_A"]
    assert {k: a[k] for k in ("unit", "unit_name", "kind", "period", "period_key", "tasks")} == {
        "unit": "SO_A",
        "unit_name": "Sở Thử nghiệm A",
        "kind": "overdue_report",
        "period": "Tháng 7/2024",
        "period_key": "2024-07",
        "tasks": ["A.1", "A.2"],
    }
    assert sorted(a["recipients"]) == sorted([OFFICER, LEADER])
    assert a["channels"] == ["email", "in_app"] and a["status"] == "sent"
    assert by_unit["SO_B"]["recipients"] == [] and by_unit["SO_B"]["status"] == "no_recipient"
    assert data["secretariat_told"] == ["SO_B"]
    assert len(smtp.mailbox.to(OFFICER)) == 1
    # The command's writes say where they came from.
    entry = AuditEntry.objects.filter(action="notifications.notification.sent").first()
    assert entry is not None and entry.actor_label.startswith("dean06 remind (")


def test_remind_dry_run_sends_nothing_and_records_nothing(province, smtp, capsys):
    before = (Notification.objects.count(), AuditEntry.objects.count(), InboxItem.objects.count())
    assert main(["remind", "--dry-run", "--on", "2024-07-12", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is True
    assert [(r["unit"], r["kind"], r["recipients"]) for r in data["reminders"]] == [
        ("SO_A", "before_due", [OFFICER]),
        ("SO_B", "before_due", []),
    ]
    assert all(r["status"] is None for r in data["reminders"])
    assert data["secretariat_told"] == ["SO_B"]
    after = (Notification.objects.count(), AuditEntry.objects.count(), InboxItem.objects.count())
    assert after == before
    assert smtp.mailbox.messages == []


def test_remind_as_a_table(province, smtp, capsys):
    assert main(["remind", "--dry-run", "--on", "2024-07-15"]) == 0
    out = capsys.readouterr().out
    assert "Nhắc việc (chạy thử: không gửi, không ghi) ngày 15/07/2024: 2 thông báo" in out
    assert "Hôm nay là hạn báo cáo" in out and "CHƯA CÓ NGƯỜI NHẬN" in out
    assert "Sẽ báo Thường trực: 1 đơn vị" in out


def test_a_bad_day_is_one_line(province, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["remind", "--on", "15/07/2024"])
    assert exit_.value.code == 2
    assert "không đúng dạng YYYY-MM-DD" in capsys.readouterr().err


def test_the_daily_job_runs_at_seven_in_vietnam_and_sends_one_round(province, smtp, settings):
    from huey.contrib.djhuey import HUEY

    from dean06.notifications.tasks import reminders_daily

    def scheduled(moment: dt.datetime) -> bool:
        return any(isinstance(t, reminders_daily.task_class) for t in HUEY.read_periodic(moment))

    # Huey keeps time in UTC: 07:00 in Vietnam is 00:00 UTC.
    assert HUEY.utc
    assert scheduled(dt.datetime(2024, 7, 12, 0, 0))
    assert not scheduled(dt.datetime(2024, 7, 12, 7, 0))
    assert not scheduled(dt.datetime(2024, 7, 12, 0, 1))
    settings.DEMO_TODAY = dt.date(2024, 7, 12)
    reminders_daily()  # the worker runs inline in tests
    assert len(smtp.mailbox.to(OFFICER)) == 1
    entry = AuditEntry.objects.filter(action="notifications.notification.sent").first()
    assert entry is not None and entry.actor_label == "dean06 (nhắc việc tự động)"
