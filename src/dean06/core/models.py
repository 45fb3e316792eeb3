"""Shared model bases and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what, when, to which record, with the values before and after.

    Written by services inside the same transaction as the change it records.
    """

    action = models.CharField("hành động", max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who acted when no signed-in user did: the command and the operating-system user
    # ("dean06 import-plan (root)"), or the part of the system that made the change.
    actor_label = models.CharField("thực hiện bởi", max_length=200, blank=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=100)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=300, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhật ký thay đổi"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
