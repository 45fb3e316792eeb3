"""review_apply: the reviewer's corrections turn back into an ExtractedPlan (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.ingest import UnitRegistry, extract
from dean06.plans.review import ReviewEdits, ReviewError, TaskEdit, review_apply
from dean06.reference import seed_path


@pytest.fixture(scope="module")
def registry():
    return UnitRegistry.default()


@pytest.fixture(scope="module")
def extracted(registry):
    return extract(seed_path("001_33c018715ba11eff.txt"), registry)


def _edits(extracted, **changes):
    tasks = [
        TaskEdit(
            index=i,
            code=t.code,
            content=t.content,
            deadline_raw=t.deadline.raw,
            lead=[u.name for u in t.lead_units],
            coordinating=[u.name for u in t.coordinating_units],
        )
        for i, t in enumerate(extracted.tasks)
    ]
    edits = ReviewEdits(
        number="18/KH-UBND", date="23/01/2024", issuer="UBND tỉnh", title="KH", tasks=tasks
    )
    for key, value in changes.items():
        setattr(edits, key, value)
    return edits


def test_unchanged_review_keeps_the_extraction(extracted, registry):
    reviewed = review_apply(extracted, _edits(extracted), registry)
    assert [t.code for t in reviewed.tasks] == [t.code for t in extracted.tasks]
    assert reviewed.tasks[0].lead_units[0].unit_key == "CAT"


def test_edited_deadline_is_parsed_again(extracted, registry):
    edits = _edits(extracted)
    edits.tasks[0].deadline_raw = "Quý II/2024"
    reviewed = review_apply(extracted, edits, registry)
    assert reviewed.tasks[0].deadline.due_date == dt.date(2024, 6, 30)
    assert reviewed.tasks[0].deadline.kind == "quarter"


def test_unit_picked_by_name_resolves_and_new_name_stays_proposed(extracted, registry):
    edits = _edits(extracted)
    edits.tasks[0].lead = ["Sở Tư pháp", "Ban Chỉ đạo ABC"]
    reviewed = review_apply(extracted, edits, registry)
    lead = reviewed.tasks[0].lead_units
    assert lead[0].unit_key == "STP"
    assert lead[1].name == "Ban Chỉ đạo ABC" and not lead[1].resolved


def test_skipped_task_is_left_out(extracted, registry):
    edits = _edits(extracted)
    edits.tasks[1].skip = True
    reviewed = review_apply(extracted, edits, registry)
    assert extracted.tasks[1].code not in [t.code for t in reviewed.tasks]


def test_errors_are_reported_per_field(extracted, registry):
    edits = _edits(extracted, number="  ", date="32/13/2024")
    edits.tasks[1].code = edits.tasks[0].code
    edits.tasks[2].lead = []
    with pytest.raises(ReviewError) as info:
        review_apply(extracted, edits, registry)
    assert set(info.value.errors) == {"plan-number", "plan-date", "task-1-code", "task-2-lead"}
