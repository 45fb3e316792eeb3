"""Writes to plans: importing an extracted plan (with a preview of what changes), assigning units.

The ingest library has already read the file into an `ExtractedPlan`; this module decides what it
means for the database: which plan it is, which tasks are new, changed or gone, and which units each
task is assigned to (collective phrases fan out into their member units on the plan's date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from dean06.core.audit import audit_created_many, audit_record, snapshot
from dean06.core.exceptions import ApplicationError
from dean06.core.files import atomic_with_files, remove_on_rollback
from dean06.core.services import upsert_audited
from dean06.ingest.model import ExtractedPlan, ExtractedTask, UnitRef, jsonable
from dean06.orgs.models import Unit, UnitGroup, UnitOrigin
from dean06.orgs.selectors import group_members
from dean06.orgs.services import unit_create
from dean06.plans.continuity import match_tasks
from dean06.plans.models import Assignment, AssignmentRole, Plan, PlanSection, Task
from dean06.plans.selectors import continuity_inputs, plan_following, plan_previous

TASK_FIELDS = (
    "content",
    "product",
    "note",
    "deadline_raw",
    "deadline_kind",
    "due_date",
    "start_date",
    "is_recurring",
    "recurrence",
    "targets",
)


@dataclass
class UnitDecision:
    """What the reviewer decided for an unresolved mention: map it to a unit, add it to the
    registry as a new unit, or (the default) keep it as a phrase on the task for review: units
    come from the registry, and a phrase that names none ("các đơn vị có CSDL chuyên ngành") is
    not made into one unless a person says so."""

    unit_key: str | None = None
    create: bool = False


@dataclass
class TaskChange:
    code: str
    kind: str  # "added" | "changed" | "removed"
    fields: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    plan: Plan | None
    created: bool
    changes: list[TaskChange]
    assignments_added: int = 0
    assignments_removed: int = 0
    new_units: list[str] = field(default_factory=list)
    dry_run: bool = False
    # Links to the plan of the year before (this plan's tasks continuing its tasks), and from the
    # plan of the year after when it was imported first.
    continuity: list[LinkResult] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.changes and not self.assignments_added and not self.assignments_removed

    def summary(self) -> str:
        added = sum(1 for c in self.changes if c.kind == "added")
        changed = sum(1 for c in self.changes if c.kind == "changed")
        removed = sum(1 for c in self.changes if c.kind == "removed")
        verb = "Sẽ" if self.dry_run else "Đã"
        if not self.created and self.unchanged:
            return "Kế hoạch đã có và không thay đổi gì."
        return (
            f"{verb} {'tạo' if self.created else 'cập nhật'} kế hoạch: {added} nhiệm vụ mới, "
            f"{changed} thay đổi, {removed} bỏ; phân công +{self.assignments_added}"
            f"/-{self.assignments_removed}"
            + (f"; đơn vị mới: {', '.join(self.new_units)}" if self.new_units else "")
            + "."
        )


def _task_values(task: ExtractedTask) -> dict[str, Any]:
    deadline = task.deadline
    # A start after the due date breaks the task's constraint; the due date is what matters.
    start_ok = (
        deadline.start_date is None
        or deadline.due_date is None
        or (deadline.start_date <= deadline.due_date)
    )
    return {
        "content": task.content.strip(),
        "product": task.product or "",
        "note": task.note or "",
        "deadline_raw": deadline.raw or "",
        "deadline_kind": deadline.kind,
        "due_date": deadline.due_date,
        "start_date": deadline.start_date if start_ok else None,
        "is_recurring": deadline.recurring,
        "recurrence": [jsonable(asdict(q)) for q in deadline.quota],
        "targets": [jsonable(asdict(t)) for t in deadline.targets],
        "source_page": task.source.page,
        "source_line": task.source.line,
        "origin": task.origin,
    }


class _UnitResolver:
    """Turns UnitRefs into (unit, group, phrase) triples, creating proposed units when told to."""

    def __init__(
        self, *, on: dt.date | None, decisions: dict[str, UnitDecision] | None, by: Any, dry: bool
    ) -> None:
        self.on = on
        self.decisions = decisions or {}
        self.by = by
        self.dry = dry
        self.units = {u.key: u for u in Unit.objects.all()}
        self.groups = {g.key: g for g in UnitGroup.objects.prefetch_related("members")}
        self.members_cache: dict[str, list[Unit]] = {}
        self.new_units: list[str] = []
        self._created_by_name: dict[str, Unit | None] = {}

    def expand(self, ref: UnitRef) -> tuple[list[tuple[Unit, UnitGroup | None]], str]:
        """The units a mention stands for, and a note when it is a phrase that does not fan out."""
        if ref.unit_key and ref.unit_key in self.units:
            return [(self.units[ref.unit_key], None)], ""
        if ref.collective and ref.collective in self.groups:
            group = self.groups[ref.collective]
            if not group.fans_out:
                return [], ref.raw or group.name
            if group.key not in self.members_cache:
                self.members_cache[group.key] = group_members(group, on=self.on)
            return [(u, group) for u in self.members_cache[group.key]], ""
        decision = self.decisions.get(ref.raw) or self.decisions.get(ref.name) or UnitDecision()
        if decision.unit_key:
            unit = self.units.get(decision.unit_key)
            if unit is None:
                raise ApplicationError(f"Không có đơn vị mã '{decision.unit_key}'.")
            return [(unit, None)], ""
        if not decision.create:
            return [], ref.raw
        return self._proposed(ref.name or ref.raw), ""

    def _proposed(self, name: str) -> list[tuple[Unit, UnitGroup | None]]:
        name = " ".join(name.split())
        if name not in self._created_by_name:
            existing = Unit.objects.filter(name__iexact=name).first()
            if existing is None:
                self.new_units.append(name)
                existing = (
                    None
                    if self.dry
                    else unit_create(name=name, by=self.by, origin=UnitOrigin.IMPORT)
                )
                if existing is not None:
                    self.units[existing.key] = existing
            self._created_by_name[name] = existing
        unit = self._created_by_name[name]
        return [(unit, None)] if unit is not None else []


def _desired_assignments(
    task: ExtractedTask, resolver: _UnitResolver
) -> tuple[dict[tuple[int, str], tuple[Unit, UnitGroup | None, str]], list[str]]:
    desired: dict[tuple[int, str], tuple[Unit, UnitGroup | None, str]] = {}
    notes: list[str] = []
    for role, refs in (
        (AssignmentRole.LEAD, task.lead_units),
        (AssignmentRole.COORDINATING, task.coordinating_units),
    ):
        for ref in refs:
            units, note = resolver.expand(ref)
            if note:
                notes.append(note)
            for unit, group in units:
                if (
                    role == AssignmentRole.COORDINATING
                    and (unit.pk, AssignmentRole.LEAD) in desired
                ):
                    continue  # a lead unit is not also its own coordinator
                desired.setdefault((unit.pk, role), (unit, group, ref.raw[:500]))
    return desired, notes


def plan_find(extracted: ExtractedPlan) -> Plan | None:
    meta = extracted.plan
    if not meta.number:
        return None
    return Plan.objects.filter(number=meta.number, date=meta.date).first()


@atomic_with_files()  # the stored copy of the plan's file goes if the import rolls back
def plan_import(
    *,
    extracted: ExtractedPlan,
    by: Any,
    source_name: str = "",
    source_bytes: bytes | None = None,
    unit_decisions: dict[str, UnitDecision] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Save an extracted (and reviewed) plan. Re-importing the same content changes nothing;
    a changed file updates what changed and reports it. With `dry_run`, nothing is written."""
    meta = extracted.plan
    if not extracted.tasks:
        raise ApplicationError("Không tìm thấy nhiệm vụ nào trong văn bản; không có gì để lưu.")
    if not meta.number:
        raise ApplicationError(
            "Chưa xác định được số, ký hiệu của kế hoạch; hãy nhập trước khi lưu."
        )
    sid = transaction.savepoint()
    try:
        result = _plan_import(
            extracted=extracted,
            by=by,
            source_name=source_name,
            source_bytes=source_bytes,
            unit_decisions=unit_decisions,
            dry_run=dry_run,
        )
        if result.plan is not None:
            result.continuity = _link_years(result.plan, by)
    except Exception:
        transaction.savepoint_rollback(sid)
        raise
    if dry_run:
        transaction.savepoint_rollback(sid)
        result.dry_run = True
    else:
        transaction.savepoint_commit(sid)
    return result


