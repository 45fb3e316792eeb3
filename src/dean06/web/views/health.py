"""Data health: what in the stored data needs the secretariat's attention, each item linked to
the page where it is put right. Secretariat and administrators only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dean06.core.exceptions import PermissionDeniedError
from dean06.dashboard import health as reads


@require_GET
def data_health(request: HttpRequest) -> HttpResponse:
    try:
        health = reads.data_health(request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    return render(request, "health/index.html", {"health": health, "limit": reads.LIMIT})
