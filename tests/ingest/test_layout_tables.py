"""Assignment tables of other shapes: columns by header name, merged header rows, code columns,
headings and parent tasks, continuation rows, extra columns, relative and real-date deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.ingest.layout.tables import (
    choose_columns,
    column_role,
    column_roles,
    find_columns,
    is_header_row,
    layout_tables,
)
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers.base import Table, TableRow
from dean06.ingest.units import UnitResolver


@pytest.fixture(scope="module")
def resolver():
    return UnitResolver(UnitRegistry.default())


def _table(*rows: list[str]) -> Table:
    return Table(rows=[TableRow(cells=list(r)) for r in rows])


def _keys(refs):
    return [r.unit_key or r.collective or r.name for r in refs]


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("STT", "stt"),
        ("TT", "stt"),
        ("Nội dung, nhiệm vụ cụ thể", "content"),
        ("Nhiệm vụ được giao", "content"),
        ("Đơn vị chủ trì", "lead"),
        ("Chủ trì", "lead"),
        ("Cơ quan chủ trì", "lead"),
        ("Đơn vị thực hiện", "lead"),
        ("Cơ quan thực hiện", "lead"),
        ("Đơn vị phối hợp", "coord"),
        ("Phối hợp", "coord"),
        ("Thời gian hoàn thành", "deadline"),
        ("Thời hạn", "deadline"),
        ("Tiến độ", "deadline"),
        ("Thời gian thực hiện", "deadline"),
        ("Sản phẩm", "product"),
        ("Kết quả cần đạt", "product"),
        ("Ghi chú", "note"),
        ("Kết quả thực hiện", "ignore"),
        ("Người liên hệ", "ignore"),
        # Who follows the task up is not who leads it ("cơ quan" alone would say lead).
        ("Theo dõi, kiểm tra, đôn đốc", "ignore"),
        ("Cơ quan theo dõi, đôn đốc", "ignore"),
    ],
)
def test_column_role_is_found_from_the_header_name(name, role):
    assert column_role(name) == role


def test_columns_are_found_by_name_not_position():
    cols = find_columns(["Thời hạn", "Nội dung", "TT", "Phối hợp", "Chủ trì", "Sản phẩm"])
    assert (cols.deadline, cols.content, cols.stt, cols.coord, cols.lead, cols.product) == (
        0,
        1,
        2,
        3,
        4,
        5,
    )


def test_a_task_row_is_not_taken_for_a_header():
    assert is_header_row(["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"])
    assert not is_header_row(["1", "Rà soát văn bản", "Sở Tư pháp", "", "Quý I/2024"])


def test_header_over_two_rows_with_merged_cells_is_merged(resolver):
    table = _table(
        ["TT", "Nhiệm vụ", "Đơn vị thực hiện", "Đơn vị thực hiện", "Thời gian", "Sản phẩm"],
        ["", "", "Chủ trì", "Phối hợp", "", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        [
            "1",
            "Xây dựng kho dữ liệu dùng chung",
            "Sở Thông tin và Truyền thông",
            "Công an tỉnh",
            "Quý II/2024",
            "Kho dữ liệu được vận hành",
        ],
    )
    layout = layout_tables([table], resolver)
    assert len(layout.tasks) == 1
    task = layout.tasks[0]
    assert _keys(task.lead_units) == ["STTTT"]
    assert _keys(task.coordinating_units) == ["CAT"]
    assert task.deadline.due_date == dt.date(2024, 6, 30)
    assert task.product == "Kho dữ liệu được vận hành"


def test_combined_responsibility_column_of_the_2023_plan_is_split(resolver):
    table = _table(
        [
            "STT",
            "Nhiệm vụ được giao",
            "Cơ quan thực hiện",
            "Thời hạn hoàn thành",
            "Kết quả thực hiện",
            "Ghi chú",
        ],
        [
            "1",
            "Rà soát văn bản quy phạm pháp luật",
            "Sở Tư pháp phối hợp với các đơn vị liên quan",
            "Quý II/2023",
            "Đã hoàn thành",
            "Ưu tiên",
        ],
    )
    task = layout_tables([table], resolver).tasks[0]
    assert _keys(task.lead_units) == ["STP"]
    assert _keys(task.coordinating_units) == ["LIEN_QUAN"]
    assert task.note == "Ưu tiên"
    assert "Đã hoàn thành" not in (task.content, task.note, task.product)


def test_relative_deadline_is_computed_from_the_plan_date(resolver):
    table = _table(
        ["STT", "Nội dung", "Chủ trì", "Thời hạn"],
        ["1", "Ban hành quy chế", "Sở Nội vụ", "100 ngày kể từ ngày ban hành Kế hoạch"],
        ["2", "Tổng kết", "Sở Nội vụ", "15/11/2024"],
    )
    tasks = layout_tables([table], resolver, plan_date=dt.date(2024, 3, 1)).tasks
    assert tasks[0].deadline.kind == "relative"
    assert tasks[0].deadline.due_date == dt.date(2024, 3, 1) + dt.timedelta(days=100)
    assert tasks[1].deadline.due_date == dt.date(2024, 11, 15)


def test_code_column_with_letters_and_symbols(resolver):
    table = _table(
        ["Mã", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn", "Người liên hệ"],
        ["1 a)", "Nhiệm vụ một a", "Công an tỉnh", "", "Quý I/2024", "Nguyễn Văn A"],
        ["12 b)", "Nhiệm vụ mười hai b", "Sở Y tế", "", "Quý I/2024", ""],
        ["KH20_TT_N01.1.1", "Nhiệm vụ mã riêng", "Sở Tư pháp", "", "Năm 2024", ""],
        ["13.5", "Nhiệm vụ 13.5", "Sở Nội vụ", "", "Năm 2024", ""],
    )
    codes = [t.code for t in layout_tables([table], resolver).tasks]
    assert codes == ["1.a", "12.b", "KH20_TT_N01.1.1", "13.5"]


def test_row_with_sub_rows_and_no_units_is_a_heading_and_with_units_a_parent_task(resolver):
    table = _table(
        ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"],
        ["1", "Hoàn thiện thể chế", "", "", ""],
        ["1.1", "Rà soát văn bản", "Sở Tư pháp", "", "Quý I/2024"],
        ["2", "Phát triển hạ tầng số", "Sở Thông tin và Truyền thông", "", "Năm 2024"],
        ["2.1", "Nâng cấp mạng", "Sở Thông tin và Truyền thông", "", "Quý II/2024"],
    )
    layout = layout_tables([table], resolver)
    assert [(s.code, s.title) for s in layout.sections] == [("1", "Hoàn thiện thể chế")]
    assert [t.code for t in layout.tasks] == ["1.1", "2", "2.1"]
    assert layout.tasks[0].section == "1"


def test_group_rows_prefix_codes_and_count_declared_tasks(resolver):
    table = _table(
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        ["A. NHÓM CHỈ ĐẠO (01 nhiệm vụ)", "", "", "", ""],
        ["1", "Điều tra cơ bản", "Công an tỉnh", "", "Tháng 01/2024"],
        ["B. NHÓM TRIỂN KHAI (02 nhiệm vụ)"] * 5,  # a merged row, text in every cell
        ["1", "Về pháp lý (02 nhiệm vụ)", "", "", ""],
        ["1.1", "Rà soát", "Sở Tư pháp", "", "Thực hiện thường xuyên"],
        ["3.3.", "Tăng cường", "Sở Nội vụ", "", "Thực hiện thường xuyên"],
    )
    layout = layout_tables([table], resolver)
    assert [t.code for t in layout.tasks] == ["A.1", "B.1.1", "B.3.3"]
    sections = {s.code: s for s in layout.sections}
    assert sections["A"].declared_count == 1
    assert sections["B"].title == "NHÓM TRIỂN KHAI"
    assert sections["B.1"].declared_count == 2 and sections["B.1"].parent == "B"


def test_empty_stt_continues_the_row_above_and_repeated_headers_are_skipped(resolver):
    header = ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]
    table = _table(
        header,
        [
            "1",
            "Chỉ đạo các ngân hàng tiếp cận các dịch",
            "Chi nhánh Ngân hàng nhà nước Chi",
            "Các cơ quan, đơn vị có liên quan",
            "Thực hiện thường xuyên",
        ],
        header,
        ["", "vụ tài chính.", "nhánh tỉnh Bắc Giang", "", ""],
        ["2", "Nhiệm vụ hai", "Sở Y tế", "", "Năm 2024"],
    )
    tasks = layout_tables([table], resolver).tasks
    assert [t.code for t in tasks] == ["1", "2"]
    assert tasks[0].content == "Chỉ đạo các ngân hàng tiếp cận các dịch vụ tài chính."
    assert _keys(tasks[0].lead_units) == ["NHNN"]


def test_un_numbered_row_after_a_heading_is_a_new_task(resolver):
    table = _table(
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        ["B. NHÓM TRIỂN KHAI", "", "", "", ""],
        ["7", "Công tác tuyên truyền", "", "", ""],
        ["", "Đẩy mạnh tuyên truyền", "Công an tỉnh", "", "Thực hiện thường xuyên"],
    )
    tasks = layout_tables([table], resolver).tasks
    assert [(t.code, t.section) for t in tasks] == [("B.7.1", "B.7")]


def test_unit_not_in_the_registry_is_kept_unresolved(resolver):
    table = _table(
        ["STT", "Nội dung", "Chủ trì", "Thời hạn"],
        ["1", "Hỗ trợ doanh nghiệp", "Hiệp hội Doanh nghiệp tỉnh", "Năm 2024"],
    )
    lead = layout_tables([table], resolver).tasks[0].lead_units
    assert len(lead) == 1 and not lead[0].resolved
    assert lead[0].name == "Hiệp hội Doanh nghiệp tỉnh"


def test_table_without_an_assignment_header_is_ignored(resolver):
    signature = _table(["KT. CHỦ TỊCH", "", "Nơi nhận"], ["PHÓ CHỦ TỊCH", "", "- Như trên"])
    assert layout_tables([signature], resolver).tasks == []


def test_second_table_without_header_continues_with_the_first_tables_columns(resolver):
    first = _table(
        ["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"],
        ["1", "Nhiệm vụ một", "Sở Y tế", "", "Năm 2024"],
    )
    second = _table(["2", "Nhiệm vụ hai", "Sở Tư pháp", "Công an tỉnh", "Quý I/2024"])
    tasks = layout_tables([first, second], resolver).tasks
    assert [t.code for t in tasks] == ["1", "2"]
    assert _keys(tasks[1].coordinating_units) == ["CAT"]


def test_a_year_in_the_deadline_header_dates_the_cells_that_give_only_day_and_month(resolver):
    # Signed late in 2025 for the work of 2026: "30/6" under "… năm 2026" is 30/06/2026.
    table = _table(
        ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành năm 2026"],
        ["1", "Rà soát dữ liệu dân cư", "Công an tỉnh", "30/6"],
        ["2", "Số hóa hồ sơ", "Sở Tư pháp", "Quý III"],
        ["3", "Báo cáo tổng kết", "Sở Nội vụ", "15/12/2025"],
    )
    tasks = layout_tables([table], resolver, plan_date=dt.date(2025, 12, 20), year=2025).tasks
    assert [t.deadline.due_date for t in tasks] == [
        dt.date(2026, 6, 30),
        dt.date(2026, 9, 30),
        dt.date(2025, 12, 15),  # a full date keeps its own year
    ]


def test_without_a_year_in_the_header_the_plan_s_year_is_kept(resolver):
    table = _table(
        ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        ["1", "Rà soát dữ liệu dân cư", "Công an tỉnh", "30/6"],
    )
    [task] = layout_tables([table], resolver, plan_date=dt.date(2025, 1, 20), year=2025).tasks
    assert task.deadline.due_date == dt.date(2025, 6, 30)


def test_a_header_broken_inside_a_word_still_names_its_column():
    """A narrow number column prints its header "ST" / "T" on two lines (a PDF's cell keeps the
    break): it is still the number column, so merged subgroup rows under it stay headings."""
    assert column_role("ST\nT") == "stt"
    assert column_roles("ST\nT") == ["stt"]
    assert column_role("Đơn vị\nchủ trì") == "lead"  # a break between words changes nothing
    rows = [TableRow(["1", "Rà soát dữ liệu dân cư", "Công an tỉnh", "Thường xuyên"])]
    cols = choose_columns(["ST\nT", "Nhiệm vụ", "Chủ trì", "Thời gian"], rows)
    assert (cols.stt, cols.content, cols.lead, cols.deadline) == (0, 1, 2, 3)


def test_roman_group_numerals_as_a_scan_prints_them_follow_the_sequence(resolver):
    """A scan joins the stems of "II" into "H", gives "I" a Vietnamese mark ("VỊ") or loses the
    last "I" ("II" for "III", "V" for "VI"): the next group's numeral. A break that is no such
    misprint ("V" after "III") is kept as written."""
    numerals = ["I", "H", "II", "IV", "V", "VỊ", "VH"]
    rows = [["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"]]
    for n, numeral in enumerate(numerals, start=1):
        rows.append([numeral, f"Nhóm nhiệm vụ số {n}", "", "", ""])
        rows.append(["1", f"Nhiệm vụ đầu tiên của nhóm {n}", "Sở Tư pháp", "", "Năm 2026"])
    codes = [t.code for t in layout_tables([_table(*rows)], resolver).tasks]
    assert codes == ["I.1", "II.1", "III.1", "IV.1", "V.1", "VI.1", "VII.1"]
    kept = _table(
        ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"],
        ["III", "Nhóm ba", "", "", ""],
        ["1", "Nhiệm vụ của nhóm ba", "Sở Tư pháp", "", "Năm 2026"],
        ["V", "Nhóm năm", "", "", ""],
        ["1", "Nhiệm vụ của nhóm năm", "Sở Tư pháp", "", "Năm 2026"],
    )
    assert [t.code for t in layout_tables([kept], resolver).tasks] == ["III.1", "V.1"]


@pytest.mark.parametrize(
    "time_header", ["Số ngày dự kiến", "Thời gian thực hiện (ngày)", "Thời gian (ngày làm việc)"]
)
def test_a_column_of_days_is_how_long_a_task_takes_not_its_deadline(resolver, time_header):
    assert column_role(time_header) == "duration"
    table = _table(
        ["TT", "Công việc", "Đơn vị thực hiện", "Đơn vị phối hợp", time_header],
        ["1", "Rà soát dữ liệu bảo hiểm y tế", "Sở Y tế", "Công an tỉnh", "30"],
    )
    task = layout_tables([table], resolver, plan_date=dt.date(2024, 3, 1)).tasks[0]
    assert task.deadline.due_date is None
    assert task.deadline.raw == ""
    assert task.note == "Số ngày thực hiện: 30"
    assert _keys(task.lead_units) == ["SYT"]


def test_a_date_s_format_in_a_header_is_no_number_of_days():
    assert column_role("Thời gian hoàn thành (ngày/tháng/năm)") == "deadline"
    assert column_role("Thời hạn") == "deadline"


def test_a_table_without_header_is_read_where_its_cells_are_tasks(resolver):
    # Pages from a plan's middle: the header was printed on an earlier page; a row begun there
    # goes on at the top; offices no registry lists and listed units as leads.
    table = _table(
        ["", "cơ sở dữ liệu đất đai của tỉnh.", "", "", ""],
        ["13", "Cập nhật số định danh vào hồ sơ địa chính", "Văn phòng Đăng ký\nđất đai", "", "30"],
        ["14", "Rà soát thủ tục hành chính lĩnh vực môi trường", "Sở Tư pháp", "", "45"],
        ["15", "Hướng dẫn người dân nộp hồ sơ trực tuyến", "Chi cục Bảo vệ môi trường", "", "60"],
    )
    layout = layout_tables([table], resolver)
    assert [t.code for t in layout.tasks] == ["13", "14", "15"]
    assert _keys(layout.tasks[1].lead_units) == ["STP"]
    # A figures table without header (numbers, a text, figures) gives no task.
    figures = _table(
        ["1", "Cơ sở khám, chữa bệnh chấp nhận thẻ căn cước", "45", "95,7"],
        ["2", "Cơ sở khám, chữa bệnh kết nối liên thông giấy chứng sinh", "38", "80,9"],
        ["3", "Cơ sở khám, chữa bệnh thanh toán không dùng tiền mặt", "41", "87,2"],
    )
    assert layout_tables([figures], resolver).tasks == []


def test_a_row_with_its_number_of_days_but_no_unit_read_is_a_task_not_a_heading(resolver):
    # A worn scan lost the row's unit cells; its days cell says it is a task.
    table = _table(
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Số ngày thực hiện"],
        ["1", "Đẩy nhanh tiến độ số hóa hồ sơ, kết quả giải quyết", "", "", "10"],
        ["2", "Rà soát thủ tục hành chính lĩnh vực hộ tịch", "Sở Tư pháp", "", "30"],
    )
    layout = layout_tables([table], resolver)
    assert [t.code for t in layout.tasks] == ["1", "2"]
    assert layout.sections == []