def _plan_import(
    *,
    extracted: ExtractedPlan,
    by: Any,
    source_name: str,
    source_bytes: bytes | None,
    unit_decisions: dict[str, UnitDecision] | None,
    dry_run: bool,
) -> ImportResult:
    meta = extracted.plan
    plan = plan_find(extracted)
    created = plan is None
    plan_values: dict[str, Any] = {
        "issuer": meta.issuer or "",
        "place": meta.place or "",
        "year": meta.year or (meta.date.year if meta.date else None),
        "title": meta.title or "",
        "reporting_rule": meta.reporting_rule or "",
        "reporting_day": meta.reporting_day,
        "source_format": extracted.source_format,
    }
    if plan is None:
        plan = Plan(number=meta.number or "", date=meta.date, **plan_values)
        plan.full_clean()
        plan.save()
        audit_record(action="plans.plan.created", actor=by, instance=plan, after=snapshot(plan))
    else:
        before = snapshot(plan)
        changed = [k for k, v in plan_values.items() if v and getattr(plan, k) != v]
        for key in changed:
            setattr(plan, key, plan_values[key])
        if changed:
            plan.full_clean()
            plan.save()
            audit_record(
                action="plans.plan.updated",
                actor=by,
                instance=plan,
                before=before,
                after=snapshot(plan),
            )
    if source_bytes is not None:
        digest = hashlib.sha256(source_bytes).hexdigest()
        if digest != plan.source_sha256:
            source_fields = ["source_file", "source_name", "source_sha256"]
            source_before = snapshot(plan, fields=source_fields)
            plan.source_sha256 = digest
            plan.source_name = source_name[:255]
            if not dry_run:
                plan.source_file.save(source_name or "plan", ContentFile(source_bytes), save=False)
                remove_on_rollback(plan.source_file.storage, plan.source_file.name or "")
            plan.save()
            audit_record(
                action="plans.plan.source_changed",
                actor=by,
                instance=plan,
                before=source_before,
                after=snapshot(plan, fields=source_fields),
            )

    sections = _sync_sections(plan, extracted, by)
    resolver = _UnitResolver(on=plan.date, decisions=unit_decisions, by=by, dry=dry_run)
    existing = {t.code: t for t in plan.tasks.prefetch_related("assignments")}
    changes: list[TaskChange] = []
    added_assignments = removed_assignments = 0
    seen: set[str] = set()
    for order, etask in enumerate(extracted.tasks, start=1):
        if etask.code in seen:
            continue  # a duplicate code is a validation warning; the first one wins
        seen.add(etask.code)
        values = _task_values(etask)
        values["section"] = sections.get(etask.section or "")
        values["order"] = order
        desired, notes = _desired_assignments(etask, resolver)
        values["notes_units"] = "; ".join(dict.fromkeys(notes))
        values["needs_review"] = etask.confidence < 0.8 or any(
            not r.resolved for r in etask.lead_units + etask.coordinating_units
        )
        task = existing.get(etask.code)
        if task is None:
            task = Task(plan=plan, code=etask.code, **values)
            task.full_clean()
            task.save()
            audit_record(action="plans.task.created", actor=by, instance=task, after=snapshot(task))
            changes.append(TaskChange(etask.code, "added"))
        else:
            before = snapshot(task)
            diff = [k for k in TASK_FIELDS if getattr(task, k) != values[k]]
            for key, value in values.items():
                setattr(task, key, value)
            task.full_clean()
            task.save()
            if diff:
                audit_record(
                    action="plans.task.updated",
                    actor=by,
                    instance=task,
                    before=before,
                    after=snapshot(task),
                )
                changes.append(TaskChange(etask.code, "changed", diff))
        added, removed = _sync_assignments(task, desired, by)
        added_assignments += added
        removed_assignments += removed
        if (added or removed) and not any(c.code == etask.code for c in changes):
            changes.append(TaskChange(etask.code, "changed", ["assignments"]))
    for code, task in existing.items():
        if code in seen:
            continue
        if task.assignments.filter(progress_reports__isnull=False).exists():
            # Reports were made on it: keep the task and its history, flag it for the reviewer.
            if not task.needs_review:
                before = snapshot(task)
                task.needs_review = True
                task.save(update_fields=["needs_review", "updated_at"])
                audit_record(
                    action="plans.task.updated",
                    actor=by,
                    instance=task,
                    before=before,
                    after=snapshot(task),
                    note="Không còn trong văn bản mới nhưng đã có báo cáo: giữ lại để rà soát.",
                )
            changes.append(TaskChange(code, "changed", ["kept_with_reports"]))
            continue
        audit_record(action="plans.task.deleted", actor=by, instance=task, before=snapshot(task))
        removed_assignments += task.assignments.count()
        task.delete()
        changes.append(TaskChange(code, "removed"))
    plan.needs_review = any(t.needs_review for t in plan.tasks.all())
    plan.save(update_fields=["needs_review", "updated_at"])
    return ImportResult(
        plan=plan,
        created=created,
        changes=changes,
        assignments_added=added_assignments,
        assignments_removed=removed_assignments,
        new_units=resolver.new_units,
    )


