"""The scorer matches tasks by their words, one to one, and counts what is wrong or extra."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dean06.ingest import Deadline, ExtractedPlan, ExtractedTask, UnitRef, UnitRegistry
from dean06.ingest.scoring import score, total

HELDOUT = Path(__file__).resolve().parent.parent / "data" / "heldout"
KINDS = {"web-text", "docx", "pdf", "xlsx", "scan", "ocr-text"}

GOLD = {
    "tasks": [
        {
            "code": "1",
            "content": "Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp",
            "lead": ["SKHCN"],
            "coordinating": ["SO_BAN_NGANH"],
            "due_date": "2025-12-31",
            "recurring": False,
        },
        {
            "code": "2",
            "content": "Triển khai nền tảng đào tạo trực tuyến mở đại trà",
            "lead": ["SCT"],
            "coordinating": [],
            "due_date": None,
            "recurring": True,
        },
        {
            "code": "3",
            "content": "Giải đáp kiến nghị thuộc thẩm quyền của UBND xã Hòa Ninh",
            "lead": ["UBND xã Hòa Ninh"],
            "coordinating": [],
            "due_date": "2026-12-25",
            "recurring": False,
        },
    ]
}


def _task(
    code: str,
    content: str,
    lead: list[UnitRef],
    *,
    coordinating: list[UnitRef] | None = None,
    due: dt.date | None = None,
    recurring: bool = False,
) -> ExtractedTask:
    return ExtractedTask(
        code=code,
        section=None,
        content=content,
        lead_units=lead,
        coordinating_units=coordinating or [],
        deadline=Deadline(raw="", due_date=due, recurring=recurring),
    )


def _unit(key: str) -> UnitRef:
    return UnitRef(name=key, raw=key, unit_key=key)


def _right_tasks() -> list[ExtractedTask]:
    return [
        _task(
            "1",
            "Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp.",
            [_unit("SKHCN")],
            coordinating=[UnitRef(name="Các sở, ban, ngành", raw="", collective="SO_BAN_NGANH")],
            due=dt.date(2025, 12, 31),
        ),
        _task(
            "2",
            "Triển khai nền tảng đào tạo trực tuyến mở đại trà, cung cấp kiến thức",
            [_unit("SCT")],
            recurring=True,
        ),
        _task(
            "3",
            "Giải đáp kiến nghị thuộc thẩm quyền của UBND xã Hòa Ninh",
            # Unresolved: the reader spelled the abbreviation out.
            [UnitRef(name="Ủy ban nhân dân xã Hòa Ninh", raw="UBND xã Hòa Ninh")],
            due=dt.date(2026, 12, 25),
        ),
    ]


def test_right_extraction_scores_everything():
    result = score(ExtractedPlan(tasks=_right_tasks()), GOLD)
    assert result.found == 3 and result.precision == 1.0 and result.recall == 1.0
    assert result.overall == 1.0 and result.accuracy("content") == 1.0
    assert result.errors == [] and result.extra == [] and result.missing == []


def test_right_code_with_wrong_content_is_not_found():
    tasks = _right_tasks()
    # Task "2" carries the text of another part of the plan: its code alone must not count.
    tasks[1].content = "Sở Tài chính thẩm định dự toán kinh phí thực hiện nhiệm vụ Kế hoạch"
    result = score(ExtractedPlan(tasks=tasks), GOLD)
    assert result.missing == ["2"]
    assert result.extra == ["2"]
    assert result.found == 2
    assert result.recall == pytest.approx(2 / 3)
    assert result.precision == pytest.approx(2 / 3)
    assert result.accuracy("lead") == pytest.approx(2 / 3)


def test_extra_tasks_lower_precision_not_recall():
    tasks = [
        *_right_tasks(),
        _task("4", "Sở Nội vụ theo dõi, kiểm tra, đôn đốc quá trình tổ chức thực hiện", []),
        # A duplicate of a found task is an extra too: matching is one to one.
        _task("1", "Xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp", []),
    ]
    result = score(ExtractedPlan(tasks=tasks), GOLD)
    assert result.recall == 1.0
    assert result.extracted == 5
    assert result.precision == pytest.approx(3 / 5)
    assert sorted(result.extra) == ["1", "4"]
    # Of two equal copies, the one at the gold task's place is matched.
    assert result.accuracy("lead") == 1.0


def test_reordered_and_renumbered_tasks_are_matched_by_content():
    tasks = list(reversed(_right_tasks()))
    for task, code in zip(tasks, ("A.1", "A.2", "A.3"), strict=True):
        task.code = code
    result = score(ExtractedPlan(tasks=tasks), GOLD)
    assert result.found == 3 and result.extra == []
    assert result.fields == 1.0
    assert result.accuracy("code") == 0.0
    assert sorted(m[:2] for m in result.matches) == [("1", "A.3"), ("2", "A.2"), ("3", "A.1")]


def test_ocr_text_without_accents_still_matches():
    tasks = _right_tasks()
    tasks[0].content = "Xay dung Bo tieu chi danh gia muc do chuyen doi so doanh nghiep"
    tasks[1].content = "Trien khai nen tang dao tao truc tuyen mo dai tra"
    result = score(ExtractedPlan(tasks=tasks), GOLD)
    assert result.found == 3
    assert result.accuracy("content") == 1.0


def test_garbled_start_is_found_but_its_content_is_wrong():
    tasks = _right_tasks()
    # OCR of a noisy scan: letters read as digits, "i" as "l"; close, but not the text.
    tasks[0].content = "Xay dụng B0 tleu chl dánh gỉa mửc đo chuyen dôi s0 doanh ngh1ep"
    result = score(ExtractedPlan(tasks=tasks), GOLD)
    assert result.found == 3
    assert result.accuracy("content") == pytest.approx(2 / 3)
    assert "1: content" in result.errors


def test_truncated_text_is_found_but_its_content_is_wrong():
    tasks = _right_tasks()
    # Only the first line of a wrapped cell was kept.
    tasks[0].content = "Xây dựng Bộ tiêu chí đánh giá mức độ"
    tasks[1].content = "Triển khai"
    result = score(ExtractedPlan(tasks=tasks), GOLD)
    # Seven words still identify task 1; one word identifies nothing.
    assert result.missing == ["2"]
    assert result.found == 2
    assert "1: content" in result.errors


def test_gold_without_content_is_matched_by_code_as_before():
    legacy = {"tasks": [{k: v for k, v in t.items() if k != "content"} for t in GOLD["tasks"]]}
    tasks = _right_tasks()
    tasks[1].content = "anything at all"
    result = score(ExtractedPlan(tasks=tasks), legacy)
    assert result.found == 3 and result.content_checked == 0
    assert result.overall == 1.0
    assert result.as_row()["overall"] == 1.0


def test_total_sums_tasks_of_documents():
    good = score(ExtractedPlan(tasks=_right_tasks()), GOLD)
    empty = score(ExtractedPlan(), GOLD)
    both = total([good, empty])
    assert both.tasks == 6 and both.found == 3 and both.extracted == 3
    assert both.recall == 0.5 and both.precision == 1.0


# --- the held-out set: cheap checks only (no reader runs here) ----------------------------------


def _heldout_gold() -> list[Path]:
    return sorted((HELDOUT / "gold").glob("*.json"))


def test_heldout_set_has_several_documents_of_several_kinds():
    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in _heldout_gold()}
    assert len(_heldout_gold()) >= 6
    assert kinds == KINDS


@pytest.mark.parametrize("path", _heldout_gold(), ids=lambda p: p.stem)
def test_heldout_gold_file_is_well_formed_and_its_document_exists(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert (HELDOUT / gold["input"]).is_file()
    assert gold["kind"] in KINDS
    assert gold["_comment"]
    registry = UnitRegistry.default()
    keys = {u.key for u in registry.units} | {g.key for g in registry.groups}
    codes = [t["code"] for t in gold["tasks"]]
    assert gold["tasks"] and len(codes) == len(set(codes))
    contents = [t["content"] for t in gold["tasks"]]
    assert len(contents) == len(set(contents))
    for task in gold["tasks"]:
        assert set(task) == {"code", "content", "lead", "coordinating", "due_date", "recurring"}
        assert len(task["content"].split()) >= 3
        assert task["lead"], task["code"]
        for unit in task["lead"] + task["coordinating"]:
            # A key must be the registry's; anything else is a unit's name, with spaces.
            assert unit in keys or " " in unit, unit
        if task["due_date"] is not None:
            dt.date.fromisoformat(task["due_date"])
        assert isinstance(task["recurring"], bool)
