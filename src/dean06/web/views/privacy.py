"""The notice of personal data (Decree 13/2023/NĐ-CP): what dean06 keeps about people, why, who
sees it and for how long — readable by anyone, signed in or not."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def personal_data(request: HttpRequest) -> HttpResponse:
    context = {
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "web/personal_data.html", context)
