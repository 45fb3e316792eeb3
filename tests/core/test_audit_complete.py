"""The audit log is complete: many-to-many members, inline rows, finding statuses, plan source
files, and who acted when no one was signed in (a command, the demo)."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from dean06.core.audit import audit_context, audit_record
from dean06.core.models import AuditEntry
from dean06.kpis.models import Indicator
from dean06.plans.models import Assignment, AssignmentRole
from dean06.quality.models import Finding, FindingStatus
from dean06.quality.services import FoundItem, findings_sync
from tests.core.adminforms import form_data
from tests.factories import (
    AssignmentFactory,
    IndicatorFactory,
    PlanFactory,
    TaskFactory,
    UnitFactory,
    UnitGroupFactory,
)


@pytest.fixture
def admin_client(login, make_user):
    user = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    return login(user), user


def _change(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


# --- many-to-many members ----------------------------------------------------------------------


def test_admin_records_unit_group_members_before_and_after(admin_client):
    client, admin_user = admin_client
    old, new = UnitFactory(), UnitFactory()
    group = UnitGroupFactory()
    group.members.set([old])
    _change(client, f"/quan-tri/orgs/unitgroup/{group.pk}/change/", members=[old.pk, new.pk])
    entry = AuditEntry.objects.get(action="orgs.unitgroup.updated")
    assert entry.actor == admin_user
    assert entry.before["members"] == [old.pk]
    assert sorted(entry.after["members"]) == sorted([old.pk, new.pk])


def test_admin_records_members_of_a_new_group(admin_client):
    client, _ = admin_client
    unit = UnitFactory()
    page = client.get("/quan-tri/orgs/unitgroup/add/")
    data = form_data(page)
    data.update(key="nhom-moi", name="Nhóm mới", aliases="[]", member_kinds="[]")
    data["members"] = [str(unit.pk)]
    assert client.post("/quan-tri/orgs/unitgroup/add/", data).status_code == 302
    entry = AuditEntry.objects.get(action="orgs.unitgroup.created")
    assert entry.after["members"] == [unit.pk]


def test_admin_records_indicator_reporting_units(admin_client):
    client, _ = admin_client
    indicator = IndicatorFactory()
    unit = UnitFactory()
    _change(client, f"/quan-tri/kpis/indicator/{indicator.pk}/change/", reporting_units=[unit.pk])
    entry = AuditEntry.objects.get(action="kpis.indicator.updated")
    assert entry.before["reporting_units"] == []
    assert entry.after["reporting_units"] == [unit.pk]
    assert list(Indicator.objects.get().reporting_units.all()) == [unit]


# --- inline rows -------------------------------------------------------------------------------


def test_assignments_added_changed_and_deleted_in_the_task_inline_are_audited(admin_client):
    client, admin_user = admin_client
    task = TaskFactory()
    kept = AssignmentFactory(task=task, role=AssignmentRole.LEAD)
    gone = AssignmentFactory(task=task, role=AssignmentRole.COORDINATING)
    gone_pk = gone.pk
    added_unit = UnitFactory()
    url = f"/quan-tri/plans/task/{task.pk}/change/"
    page = client.get(url)
    data = form_data(page)
    rows = {data[f"assignments-{i}-id"]: i for i in range(2)}
    data[f"assignments-{rows[str(kept.pk)]}-phrase"] = "Sở được giao (sửa)"
    data[f"assignments-{rows[str(gone.pk)]}-DELETE"] = "on"
    data["assignments-TOTAL_FORMS"] = "3"
    data.update(
        {
            "assignments-2-task": str(task.pk),
            "assignments-2-unit": str(added_unit.pk),
            "assignments-2-role": AssignmentRole.COORDINATING,
            "assignments-2-phrase": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    created = AuditEntry.objects.get(action="plans.assignment.created")
    added = Assignment.objects.get(unit=added_unit)
    assert created.actor == admin_user and created.object_id == str(added.pk)
    assert created.after["unit"] == added_unit.pk and created.unit == added_unit

    updated = AuditEntry.objects.get(action="plans.assignment.updated")
    assert updated.object_id == str(kept.pk)
    assert updated.before["phrase"] == "" and updated.after["phrase"] == "Sở được giao (sửa)"

    deleted = AuditEntry.objects.get(action="plans.assignment.deleted")
    assert deleted.object_id == str(gone_pk) and deleted.before["unit"] == gone.unit_id
    assert not Assignment.objects.filter(pk=gone_pk).exists()


# --- finding statuses --------------------------------------------------------------------------


def _sync(items, by=None, reasons=None):
    return findings_sync(
        object_type="kpis.servicestat",
        object_id=1,
        items=items,
        scope="service_stat",
        reasons=reasons,
        by=by,
    )


def test_every_finding_status_change_is_audited(make_user):
    officer = make_user(Role.UNIT_OFFICER)
    item = FoundItem("svc.sum", "warning", "Tổng không khớp", "total", "DVC 1", "k1")
    _sync([item])
    finding = Finding.objects.get()
    assert not AuditEntry.objects.filter(object_type="quality.finding").exists()

    _sync([])  # no longer found: fixed automatically
    fixed = AuditEntry.objects.get(action="quality.finding.fixed")
    assert fixed.object_id == str(finding.pk)
    assert fixed.before["status"] == FindingStatus.OPEN
    assert fixed.after["status"] == FindingStatus.FIXED

    _sync([item])  # found again
    reopened = AuditEntry.objects.get(action="quality.finding.reopened")
    assert (reopened.before["status"], reopened.after["status"]) == ("fixed", "open")

    _sync([item], by=officer, reasons={"k1": "Số liệu đúng, đã đối chiếu"})  # the grid
    explained = AuditEntry.objects.get(action="quality.finding.explained")
    assert explained.actor == officer
    assert explained.before["status"] == "open" and explained.before["explanation"] == ""
    assert explained.after["status"] == "explained"
    assert explained.after["explanation"] == "Số liệu đúng, đã đối chiếu"
    assert explained.after["explained_by"] == officer.pk

    _sync([item], by=officer, reasons={"k1": "Số liệu đúng, đã đối chiếu"})  # nothing changes
    assert AuditEntry.objects.filter(object_type="quality.finding").count() == 3

    secretariat = make_user(Role.SECRETARIAT)
    _sync([item], by=secretariat, reasons={"k1": "Đồng ý"})  # the secretariat's grid
    accepted = AuditEntry.objects.get(action="quality.finding.accepted")
    assert accepted.actor == secretariat
    assert (accepted.before["status"], accepted.after["status"]) == ("explained", "accepted")
    assert accepted.after["accepted_by"] == secretariat.pk


# --- who acted without a signed-in user --------------------------------------------------------


def test_entries_without_a_user_carry_the_label_of_their_context(make_user):
    plan = PlanFactory()
    with audit_context("dean06 import-plan (tester)"):
        anonymous = audit_record(action="x.changed", actor=None, instance=plan)
        signed_in = audit_record(action="x.changed", actor=make_user(), instance=plan)
    outside = audit_record(action="x.changed", actor=None, instance=plan)
    assert anonymous.actor is None and anonymous.actor_label == "dean06 import-plan (tester)"
    assert signed_in.actor is not None and signed_in.actor_label == ""
    assert outside.actor_label == ""


def test_every_entry_of_a_command_names_the_command_and_the_system_user(reference, monkeypatch):
    from dean06.cli import main
    from dean06.reference import seed_path

    monkeypatch.setattr("getpass.getuser", lambda: "tester")
    first = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert main(["import-plan", str(seed_path("001_33c018715ba11eff.txt"))]) == 0
    entries = AuditEntry.objects.filter(id__gt=first)
    assert entries.count() > 100
    assert set(entries.values_list("actor_label", flat=True)) == {"dean06 import-plan (tester)"}


def test_the_audit_list_in_admin_shows_the_label(admin_client):
    client, _ = admin_client
    with audit_context("dean06 demo (tester)"):
        audit_record(action="plans.plan.created", actor=None, instance=PlanFactory())
    page = client.get("/quan-tri/core/auditentry/")
    assert "dean06 demo (tester)" in page.content.decode()


# --- the source file of a plan -----------------------------------------------------------------


def test_a_changed_source_file_is_audited_with_old_and_new_name_and_digest(
    reference, settings, tmp_path
):
    import hashlib

    from dean06.ingest import extract
    from dean06.orgs.selectors import unit_registry
    from dean06.plans.services import plan_import
    from dean06.reference import seed_path

    settings.MEDIA_ROOT = tmp_path / "files"
    first = seed_path("001_33c018715ba11eff.txt").read_bytes()
    second = first.replace("Điều tra cơ bản".encode(), "Điều tra cơ bản (sửa)".encode(), 1)
    assert second != first
    for name, data in (("kh-18.txt", first), ("kh-18-sua.txt", second)):
        extracted = extract(data, unit_registry(), filename=name)
        plan_import(extracted=extracted, by=None, source_name=name, source_bytes=data)
    entries = list(AuditEntry.objects.filter(action="plans.plan.source_changed").order_by("id"))
    assert len(entries) == 2
    attached, replaced = entries
    assert attached.before["source_sha256"] == ""
    assert replaced.before["source_name"] == "kh-18.txt"
    assert replaced.before["source_sha256"] == hashlib.sha256(first).hexdigest()
    assert replaced.before["source_file"] == attached.after["source_file"]
    assert replaced.after["source_name"] == "kh-18-sua.txt"
    assert replaced.after["source_sha256"] == hashlib.sha256(second).hexdigest()
    assert replaced.after["source_file"] != replaced.before["source_file"]
