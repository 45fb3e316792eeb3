"""Template context shared by every page: the navigation for the signed-in user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import dean06
from dean06.accounts.permissions import Action, can
from dean06.notifications.selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("home", "Tổng quan"))
        if getattr(user, "unit_id", None):
            items[-1] = ("home", "Nhiệm vụ của đơn vị")
        items.append(("plan_list", "Kế hoạch"))
        if can(user, Action.ACCEPT_REPORT) or (
            getattr(user, "unit_id", None) and can(user, Action.APPROVE_REPORT, user.unit_id)
        ):
            items.append(("reports_waiting", "Báo cáo chờ xử lý"))
        if can(user, Action.SEE_COMPLETENESS):
            items.append(("completeness", "Tình hình báo cáo"))
        if can(user, Action.IMPORT_PLAN):
            items.append(("plan_import", "Nhập kế hoạch"))
        if can(user, Action.ACCEPT_REPORT):
            items.append(("report_import_start", "Nhập báo cáo tháng"))
        if can(user, Action.VIEW_GENERATED_REPORTS):
            items.append(("report_list", "Báo cáo tổng hợp"))
        # kpis and quality
        items.append(("kpis_index", "Số liệu DVC"))
        items.append(("kpis_indicators", "Chỉ tiêu"))
        items.append(("quality_findings", "Kiểm tra số liệu"))
        if can(user, Action.EDIT_RULES):
            items.append(("quality_rules", "Quy tắc kiểm tra"))
        items.append(("notifications_inbox", f"Thông báo ({unread_count(user)})"))
        if can(user, Action.ADMINISTER):
            items.append(("admin:index", "Quản trị"))
    return {"nav_items": items, "app_version": dean06.__version__}
