"""For the machines that watch dean06: `/healthz` (database, worker, disk), open without signing
in, 503 when this process cannot serve."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dean06.core.health import health


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    state = health()
    return JsonResponse(state.as_json(), status=200 if state.serving else 503)
