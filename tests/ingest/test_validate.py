"""Warnings of validate(): stable codes, Vietnamese messages, and the "6 rõ" criteria."""

from __future__ import annotations

import datetime as dt

from dean06.ingest.model import (
    Deadline,
    ExtractedPlan,
    ExtractedSection,
    ExtractedTask,
    PlanMeta,
    Source,
    UnitRef,
)
from dean06.ingest.validate import six_clear_missing, validate

CAT = UnitRef(name="Công an tỉnh", raw="Công an tỉnh", unit_key="CAT")
STP = UnitRef(name="Sở Tư pháp", raw="Sở Tư pháp", unit_key="STP")
DUE = Deadline(raw="Quý I/2024", kind="quarter", due_date=dt.date(2024, 3, 31))


def _task(code="A.1", section="A", **kw) -> ExtractedTask:
    base = {
        "content": "Xây dựng kế hoạch kiểm tra việc triển khai",
        "lead_units": [CAT],
        "deadline": DUE,
        "product": "Kế hoạch",
    }
    base.update(kw)
    return ExtractedTask(code=code, section=section, **base)


def _plan(*tasks, sections=(), issuer="UBND tỉnh Bắc Giang") -> ExtractedPlan:
    return ExtractedPlan(plan=PlanMeta(issuer=issuer), sections=list(sections), tasks=list(tasks))


def _codes(warnings):
    return [w.code for w in warnings]


def test_a_complete_task_has_no_warning():
    assert validate(_plan(_task())) == []


def test_count_mismatch_per_section_counts_nested_tasks_and_sets_found_count():
    b = ExtractedSection(code="B", title="Nhóm B", declared_count=32)
    b1 = ExtractedSection(code="B.1", title="Pháp lý", declared_count=2, parent="B")
    tasks = [_task(f"B.1.{i}", "B.1") for i in (1, 2, 3)]
    warnings = validate(_plan(*tasks, sections=[b, b1]))
    mismatch = [w for w in warnings if w.code == "count_mismatch"]
    assert [w.section for w in mismatch] == ["B", "B.1"]
    assert b1.found_count == 3 and b.found_count == 3
    assert "02 nhiệm vụ" in mismatch[1].message and "03" in mismatch[1].message


def test_no_lead_unit():
    warnings = validate(_plan(_task(lead_units=[])))
    assert "no_lead_unit" in _codes(warnings)


def test_duplicate_code():
    warnings = validate(_plan(_task("A.1"), _task("A.1")))
    assert _codes(warnings).count("duplicate_code") == 1


def test_unparsed_deadline_only_when_there_was_text():
    unparsed = validate(_plan(_task(deadline=Deadline(raw="Sở Tư pháp", kind="unknown"))))
    empty = validate(_plan(_task(deadline=Deadline(raw="", kind="unknown"))))
    assert "unparsed_deadline" in _codes(unparsed)
    assert "unparsed_deadline" not in _codes(empty)


def test_unresolved_and_low_confidence_units_are_warned():
    new = UnitRef(name="Hiệp hội Doanh nghiệp", raw="Hiệp hội Doanh nghiệp")
    unsure = UnitRef(name="Sở Tư pháp", raw="So Tu phap", unit_key="STP", confidence=0.7)
    warnings = validate(_plan(_task(lead_units=[CAT, new], coordinating_units=[unsure])))
    low = [w for w in warnings if w.code == "low_confidence_unit"]
    assert len(low) == 2
    assert "chưa có trong danh mục" in low[0].message
    assert "70%" in low[1].message


def test_unplaced_text_is_reported_with_its_line():
    warnings = validate(_plan(_task()), unplaced=[("Một dòng lạc", Source(line=12))])
    unplaced = [w for w in warnings if w.code == "unplaced_text"]
    assert len(unplaced) == 1 and "dòng 12" in unplaced[0].message


def test_plan_without_tasks_is_warned():
    assert _codes(validate(_plan())) == ["no_tasks"]


def test_six_clear_lists_each_missing_criterion():
    vague = _task(
        content="Tuyên truyền",
        lead_units=[],
        deadline=Deadline(raw=""),
        product="",
    )
    assert six_clear_missing(vague, issuer=None) == [
        "who",
        "what",
        "when",
        "responsibility",
        "product",
        "authority",
    ]
    warning = next(w for w in validate(_plan(vague, issuer=None)) if w.code == "six_clear")
    assert "rõ người" in warning.message and "rõ thẩm quyền" in warning.message


def test_six_clear_responsibility_needs_resolved_leads_not_also_coordinating():
    new = UnitRef(name="Hiệp hội", raw="Hiệp hội")
    assert "responsibility" in six_clear_missing(_task(lead_units=[new]), issuer="UBND")
    assert "responsibility" in six_clear_missing(
        _task(lead_units=[CAT], coordinating_units=[CAT]), issuer="UBND"
    )
    assert "responsibility" not in six_clear_missing(
        _task(lead_units=[CAT], coordinating_units=[STP]), issuer="UBND"
    )


def test_six_clear_product_from_an_output_noun_or_a_percentage():
    assert "product" not in six_clear_missing(
        _task(product="", content="Xây dựng cơ sở dữ liệu đất đai"), issuer="UBND"
    )
    assert "product" not in six_clear_missing(
        _task(product="", content="Đạt 100% hồ sơ trực tuyến"), issuer="UBND"
    )
    assert "product" in six_clear_missing(
        _task(product="", content="Tăng cường phối hợp giữa các đơn vị"), issuer="UBND"
    )


def test_recurring_counts_as_a_clear_time():
    task = _task(deadline=Deadline(raw="Thường xuyên", kind="recurring", recurring=True))
    assert "when" not in six_clear_missing(task, issuer="UBND")


def test_reader_notes_are_passed_on():
    warnings = validate(_plan(_task()), reader_notes=["Trang 3 là ảnh scan, chưa đọc được"])
    assert [(w.code, w.message) for w in warnings] == [
        ("reader", "Trang 3 là ảnh scan, chưa đọc được")
    ]
