"""Assignment tables of other provinces: columns chosen by what their headers say AND what their
cells hold (codes beside names, persons and phone numbers, real dates, formulas), section rows."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import openpyxl
import pytest

from dean06.ingest import UnitRegistry, extract
from dean06.ingest.layout.tables import choose_columns
from dean06.ingest.readers.base import TableRow

REGISTRY = UnitRegistry.default()


def _xlsx(rows: list[list[object]], merges: tuple[str, ...] = (), title: str = "Phụ lục") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for cells in merges:
        ws.merge_cells(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _with_cached_values(data: bytes, values: dict[str, str]) -> bytes:
    """The workbook with cached results written into its formula cells, as Excel saves them
    (openpyxl writes formulas without results)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in values.items():
                    text, n = re.subn(
                        rf'<c r="{ref}"><f>(.*?)</f><v></v></c>',
                        lambda m, v=value, r=ref: (
                            f'<c r="{r}" t="str"><f>{m.group(1)}</f><v>{v}</v></c>'
                        ),
                        text,
                    )
                    assert n == 1, ref
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


# --- a code column beside a name column, persons with phone numbers, real dates ---------------

CODE_AND_NAME = [
    ["KẾ HOẠCH TRIỂN KHAI ĐỀ ÁN 06 NĂM 2025"],
    [],
    ["Mã nhiệm vụ", "Tên nhiệm vụ", "Đơn vị chủ trì", "Cán bộ phụ trách (SĐT)", "Hạn hoàn thành"],
    [
        "KH20_TT_N01.1",
        "Rà soát thủ tục hành chính liên quan đến dữ liệu dân cư",
        "Sở Tư pháp",
        "Ông Nguyễn Văn An - 0912 345 678",
        dt.datetime(2025, 6, 30),
    ],
    [
        "KH20_TT_N01.2",
        "Kết nối cơ sở dữ liệu hộ tịch với cơ sở dữ liệu quốc gia về dân cư",
        "Công an tỉnh",
        "Bà Trần Thị Bình, 0203.3856.123",
        dt.datetime(2025, 9, 15),
    ],
    [
        "KH20_TT_N02.1",
        "Tuyên truyền về lợi ích của tài khoản định danh điện tử",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Đ/c Lê Minh - 0987654321",
        dt.datetime(2025, 12, 31),
    ],
]


@pytest.fixture(scope="module")
def code_plan():
    return extract(_xlsx(CODE_AND_NAME), REGISTRY, filename="ma-nhiem-vu.xlsx")


def test_a_code_column_beside_a_name_column_gives_code_and_content(code_plan):
    assert [t.code for t in code_plan.tasks] == ["KH20_TT_N01.1", "KH20_TT_N01.2", "KH20_TT_N02.1"]
    assert code_plan.tasks[0].content.startswith("Rà soát thủ tục hành chính")
    assert all(t.content != t.code and " " in t.content for t in code_plan.tasks)


def test_a_column_of_persons_and_phone_numbers_is_not_a_unit_column(code_plan):
    assert [[u.unit_key for u in t.lead_units] for t in code_plan.tasks] == [
        ["STP"],
        ["CAT"],
        ["SVHTTDL"],
    ]
    assert not any(t.coordinating_units for t in code_plan.tasks)
    assert not any("0912" in u.raw for t in code_plan.tasks for u in t.lead_units)


def test_real_dates_in_excel_cells_are_deadlines(code_plan):
    assert [t.deadline.due_date for t in code_plan.tasks] == [
        dt.date(2025, 6, 30),
        dt.date(2025, 9, 15),
        dt.date(2025, 12, 31),
    ]
    assert code_plan.tasks[0].deadline.raw == "30/06/2025"


def test_the_content_header_on_a_code_column_loses_to_the_column_of_text():
    """Other wording: "Nhiệm vụ" holds the codes, "Nội dung công việc" the text, and the persons
    column (with e-mails) is called "Người chủ trì"; dates under "Thời hạn"."""
    rows: list[list[object]] = [
        ["STT", "Nhiệm vụ", "Nội dung công việc", "Chủ trì", "Người chủ trì", "Thời hạn"],
        [
            1,
            "NV-01",
            "Xây dựng kho dữ liệu dùng chung của tỉnh",
            "Sở Khoa học và Công nghệ",
            "Phạm Hùng, hung.pham@lamdong.gov.vn",
            dt.datetime(2026, 3, 31),
        ],
        [
            2,
            "NV-02",
            "Cấp tài khoản định danh điện tử mức độ 2 cho người dân",
            "Công an tỉnh",
            "Hoàng Lan, lan.hoang@lamdong.gov.vn",
            dt.datetime(2026, 6, 30),
        ],
    ]
    plan = extract(_xlsx(rows), REGISTRY, filename="noi-dung.xlsx")
    assert [t.content.split()[0] for t in plan.tasks] == ["Xây", "Cấp"]
    assert [[u.unit_key for u in t.lead_units] for t in plan.tasks] == [["SKHCN"], ["CAT"]]
    assert [t.deadline.due_date for t in plan.tasks] == [dt.date(2026, 3, 31), dt.date(2026, 6, 30)]


