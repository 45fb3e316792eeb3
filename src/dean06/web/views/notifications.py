"""Pages of notifications: a person's inbox (mark read) and, for the secretariat and
administrators, the log of every notice sent with what each channel did."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dean06.accounts.permissions import Action, can
from dean06.notifications import selectors
from dean06.notifications.channels import channel_label
from dean06.notifications.models import (
    NOTIFICATION_KINDS,
    DeliveryStatus,
    Notification,
    NotificationStatus,
)
from dean06.notifications.services import notification_mark_read
from dean06.web.access import require
from dean06.web.forms_notifications import LogFilterForm, MarkReadForm, PageForm
from dean06.web.redirects import next_url

PAGE_SIZE = 30
LOG_PAGE_SIZE = 50


def _page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["trang"] = str(number)
    return f"?{query.urlencode()}"


def _deliveries(notification: Notification) -> list[dict[str, Any]]:
    """What each channel did, in words."""
    out = []
    for delivery in notification.deliveries or []:
        status = delivery.get("status", "")
        out.append(
            {
                "channel": channel_label(delivery.get("channel", "")),
                "status": DeliveryStatus(status).label if status in DeliveryStatus.values else "—",
                "ok": status == DeliveryStatus.SENT,
                "recipients": delivery.get("recipients") or [],
                "error": delivery.get("error", ""),
                "note": delivery.get("note", ""),
            }
        )
    return out


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices, newest first, unread ones marked."""
    items = selectors.inbox_for(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(PageForm(request.GET).page())
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread": selectors.unread_count(request.user),
            "can_see_log": can(request.user, Action.SEND_REMINDERS),
            "previous_link": _page_link(request, page.previous_page_number())
            if page.has_previous()
            else "",
            "next_link": _page_link(request, page.next_page_number()) if page.has_next() else "",
        },
    )


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (`muc`) or all of them read."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Không tìm thấy thông báo cần đánh dấu.")
        return HttpResponseRedirect(next_url(request, reverse("notifications_inbox")))
    ids = form.item_ids()
    changed = notification_mark_read(by=request.user, item_ids=ids)
    if ids is None:
        messages.success(request, f"Đã đánh dấu {changed} thông báo là đã đọc.")
    return HttpResponseRedirect(next_url(request, reverse("notifications_inbox")))


@require_GET
@require(Action.SEND_REMINDERS)
def log(request: HttpRequest) -> HttpResponse:
    """Every notice sent: by period, unit, kind and outcome."""
    form = LogFilterForm(request.GET)
    period, unit = form.value("ky"), form.value("don_vi")
    kind, status = form.value("loai"), form.value("trang_thai")
    entries = selectors.notification_log(
        request.user, period=period, unit=unit, kind=kind, status=status
    )
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(form.page())
    return render(
        request,
        "notifications/log.html",
        {
            "form": form,
            "page": page,
            "rows": [(n, _deliveries(n)) for n in page],
            "periods": selectors.log_periods(),
            "units": selectors.log_units(),
            "kinds": NOTIFICATION_KINDS,
            "statuses": NotificationStatus.choices,
            "picked": {
                "ky": period.pk if period else None,
                "don_vi": unit.pk if unit else None,
                "loai": kind,
                "trang_thai": status,
            },
            "previous_link": _page_link(request, page.previous_page_number())
            if page.has_previous()
            else "",
            "next_link": _page_link(request, page.next_page_number()) if page.has_next() else "",
        },
    )
