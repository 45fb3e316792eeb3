"""Tokens of the REST API: one per integration (another system), revocable, read or write.

Only a SHA-256 hash of the token is stored, with a short prefix to find it; the token itself is
shown once, when it is made (`dean06 api-token create`). A token acts with its owner's role and
unit: the same rules as the pages (`accounts.permissions`), narrowed further to reading when its
scope is `read`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dean06.core.models import BaseModel


class ApiScope(models.TextChoices):
    READ = "read", "Chỉ đọc"
    WRITE = "write", "Đọc và ghi"


class ApiToken(BaseModel):
    name = models.CharField("tên hệ thống kết nối", max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name="tài khoản sở hữu",
    )
    scope = models.CharField("phạm vi", max_length=8, choices=ApiScope.choices)
    prefix = models.CharField("tiền tố", max_length=16, unique=True)
    key_hash = models.CharField("mã băm của khóa", max_length=64)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "khóa API"
        verbose_name_plural = "khóa API"
        ordering = ["name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(revoked_at__isnull=True),
                name="apitoken_unique_active_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scope_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
