"""OCR text of tables in other layouts than the one the reader rebuilds rows from (a note column,
the time before the units, product and follow-up columns): what it reads, and that it says when
a layout is beyond what text without positions can give back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dean06.ingest import extract
from dean06.ingest.layout.tables import named_columns
from dean06.ingest.readers.ocrtext import _ends_table
from dean06.ingest.scoring import score

DATA = Path(__file__).resolve().parent.parent / "data"
OCR = DATA / "ocr"
GOLD_001 = json.loads((DATA / "gold" / "001.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (
            "STT Nội dung, nhiệm vụ cụ thể Đơn vị chủ trì Đơn vị phối hợp Thời gian hoàn thành",
            ["stt", "content", "lead", "coord", "deadline"],
        ),
        (
            "ST | Nhiệm vụ Sản phẩm Thời gian hoàn | Chủ trì thực hiện | Phối hợp thực Theo dõi,",
            ["content", "product", "deadline", "lead", "coord", "ignore"],
        ),
        (
            "TT Công việc Đơn vị thực hiện Đơn vị phối hợp Thời hạn Ghi chú",
            ["stt", "content", "lead", "coord", "deadline", "note"],
        ),
        ("Tiếp tục thực hiện việc đổi mới cơ chế một cửa", []),
    ],
)
def test_a_header_line_names_its_columns_left_to_right(header, roles):
    assert named_columns(header) == roles


def test_a_note_under_the_table_ends_it_and_a_note_column_header_does_not():
    assert _ends_table("Ghi chú: các đơn vị báo cáo kết quả trước ngày 15 hằng tháng.")
    assert _ends_table("Nơi nhận:")
    assert not _ends_table("Ghi chú")
    assert not _ends_table("Ghi chu")


def test_a_table_with_a_note_column_is_read_to_its_end():
    # psm 3 prints the "Ghi chú" header cell on a line of its own at every page: it used to end
    # the table there (11 of 39 tasks read).
    plan = extract(OCR / "layout-note-vie-psm3.txt")
    result = score(plan, GOLD_001)
    assert result.accuracy("found") == 1.0, result.missing
    assert result.accuracy("due_date") >= 0.95


@pytest.mark.parametrize("name", ["layout-time-first-vie-psm3.txt", "layout-product-vie-psm3.txt"])
def test_a_layout_the_text_cannot_give_back_is_said_with_what_to_do(name):
    plan = extract(OCR / name)
    warnings = [w.message for w in plan.warnings]
    assert any("thứ tự" in w and "bản quét" in w for w in warnings), warnings[:3]


@pytest.mark.parametrize(
    "name", ["plan2024-vie-psm3.txt", "plan2024-eng-psm3.txt", "layout-note-vie-psm3.txt"]
)
def test_the_layout_the_reader_is_built_for_gives_no_such_warning(name):
    plan = extract(OCR / name)
    assert not any("bản quét" in w.message for w in plan.warnings)
