"""Who calls the API: a signed-in browser session (with Django's CSRF check on writes), or
another system with a bearer token (`accounts.tokens.ApiToken`). Either way the API acts as a
user: the session's, or the token's owner, with that user's role and unit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from dean06.accounts.token_services import api_token_authenticate
from dean06.accounts.tokens import ApiScope


class BrowserSession(SessionAuth):
    """The pages' session; writes need the CSRF token (header X-CSRFToken)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in session there is nothing to protect from forgery: the answer is
        # 401 (not signed in), not a CSRF refusal.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


class SystemToken(HttpBearer):
    """`Authorization: Bearer d06_…`: the integration's token, checked against its hash."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_authenticate(token)
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


session_auth = BrowserSession(csrf=True)
token_auth = SystemToken()
AUTH = [token_auth, session_auth]


def acting_user(request: HttpRequest) -> Any:
    """The user the request acts as (set by the authentication above)."""
    return request.auth  # type: ignore[attr-defined]


def writing_user(request: HttpRequest) -> Any:
    """The acting user of a write: a token must have the write scope."""
    token = getattr(request, "api_token", None)
    if token is not None and token.scope != ApiScope.WRITE:
        raise PermissionDenied("Khóa API này chỉ có quyền đọc: không ghi được dữ liệu.")
    return acting_user(request)


def schema_reader(request: HttpRequest) -> Any:
    """Who may read the schema and the docs: the secretariat and administrators, signed in or
    through their token. None for nobody signed in; PermissionDenied for the others."""
    user = request.user if request.user.is_authenticated else None
    if user is None:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() == "bearer" and raw:
            found = api_token_authenticate(raw)
            user = found.user if found is not None else None
    if user is None:
        return None
    if not user.manages_province:
        raise PermissionDenied(
            "Chỉ Thường trực Tổ công tác và quản trị hệ thống được xem tài liệu API."
        )
    return user
