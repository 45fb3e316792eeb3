"""Pages: thin views that call selectors and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from dean06.accounts.permissions import Action, can
from dean06.orgs.selectors import units_visible_to
from dean06.plans.selectors import assignments_visible_to, plans_visible_to, task_counts


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "unit_id", None) and not can(user, Action.VIEW_PROVINCE):
        # A unit's first page is its tasks: what is due, with a link to each report form.
        from dean06.web.views.tracking import unit_tasks

        return unit_tasks(request)
    units = units_visible_to(user)
    context = {
        "plans": plans_visible_to(user)[:20],
        "counts": task_counts(user),
        "unit_count": units.count(),
        "units_by_level": {
            level: units.filter(level=level).count()
            for level in ("province", "district", "commune")
        },
        "my_assignments": (
            None
            if user.sees_whole_province  # type: ignore[union-attr]
            else assignments_visible_to(user).order_by("task__due_date", "task__code")[:50]
        ),
    }
    return render(request, "web/home.html", context)


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own (before any page says where the icon is)."""
    return HttpResponsePermanentRedirect(static("dean06/favicon.svg"))


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