def _sync_sections(plan: Plan, extracted: ExtractedPlan, by: Any) -> dict[str, PlanSection]:
    existing = {s.code: s for s in plan.sections.all()}
    result: dict[str, PlanSection] = {}
    fields = ["title", "declared_count", "order", "parent"]
    for order, esec in enumerate(extracted.sections, start=1):
        section = existing.get(esec.code)
        before = snapshot(section, fields=fields) if section else None
        if section is None:
            section = PlanSection(plan=plan, code=esec.code)
        section.title = esec.title
        section.declared_count = esec.declared_count
        section.order = order
        section.parent = result.get(esec.parent) if esec.parent else None
        after = snapshot(section, fields=fields)
        if before != after:
            section.full_clean()
            section.save()
            audit_record(
                action="plans.section.updated" if before else "plans.section.created",
                actor=by,
                instance=section,
                before=before,
                after=after,
            )
        result[esec.code] = section
    for code, section in existing.items():
        if code not in result:
            audit_record(
                action="plans.section.deleted",
                actor=by,
                instance=section,
                before=snapshot(section, fields=fields),
            )
            section.delete()
    return result


def _sync_assignments(
    task: Task, desired: dict[tuple[int, str], tuple[Unit, UnitGroup | None, str]], by: Any
) -> tuple[int, int]:
    current = {(a.unit_id, a.role): a for a in task.assignments.all()}
    removed = 0
    # A plan fans out into hundreds of assignments: created and audited in two statements.
    new = [
        Assignment(task=task, unit=unit, role=key[1], via_group=group, phrase=phrase[:500])
        for key, (unit, group, phrase) in desired.items()
        if key not in current
    ]
    for assignment in new:
        assignment.full_clean(exclude=["task", "unit", "via_group"], validate_unique=False)
    Assignment.objects.bulk_create(new)
    audit_created_many(
        action="plans.assignment.created", actor=by, instances=list(new), unit_of=_unit_of
    )
    added = len(new)
    for key, assignment in current.items():
        if key not in desired and not assignment.progress_reports.exists():
            audit_record(
                action="plans.assignment.deleted",
                actor=by,
                instance=assignment,
                before=snapshot(assignment),
                unit=assignment.unit,
            )
            assignment.delete()
            removed += 1
    return added, removed


