from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dean06.orgs.models import UnitKind, UnitLevel
from dean06.orgs.selectors import group_members, unit_registry
from tests.factories import UnitFactory, UnitGroupFactory


def test_unit_key_is_unique(db):
    UnitFactory(key="STP")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory._meta.model.objects.create(
            key="STP", name="Trùng", kind=UnitKind.DEPARTMENT, level=UnitLevel.PROVINCE
        )


def test_unit_validity_must_end_after_it_starts(db):
    unit = UnitFactory()
    unit.valid_from = dt.date(2024, 1, 1)
    unit.valid_to = dt.date(2023, 1, 1)
    with pytest.raises(ValidationError):
        unit.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        unit.save()


def test_abolished_unit_is_valid_only_inside_its_dates(db):
    district = UnitFactory(level=UnitLevel.DISTRICT, valid_to=dt.date(2025, 6, 30))
    assert district.is_valid_on(dt.date(2025, 6, 30))
    assert not district.is_valid_on(dt.date(2025, 7, 1))


def test_group_members_follow_kind_level_and_validity(db):
    kept = UnitFactory(kind=UnitKind.PEOPLE_COMMITTEE, level=UnitLevel.DISTRICT)
    abolished = UnitFactory(
        kind=UnitKind.PEOPLE_COMMITTEE, level=UnitLevel.DISTRICT, valid_to=dt.date(2025, 6, 30)
    )
    UnitFactory(kind=UnitKind.DEPARTMENT, level=UnitLevel.PROVINCE)
    group = UnitGroupFactory(member_kinds=["people_committee"], member_level="district")
    assert set(group_members(group, on=dt.date(2024, 1, 1))) == {kept, abolished}
    assert set(group_members(group, on=dt.date(2025, 8, 1))) == {kept}


def test_group_that_does_not_fan_out_has_no_members(db):
    UnitFactory()
    group = UnitGroupFactory(fans_out=False, member_kinds=["department"])
    assert group_members(group) == []


def test_explicit_members_count_too(db):
    unit = UnitFactory(kind=UnitKind.MEDIA)
    group = UnitGroupFactory()
    group.members.add(unit)
    assert group_members(group) == [unit]


def test_registry_for_ingest_is_plain_data(reference):
    registry = unit_registry(on=dt.date(2024, 1, 23))
    sttt = registry.unit("STTTT")
    assert sttt is not None and "Sở TT&TT" in sttt.aliases
    assert len(registry.members("UBND_HUYEN")) == 10
