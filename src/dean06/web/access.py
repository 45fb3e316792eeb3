"""Role checks for pages, in one place (the unit rules themselves live in the selectors)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def require_manager(view: View) -> View:
    """Administrators and the secretariat only (they manage province-wide data)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "manages_province", False):
            raise PermissionDenied(
                "Chỉ Thường trực Tổ công tác và quản trị được dùng chức năng này."
            )
        return view(request, *args, **kwargs)

    return wrapper