def _unit_of(assignment: Any) -> Any:
    return assignment.unit


# --- tasks carried over from the year before ----------------------------------------------------


@dataclass
class TaskLink:
    """A task of this year's plan and the task of last year's it continues."""

    task: Task
    previous: Task
    score: float
    review: bool = False  # a near tie: `rival` scored close to this link
    rival: str = ""
    rival_score: float | None = None
    changed: bool = False  # linked (or relinked) by this run


@dataclass
class LinkResult:
    plan: Plan
    previous: Plan | None
    matched: list[TaskLink] = field(default_factory=list)
    unmatched_new: list[Task] = field(default_factory=list)
    unmatched_old: list[Task] = field(default_factory=list)
    # Tasks already continuing a task of another plan (set by hand): left as they are.
    kept: list[Task] = field(default_factory=list)
    unlinked: int = 0

    @property
    def changed(self) -> int:
        return sum(1 for link in self.matched if link.changed) + self.unlinked


def _set_continues(task: Task, previous: Task | None, *, by: Any, note: str) -> None:
    before = snapshot(task, fields=["continues"])
    task.continues = previous
    task.full_clean()
    task.save(update_fields=["continues", "updated_at"])
    audit_record(
        action="plans.task.updated",
        actor=by,
        instance=task,
        before=before,
        after=snapshot(task, fields=["continues"]),
        note=note,
    )


