"""Writes to accounts: the role groups and their permissions, creating users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from dean06.accounts.models import User
from dean06.accounts.roles import ROLE_PERMISSIONS, UNIT_ROLES, Role
from dean06.core.audit import audit_record
from dean06.core.exceptions import ApplicationError


def role_groups_ensure() -> dict[str, Group]:
    """One Django group per role, holding that role's permissions (idempotent)."""
    groups: dict[str, Group] = {}
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        if codes == ["*"]:
            perms = list(Permission.objects.all())
        else:
            perms = []
            for code in codes:
                app_label, codename = code.split(".")
                perm = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).first()
                if perm is not None:
                    perms.append(perm)
        group.permissions.set(perms)
        groups[role] = group
    return groups


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": user.role,
        "unit": user.unit.key if user.unit else None,
        "email": user.email,
        "full_name": user.get_full_name(),
        "is_active": user.is_active,
    }


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    unit: Any = None,
    email: str = "",
    full_name: str = "",
    by: Any = None,
) -> User:
    if role not in Role.values:
        raise ApplicationError(
            f"Vai trò không hợp lệ: {role}. Chọn một trong: {', '.join(Role.values)}."
        )
    if role in UNIT_ROLES and unit is None:
        raise ApplicationError("Cán bộ đầu mối và lãnh đạo đơn vị phải gắn với một đơn vị.")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"Tên đăng nhập '{username}' đã có.")
    first, _, last = full_name.strip().rpartition(" ")
    user = User(
        username=username,
        role=role,
        unit=unit if role in UNIT_ROLES else None,
        email=email,
        first_name=first,
        last_name=last,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    group = role_groups_ensure()[role]
    user.groups.add(group)
    audit_record(
        action="accounts.user.created",
        actor=by,
        instance=user,
        object_repr=username,
        after=_user_snapshot(user),
        unit=user.unit,
    )
    return user
