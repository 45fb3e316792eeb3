"""Every role × every action, the forbidden ones included: the one table of who may do what."""

from __future__ import annotations

import pytest

from dean06.accounts.permissions import Action, can
from dean06.accounts.roles import Role

ADM, SEC, OFF, LEA, PRO = (
    Role.ADMIN,
    Role.SECRETARIAT,
    Role.UNIT_OFFICER,
    Role.UNIT_LEADER,
    Role.PROVINCIAL_LEADER,
)
# action: (roles allowed for any unit, roles allowed for their own unit only)
EXPECTED: dict[Action, tuple[set[Role], set[Role]]] = {
    Action.VIEW_PROVINCE: ({ADM, SEC, PRO}, set()),
    Action.VIEW_UNIT: ({ADM, SEC, PRO}, {OFF, LEA}),
    Action.IMPORT_PLAN: ({ADM, SEC}, set()),
    Action.ENTER_FIGURES: ({ADM, SEC}, {OFF}),
    Action.SET_TARGETS: ({ADM, SEC}, set()),
    Action.EXPLAIN_FINDING: (set(), {OFF}),
    Action.ACCEPT_FINDING: ({ADM, SEC}, set()),
    Action.RUN_RULES: ({ADM, SEC}, set()),
    Action.EDIT_RULES: ({ADM}, set()),
    Action.WRITE_REPORT: (set(), {OFF}),
    Action.APPROVE_REPORT: (set(), {LEA}),
    Action.ACCEPT_REPORT: ({ADM, SEC}, set()),
    Action.SEE_COMPLETENESS: ({ADM, SEC, PRO}, set()),
    Action.SEND_REMINDERS: ({ADM, SEC}, set()),
    Action.GENERATE_REPORT: ({ADM, SEC}, set()),
    Action.VIEW_GENERATED_REPORTS: ({ADM, SEC, PRO}, set()),
    Action.EDIT_DOCUMENTS: ({ADM, SEC}, {OFF}),
    Action.ADMINISTER: ({ADM}, set()),
}


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(Action)


class _User:
    is_authenticated = True
    is_superuser = False

    def __init__(self, role, unit_id=None):
        self.role, self.unit_id = role, unit_id


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_role_and_action(role, action):
    anywhere, own_only = EXPECTED[action]
    unit_role = role in (Role.UNIT_OFFICER, Role.UNIT_LEADER)
    user = _User(role, unit_id=7 if unit_role else None)
    assert can(user, action, 8) is (role in anywhere)  # another unit's data
    assert can(user, action, 7) is (role in anywhere or role in own_only)  # its own
    assert can(user, action) is (role in anywhere)  # no unit named


def test_nobody_signed_in_may_do_anything():
    class Anonymous:
        is_authenticated = False

    assert not any(can(Anonymous(), action, 1) for action in Action)


def test_a_superuser_is_an_administrator_whatever_its_role_field():
    user = _User("", None)
    user.is_superuser = True
    assert can(user, Action.ADMINISTER) and can(user, Action.ACCEPT_REPORT)


def test_an_unknown_role_may_do_nothing():
    assert not any(can(_User("guest", 7), action, 7) for action in Action)
