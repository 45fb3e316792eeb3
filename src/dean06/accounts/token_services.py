"""Making, revoking and checking the REST API's tokens (`accounts.tokens.ApiToken`).

A token reads `d06_<prefix>_<secret>`: the secret is 40 random bytes, the prefix finds the row,
and only the SHA-256 of the whole token is stored. Making and revoking are audited; the token
itself is never written anywhere but to the one who asked for it, once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from dean06.accounts.permissions import Action, can
from dean06.accounts.tokens import ApiScope, ApiToken
from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError

TOKEN_PREFIX = "d06"  # noqa: S105  (the label every token starts with, not a secret)
SECRET_BYTES = 40
# How often the "last used" time is written: not on every request of a busy integration.
TOUCH_EVERY = timedelta(minutes=1)
AUDITED_FIELDS = ["name", "user", "scope", "prefix", "last_used_at", "revoked_at"]


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_admin(by: Any) -> None:
    # `by=None` is the operator on the server (`dean06 api-token`), as for the other services.
    if by is not None and not can(by, Action.ADMINISTER):
        raise PermissionDeniedError("Chỉ quản trị hệ thống được cấp hoặc thu hồi khóa API.")


@transaction.atomic
def api_token_create(*, user: Any, name: str, scope: str, by: Any) -> NewToken:
    """A new token for the integration `name`, acting as `user` (its role and unit)."""
    _check_admin(by)
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Cần đặt tên cho khóa API (tên hệ thống kết nối).")
    if scope not in ApiScope.values:
        raise ApplicationError(
            "Phạm vi của khóa API là «read» (chỉ đọc) hoặc «write» (đọc và ghi)."
        )
    if not getattr(user, "is_active", False):
        raise ApplicationError(f"Tài khoản «{user}» đang bị khóa: không cấp khóa API được.")
    if ApiToken.objects.filter(name=name, revoked_at__isnull=True).exists():
        raise ApplicationError(f"Đã có khóa API đang dùng tên «{name}»: thu hồi khóa cũ trước.")
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    token = ApiToken(name=name, user=user, scope=scope, prefix=prefix, key_hash=token_hash(raw))
    token.full_clean()
    try:
        with transaction.atomic():
            token.save()
    except IntegrityError as exc:
        raise ApplicationError(f"Đã có khóa API đang dùng tên «{name}».") from exc
    audit_record(
        action="accounts.apitoken.created",
        actor=by,
        instance=token,
        after=snapshot(token, fields=AUDITED_FIELDS),
        unit=getattr(user, "unit", None),
    )
    return NewToken(token=token, secret=raw)


@transaction.atomic
def api_token_revoke(*, name: str, by: Any) -> ApiToken:
    """Revoke the active token of the integration `name`: it answers 401 from now on."""
    _check_admin(by)
    token = (
        ApiToken.objects.select_for_update()
        .filter(name=(name or "").strip(), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        raise NotFoundError(f"Không có khóa API đang dùng nào tên «{name}».")
    before = snapshot(token, fields=AUDITED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        action="accounts.apitoken.revoked",
        actor=by,
        instance=token,
        before=before,
        after=snapshot(token, fields=AUDITED_FIELDS),
    )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` stands for, with its owner (an active account), or None. Notes
    when it was last used (at most once a minute)."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, token_hash(raw.strip())):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        # Bookkeeping, like a user's last sign-in: not an audited change.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_owner(username: str) -> Any:
    """The account a token will act as, by its user name (for the command line)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFoundError(f"Không có tài khoản «{username}».")
    return user


def api_tokens_list() -> list[ApiToken]:
    return list(ApiToken.objects.select_related("user").order_by("name", "-created_at"))
