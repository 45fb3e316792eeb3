"""Reporting periods and the progress each unit reports on each assignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dean06.core.models import BaseModel


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"
    HALF_YEAR = "half_year", "6 tháng"
    YEAR = "year", "Năm"


class ReportingPeriod(BaseModel):
    """A reporting period. A month per Decree 09/2019 runs from the 15th of the previous month to
    the 14th of the month; `label` is what people call it ("Tháng 7/2024")."""

    kind = models.CharField("loại kỳ", max_length=16, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("số kỳ trong năm")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    due_date = models.DateField("hạn báo cáo")
    label = models.CharField("tên kỳ", max_length=50)
    is_closed = models.BooleanField("đã khóa", default=False)

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_range"),
        ]

    def __str__(self) -> str:
        return self.label


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã gửi"
    APPROVED = "approved", "Lãnh đạo đơn vị đã duyệt"
    ACCEPTED = "accepted", "Thường trực đã tiếp nhận"
    RETURNED = "returned", "Trả lại"


class ProgressReport(BaseModel):
    """What a unit reports on one assignment for one period (draft → submitted → approved →
    accepted, or returned)."""

    assignment = models.ForeignKey(
        "plans.Assignment",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name="phân công",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name="kỳ báo cáo",
    )
    status = models.CharField(
        "trạng thái", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    progress = models.TextField("tiến độ, kết quả thực hiện", blank=True)
    percent_complete = models.PositiveSmallIntegerField(
        "tỷ lệ hoàn thành (%)", null=True, blank=True
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result_document = models.CharField("văn bản kết quả", max_length=255, blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    version = models.PositiveIntegerField("phiên bản", default=1)
    source = models.CharField("nguồn", max_length=32, default="web")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người gửi",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name="gửi lúc")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người duyệt",
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name="duyệt lúc")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tiếp nhận",
    )
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name="tiếp nhận lúc")

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["period", "assignment"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="progress_unique_assignment_period"
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
                name="progress_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.period}"
