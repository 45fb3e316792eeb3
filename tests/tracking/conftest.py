"""Fixtures of the monthly cycle: the 2024 plan imported, Sở TT&TT's officer, the secretariat."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.ingest import extract
from dean06.orgs.models import Unit
from dean06.orgs.selectors import unit_registry
from dean06.plans.models import Assignment
from dean06.plans.services import plan_import
from dean06.reference import seed_path
from dean06.tracking.services import period_get_or_create

PLAN = "000_29642a5544120c4a.txt"


@pytest.fixture
def cycle(reference, make_user, settings, tmp_path):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    settings.MEDIA_ROOT = tmp_path / "media"
    data = seed_path(PLAN).read_bytes()
    plan_import(extracted=extract(data, unit_registry(), filename=PLAN), by=None, source_name=PLAN)
    unit = Unit.objects.get(key="STTTT")
    return {
        "unit": unit,
        "assignment": Assignment.objects.get(
            task__code="B.1.3", task__plan__number="18/KH-UBND", unit=unit, role="lead"
        ),
        "period": period_get_or_create("month", 2024, 7),
        "officer": make_user(Role.UNIT_OFFICER, unit=unit),
        "secretariat": make_user(Role.SECRETARIAT),
    }
