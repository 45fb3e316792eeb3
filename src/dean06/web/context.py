"""Template context shared by every page: the navigation for the signed-in user's role.

The menu is a list of entries; an entry is a link (URL name, label) or a group (label, links) that
opens as a drop-down (`<details>`: no script, keyboard-usable). Only what the role may open is
listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

import dean06
from dean06.accounts.permissions import Action, can
from dean06.notifications.selectors import unread_count


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str = ""
    children: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_group(self) -> bool:
        return bool(self.children)


def _group(label: str, links: list[tuple[str, str]]) -> list[NavEntry]:
    if not links:
        return []
    if len(links) == 1:
        return [NavEntry(links[0][1], links[0][0])]
    return [NavEntry(label, children=tuple(links))]


def nav_entries(user: Any) -> list[NavEntry]:
    """The menu of `user`'s role, in the order of the month's work."""
    if user is None or not user.is_authenticated:
        return []
    province = can(user, Action.VIEW_PROVINCE)
    unit_role = bool(getattr(user, "unit_id", None)) and not province
    entries: list[NavEntry] = []
    if unit_role:
        entries.append(NavEntry(_("Việc của đơn vị"), "home"))
    elif can(user, Action.ACCEPT_REPORT):
        entries.append(NavEntry(_("Việc cần làm"), "home"))
        entries.append(NavEntry(_("Bảng điều khiển"), "dashboard"))
    else:
        entries.append(NavEntry(_("Bảng điều khiển"), "home"))

    work: list[tuple[str, str]] = [("plan_list", _("Kế hoạch")), ("task_list", _("Nhiệm vụ"))]
    work.append(("unit_list", _("Đơn vị") if province else _("Đơn vị của tôi")))
    if can(user, Action.ACCEPT_REPORT) or (
        getattr(user, "unit_id", None) and can(user, Action.APPROVE_REPORT, user.unit_id)
    ):
        work.append(("reports_waiting", _("Báo cáo chờ xử lý")))
    if can(user, Action.SEE_COMPLETENESS):
        work.append(("completeness", _("Tình hình báo cáo")))
    work.append(("document_list", _("Văn bản")))
    entries += _group(_("Công việc"), work)

    figures = [
        ("kpis_index", _("Số liệu dịch vụ công")),
        ("kpis_indicators", _("Chỉ tiêu")),
        ("quality_findings", _("Kiểm tra số liệu")),
    ]
    if can(user, Action.IMPORT_PLAN):
        figures.append(("data_health", _("Sức khỏe dữ liệu")))
    if can(user, Action.EDIT_RULES):
        figures.append(("quality_rules", _("Quy tắc kiểm tra")))
    entries += _group(_("Số liệu"), figures)

    reports: list[tuple[str, str]] = []
    if can(user, Action.IMPORT_PLAN):
        reports.append(("plan_import", _("Nhập kế hoạch")))
    if can(user, Action.ACCEPT_REPORT):
        reports.append(("report_import_start", _("Nhập báo cáo tháng")))
    if can(user, Action.VIEW_GENERATED_REPORTS):
        reports.append(("report_list", _("Báo cáo tổng hợp")))
    entries += _group(_("Nhập và báo cáo"), reports)

    inbox = _("Thông báo (%(count)d)") % {"count": unread_count(user)}
    entries.append(NavEntry(inbox, "notifications_inbox"))
    if can(user, Action.ADMINISTER):
        entries.append(NavEntry(_("Quản trị"), "admin:index"))
    return entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "nav_entries": nav_entries(getattr(request, "user", None)),
        "app_version": dean06.__version__,
    }
