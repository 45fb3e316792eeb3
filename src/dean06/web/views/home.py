"""The first page of each role (`/`): what to do next, with one click to act. The provincial
leader's is the dashboard; the secretariat's and administrators' "Việc cần làm"; a unit's the
reports it owes this period, those returned to correct, its figures and notices."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from dean06.accounts.permissions import Action, can, manages_province, role_of
from dean06.accounts.roles import Role
from dean06.core import clock
from dean06.kpis.selectors import services_active, stats_for_unit
from dean06.notifications.selectors import inbox_for
from dean06.orgs.models import Unit
from dean06.plans.selectors import plans_visible_to, task_counts
from dean06.quality.models import FindingStatus
from dean06.quality.selectors import findings_visible_to
from dean06.tracking import todo
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.periods import period_containing, previous_period
from dean06.web.views import dashboard as dashboard_views


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if role_of(user) == Role.PROVINCIAL_LEADER:
        return dashboard_views.dashboard_page(request)
    if manages_province(user):
        return _province_home(request)
    unit = Unit.objects.filter(pk=user.unit_id).first() if user.unit_id else None
    if unit is not None:
        return _unit_home(request, unit)
    return render(request, "web/home.html", {}, status=200)


def _province_home(request: HttpRequest) -> HttpResponse:
    """ "Việc cần làm" of the secretariat and administrators."""
    user: Any = request.user
    on = clock.today()
    work = todo.province_todo(user, on)
    return render(
        request,
        "web/home_province.html",
        {
            "todo": work,
            "findings": todo.short_of(findings_visible_to(user, status=FindingStatus.EXPLAINED)),
            "open_findings": findings_visible_to(user)
            .filter(status__in=[FindingStatus.OPEN, FindingStatus.RETURNED])
            .count(),
            "plans": plans_visible_to(user).order_by("-date", "-id")[: todo.SHORT],
            "counts": task_counts(user),
            "on": on,
        },
    )


def _figures_due(user: Any, unit: Unit, on: Any) -> dict[str, Any] | None:
    """The service figures the unit enters now (those of the last month closed, as the figures
    page chooses): how many services have figures stored, of how many followed."""
    if not can(user, Action.ENTER_FIGURES, unit):
        return None
    current = period_containing("month", on)
    month = previous_period("month", current.year, current.number)
    stored = ReportingPeriod.objects.filter(
        kind="month", year=month.year, number=month.number
    ).first()
    return {
        "year": month.year,
        "month": month.number,
        "label": month.label,
        "entered": len(stats_for_unit(unit, stored, "all")),
        "services": services_active().count(),
    }


def _unit_home(request: HttpRequest, unit: Unit) -> HttpResponse:
    """A unit's first page: reports owed this period (the button to each form), returned ones,
    the leader's approvals, figures to enter, unread notices."""
    user: Any = request.user
    on = clock.today()
    work = todo.unit_todo(user, unit, on)
    return render(
        request,
        "web/home_unit.html",
        {
            "todo": work,
            "unit": unit,
            "period": work.period if work else None,
            "can_write": bool(work and work.can_write),
            "figures": _figures_due(user, unit, on),
            "unread": todo.short_of(inbox_for(user).filter(read_at__isnull=True)),
            "open_findings": findings_visible_to(user)
            .filter(status__in=[FindingStatus.OPEN, FindingStatus.RETURNED])
            .count()
            if can(user, Action.EXPLAIN_FINDING, unit)
            else 0,
            "on": on,
        },
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own (before any page says where the icon is)."""
    return HttpResponsePermanentRedirect(static("dean06/favicon.svg"))
