"""Reads of the register: who sees which documents, the search without diacritics, the
filters and the values they offer."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.documents.models import DocumentGroup, DocumentType
from dean06.documents.selectors import (
    DocumentFilters,
    can_create_document,
    can_write_document,
    document_filter_choices,
    documents_search,
    documents_visible_to,
)
from tests.factories import PeriodFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _numbers(qs):
    return sorted(d.number for d in qs)


@pytest.fixture
def register(make_document):
    own, other = UnitFactory(name="Sở Tư pháp"), UnitFactory(name="Sở Y tế")
    july = PeriodFactory()
    return {
        "own": own,
        "other": other,
        "july": july,
        "province": make_document(
            number="18/KH-UBND",
            summary="Kế hoạch triển khai Đề án 06 năm 2024",
            issuing_body="Ủy ban nhân dân tỉnh",
            period=july,
        ),
        "working_group": make_document(
            number="5/TB-TCT",
            doc_type=DocumentType.NOTICE,
            summary="Thông báo kết luận cuộc họp Tổ công tác",
            group=DocumentGroup.WORKING_GROUP,
            issuing_body="Tổ công tác Đề án 06",
            date=dt.date(2023, 11, 20),
        ),
        "own_doc": make_document(
            number="7/KH-STP",
            summary="Kế hoạch số hóa hồ sơ hộ tịch",
            group=DocumentGroup.UNIT,
            issuer_unit=own,
            issuing_body="",
            period=july,
        ),
        "other_doc": make_document(
            number="9/CV-SYT",
            doc_type=DocumentType.LETTER,
            summary="Công văn về sổ sức khỏe điện tử",
            group=DocumentGroup.UNIT,
            issuer_unit=other,
        ),
    }


def test_province_roles_see_the_whole_register(register, make_user):
    for role in (Role.SECRETARIAT, Role.ADMIN, Role.PROVINCIAL_LEADER):
        assert documents_visible_to(make_user(role)).count() == 4


def test_a_unit_sees_its_own_documents_and_the_province_wide_ones(register, make_user):
    for role in (Role.UNIT_OFFICER, Role.UNIT_LEADER):
        user = make_user(role, unit=register["own"])
        assert _numbers(documents_visible_to(user)) == ["18/KH-UBND", "5/TB-TCT", "7/KH-STP"]
    assert not documents_visible_to(None).exists()


def test_search_finds_words_typed_without_diacritics_in_any_field(register, make_user):
    secretariat = make_user(Role.SECRETARIAT)

    def found(text):
        return _numbers(documents_search(secretariat, DocumentFilters(query=text)))

    assert found("ho tich") == ["7/KH-STP"]  # summary: "hộ tịch"
    assert found("HỘ TỊCH") == ["7/KH-STP"]
    assert found("so hoa ho tich") == ["7/KH-STP"]
    assert found("18/kh") == ["18/KH-UBND"]  # number
    assert found("uy ban nhan dan") == ["18/KH-UBND"]  # issuing body
    assert found("so y te") == ["9/CV-SYT"]  # the issuing unit's name
    assert found("ke hoach 2024") == ["18/KH-UBND"]  # every word, in any order
    assert found("khong co van ban nay") == []


def test_a_unit_users_search_never_reaches_another_units_documents(register, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=register["own"])
    assert _numbers(documents_search(officer, DocumentFilters(query="so suc khoe"))) == []


def test_filters_by_group_type_period_year_and_unit(register, make_user):
    secretariat = make_user(Role.SECRETARIAT)

    def found(**filters):
        return _numbers(documents_search(secretariat, DocumentFilters(**filters)))

    assert found(group=DocumentGroup.WORKING_GROUP) == ["5/TB-TCT"]
    assert found(group=DocumentGroup.UNIT) == ["7/KH-STP", "9/CV-SYT"]
    assert found(doc_type=DocumentType.LETTER) == ["9/CV-SYT"]
    assert found(period_id=register["july"].pk) == ["18/KH-UBND", "7/KH-STP"]
    assert found(year=2023) == ["5/TB-TCT"]
    assert found(unit_id=register["other"].pk) == ["9/CV-SYT"]
    assert found(group=DocumentGroup.UNIT, query="ke hoach") == ["7/KH-STP"]


def test_the_filters_offer_only_what_the_users_documents_hold(register, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=register["own"])
    choices = document_filter_choices(officer)
    assert choices.periods == [(register["july"].pk, "Tháng 7/2024")]
    assert choices.years == [2024, 2023]
    assert choices.units == [(register["own"].pk, "Sở Tư pháp")]


def test_who_may_write_which_document(register, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=register["own"])
    leader = make_user(Role.UNIT_LEADER, unit=register["own"])
    secretariat = make_user(Role.SECRETARIAT)
    reader = make_user(Role.PROVINCIAL_LEADER)
    assert can_create_document(officer) and can_create_document(secretariat)
    assert not can_create_document(leader) and not can_create_document(reader)
    assert can_write_document(officer, register["own_doc"])
    assert not can_write_document(officer, register["other_doc"])
    assert not can_write_document(officer, register["province"])
    assert not can_write_document(leader, register["own_doc"])
    assert all(can_write_document(secretariat, d) for k, d in register.items() if "doc" in k)
    assert not can_write_document(reader, register["province"])
