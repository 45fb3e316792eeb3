"""The log of every notice sent (reminders, returned reports, notes to the secretariat) and
each person's in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dean06.core.models import BaseModel
from dean06.notifications.rules import KIND_LABELS


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi không được"
    NO_RECIPIENT = "no_recipient", "Không có người nhận"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi không được"
    SKIPPED = "skipped", "Bỏ qua"


NOTIFICATION_KINDS = [(kind.value, label) for kind, label in KIND_LABELS.items()]


class Notification(BaseModel):
    """One notice: a round's reminder to one unit for one kind and period (listing its tasks),
    a returned report's notice to its author, or a note to the secretariat. Its deliveries say
    what each channel did with it."""

    kind = models.CharField("loại thông báo", max_length=32, choices=NOTIFICATION_KINDS)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đơn vị",
    )
    period = models.ForeignKey(
        "tracking.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="kỳ báo cáo",
    )
    report = models.ForeignKey(
        "tracking.ProgressReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="báo cáo tiến độ",
    )
    # The day the round was run for (the application's day, or `dean06 remind --on`): the
    # repeat window counts in these days.
    day = models.DateField("ngày xét", db_index=True)
    subject = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung")
    tasks = models.JSONField("nhiệm vụ", default=list, blank=True)
    task_ids = models.JSONField("số định danh nhiệm vụ", default=list, blank=True)
    recipients = models.JSONField("địa chỉ nhận ngoài hệ thống", default=list, blank=True)
    deliveries = models.JSONField("kết quả theo kênh gửi", default=list, blank=True)
    status = models.CharField(
        "trạng thái",
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    error = models.TextField("lỗi", blank=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người gửi",
    )

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-day", "-id"]
        indexes = [
            models.Index(
                fields=["unit", "kind", "period", "day"], name="notification_unit_kind_day"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class InboxItem(BaseModel):
    """A notice in one person's inbox on the site (the in-app channel)."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="inbox", verbose_name="thông báo"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox",
        verbose_name="người nhận",
    )
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo trên hệ thống"
        verbose_name_plural = "thông báo trên hệ thống"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "user"], name="inbox_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.notification}"
