"""Writes to accounts: the role groups and their permissions, creating users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import FieldDoesNotExist, ValidationError
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


def _field_label(name: str) -> str:
    try:
        return str(getattr(User._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return "tài khoản"


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": user.role,
        "unit": user.unit.key if user.unit else None,
        "email": user.email,
        "full_name": user.get_full_name(),
        "is_active": user.is_active,
    }


def _check_username(username: str) -> None:
    """The rules of the user model's username field, told in Vietnamese (Django's own message
    for them has no Vietnamese translation)."""
    field = User._meta.get_field("username")
    try:
        field.clean(username, None)
    except ValidationError as exc:
        raise ApplicationError(
            "Tên đăng nhập không hợp lệ: cần từ 1 đến "
            f"{field.max_length} ký tự (đang có {len(username)}), chỉ gồm chữ cái, chữ số "
            "và các ký tự @ . + - _ (không có dấu cách)."
        ) from exc


# Vietnamese reasons for the validators of AUTH_PASSWORD_VALIDATORS, by error code; a validator
# added later without an entry here falls back to Django's (translated) message.
_PASSWORD_REASONS = {
    "password_too_short": "quá ngắn, cần ít nhất {min_length} ký tự",
    "password_too_common": "quá phổ biến, dễ bị đoán",
    "password_entirely_numeric": "không được chỉ gồm chữ số",
    "password_too_similar": "quá giống {verbose_name}",
}


def _check_password(password: str, user: User) -> None:
    """Django's password validators (those the admin's forms run), with Vietnamese reasons."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        reasons = []
        for error in exc.error_list:
            template = _PASSWORD_REASONS.get(error.code or "")
            params = error.params if isinstance(error.params, dict) else {}
            try:
                reason = template.format(**params) if template else ""
            except (KeyError, IndexError):
                reason = ""
            reasons.append(reason or " ".join(error.messages))
        raise ApplicationError(f"Mật khẩu không đạt yêu cầu: {'; '.join(reasons)}.") from exc


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
    usable_password: bool = True,
) -> User:
    """Create an account. With `usable_password=False` it cannot sign in until an administrator
    sets a password (a unit's focal officer registered before anyone has handed out accounts)."""
    if role not in Role.values:
        raise ApplicationError(
            f"Vai trò không hợp lệ: {role}. Chọn một trong: {', '.join(Role.values)}."
        )
    if role in UNIT_ROLES and unit is None:
        raise ApplicationError("Cán bộ đầu mối và lãnh đạo đơn vị phải gắn với một đơn vị.")
    _check_username(username)
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
    if usable_password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError(
            "Thông tin tài khoản không hợp lệ: "
            + "; ".join(
                f"{_field_label(name)}: {' '.join(messages)}"
                for name, messages in exc.message_dict.items()
            )
        ) from exc
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


def login_unlock(*, username: str = "", address: str = "", by: Any) -> int:
    """Lift the lockout of an account or of an address (django-axes) and record who did it;
    returns how many lockout records were cleared."""
    from axes.utils import reset

    username, address = username.strip(), address.strip()
    if not username and not address:
        raise ApplicationError("Cho biết tài khoản hoặc địa chỉ cần mở khóa.")
    cleared = int(reset(ip=address or None, username=username or None))
    what = ", ".join(
        x
        for x in (
            f"tài khoản {username}" if username else "",
            f"địa chỉ {address}" if address else "",
        )
        if x
    )
    audit_record(
        action="accounts.lockout.unlocked",
        actor=by,
        object_type="accounts.lockout",
        object_id=username or address,
        object_repr=what,
        before={"locked_records": cleared},
        after={"locked_records": 0},
        note=f"Mở khóa đăng nhập: {what}",
    )
    return cleared
