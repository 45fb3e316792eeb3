"""plan_import: tasks, sections and one assignment per task × unit × role, idempotent, audited."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.core.exceptions import ApplicationError
from dean06.core.models import AuditEntry
from dean06.ingest import extract
from dean06.orgs.models import Unit, UnitOrigin
from dean06.orgs.selectors import unit_registry
from dean06.plans.models import Assignment, AssignmentRole, Plan, Task
from dean06.plans.services import UnitDecision, plan_import
from dean06.reference import seed_path

SEED_000 = "000_29642a5544120c4a.txt"
SEED_001 = "001_33c018715ba11eff.txt"


def _extract(name: str, text: str | None = None):
    data = text.encode() if text is not None else seed_path(name).read_bytes()
    return extract(data, unit_registry(), filename=name), data


@pytest.fixture
def imported(reference):
    extracted, data = _extract(SEED_001)
    result = plan_import(extracted=extracted, by=None, source_name=SEED_001, source_bytes=data)
    return result


def test_import_saves_plan_tasks_and_sections(imported):
    plan = Plan.objects.get()
    assert (plan.number, plan.date) == ("18/KH-UBND", dt.date(2024, 1, 23))
    assert plan.tasks.count() == 39
    assert plan.sections.get(code="B").declared_count == 32
    task = plan.tasks.get(code="A.1")
    assert task.due_date == dt.date(2024, 1, 31)
    assert task.deadline_raw == "Tháng 01/2024"
    assert imported.created and len(imported.changes) == 39


def test_collective_phrase_fans_out_into_member_units(imported):
    task = Task.objects.get(code="B.1.1")  # lead: Các sở, ban, ngành; UBND các huyện...
    leads = Assignment.objects.filter(task=task, role=AssignmentRole.LEAD)
    districts = leads.filter(unit__level="district")
    assert districts.count() == 10
    assert all(a.via_group and a.via_group.key == "UBND_HUYEN" for a in districts)
    departments = leads.filter(unit__kind="department")
    assert departments.count() == Unit.objects.filter(kind="department").count()
    assert leads.get(unit__key="STP") is not None  # a department, fanned out...
    # ...and Sở Tư pháp is the named coordinator: a lead is never also its own coordinator.
    assert not Assignment.objects.filter(
        task=task, unit__key="STP", role=AssignmentRole.COORDINATING
    ).exists()


def test_phrase_that_does_not_fan_out_is_kept_as_a_note(imported):
    task = Task.objects.get(code="A.1")  # coordinating: "...; các cơ quan, đơn vị có liên quan"
    assert "liên quan" in task.notes_units
    assert list(
        task.assignments.filter(role=AssignmentRole.COORDINATING).values_list(
            "unit__key", flat=True
        )
    ) == ["VP_UBND"]


def test_a_name_not_in_the_registry_stays_a_phrase_for_review(imported):
    """Units come from the registry: the import makes no unit out of a plan's words."""
    assert not Unit.objects.filter(origin=UnitOrigin.IMPORT).exists()
    task = Task.objects.get(code="B.5.2")
    assert task.needs_review
    assert "đơn vị có CSDL chuyên ngành" in task.notes_units


def test_the_reviewer_may_add_a_name_to_the_registry(reference):
    extracted, data = _extract(SEED_001)
    plan_import(
        extracted=extracted,
        by=None,
        source_name=SEED_001,
        source_bytes=data,
        unit_decisions={"đơn vị có CSDL chuyên ngành": UnitDecision(create=True)},
    )
    proposed = Unit.objects.filter(origin=UnitOrigin.IMPORT)
    assert list(proposed.values_list("name", flat=True)) == ["đơn vị có CSDL chuyên ngành"]
    task = Task.objects.get(code="B.5.2")
    assert task.assignments.filter(unit__in=proposed).exists()
    assert "CSDL chuyên ngành" not in task.notes_units


