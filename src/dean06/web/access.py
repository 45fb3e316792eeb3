"""Role checks for pages: decorators over `accounts.permissions`, where the rules live."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from dean06.accounts.permissions import Action, can

View = Callable[..., HttpResponse]


def require(action: Action) -> Callable[[View], View]:
    """A page for the users who may do `action` anywhere (`accounts.permissions` decides);
    the others get 403 with the reason in Vietnamese."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.user, action):
                raise PermissionDenied(f"Bạn không có quyền {action.label}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# The secretariat's pages of plan import.
require_manager = require(Action.IMPORT_PLAN)