@transaction.atomic
def plan_link_previous(*, plan: Plan, previous: Plan | None = None, by: Any) -> LinkResult:
    """Link each task of `plan` to the task of last year's plan it continues (`Task.continues`).

    `previous` defaults to last year's plan of the same issuer (`selectors.plan_previous`). The
    links are proposed by `continuity.match_tasks` (one-to-one, above a threshold, near ties
    flagged); a run that finds the links already in place writes nothing. A task continuing a
    task of some other plan (linked by hand) is left alone.
    """
    previous = previous if previous is not None else plan_previous(plan)
    if previous is None:
        return LinkResult(plan=plan, previous=None)
    if previous.pk == plan.pk:
        raise ApplicationError("Một kế hoạch không thể tiếp nối chính nó.")
    tasks = {t.code: t for t in plan.tasks.select_related("continues")}
    old_tasks = {t.code: t for t in previous.tasks.all()}
    kept = [
        t for t in tasks.values() if t.continues is not None and t.continues.plan_id != previous.pk
    ]
    kept_codes = {t.code for t in kept}
    new_inputs = [i for i in continuity_inputs(plan) if i.code not in kept_codes]
    matching = match_tasks(continuity_inputs(previous), new_inputs)
    result = LinkResult(plan=plan, previous=previous, kept=kept)
    where = f"kế hoạch {previous.number}" + (f" năm {previous.year}" if previous.year else "")
    for link in matching.links:
        task, old = tasks[link.new], old_tasks[link.old]
        changed = task.continues_id != old.pk
        if changed:
            _set_continues(
                task,
                old,
                by=by,
                note=f"Tiếp nối nhiệm vụ {old.code} của {where} (điểm {link.score:.2f})."
                + (f" Cần rà soát: gần bằng {link.rival}." if link.review else ""),
            )
        result.matched.append(
            TaskLink(
                task=task,
                previous=old,
                score=link.score,
                review=link.review,
                rival=link.rival or "",
                rival_score=link.rival_score,
                changed=changed,
            )
        )
    for code in matching.unmatched_new:
        task = tasks[code]
        if task.continues is not None and task.continues.plan_id == previous.pk:
            # The text changed since the link was made and no longer supports it.
            _set_continues(
                task, None, by=by, note=f"Bỏ liên kết tiếp nối nhiệm vụ {task.continues.code}."
            )
            result.unlinked += 1
        result.unmatched_new.append(task)
    result.unmatched_old = [old_tasks[code] for code in matching.unmatched_old]
    return result


def _link_years(plan: Plan, by: Any) -> list[LinkResult]:
    """After an import: link the plan to last year's, and next year's plan to it when next
    year's was imported first."""
    results = []
    previous = plan_previous(plan)
    if previous is not None:
        results.append(plan_link_previous(plan=plan, previous=previous, by=by))
    following = plan_following(plan)
    if following is not None:
        results.append(plan_link_previous(plan=following, previous=plan, by=by))
    return results


def assignment_ensure(
    *,
    task: Task,
    unit: Unit,
    role: str,
    by: Any,
    phrase: str = "",
    via_group: UnitGroup | None = None,
) -> Assignment:
    """The assignment of `task` to `unit` in `role`, created (and audited) when missing."""
    assignment, _ = upsert_audited(
        Assignment,
        lookup={"task": task, "unit": unit, "role": role},
        values={},
        defaults={"phrase": phrase[:500], "via_group": via_group},
        action="plans.assignment",
        by=by,
        unit=unit,
    )
    # The objects in hand, so that reading them back is not a query each.
    assignment.task, assignment.unit = task, unit
    return assignment


DEMO_PLAN_SEED = "000_29642a5544120c4a.txt"


def plan_import_seed_demo() -> Iterator[str]:
    """Import the shipped 2024 plan of Bắc Giang (used by `dean06 demo`)."""
    from dean06.ingest import extract
    from dean06.orgs.selectors import unit_registry
    from dean06.reference import seed_path

    path = seed_path(DEMO_PLAN_SEED)
    data = path.read_bytes()
    extracted = extract(data, unit_registry(), filename=path.name)
    result = plan_import(extracted=extracted, by=None, source_name=path.name, source_bytes=data)
    yield f"Kế hoạch mẫu {extracted.plan.number}: {result.summary()}"
