"""The notices people read: a returned report tells its author (e-mail and inbox), the inbox page
with its unread count in the menu, marking read, and the secretariat's log of every notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models

from dean06.core.audit import action_label
from dean06.core.models import AuditEntry
from dean06.notifications.models import InboxItem, Notification
from dean06.notifications.services import notify_report_returned, reminders_round
from dean06.tracking.models import ProgressReport, ReportStatus
from tests.web.test_pages_speak_vietnamese import INTERNAL, _Reader

pytestmark = pytest.mark.django_db

OFFICER = "canbo@so-a.gov.vn"


def _visible(response) -> str:
    reader = _Reader()
    reader.feed(response.content.decode())
    return " ".join(" ".join(reader.parts).split())


def _internal_codes(text: str) -> list[str]:
    return [found for pattern, _ in INTERNAL for found in pattern.findall(text)]


def _send_report(client, province) -> ProgressReport:
    assignment = province["tasks"]["A.1"].assignments.get()
    client.force_login(province["officer"])
    response = client.post(
        f"/bao-cao/{assignment.pk}/2024/7/",
        {"state": "in_progress", "progress": "Đã rà soát 120 thủ tục", "action": "submit"},
    )
    assert response.status_code == 302
    return ProgressReport.objects.get(assignment=assignment)


def test_a_returned_report_tells_its_author_by_e_mail_and_in_the_inbox(province, smtp, client):
    report = _send_report(client, province)
    assert client.get("/").content.decode().count("Thông báo (0)") == 1
    secretariat = province["secretariat"]
    secretariat.first_name, secretariat.last_name = "Nguyễn Thị", "Hà"
    secretariat.save()
    client.force_login(secretariat)
    client.post(f"/bao-cao/phieu/{report.pk}/tra-lai/", {"comment": "Bổ sung số liệu tháng 7"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    received = smtp.mailbox.to(OFFICER)
    assert len(received) == 1 and received[0].rcpt_tos == [OFFICER]
    assert received[0].subject == "[Đề án 06] Báo cáo tháng 7/2024 bị trả lại: nhiệm vụ A.1"
    body = received[0].body
    assert "Lý do trả lại: Bổ sung số liệu tháng 7" in body
    assert "đã bị Nguyễn Thị Hà trả lại ngày 10/07/2024" in body
    assert "1. [18/KH-UBND] A.1 — Rà soát, cắt giảm thủ tục hành chính" in body
    entry = Notification.objects.get(kind="report_returned")
    assert entry.report == report and entry.recipients == [OFFICER]
    # Once per return: asking again sends nothing more.
    assert notify_report_returned(report_id=report.pk) == entry
    assert len(smtp.mailbox.to(OFFICER)) == 1

    client.force_login(province["officer"])
    home = client.get("/").content.decode()
    assert "Thông báo (1)" in home
    inbox = client.get("/thong-bao/")
    text = _visible(inbox)
    assert "Báo cáo bị trả lại" in text and "Bổ sung số liệu tháng 7" in text
    assert "Mới" in text and _internal_codes(text) == []
    item = InboxItem.objects.get(user=province["officer"])
    client.post("/thong-bao/da-doc/", {"muc": item.pk})
    item.refresh_from_db()
    assert item.read_at is not None
    assert "Thông báo (0)" in client.get("/").content.decode()
    assert AuditEntry.objects.filter(
        action="notifications.inboxitem.read", object_id=str(item.pk)
    ).exists()


def test_nobody_marks_another_persons_notice_read(province, smtp, client, make_user):
    reminders_round(dt.date(2024, 7, 12), dry_run=False)
    item = InboxItem.objects.get(user=province["officer"])
    client.force_login(province["leader"])
    client.post("/thong-bao/da-doc/", {"muc": item.pk})
    client.post("/thong-bao/da-doc/")
    item.refresh_from_db()
    assert item.read_at is None
    client.force_login(province["officer"])
    client.post("/thong-bao/da-doc/")
    item.refresh_from_db()
    assert item.read_at is not None


def test_the_log_shows_every_notice_to_the_secretariat_only(province, smtp, client):
    smtp.stop()
    reminders_round(dt.date(2024, 7, 12), dry_run=False)  # Sở A fails, Sở B has no one
    smtp.start()
    reminders_round(dt.date(2024, 7, 16), dry_run=False)

    client.force_login(province["officer"])
    assert client.get("/thong-bao/nhat-ky/").status_code == 403
    assert "Nhật ký gửi thông báo" not in client.get("/thong-bao/").content.decode()

    client.force_login(province["secretariat"])
    assert "/thong-bao/nhat-ky/" in client.get("/thong-bao/").content.decode()
    page = client.get("/thong-bao/nhat-ky/")
    text = _visible(page)
    assert page.status_code == 200
    for words in (
        "Sắp đến hạn báo cáo",
        "Quá hạn báo cáo",
        "Đơn vị chưa có người nhận nhắc việc",
        "Gửi không được",
        "Không có người nhận",
        "Không kết nối được máy chủ thư",
        "Sở Chưa Có Tài Khoản",
        OFFICER,
    ):
        assert words in text, words
    assert _internal_codes(text) == []
    entries = Notification.objects.count()
    assert f"Nhật ký gửi thông báo ({entries})" in text
    # SMTP was down on the 12th: Sở A's reminder and the note to the secretariat failed.
    failed = client.get("/thong-bao/nhat-ky/?trang_thai=failed")
    assert "Nhật ký gửi thông báo (2)" in _visible(failed)
    late = client.get("/thong-bao/nhat-ky/?loai=overdue_report")
    assert "Nhật ký gửi thông báo (2)" in _visible(late)
    unit_b = province["unit_b"]
    only_b = client.get(f"/thong-bao/nhat-ky/?don_vi={unit_b.pk}&ky={province['period'].pk}")
    assert "Nhật ký gửi thông báo (2)" in _visible(only_b)


def test_every_field_has_a_vietnamese_label_and_every_action_reads_as_words():
    for model in apps.get_app_config("notifications").get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and not field.auto_created:
                assert str(field.verbose_name) != field.name.replace("_", " "), field.name
    assert action_label("notifications.notification.sent") == "Thông báo: đã gửi"
    assert action_label("notifications.notification.send_failed") == "Thông báo: gửi không được"
    assert action_label("notifications.notification.unaddressed") == (
        "Thông báo: không có người nhận"
    )
    assert action_label("notifications.inboxitem.read") == "Thông báo trên hệ thống: đã đọc"
