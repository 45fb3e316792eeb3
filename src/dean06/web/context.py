"""Template context shared by every page: the navigation for the signed-in user's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

import dean06
from dean06.accounts.permissions import Action, can


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("home", "Tổng quan"))
        items.append(("plan_list", "Kế hoạch"))
        if can(user, Action.IMPORT_PLAN):
            items.append(("plan_import", "Nhập kế hoạch"))
        # kpis and quality
        items.append(("kpis_index", "Số liệu DVC"))
        items.append(("kpis_indicators", "Chỉ tiêu"))
        items.append(("quality_findings", "Kiểm tra số liệu"))
        if can(user, Action.EDIT_RULES):
            items.append(("quality_rules", "Quy tắc kiểm tra"))
        if can(user, Action.ADMINISTER):
            items.append(("admin:index", "Quản trị"))
    return {"nav_items": items, "app_version": dean06.__version__}
