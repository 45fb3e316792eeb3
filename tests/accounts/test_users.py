from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.accounts.services import user_create
from dean06.core.exceptions import ApplicationError
from dean06.core.models import AuditEntry
from tests.factories import UnitFactory


def test_unit_roles_need_a_unit(db):
    with pytest.raises(ApplicationError, match="gắn với một đơn vị"):
        user_create(username="a", password="x-123456789", role=Role.UNIT_OFFICER)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="b", role=Role.UNIT_LEADER)


def test_user_create_puts_user_in_role_group_and_audits(db):
    unit = UnitFactory(key="STP")
    user = user_create(
        username="stp",
        password="x-123456789",
        role=Role.UNIT_OFFICER,
        unit=unit,
        full_name="Nguyễn Văn A",
    )
    assert user.check_password("x-123456789")
    assert user.groups.get().name == Role.UNIT_OFFICER.label
    assert user.has_perm("tracking.add_progressreport")
    assert not user.has_perm("plans.add_plan")
    entry = AuditEntry.objects.get(action="accounts.user.created")
    assert entry.after == {
        "username": "stp",
        "role": "unit_officer",
        "unit": "STP",
        "email": "",
        "full_name": "Nguyễn Văn A",
        "is_active": True,
    }


def test_province_roles_are_not_bound_to_a_unit(db):
    unit = UnitFactory()
    user = user_create(
        username="ld", password="x-123456789", role=Role.PROVINCIAL_LEADER, unit=unit
    )
    assert user.unit is None
    assert user.sees_whole_province and not user.manages_province


def test_duplicate_username_is_refused(db):
    user_create(username="x", password="x-123456789", role=Role.SECRETARIAT)
    with pytest.raises(ApplicationError, match="đã có"):
        user_create(username="x", password="x-123456789", role=Role.SECRETARIAT)
