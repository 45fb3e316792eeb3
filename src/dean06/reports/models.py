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
    # What the file was made from, to make it again exactly after the data has changed: the
    # report's content as JSON (reports.content.MonthlyReport) and the template file used.
    snapshot = models.TextField("dữ liệu đã dùng (JSON)", blank=True)
    template_file = models.FileField("mẫu đã dùng", upload_to="reports/templates/", blank=True)
    template_sha256 = models.CharField("dấu vân tay mẫu", max_length=64, blank=True)
    as_of = models.DateField("số liệu tính đến ngày", null=True, blank=True)
    filename = models.CharField("tên tệp", max_length=255, blank=True)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    sha256 = models.CharField("dấu vân tay tệp", max_length=64, blank=True)
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
