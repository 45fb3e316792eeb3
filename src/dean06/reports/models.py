"""Generated consolidated reports, kept so that each can be downloaded and reproduced."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dean06.core.models import BaseModel


class GeneratedReport(BaseModel):
    period = models.ForeignKey(
        "tracking.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="generated_reports",
        verbose_name="kỳ báo cáo",
    )
    format = models.CharField("định dạng", max_length=8)
    file = models.FileField("tệp", upload_to="reports/%Y/%m/")
    data_sha256 = models.CharField("dấu vân tay dữ liệu", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tạo",
    )

    class Meta:
        verbose_name = "báo cáo đã tạo"
        verbose_name_plural = "báo cáo đã tạo"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.period} ({self.format})"
