"""Tasks in running text: breakthrough blocks with field bullets; per-unit sections (2023 plan)."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.ingest.layout.narrative import layout_narrative
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers.base import Paragraph
from dean06.ingest.units import UnitResolver

PLAN_2023 = """\
III. NHIỆM VỤ CỤ THỂ
1. Công an tỉnh - Cơ quan thường trực Tổ công tác Đề án 06 tỉnh
- Tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra, thời gian hoàn thành trong quý I/2023.
- Đẩy mạnh cấp Căn cước công dân gắn chip, thời gian hoàn thành trong Quý II/2023.
- Hướng dẫn các đơn vị kết nối dữ liệu.
2. Sở Thông tin và Truyền thông
- Hoàn thiện Cổng dịch vụ công của tỉnh, thời gian hoàn thành trong quý III/2023.
IV. TỔ CHỨC THỰC HIỆN
1. Các sở, ban, ngành căn cứ Kế hoạch này tổ chức thực hiện.
- Báo cáo kết quả trước ngày 15 hằng tháng.
"""

BREAKTHROUGH = """\
II. NỘI DUNG, GIẢI PHÁP THỰC HIỆN
1. Nhiệm vụ chung
1.1. Tập trung lãnh đạo, chỉ đạo.
3. Tập trung triển khai một số nhiệm vụ đột phá
3.1. Đẩy mạnh thực hiện 53 Dịch vụ công thiết yếu
* Nhiệm vụ 1: Lựa chọn tối thiểu 02 Dịch vụ công trực tuyến điển hình.
- Đơn vị chủ trì: Sở Thông tin và Truyền thông.
- Đơn vị phối hợp: Các cơ quan, đơn vị, địa phương có liên quan.
- Thời gian thực hiện: Quý I năm 2024.
* Nhiệm vụ 2: Công an tỉnh đẩy mạnh thực hiện các Dịch vụ công thiết yếu.
- Đơn vị chủ trì: Công an tỉnh.
- Thời gian thực hiện: Từ quý I năm 2024.
3.2. Đẩy mạnh thực hiện 02 Dịch vụ công liên thông
- Nhiệm vụ: Đẩy mạnh tuyên truyền, hướng dẫn người dân.
- Đơn vị chủ trì: UBND cấp huyện.
- Đơn vị phối hợp: Sở Tư pháp; Sở Y tế; Bảo hiểm xã hội tỉnh.
- Thời gian thực hiện: Trong năm 2024.
3.3. Đẩy mạnh thực hiện các mô hình điểm về Đề án 06.
- Đơn vị thực hiện: Các sở, ngành, UBND cấp huyện.
- Thời gian thực hiện: Trong năm 2024.
Phụ lục I
- Đơn vị chủ trì: Sở Y tế.
"""


@pytest.fixture(scope="module")
def resolver():
    return UnitResolver(UnitRegistry.default())


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(text=line) for line in text.splitlines() if line.strip()]


def _keys(refs):
    return [r.unit_key or r.collective or r.name for r in refs]


def test_breakthrough_blocks_become_tasks_with_codes_from_their_headings(resolver):
    layout = layout_narrative(_paragraphs(BREAKTHROUGH), resolver, year=2024)
    assert [t.code for t in layout.tasks] == ["II.3.1.1", "II.3.1.2", "II.3.2", "II.3.3"]
    assert {t.origin for t in layout.tasks} == {"narrative"}
    first, second, third, fourth = layout.tasks
    assert first.content == "Lựa chọn tối thiểu 02 Dịch vụ công trực tuyến điển hình."
    assert _keys(first.lead_units) == ["STTTT"]
    assert _keys(first.coordinating_units) == ["LIEN_QUAN"]
    assert first.deadline.due_date == dt.date(2024, 3, 31)
    assert second.deadline.recurring and second.coordinating_units == []
    assert _keys(third.lead_units) == ["UBND_HUYEN"]
    assert _keys(third.coordinating_units) == ["STP", "SYT", "BHXH"]
    # No "Nhiệm vụ:" line: the heading is the task; "Đơn vị thực hiện" names the leads.
    assert fourth.content.startswith("Đẩy mạnh thực hiện các mô hình điểm")
    assert _keys(fourth.lead_units) == ["SO_BAN_NGANH", "UBND_HUYEN"]


def test_breakthrough_section_is_the_numbered_heading_above_the_blocks(resolver):
    layout = layout_narrative(_paragraphs(BREAKTHROUGH), resolver, year=2024)
    assert [(s.code, s.title) for s in layout.sections] == [
        ("II.3", "Tập trung triển khai một số nhiệm vụ đột phá")
    ]
    assert {t.section for t in layout.tasks} == {"II.3"}


def test_general_tasks_without_fields_and_text_after_the_appendix_are_not_tasks(resolver):
    layout = layout_narrative(_paragraphs(BREAKTHROUGH), resolver, year=2024)
    assert not any("Tập trung lãnh đạo" in t.content for t in layout.tasks)
    assert not any(_keys(t.lead_units) == ["SYT"] for t in layout.tasks)


def test_per_unit_sections_make_each_dash_bullet_a_task_of_that_unit(resolver):
    layout = layout_narrative(_paragraphs(PLAN_2023), resolver, year=2023)
    assert [(t.code, _keys(t.lead_units)) for t in layout.tasks] == [
        ("III.1.1", ["CAT"]),
        ("III.1.2", ["CAT"]),
        ("III.1.3", ["CAT"]),
        ("III.2.1", ["STTTT"]),
    ]
    assert {t.origin for t in layout.tasks} == {"unit_section"}
    assert [t.deadline.due_date for t in layout.tasks] == [
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        None,
        dt.date(2023, 9, 30),
    ]
    assert [s.code for s in layout.sections] == ["III.1", "III.2"]


def test_numbered_paragraphs_outside_a_tasks_section_are_not_unit_sections(resolver):
    layout = layout_narrative(_paragraphs(PLAN_2023), resolver, year=2023)
    assert not any(t.code.startswith("IV") for t in layout.tasks)


def test_block_with_a_deadline_but_no_unit_is_reported_unplaced(resolver):
    text = (
        "II. NỘI DUNG\n3. Nhiệm vụ đột phá\n- Nhiệm vụ: Số hóa hồ sơ.\n"
        "- Thời gian thực hiện: Năm 2024.\n"
    )
    layout = layout_narrative(_paragraphs(text), resolver, year=2024)
    assert layout.tasks == []
    assert [t for t, _ in layout.unplaced] == ["Số hóa hồ sơ."]
