"""Applying a reviewer's edits to an extraction (pure: no database).

The review page shows each extracted value; the reviewer corrects plan metadata, task content, unit
mentions (picked from the registry by name) and deadline phrases, or drops a task. This module
turns the submitted values back into an `ExtractedPlan` ready for `plan_import`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from dean06.ingest.deadlines import parse_date, parse_deadline
from dean06.ingest.model import ExtractedPlan, UnitRef, UnitRegistry
from dean06.ingest.units import UnitResolver


@dataclass
class TaskEdit:
    index: int
    code: str
    content: str
    deadline_raw: str
    lead: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)
    skip: bool = False


@dataclass
class ReviewEdits:
    number: str
    date: str
    issuer: str
    title: str
    tasks: list[TaskEdit]


class ReviewError(ValueError):
    """The edits cannot be applied; `errors` maps a field name to a Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _refs(names: list[str], resolver: UnitResolver, previous: list[UnitRef]) -> list[UnitRef]:
    by_name = {ref.name: ref for ref in previous}
    refs: list[UnitRef] = []
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        kept = by_name.get(name)
        # An unchanged mention keeps what the extractor knew (raw phrase, confidence).
        ref = kept if kept is not None else resolver.resolve(name)
        if not ref.resolved:
            ref.name = name
        if all(r.name != ref.name for r in refs):
            refs.append(ref)
    return refs


def review_apply(
    extracted: ExtractedPlan, edits: ReviewEdits, registry: UnitRegistry
) -> ExtractedPlan:
    """A copy of `extracted` with the reviewer's edits applied; raises ReviewError when invalid."""
    result = copy.deepcopy(extracted)
    errors: dict[str, str] = {}
    number = " ".join(edits.number.split())
    if not number:
        errors["plan-number"] = "Cần nhập số, ký hiệu của kế hoạch."
    plan_date = parse_date(edits.date) if edits.date.strip() else None
    if edits.date.strip() and plan_date is None:
        errors["plan-date"] = f"Ngày ban hành «{edits.date}» không đúng dạng dd/mm/yyyy."
    result.plan.number = number or None
    result.plan.date = plan_date
    result.plan.year = plan_date.year if plan_date else result.plan.year
    result.plan.issuer = edits.issuer.strip() or None
    result.plan.title = edits.title.strip() or None

    resolver = UnitResolver(registry)
    tasks = []
    codes: set[str] = set()
    for edit in edits.tasks:
        if edit.index < 0 or edit.index >= len(extracted.tasks):
            errors[f"task-{edit.index}"] = "Nhiệm vụ không có trong kết quả đọc."
            continue
        if edit.skip:
            continue
        task = result.tasks[edit.index]
        code = edit.code.strip()
        if not code:
            errors[f"task-{edit.index}-code"] = "Cần mã nhiệm vụ."
        elif code in codes:
            errors[f"task-{edit.index}-code"] = f"Mã nhiệm vụ {code} bị trùng."
        codes.add(code)
        if not edit.content.strip():
            errors[f"task-{edit.index}-content"] = f"Nhiệm vụ {code}: cần nội dung."
        task.code = code
        task.content = edit.content.strip()
        if (
            edit.deadline_raw.strip() != task.deadline.raw.strip()
            or plan_date != extracted.plan.date
        ):
            task.deadline = parse_deadline(
                edit.deadline_raw.strip(), plan_date=plan_date, year=result.plan.year
            )
        task.lead_units = _refs(edit.lead, resolver, task.lead_units)
        task.coordinating_units = _refs(edit.coordinating, resolver, task.coordinating_units)
        if not task.lead_units:
            errors[f"task-{edit.index}-lead"] = f"Nhiệm vụ {code}: cần ít nhất một đơn vị chủ trì."
        tasks.append(task)
    if errors:
        raise ReviewError(errors)
    result.tasks = tasks
    return result