def test_choose_columns_by_cells_when_two_headers_name_the_content():
    names = ["Mã", "Nhiệm vụ", "Đơn vị thực hiện", "Liên hệ", "Thời gian"]
    rows = [
        TableRow(["A-1", "Rà soát quy trình cấp giấy phép", "Sở Xây dựng", "0912345678", "6/2025"]),
        TableRow(["A-2", "Chuẩn hóa dữ liệu đất đai của tỉnh", "Sở Nông nghiệp", "", "Quý III"]),
    ]
    cols = choose_columns(names, rows)
    assert (cols.stt, cols.content, cols.lead, cols.deadline) == (0, 1, 2, 4)


# --- persons as leads ------------------------------------------------------------------------


def test_a_person_as_lead_is_kept_as_written_and_flagged_for_review():
    rows: list[list[object]] = [
        ["NHIỆM VỤ THÁNG 3/2026"],
        ["TT", "Lĩnh vực", "Nội dung", "Chủ trì", "Phối hợp", "Tiến độ", "Tuần 1", "Tuần 2"],
        [1, "Cán bộ", "Tổng hợp hồ sơ nâng lương trước thời hạn", "Đ/c Hùng", "Đ/c Hồng", "Quý I"],
        [2, "Dữ liệu", "Cập nhật dữ liệu cán bộ lên phần mềm", "Đ/c Ngọc", "", "15/3/2026", 2, 3],
    ]
    plan = extract(_xlsx(rows), REGISTRY, filename="thang-3.xlsx")
    assert [t.code for t in plan.tasks] == ["1", "2"]
    first = plan.tasks[0]
    assert [(u.name, u.resolved) for u in first.lead_units] == [("Đ/c Hùng", False)]
    assert [u.name for u in first.coordinating_units] == ["Đ/c Hồng"]
    assert first.confidence < 0.8  # the import marks it "needs review"
    person = [w for w in plan.warnings if w.task == "1" and w.code == "person_as_unit"]
    assert len(person) == 2 and "chủ trì là một người («Đ/c Hùng»)" in person[0].message
    assert not any(w.code == "low_confidence_unit" and w.task == "1" for w in plan.warnings)
    # "Quý I" takes its year from the sheet's title.
    assert first.deadline.due_date == dt.date(2026, 3, 31)
    assert plan.tasks[1].deadline.due_date == dt.date(2026, 3, 15)


def test_a_received_column_that_says_recurring_makes_a_recurring_task():
    rows: list[list[object]] = [
        ["TT", "Nội dung", "Chủ trì", "Thời gian nhận", "Thời gian hoàn thành"],
        [1, "Công tác biên chế thường xuyên của phòng", "Đ/c Thủy", "Nhiệm vụ thường xuyên", ""],
        [2, "Tiếp nhận hồ sơ chuyển công tác", "Đ/c Thủy", "02/02/2026", "10/02/2026"],
    ]
    plan = extract(_xlsx(rows), REGISTRY, filename="bien-che.xlsx")
    first, second = plan.tasks
    assert first.deadline.recurring and first.deadline.due_date is None
    assert second.deadline.due_date == dt.date(2026, 2, 10)
    assert second.deadline.start_date == dt.date(2026, 2, 2)


