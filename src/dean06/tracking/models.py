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
    """draft → submitted (by the officer) → approved (by the unit leader, or straight on where
    the unit has no leader account) → accepted or returned (by the secretariat). A leader may
    return to the officer too. Accepted reports lock; a correction starts a new revision."""

    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Chờ lãnh đạo đơn vị duyệt"
    APPROVED = "approved", "Chờ Thường trực tiếp nhận"
    ACCEPTED = "accepted", "Thường trực đã tiếp nhận"
    RETURNED = "returned", "Bị trả lại"


class ProgressState(models.TextChoices):
    """What the unit says of its work (the four words of Vietnamese progress reports)."""

    NOT_STARTED = "not_started", "Chưa triển khai"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    RECURRING = "recurring", "Thực hiện thường xuyên"


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
    state = models.CharField(
        "tình hình thực hiện", max_length=16, choices=ProgressState.choices, blank=True
    )
    progress = models.TextField("tiến độ, kết quả thực hiện", blank=True)
    figures = models.TextField("số liệu cụ thể", blank=True)
    late_reason = models.TextField("lý do báo cáo muộn", blank=True)
    # A correction of an accepted report is a new revision; the accepted one stays in history.
    revision = models.PositiveIntegerField("lần báo cáo", default=1)
    percent_complete = models.PositiveSmallIntegerField(
        "tỷ lệ hoàn thành (%)", null=True, blank=True
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result_document = models.CharField("văn bản kết quả", max_length=255, blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người trả lại",
    )
    returned_at = models.DateTimeField("trả lại lúc", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người soạn",
    )
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


class ReportVersion(models.Model):
    """One revision of a report as it was sent and decided: the history a task page shows."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name="báo cáo tiến độ",
    )
    revision = models.PositiveIntegerField("lần báo cáo")
    content = models.JSONField("nội dung")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người gửi",
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    decision = models.CharField(
        "kết quả xem xét", max_length=16, choices=ReportStatus.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xem xét",
    )
    decided_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    comment = models.TextField("ý kiến", blank=True)

    class Meta:
        verbose_name = "phiên bản báo cáo"
        verbose_name_plural = "phiên bản báo cáo"
        # By the report's key, not its ordering (that would join period, task, plan, unit).
        ordering = ["report_id", "revision", "id"]

    def __str__(self) -> str:
        return f"{self.report} — lần {self.revision}"


class Evidence(BaseModel):
    """What proves a report: a document of the register, or an uploaded PDF, DOCX or image."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name="báo cáo tiến độ",
    )
    document = models.ForeignKey(
        "documents.DocumentRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="văn bản trong sổ",
    )
    file = models.FileField("tệp", upload_to="evidence/%Y/%m/", blank=True)
    filename = models.CharField("tên tệp", max_length=255, blank=True)
    content_type = models.CharField("loại tệp", max_length=100, blank=True)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    sha256 = models.CharField("dấu vân tay tệp", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
        ordering = ["report_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False) | ~Q(file=""),
                name="evidence_document_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.filename or str(self.document)
