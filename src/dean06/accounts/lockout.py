"""Lockout after repeated failed logins (django-axes): per account and per address.

`LockoutBackend` keeps the bookkeeping to logins made through a request (the sign-in page, the
admin); a login without one (Django's test `Client.login()`, a shell) goes to the next backend.
The client's address is the proxy's `X-Forwarded-For` last hop when dean06 runs behind one
(DEAN06_HTTPS=1), else the socket's address: behind a proxy every request comes from the proxy,
and locking that address would lock everyone out.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return str(forwarded.split(",")[-1].strip())
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_out(request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    """The page shown instead of signing in while an account or address is locked."""
    context = {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "registration/locked_out.html", context, status=429)