def test_formulas_are_read_as_their_cached_values():
    rows: list[list[object]] = [
        ["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        [1, "Rà soát hồ sơ thủ tục hành chính", "Sở Tư pháp", '="Quý "&"II/2026"'],
        [2, '=B2&" (lần 2)"', "Công an tỉnh", "Năm 2026"],
    ]
    data = _with_cached_values(
        _xlsx(rows), {"D2": "Quý II/2026", "B3": "Rà soát hồ sơ thủ tục hành chính (lần 2)"}
    )
    plan = extract(data, REGISTRY, filename="cong-thuc.xlsx")
    assert plan.tasks[0].deadline.due_date == dt.date(2026, 6, 30)
    assert plan.tasks[1].content == "Rà soát hồ sơ thủ tục hành chính (lần 2)"
    assert "=" not in plan.tasks[0].deadline.raw


# --- section rows ----------------------------------------------------------------------------


def test_roman_numeral_rows_and_rows_merged_across_are_sections_not_tasks():
    rows: list[list[object]] = [
        ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"],
        ["I", "Cải cách thể chế", "", "", ""],
        [1, "Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "", "Năm 2026"],
        [2, "Công bố danh mục văn bản hết hiệu lực", "Sở Tư pháp", "", "Quý I/2026"],
        ["II", "Cải cách thủ tục hành chính", "", "", ""],
        ["Nhóm nhiệm vụ về dịch vụ công trực tuyến"] * 5,
        [1, "Cung cấp dịch vụ công trực tuyến toàn trình", "Văn phòng UBND tỉnh", "", "6/2026"],
        ["Nhóm nhiệm vụ về dữ liệu"] * 5,
        ["01", "Số hóa hồ sơ, kết quả giải quyết", "Văn phòng UBND tỉnh", "", "2026"],
    ]
    plan = extract(_xlsx(rows, merges=("A6:E6", "A8:E8")), REGISTRY, filename="cchc.xlsx")
    assert [(s.code, s.title) for s in plan.sections] == [
        ("I", "Cải cách thể chế"),
        ("II", "Cải cách thủ tục hành chính"),
        ("II.1", "Nhóm nhiệm vụ về dịch vụ công trực tuyến"),
        ("II.2", "Nhóm nhiệm vụ về dữ liệu"),
    ]
    assert [(t.code, t.section) for t in plan.tasks] == [
        ("I.1", "I"),
        ("I.2", "I"),
        ("II.1.1", "II.1"),
        ("II.2.1", "II.2"),
    ]
    assert [t.deadline.due_date for t in plan.tasks] == [
        dt.date(2026, 12, 31),
        dt.date(2026, 3, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 12, 31),
    ]
    assert not [w for w in plan.warnings if w.code == "duplicate_code"]


def test_a_number_and_content_merged_down_two_rows_is_one_task_with_both_assignments():
    rows: list[list[object]] = [
        ["STT", "Nhiệm vụ", "Sản phẩm", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"],
        ["I", "Công tác chỉ đạo, điều hành", "", "", "", ""],
        [1, "Ban hành kế hoạch kiểm tra", "Kế hoạch kiểm tra", "Sở Nội vụ", "", "Tháng 01/2026"],
        [None, None, "Kế hoạch tự kiểm tra", "Sở Tư pháp", "", "Tháng 01/2026"],
        [2, "Tổng kết công tác năm", "Báo cáo tổng kết", "Sở Nội vụ", "", "Tháng 12/2026"],
    ]
    plan = extract(_xlsx(rows, merges=("A3:A4", "B3:B4")), REGISTRY, filename="gop.xlsx")
    assert [t.code for t in plan.tasks] == ["I.1", "I.2"]
    first = plan.tasks[0]
    assert [u.unit_key for u in first.lead_units] == ["SNV", "STP"]
    assert first.product == "Kế hoạch kiểm tra\nKế hoạch tự kiểm tra"
    assert first.deadline.due_date == dt.date(2026, 1, 31)


def test_units_assigned_by_another_document_are_a_note_not_units():
    rows: list[list[object]] = [
        ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"],
        [
            1,
            "Triển khai Quyết định số 1441/QĐ-UBND",
            "Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025",
            "",
            "Theo các mốc thời gian tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025",
        ],
    ]
    task = extract(_xlsx(rows), REGISTRY, filename="theo-qd.xlsx").tasks[0]
    assert task.lead_units == []
    assert "Theo phân công" in task.note
    assert task.deadline.kind == "external" and task.deadline.due_date is None


# --- speed -----------------------------------------------------------------------------------


def test_a_fifty_task_office_file_is_read_well_under_a_second():
    rows: list[list[object]] = [
        ["Mã nhiệm vụ", "Tên nhiệm vụ", "Đơn vị chủ trì", "Phối hợp", "Cán bộ (SĐT)", "Thời hạn"]
    ]
    units = ["Sở Tư pháp", "Công an tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tài chính"]
    for i in range(50):
        rows.append(
            [
                f"NV{i // 10 + 1:02d}.{i % 10 + 1}",
                f"Triển khai nhiệm vụ số {i + 1} về dữ liệu dân cư và dịch vụ công",
                units[i % 5],
                units[(i + 1) % 5],
                f"Đ/c Cán bộ {i} - 09123456{i:02d}",
                dt.datetime(2026, i % 12 + 1, 10),
            ]
        )
    data = _xlsx(rows)
    extract(data, REGISTRY, filename="warm.xlsx")  # imports and the resolver, once
    start = time.perf_counter()
    plan = extract(data, REGISTRY, filename="nam-muoi.xlsx")
    elapsed = time.perf_counter() - start
    assert len(plan.tasks) == 50
    assert elapsed < 1.0, elapsed
