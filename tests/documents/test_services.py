"""Writes to the register: add, correct, link to tasks; each validated in Vietnamese and audited
with who, before and after; a unit officer writes only its own unit's documents."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEntry
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from dean06.documents.services import (
    DocumentChangedError,
    DocumentDuplicateError,
    DocumentInput,
    DocumentInvalidError,
    document_create,
    document_link_tasks,
    document_update,
    document_version,
)
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _input(**values):
    data = {
        "number": "25/QĐ-UBND",
        "summary": "Quyết định kiện toàn Tổ công tác Đề án 06 tỉnh",
        "doc_type": DocumentType.DECISION,
        "date": dt.date(2024, 5, 2),
        "issuing_body": "UBND tỉnh",
        "group": DocumentGroup.PROVINCE,
    }
    data.update(values)
    return DocumentInput(**data)


def test_the_secretariat_adds_a_document_and_the_log_says_who_and_what(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    document = document_create(data=_input(), by=secretariat)
    assert document.source == "web" and document.group == DocumentGroup.PROVINCE
    entry = AuditEntry.objects.get(action="documents.record.created")
    assert entry.actor == secretariat and entry.before is None
    assert entry.after["number"] == "25/QĐ-UBND" and entry.after["tasks"] == []


def test_a_correction_is_audited_with_the_values_before_and_after(make_user, make_document):
    secretariat = make_user(Role.SECRETARIAT)
    document = make_document(number="18/KH-UBND", summary="Kế hoạch cũ")
    document_update(
        document=document,
        data=_input(number="18/KH-UBND", summary="Kế hoạch triển khai năm 2024"),
        by=secretariat,
        version=document_version(document),
    )
    entry = AuditEntry.objects.get(action="documents.record.updated")
    assert entry.actor == secretariat
    assert entry.before["summary"] == "Kế hoạch cũ"
    assert entry.after["summary"] == "Kế hoạch triển khai năm 2024"
    # Saving the same values again changes nothing and records nothing.
    document.refresh_from_db()
    document_update(
        document=document,
        data=_input(number="18/KH-UBND", summary="Kế hoạch triển khai năm 2024"),
        by=secretariat,
    )
    assert AuditEntry.objects.filter(action="documents.record.updated").count() == 1


def test_linking_tasks_records_the_tasks_before_and_after(make_user, make_document):
    secretariat = make_user(Role.SECRETARIAT)
    document = make_document()
    first, second = TaskFactory(), TaskFactory()
    assert document_link_tasks(document=document, tasks=[first], by=secretariat)
    assert document_link_tasks(document=document, tasks=[first, second], by=secretariat)
    assert not document_link_tasks(document=document, tasks=[second, first], by=secretariat)
    entries = list(AuditEntry.objects.filter(action="documents.record.updated").order_by("id"))
    assert [(e.before["tasks"], e.after["tasks"]) for e in entries] == [
        ([], [first.pk]),
        ([first.pk], sorted([first.pk, second.pk])),
    ]
    assert all(e.actor == secretariat for e in entries)
    assert set(document.tasks.all()) == {first, second}


def test_a_document_added_with_its_tasks_is_one_entry_holding_both(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    task = TaskFactory()
    document = document_create(data=_input(), tasks=[task], by=secretariat)
    assert list(document.tasks.all()) == [task]
    entry = AuditEntry.objects.get()
    assert entry.action == "documents.record.created" and entry.after["tasks"] == [task.pk]


def test_a_correction_with_new_tasks_is_one_entry(make_user, make_document):
    secretariat = make_user(Role.SECRETARIAT)
    document = make_document(number="25/QĐ-UBND", summary="Cũ")
    task = TaskFactory()
    document_update(document=document, data=_input(), tasks=[task], by=secretariat)
    entry = AuditEntry.objects.get()
    assert (entry.before["summary"], entry.after["summary"]) == ("Cũ", _input().summary)
    assert (entry.before["tasks"], entry.after["tasks"]) == ([], [task.pk])


def test_bad_values_are_refused_in_vietnamese_beside_their_field(make_user, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    secretariat = make_user(Role.SECRETARIAT)
    with pytest.raises(DocumentInvalidError) as caught:
        document_create(
            data=_input(number="  ", summary="", date=dt.date(2024, 8, 1)), by=secretariat
        )
    fields = caught.value.extra["fields"]
    assert fields["number"] == "Nhập số, ký hiệu văn bản."
    assert fields["summary"] == "Nhập trích yếu văn bản."
    assert "01/08/2024" in fields["date"] and "10/07/2024" in fields["date"]
    assert isinstance(caught.value, ApplicationError)
    with pytest.raises(DocumentInvalidError) as caught:
        document_create(data=_input(group=DocumentGroup.UNIT), by=secretariat)
    assert "đơn vị ban hành" in caught.value.extra["fields"]["issuer_unit"]
    assert not DocumentRecord.objects.exists() and not AuditEntry.objects.exists()


def test_the_same_number_from_the_same_issuer_is_refused_as_a_duplicate(make_user, make_document):
    secretariat = make_user(Role.SECRETARIAT)
    unit = UnitFactory()
    make_document(number="12/KH-STTTT", issuer_unit=unit, group=DocumentGroup.UNIT)
    with pytest.raises(DocumentDuplicateError) as caught:
        document_create(
            data=_input(number="12/kh-stttt", issuer_unit=unit, group=DocumentGroup.UNIT),
            by=secretariat,
        )
    assert "đã có trong sổ" in caught.value.message
    # Another issuer may use the same number.
    document_create(
        data=_input(number="12/KH-STTTT", issuer_unit=UnitFactory(), group=DocumentGroup.UNIT),
        by=secretariat,
    )


def test_a_form_read_before_another_save_is_refused(make_user, make_document):
    secretariat = make_user(Role.SECRETARIAT)
    document = make_document(summary="Bản đầu")
    stale = document_version(document)
    document_update(
        document=document, data=_input(summary="Bản của người thứ nhất"), by=secretariat
    )
    with pytest.raises(DocumentChangedError):
        document_update(
            document=document,
            data=_input(summary="Bản của người thứ hai"),
            by=secretariat,
            version=stale,
        )
    document.refresh_from_db()
    assert document.summary == "Bản của người thứ nhất"


def test_a_failed_link_undoes_the_whole_save(make_user, make_document):
    unit = UnitFactory()
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    foreign_task = TaskFactory()  # given to no unit, so not the officer's
    with pytest.raises(DocumentInvalidError):
        document_create(data=_input(), tasks=[foreign_task], by=officer)
    assert not DocumentRecord.objects.exists()


# --- who may write ------------------------------------------------------------------------------


def test_a_unit_officers_document_is_its_units_whatever_the_form_says(make_user):
    unit = UnitFactory()
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    document = document_create(
        data=_input(group=DocumentGroup.PROVINCE, issuer_unit=UnitFactory(), issuing_body=""),
        by=officer,
    )
    assert document.issuer_unit == unit and document.group == DocumentGroup.UNIT
    assert document.issuing_body == unit.name
    assert AuditEntry.objects.get(action="documents.record.created").unit == unit


def test_a_unit_officer_cannot_change_another_units_or_the_provinces_documents(
    make_user, make_document
):
    officer = make_user(Role.UNIT_OFFICER, unit=UnitFactory())
    others = make_document(issuer_unit=UnitFactory(), group=DocumentGroup.UNIT)
    province = make_document(group=DocumentGroup.PROVINCE)
    for document in (others, province):
        with pytest.raises(PermissionDeniedError):
            document_update(document=document, data=_input(), by=officer)
        with pytest.raises(PermissionDeniedError):
            document_link_tasks(document=document, tasks=[], by=officer)
    assert not AuditEntry.objects.exists()


def test_a_unit_officer_links_its_own_document_to_its_units_tasks_only(make_user, make_document):
    unit = UnitFactory()
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    document = make_document(issuer_unit=unit, group=DocumentGroup.UNIT)
    own = AssignmentFactory(unit=unit).task
    other = AssignmentFactory().task
    assert document_link_tasks(document=document, tasks=[own], by=officer)
    with pytest.raises(DocumentInvalidError) as caught:
        document_link_tasks(document=document, tasks=[own, other], by=officer)
    assert "đơn vị mình" in caught.value.message
    assert list(document.tasks.all()) == [own]


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.PROVINCIAL_LEADER])
def test_leaders_read_the_register_but_do_not_write_it(make_user, make_document, role):
    unit = UnitFactory()
    leader = make_user(role, unit=unit if role == Role.UNIT_LEADER else None)
    own = make_document(issuer_unit=unit, group=DocumentGroup.UNIT)
    with pytest.raises(PermissionDeniedError):
        document_create(data=_input(), by=leader)
    with pytest.raises(PermissionDeniedError):
        document_update(document=own, data=_input(), by=leader)
