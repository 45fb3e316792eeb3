"""Who may do what: the one place the role rules live.

Views, selectors, services and the admin ask `can(user, Action.X, unit)`; nothing else compares
roles. Unit roles (officer, leader) act on their own unit only; the secretariat and administrators
manage the province; provincial leaders read everything and change nothing. Who enters is not who
approves: a unit officer writes (figures, progress, explanations), its leader approves the unit's
reports, the secretariat accepts or returns them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dean06.accounts.roles import Role


class Action(StrEnum):
    # reading
    VIEW_PROVINCE = "view_province"  # every unit's data
    VIEW_UNIT = "view_unit"  # one unit's data (its own, for unit roles)
    # plans
    IMPORT_PLAN = "import_plan"
    # service figures, indicators and their targets
    ENTER_FIGURES = "enter_figures"
    SET_TARGETS = "set_targets"
    # data quality
    EXPLAIN_FINDING = "explain_finding"
    ACCEPT_FINDING = "accept_finding"  # accept or return an explanation
    RUN_RULES = "run_rules"
    EDIT_RULES = "edit_rules"
    # progress reports
    WRITE_REPORT = "write_report"  # draft, submit, correct
    APPROVE_REPORT = "approve_report"  # the unit leader's approval
    ACCEPT_REPORT = "accept_report"  # accept or return, the secretariat
    # the cycle
    SEE_COMPLETENESS = "see_completeness"
    SEND_REMINDERS = "send_reminders"
    # the consolidated report
    GENERATE_REPORT = "generate_report"
    VIEW_GENERATED_REPORTS = "view_generated_reports"
    # administration
    EDIT_DOCUMENTS = "edit_documents"  # the documents register
    ADMINISTER = "administer"  # accounts, catalogues, rules, settings

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.VIEW_PROVINCE: "xem số liệu toàn tỉnh",
    Action.VIEW_UNIT: "xem số liệu của đơn vị",
    Action.IMPORT_PLAN: "nhập kế hoạch",
    Action.ENTER_FIGURES: "nhập số liệu",
    Action.SET_TARGETS: "đặt chỉ tiêu",
    Action.EXPLAIN_FINDING: "giải trình cảnh báo",
    Action.ACCEPT_FINDING: "chấp nhận hoặc trả lại giải trình",
    Action.RUN_RULES: "chạy kiểm tra số liệu cả kỳ",
    Action.EDIT_RULES: "sửa quy tắc kiểm tra",
    Action.WRITE_REPORT: "soạn và gửi báo cáo tiến độ",
    Action.APPROVE_REPORT: "duyệt báo cáo của đơn vị",
    Action.ACCEPT_REPORT: "tiếp nhận hoặc trả lại báo cáo",
    Action.SEE_COMPLETENESS: "xem tình hình gửi báo cáo của các đơn vị",
    Action.SEND_REMINDERS: "gửi nhắc việc",
    Action.GENERATE_REPORT: "lập báo cáo tổng hợp",
    Action.VIEW_GENERATED_REPORTS: "xem và tải báo cáo tổng hợp",
    Action.EDIT_DOCUMENTS: "thêm, sửa văn bản triển khai",
    Action.ADMINISTER: "quản trị hệ thống",
}

_MANAGERS = frozenset({Role.ADMIN, Role.SECRETARIAT})
_PROVINCE = frozenset({Role.ADMIN, Role.SECRETARIAT, Role.PROVINCIAL_LEADER})

# Per action: the roles that may do it anywhere, and the unit roles that may do it for their own
# unit only.
_ANYWHERE: dict[Action, frozenset[Role]] = {
    Action.VIEW_PROVINCE: _PROVINCE,
    Action.VIEW_UNIT: _PROVINCE,
    Action.IMPORT_PLAN: _MANAGERS,
    Action.ENTER_FIGURES: _MANAGERS,
    Action.SET_TARGETS: _MANAGERS,
    Action.EXPLAIN_FINDING: frozenset(),
    Action.ACCEPT_FINDING: _MANAGERS,
    Action.RUN_RULES: _MANAGERS,
    Action.EDIT_RULES: frozenset({Role.ADMIN}),
    Action.WRITE_REPORT: frozenset(),
    Action.APPROVE_REPORT: frozenset(),
    Action.ACCEPT_REPORT: _MANAGERS,
    Action.SEE_COMPLETENESS: _PROVINCE,
    Action.SEND_REMINDERS: _MANAGERS,
    Action.GENERATE_REPORT: _MANAGERS,
    Action.VIEW_GENERATED_REPORTS: _PROVINCE,
    Action.EDIT_DOCUMENTS: _MANAGERS,
    Action.ADMINISTER: frozenset({Role.ADMIN}),
}
_OWN_UNIT: dict[Action, frozenset[Role]] = {
    Action.VIEW_UNIT: frozenset({Role.UNIT_OFFICER, Role.UNIT_LEADER}),
    Action.ENTER_FIGURES: frozenset({Role.UNIT_OFFICER}),
    Action.EXPLAIN_FINDING: frozenset({Role.UNIT_OFFICER}),
    Action.WRITE_REPORT: frozenset({Role.UNIT_OFFICER}),
    Action.APPROVE_REPORT: frozenset({Role.UNIT_LEADER}),
    Action.EDIT_DOCUMENTS: frozenset({Role.UNIT_OFFICER}),
}


def role_of(user: Any) -> Role | None:
    """The user's role; a Django superuser counts as an administrator."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    try:
        return Role(getattr(user, "role", "") or "")
    except ValueError:
        return None


def can(user: Any, action: Action, unit: Any = None) -> bool:
    """Whether `user` may do `action` — for `unit` (a Unit or its id) when the action concerns
    one unit's data. A unit role acts only on its own unit; without a unit it may not act."""
    role = role_of(user)
    if role is None:
        return False
    if role in _ANYWHERE[action]:
        return True
    if role not in _OWN_UNIT.get(action, frozenset()) or unit is None:
        return False
    unit_id = getattr(unit, "pk", unit)
    return unit_id is not None and unit_id == getattr(user, "unit_id", None)


def sees_whole_province(user: Any) -> bool:
    return can(user, Action.VIEW_PROVINCE)


def manages_province(user: Any) -> bool:
    """The secretariat and administrators: they run the province's cycle."""
    return role_of(user) in _MANAGERS


def is_administrator(user: Any) -> bool:
    return can(user, Action.ADMINISTER)


class SystemReader:
    """Who reads when a command runs (`dean06 status`, `dean06 remind`): the whole province, as a
    provincial leader does, and nothing more: commands that change data pass `by=None` to the
    services, which record the command's label in the audit log."""

    is_authenticated = True
    is_superuser = False
    is_active = True
    role = Role.PROVINCIAL_LEADER
    unit_id = None
    pk = None
    username = "dean06"

    @property
    def sees_whole_province(self) -> bool:
        return True

    @property
    def manages_province(self) -> bool:
        return False

    def get_full_name(self) -> str:
        return "dean06"