def test_reimporting_the_same_file_changes_nothing(imported):
    audit_count = AuditEntry.objects.count()
    assignments = Assignment.objects.count()
    extracted, data = _extract(SEED_001)
    again = plan_import(extracted=extracted, by=None, source_name=SEED_001, source_bytes=data)
    assert not again.created and again.unchanged
    assert again.summary() == "Kế hoạch đã có và không thay đổi gì."
    assert AuditEntry.objects.count() == audit_count
    assert Assignment.objects.count() == assignments


def test_a_changed_file_shows_what_changed(imported):
    text = seed_path(SEED_001).read_text(encoding="utf-8")
    changed_text = text.replace("Tháng 01/2024", "Tháng 02/2024", 1)
    extracted, data = _extract(SEED_001, changed_text)
    result = plan_import(extracted=extracted, by=None, source_name=SEED_001, source_bytes=data)
    assert [(c.code, c.kind) for c in result.changes] == [("A.1", "changed")]
    assert "due_date" in result.changes[0].fields
    assert Task.objects.get(code="A.1").due_date == dt.date(2024, 2, 29)
    entry = AuditEntry.objects.filter(action="plans.task.updated").latest("id")
    assert entry.before["due_date"] == "2024-01-31" and entry.after["due_date"] == "2024-02-29"


def test_dry_run_writes_nothing(reference):
    extracted, data = _extract(SEED_000)
    result = plan_import(
        extracted=extracted, by=None, source_name=SEED_000, source_bytes=data, dry_run=True
    )
    assert result.dry_run and result.created and len(result.changes) == len(extracted.tasks)
    assert not Plan.objects.exists() and not Task.objects.exists()
    assert not Unit.objects.filter(origin=UnitOrigin.IMPORT).exists()
    assert not AuditEntry.objects.filter(action__startswith="plans.").exists()


def test_reviewer_can_map_an_unknown_mention_to_an_existing_unit(reference):
    extracted, data = _extract(SEED_001)
    plan_import(
        extracted=extracted,
        by=None,
        source_bytes=data,
        unit_decisions={"đơn vị có CSDL chuyên ngành": UnitDecision(unit_key="STTTT")},
    )
    assert not Unit.objects.filter(origin=UnitOrigin.IMPORT).exists()
    assert Task.objects.get(code="B.5.2").assignments.filter(unit__key="STTTT").exists()


def test_every_assignment_is_audited(imported):
    assert AuditEntry.objects.filter(action="plans.assignment.created").count() == (
        Assignment.objects.count()
    )


def test_plan_without_tasks_or_number_is_refused(reference):
    empty, _ = _extract("x.txt", "Kế hoạch số 1/KH-UBND\nKhông có bảng nào ở đây.")
    with pytest.raises(ApplicationError):
        plan_import(extracted=empty, by=None)
    assert not Plan.objects.exists()


def test_task_with_reports_is_kept_when_a_new_file_drops_it(imported):
    from tests.factories import PeriodFactory

    task = Task.objects.get(code="A.6")
    assignment = task.assignments.first()
    from dean06.tracking.models import ProgressReport

    ProgressReport.objects.create(assignment=assignment, period=PeriodFactory(), progress="Đã làm")
    text = seed_path(SEED_001).read_text(encoding="utf-8")
    # Drop the row of A.6 from the table.
    dropped = "\n".join(
        line for line in text.splitlines() if not line.startswith("6\tBảo đảm hạ tầng kỹ thuật")
    )
    extracted, data = _extract(SEED_001, dropped)
    assert "A.6" not in [t.code for t in extracted.tasks]
    result = plan_import(extracted=extracted, by=None, source_bytes=data)
    assert ("A.6", "changed") in [(c.code, c.kind) for c in result.changes]
    task.refresh_from_db()
    assert task.needs_review
    assert ProgressReport.objects.filter(assignment=assignment).exists()


def test_section_changes_are_audited(imported):
    assert AuditEntry.objects.filter(action="plans.section.created").count() == (
        Plan.objects.get().sections.count()
    )
