"""The register of documents issued to carry out the plans (Phụ lục I of the monthly report)."""

from __future__ import annotations

from django.db import models

from dean06.core.models import BaseModel


class DocumentType(models.TextChoices):
    PLAN = "KH", "Kế hoạch"
    DECISION = "QĐ", "Quyết định"
    NOTICE = "TB", "Thông báo"
    REPORT = "BC", "Báo cáo"
    LETTER = "CV", "Công văn"
    DIRECTIVE = "CT", "Chỉ thị"
    RESOLUTION = "NQ", "Nghị quyết"
    SUBMISSION = "TTr", "Tờ trình"
    OTHER = "KHAC", "Khác"


class DocumentGroup(models.TextChoices):
    CENTRAL = "central", "Văn bản của Trung ương"
    PROVINCE = "province", "Văn bản của UBND tỉnh"
    WORKING_GROUP = "working_group", "Văn bản của Tổ công tác Đề án 06 tỉnh"
    UNIT = "unit", "Văn bản của các sở, ngành, địa phương"
    OTHER = "other", "Khác"


class DocumentRecord(BaseModel):
    number = models.CharField("số, ký hiệu", max_length=100)
    doc_type = models.CharField(
        "loại văn bản", max_length=8, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    date = models.DateField("ngày ban hành", null=True, blank=True)
    date_raw = models.CharField("ngày (nguyên văn)", max_length=50, blank=True)
    summary = models.TextField("trích yếu")
    issuing_body = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    issuer_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="đơn vị ban hành",
    )
    group = models.CharField(
        "nhóm", max_length=16, choices=DocumentGroup.choices, default=DocumentGroup.OTHER
    )
    group_label = models.CharField("nhóm (nguyên văn)", max_length=255, blank=True)
    period = models.ForeignKey(
        "tracking.ReportingPeriod",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="kỳ báo cáo",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name="kế hoạch",
    )
    source = models.CharField("nguồn", max_length=64, blank=True)
    # The tasks a document carries out (a decision that assigns B.1.3, a report on A.2): chosen on
    # the register's page, shown with the task.
    tasks = models.ManyToManyField(
        "plans.Task", blank=True, related_name="documents", verbose_name="nhiệm vụ liên quan"
    )

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-date", "number"]
        indexes = [models.Index(fields=["number"])]

    def __str__(self) -> str:
        return f"{self.number} — {self.summary[:60]}"
