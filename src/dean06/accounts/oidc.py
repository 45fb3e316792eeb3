"""Single sign-on through the province's OpenID provider (mozilla-django-oidc), when configured.

Who may sign in is decided here, not by the provider: a person signs in as the dean06 account
whose e-mail (or user name, DEAN06_OIDC_MATCH) the provider vouches for; no account, several
accounts, a disabled account or an unverified e-mail is a refusal. Accounts are created on first
sign-in only when the province says so (DEAN06_OIDC_CREATE_USERS=1), with no role and no unit:
the secretariat gives them. Every sign-in and every refusal is in the audit log.

On top of the library: the ID token's audience and issuer are checked (the library checks
neither), the user information must be about the token's subject, endpoints left unset are read
from the issuer's discovery document when first needed (never at start-up, so a provider that is
down does not stop password sign-in), and a session ends when its account is disabled.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from dean06.config import oidc_url_checked
from dean06.core.audit import audit_record

logger = logging.getLogger(__name__)

VIA = "Đăng nhập một lần (OIDC)"
FAILED = (
    "Không đăng nhập một lần (SSO) được. Tài khoản của bạn có thể chưa được cấp "
    "trong hệ thống hoặc đã bị khóa; vui lòng liên hệ Thường trực Tổ công tác."
)
UNAVAILABLE = (
    "Chưa kết nối được với máy chủ đăng nhập một lần (SSO). Vui lòng thử lại sau hoặc đăng nhập "
    "bằng tên đăng nhập và mật khẩu."
)

# Each endpoint setting and its name in the provider's discovery document.
DISCOVERED_AS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def _setting(name: str) -> Any:
    """An OIDC setting (dean06.settings adds them from `OIDCProvider.django_settings` only when
    single sign-on is on, so they are not declared for the type checker)."""
    return getattr(settings, name)


class ProviderUnavailableError(Exception):
    """The provider's discovery document could not be read or does not fit."""


def discovery() -> dict[str, Any]:
    """The issuer's `/.well-known/openid-configuration`, kept for an hour per process."""
    issuer: str = _setting("OIDC_OP_ISSUER")
    if not issuer:
        raise ProviderUnavailableError("no issuer configured")
    kept = _discovered.get(issuer)
    if kept is not None and time.monotonic() - kept[0] < DISCOVERY_SECONDS:
        return kept[1]
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=_setting("OIDC_TIMEOUT"))
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailableError(f"{url}: {exc}") from exc
    # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was asked about.
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnavailableError(f"{url} names another issuer")
    _discovered[issuer] = (time.monotonic(), document)
    return document


def endpoint(setting: str) -> str:
    """An endpoint: as configured, else as the issuer's discovery document says."""
    configured: str = getattr(settings, setting, "")
    if configured:
        return configured
    value = discovery().get(DISCOVERED_AS[setting], "")
    if not value:
        raise ProviderUnavailableError(f"the provider names no {DISCOVERED_AS[setting]}")
    try:
        return oidc_url_checked(DISCOVERED_AS[setting], str(value))
    except Exception as exc:  # a ConfigError: an http:// endpoint elsewhere than this machine
        raise ProviderUnavailableError(str(exc)) from exc


class SignInRefusedError(Exception):
    """A sign-in the provider vouched for but dean06 does not accept: `reason` is a code for the
    log, `text` the Vietnamese note, `user` the account concerned when one was found."""

    def __init__(self, reason: str, text: str, *, user: Any = None, claimed: str = "") -> None:
        super().__init__(text)
        self.reason, self.text, self.user, self.claimed = reason, text, user, claimed


def _record_sign_in(user: Any, match: str) -> None:
    audit_record(
        action="accounts.user.signed_in",
        actor=user,
        instance=user,
        object_repr=user.username,
        after={"method": "oidc", "matched_by": match},
        unit=user.unit,
        note=VIA,
    )


def _record_refusal(refusal: SignInRefusedError) -> None:
    user = refusal.user
    audit_record(
        action="accounts.user.sign_in_refused",
        actor=None,
        actor_label=VIA,
        object_type="accounts.user",
        object_id=user.pk if user is not None else "",
        object_repr=(user.username if user is not None else refusal.claimed) or "(không rõ)",
        after={"method": "oidc", "reason": refusal.reason},
        unit=getattr(user, "unit", None),
        note=f"{VIA}: {refusal.text}",
    )
    logger.warning("OIDC sign-in refused (%s): %s", refusal.reason, refusal.text)


class OIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # the library has no types
    """mozilla-django-oidc's backend with dean06's rules (module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the library's __init__: it reads every endpoint at once, and Django makes a backend
        # for each request of a signed-in user (`get_user`); the endpoints are read when a
        # sign-in needs them (the properties below).
        self.OIDC_RP_CLIENT_ID = _setting("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = _setting("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = _setting("OIDC_RP_SIGN_ALGO")
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802  (the library's name)
        return endpoint("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return endpoint("OIDC_OP_JWKS_ENDPOINT")

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        """The library's code flow; what goes wrong with the provider or its tokens is a
        refusal in the log and on the sign-in page, never an error page."""
        if request is None or not request.GET.get("code") or not request.GET.get("state"):
            return None  # a password sign-in, not ours
        try:
            return super().authenticate(request, **kwargs)
        except SignInRefusedError as refusal:
            _record_refusal(refusal)
        except (requests.RequestException, ProviderUnavailableError) as exc:
            _record_refusal(
                SignInRefusedError("provider", f"không liên lạc được nhà cung cấp: {exc}")
            )
        except SuspiciousOperation as exc:
            _record_refusal(SignInRefusedError("token", f"thẻ định danh không hợp lệ: {exc}"))
        return None

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """The signature, as the library checks it, and also the audience (this client) and,
        when an issuer is configured, the issuer: a token the provider made for another
        application, or another provider's token, is refused."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"unreadable token: {exc}") from exc
        alg = header.get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"algorithm {alg!r} is not {self.OIDC_RP_SIGN_ALGO!r}")
        issuer = _setting("OIDC_OP_ISSUER") or None
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                options={"require": ["aud", "iss", "sub"]},
                leeway=60,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"token refused: {exc}") from exc
        audience = claims.get("aud")
        # Core 1.0, 3.1.3.7: with several audiences, the token must be meant for this client.
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != self.OIDC_RP_CLIENT_ID
        ):
            raise SuspiciousOperation("token has several audiences and another azp")
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return True  # get_or_create_user says what is missing, in the log

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        info = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict):
            raise SignInRefusedError("userinfo", "thông tin người dùng không đọc được")
        # Core 1.0, 5.3.2: the user information must be about the token's subject.
        if str(info.get("sub", "")) != str(payload.get("sub", "")):
            raise SignInRefusedError("subject", "thông tin người dùng không khớp với thẻ định danh")
        claims = {**payload, **info}
        match: str = _setting("OIDC_MATCH_CLAIM")
        value = str(claims.get(match) or "").strip()
        if not value:
            raise SignInRefusedError("no_claim", f"nhà cung cấp không gửi {match}")
        if match == "email" and str(claims.get("email_verified", "")).lower() == "false":
            raise SignInRefusedError(
                "email_unverified",
                f"nhà cung cấp chưa xác minh địa chỉ thư {value}",
                claimed=value,
            )
        if match == "email":
            users = list(self.UserModel.objects.filter(email__iexact=value)[:2])
        else:
            users = list(self.UserModel.objects.filter(username=value)[:2])
        if len(users) > 1:
            raise SignInRefusedError(
                "several", f"nhiều tài khoản cùng {match} {value}", claimed=value
            )
        if users:
            user = users[0]
            if not user.is_active:
                raise SignInRefusedError(
                    "inactive", "tài khoản đã bị khóa", user=user, claimed=value
                )
        elif _setting("OIDC_CREATE_USER"):
            user = self.create_user(claims)
        else:
            raise SignInRefusedError(
                "no_account", f"không có tài khoản nào có {match} {value}", claimed=value
            )
        _record_sign_in(user, match)
        return user

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        """An account for a person the provider vouches for, with no role and no unit (they see
        nothing until the secretariat gives them), no usable password, audited."""
        field = self.UserModel._meta.get_field("username")
        email = str(claims.get("email") or "").strip()
        if str(claims.get("email_verified", "")).lower() == "false":
            email = ""
        candidates = [str(claims.get("preferred_username") or "").strip(), email]
        username = ""
        for candidate in filter(None, candidates):
            try:
                field.clean(candidate, None)
            except ValidationError:
                continue
            if not self.UserModel.objects.filter(username=candidate).exists():
                username = candidate
                break
        if not username:
            raise SignInRefusedError(
                "username_taken",
                "không tạo được tài khoản: tên đăng nhập đã có hoặc không hợp lệ",
                claimed=candidates[0] or email,
            )
        first, last = str(claims.get("given_name") or ""), str(claims.get("family_name") or "")
        if not (first or last):
            first, _, last = str(claims.get("name") or "").strip().rpartition(" ")
        user = self.UserModel(
            username=username,
            email=email,
            first_name=first[:150],
            last_name=last[:150],
            role="",
            unit=None,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password", "role"])
        user.save()
        audit_record(
            action="accounts.user.created",
            actor=None,
            actor_label=VIA,
            instance=user,
            object_repr=username,
            after={
                "username": username,
                "role": "",
                "unit": None,
                "email": email,
                "full_name": user.get_full_name(),
                "is_active": True,
            },
            note=f"{VIA}: tài khoản tạo ở lần đăng nhập đầu, chưa có vai trò và đơn vị.",
        )
        return user

    def get_user(self, user_id: Any) -> Any:
        # The library's get_user returns disabled accounts too: a session opened through the
        # provider would outlive the account's disabling. Django's own check, as for passwords.
        return ModelBackend.get_user(self, user_id)


class AuthenticateView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """`/oidc/authenticate/`: to the provider's sign-in page."""

    def __init__(self, **kwargs: Any) -> None:
        # Not the library's __init__: the provider's address may need its discovery document,
        # which `get` reads and whose absence it answers with a message.
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = _setting("OIDC_RP_CLIENT_ID")
        self.OIDC_OP_AUTH_ENDPOINT = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailableError as exc:
            logger.warning("OIDC provider unavailable: %s", exc)
            messages.error(request, UNAVAILABLE)
            return redirect(settings.LOGIN_URL)
        response: HttpResponse = super().get(request)
        return response


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """`/oidc/callback/`: back from the provider; a refusal returns to the sign-in page with
    the reason in general terms (the details are in the audit log)."""

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, FAILED)
        return redirect(settings.LOGIN_URL)


# Mounted at /oidc/ by dean06.urls when single sign-on is on; open before signing in.
urlpatterns = [
    path(
        "authenticate/",
        login_not_required(AuthenticateView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        login_not_required(CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
