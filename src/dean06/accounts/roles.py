"""The roles of dean06 (what each may do: `accounts.permissions`)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    SECRETARIAT = "secretariat", "Thường trực Tổ công tác"
    UNIT_OFFICER = "unit_officer", "Cán bộ đầu mối đơn vị"
    UNIT_LEADER = "unit_leader", "Lãnh đạo đơn vị"
    PROVINCIAL_LEADER = "provincial_leader", "Lãnh đạo tỉnh"


# Roles bound to exactly one unit: they see and change only that unit's data.
UNIT_ROLES = frozenset({Role.UNIT_OFFICER, Role.UNIT_LEADER})
# What each role may do is in `accounts.permissions`.

# Django permission codenames granted to each role's group (app_label.codename).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: ["*"],
    Role.SECRETARIAT: [
        "plans.add_plan",
        "plans.change_plan",
        "plans.view_plan",
        "plans.change_task",
        "plans.view_task",
        "plans.change_assignment",
        "plans.view_assignment",
        "orgs.view_unit",
        "tracking.view_progressreport",
        "tracking.change_progressreport",
        "kpis.view_servicestat",
        "kpis.change_servicestat",
        "documents.add_documentrecord",
        "documents.change_documentrecord",
        "documents.view_documentrecord",
    ],
    Role.UNIT_OFFICER: [
        "plans.view_plan",
        "plans.view_task",
        "plans.view_assignment",
        "orgs.view_unit",
        "tracking.add_progressreport",
        "tracking.change_progressreport",
        "tracking.view_progressreport",
        "kpis.add_servicestat",
        "kpis.change_servicestat",
        "kpis.view_servicestat",
    ],
    Role.UNIT_LEADER: [
        "plans.view_plan",
        "plans.view_task",
        "plans.view_assignment",
        "orgs.view_unit",
        "tracking.change_progressreport",
        "tracking.view_progressreport",
        "kpis.view_servicestat",
    ],
    Role.PROVINCIAL_LEADER: [
        "plans.view_plan",
        "plans.view_task",
        "plans.view_assignment",
        "orgs.view_unit",
        "tracking.view_progressreport",
        "kpis.view_servicestat",
        "documents.view_documentrecord",
    ],
}
