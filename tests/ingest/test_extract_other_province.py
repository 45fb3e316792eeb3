"""A plan of another province, laid out differently, read end to end from a real XLSX file."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from dean06.ingest import UnitRegistry, extract


def _workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["KẾ HOẠCH số 20/KH-UBND ngày 15/3/2024 của UBND tỉnh Lào Cai"])
    ws.append([])
    # A header over two rows, with merged cells, columns in another order and extra columns.
    ws.append(["Mã", "Nhiệm vụ", "Sản phẩm", "Chủ trì", "Phối hợp", "Thời hạn", "Người liên hệ"])
    ws.append(["", "", "", "", "", "", "(họ tên, điện thoại)"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    ws.append(["KH20_TT_N01", "Nhóm nhiệm vụ về thể chế", "", "", "", "", ""])
    ws.append(
        [
            "KH20_TT_N01.1",
            "Rà soát văn bản quy phạm pháp luật của tỉnh",
            "Báo cáo rà soát",
            "Sở Tư pháp tỉnh Lào Cai",
            "Văn phòng UBND tỉnh",
            dt.datetime(2024, 6, 30),
            "Nguyễn A",
        ]
    )
    ws.append(
        [
            "KH20_TT_N01.2",
            "Xây dựng quy chế khai thác dữ liệu dân cư",
            "Quyết định ban hành quy chế",
            "Công an tỉnh",
            "Sở Thông tin và Truyền thông",
            "100 ngày kể từ ngày ban hành Kế hoạch",
            "Trần B",
        ]
    )
    ws.append(
        [
            "KH20_TT_N01.3",
            "Tuyên truyền về Đề án 06 trên báo, đài",
            "Tin, bài",
            "Sở Văn hóa, Thể thao và Du lịch",
            "",
            "Thực hiện thường xuyên",
            "",
        ]
    )
    ws.merge_cells("B6:G6")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def plan():
    return extract(_workbook(), UnitRegistry.default(), filename="lao-cai.xlsx")


def test_tasks_and_codes_follow_the_code_column(plan):
    assert [t.code for t in plan.tasks] == ["KH20_TT_N01.1", "KH20_TT_N01.2", "KH20_TT_N01.3"]
    assert plan.tasks[0].product == "Báo cáo rà soát"


def test_real_spreadsheet_date_and_relative_deadline(plan):
    assert plan.plan.date == dt.date(2024, 3, 15)
    assert plan.tasks[0].deadline.due_date == dt.date(2024, 6, 30)
    relative = plan.tasks[1].deadline
    assert relative.kind == "relative"
    assert relative.due_date == dt.date(2024, 3, 15) + dt.timedelta(days=100)
    assert plan.tasks[2].deadline.recurring


def test_another_provinces_department_is_kept_not_forced_onto_a_local_unit(plan):
    lead = plan.tasks[0].lead_units[0]
    assert lead.unit_key is None and lead.collective is None
    assert "Lào Cai" in lead.name
    assert any(w.code == "low_confidence_unit" and w.task == "KH20_TT_N01.1" for w in plan.warnings)


def test_known_units_resolve(plan):
    assert plan.tasks[1].lead_units[0].unit_key == "CAT"
    assert plan.tasks[2].lead_units[0].unit_key == "SVHTTDL"


def test_a_header_note_row_is_part_of_the_header(plan):
    assert not [w for w in plan.warnings if w.code == "unplaced_text"]
