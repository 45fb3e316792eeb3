"""Accounts: a Django user with a role and, for unit roles, the one unit it acts for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from dean06.accounts import permissions
from dean06.accounts.roles import UNIT_ROLES, Role


class User(AbstractUser):
    role = models.CharField("vai trò", max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("điện thoại", max_length=32, blank=True)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in UNIT_ROLES)) | Q(unit__isnull=False),
                name="unit_role_needs_unit",
            ),
        ]

    # Shorthands of `accounts.permissions`, which holds the rules.
    @property
    def sees_whole_province(self) -> bool:
        return permissions.sees_whole_province(self)

    @property
    def manages_province(self) -> bool:
        return permissions.manages_province(self)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


from dean06.accounts.tokens import ApiToken  # noqa: E402, F401  (the REST API tokens)
