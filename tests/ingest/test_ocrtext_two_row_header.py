"""A department letter's task table whose units' header is printed on two rows ("Đơn vị thực
hiện" over "Chủ trì" | "Phối hợp"), OCR'd by tesseract's default segmentation (psm 3) from
portrait pages: every header cell a block of its own, the one-digit row numbers lost in their
narrow ruled cells, the time column a number of days whose figures stand alone like the row
numbers that OCR kept."""

from __future__ import annotations

import pytest

from dean06.ingest import extract
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers.ocrtext import vocabulary
from dean06.ingest.readers.ocrtext.columns import header_cell
from dean06.ingest.readers.ocrtext.numbering import number_path
from dean06.ingest.text import fold
from dean06.ingest.units import UnitResolver

# Written for these tests: a Department of Transport and its offices (no fixture's words).
ROWS = [
    (
        "Rà soát, cập nhật dữ liệu đăng ký phương\ntiện giao thông của người dân vào cơ sở\n"
        "dữ liệu dân cư.",
        "Phòng Quản lý\nvận tải",
        "Trung tâm Đăng\nkiểm",
        "30",
    ),
    (
        "Hướng dẫn người dân nộp hồ sơ cấp đổi\ngiấy phép lái xe trực tuyến toàn trình\n"
        "trên Cổng dịch vụ công.",
        "Văn phòng Sở",
        "Phòng Quản lý\nvận tải",
        "15",
    ),
    (
        "Kết nối phần mềm quản lý giấy phép lái\nxe với cơ sở dữ liệu quốc gia về dân cư.",
        "Phòng Kế hoạch\n- Tài chính",
        "Văn phòng Sở",
        "60",
    ),
    (
        "Bố trí kinh phí bảo đảm hạ tầng kỹ thuật\ncho bộ phận một cửa của Sở.",
        "Phòng Kế hoạch\n- Tài chính",
        "Thanh tra Sở",
        "45",
    ),
    # Its days are the number of the tenth row, the first whose number OCR kept.
    (
        "Kiểm tra việc sử dụng thẻ căn cước thay\ngiấy tờ khi đăng kiểm phương tiện.",
        "Thanh tra Sở",
        "Trung tâm Đăng\nkiểm",
        "10",
    ),
    # A text nearly all of words of units' names, in lines of a portrait page's text column
    # (no wider than a landscape table's unit column): the row's text, not a unit cell.
    (
        "Phối hợp với Công an tỉnh, Sở Tư pháp\nvà Ủy ban nhân dân các huyện cập nhật\n"
        "dữ liệu phương tiện.",
        "Trung tâm Đăng\nkiểm",
        "Phòng Quản lý\nvận tải",
        "20",
    ),
    (
        "Số hóa hồ sơ, kết quả giải quyết thủ tục\nhành chính lĩnh vực đường bộ theo quy\nđịnh.",
        "Văn phòng Sở",
        "Thanh tra Sở",
        "90",
    ),
    (
        "Tuyên truyền người dân sử dụng tài khoản\nđịnh danh điện tử khi làm thủ tục.",
        "Phòng Quản lý\nvận tải",
        "Văn phòng Sở",
        "30",
    ),
    (
        "Đánh giá các giấy tờ có thể cắt giảm khi\nđã khai thác được dữ liệu dân cư.",
        "Thanh tra Sở",
        "Phòng Kế hoạch\n- Tài chính",
        "45",
    ),
    # Its days figure stands alone just before the next row's number "11".
    (
        "Báo cáo kết quả thực hiện về Công an\ntỉnh trước ngày 15 hằng tháng.",
        "Văn phòng Sở",
        "Thanh tra Sở",
        "15",
    ),
    (
        "Tổng kết việc thực hiện các nhiệm vụ\nđược giao trong năm.",
        "Văn phòng Sở",
        "Phòng Quản lý\nvận tải",
        "60",
    ),
]
HEADER = [
    "TT",
    "Nội dung công việc",
    "Đơn vị thực hiện",
    "Chủ trì",
    "Phối hợp",
    "Thời gian\nthực hiện\n(ngày)",
]


def _text() -> str:
    blocks = list(HEADER)
    for number, cells in enumerate(ROWS, start=1):
        if number >= 10:
            blocks.append(str(number))  # (OCR lost the one-digit numbers)
        blocks.extend(cells)
    return "\n\n".join(blocks) + "\n\f"  # (tesseract's page separator)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_rows_under_a_two_row_header_with_lost_numbers_and_days():
    plan = extract(_text().encode(), filename="cong-van-sgtvt.txt")
    assert [t.code for t in plan.tasks] == [str(k) for k in range(1, 12)]
    for task, (content, lead, coordinating, days) in zip(plan.tasks, ROWS, strict=True):
        assert fold(task.content) == fold(_one_line(content))
        assert [u.name for u in task.lead_units] == [_one_line(lead)]
        assert [u.name for u in task.coordinating_units] == [_one_line(coordinating)]
        assert task.deadline.due_date is None  # a number of days is a duration
        assert task.note == f"Số ngày thực hiện: {days}"


def test_a_days_figure_equal_to_a_row_number_is_not_taken_for_it():
    lines = _text().split("\n")
    numbers, _ = number_path(lines, days=True)
    taken = {value: k for k, value in numbers.items()}
    assert set(taken) == {"10", "11"}
    # The "10" after the ninth row's days "45" (not the fifth row's days "10"), and the "11"
    # after the tenth row's days "15" (not "15" with "11" read as "1.1").
    assert lines[taken["10"] - 2] == "45"
    assert lines[taken["11"] - 2] == "15"


@pytest.mark.parametrize(
    ("cell", "role"),
    [("Chi tri", "lead"), ("Phdi hop", "coord"), ("Don vi chi tri", "lead")],
)
def test_header_cells_as_ocr_without_vietnamese_data_spells_them(cell, role):
    vocab = vocabulary(UnitRegistry.default())
    assert header_cell(cell, vocab) == [role]


def test_a_names_last_letter_glued_to_the_word_before_is_set_apart():
    # OCR lost the space before a name's last letter ("Phòng Nghiệp vụY"): no Vietnamese word
    # ends in a capital. A name that ends so elsewhere in the same table reads the same.
    text = _text().replace("Trung tâm Đăng\nkiểm", "Trung tâm Đăng\nkiểm vùngA")
    plan = extract(text.encode(), filename="cong-van-sgtvt.txt")
    assert [u.name for u in plan.tasks[0].coordinating_units] == ["Trung tâm Đăng kiểm vùng A"]
    assert [u.name for u in plan.tasks[4].coordinating_units] == ["Trung tâm Đăng kiểm vùng A"]


def test_any_readers_unit_name_with_its_last_letter_glued_is_set_apart():
    # (The scan reader's cells too: the resolver keeps the name as written, the space put back.)
    resolver = UnitResolver(UnitRegistry.default())
    assert resolver.resolve("Phòng Nghiệp vụY").name == "Phòng Nghiệp vụ Y"
    assert resolver.resolve("Trung tâm VNeID").name == "Trung tâm VNeID"


# Rows one per line (OCR without Vietnamese data), the header printed again at a page's top cell
# by cell, inside a row's text, its units' cell garbled ("Don vi thc hien") and on two rows.
PAGE_TOP_HEADER = """STT | Noi dung nhiem vu Don vi chu tri Don vi phoi hop Thoi gian hoan thanh
1 | Cap nhat du lieu phuong tien giao thong vao co so | So Giao thong van tai | Cong an tinh | Thang 3/2024
du lieu dan cu, bao dam dung, du, sach, song.
2 | Huong dan nguoi dan nop ho so cap doi giay phep | So Giao thong van tai | Van phong UBND tinh | Quy II/2024
lai xe truc tuyen toan trinh tren Cong dich vu cong,
\fSTT

Noi dung nhiem vu

Don vi thc hien

Chi tri

Phdi hop

Thoi gian hoan thanh

giam giay to cong dan khi thuc hien thu tuc.
3 | Tong ket viec thuc hien cac nhiem vu trong nam. | Van phong UBND tinh | Cong an tinh | Thang 12/2024
"""  # noqa: E501 (OCR's lines as long as they come)


def test_a_garbled_header_cell_at_a_pages_top_is_no_cell_of_the_row():
    plan = extract(PAGE_TOP_HEADER.encode(), filename="ke-hoach-eng.txt")
    assert [t.code for t in plan.tasks] == ["1", "2", "3"]
    second = plan.tasks[1]
    assert second.content.endswith(
        "tren Cong dich vu cong, giam giay to cong dan khi thuc hien thu tuc."
    )
    assert [u.name for u in second.lead_units] == ["Sở Giao thông vận tải"]
    assert [u.name for u in second.coordinating_units] == ["Văn phòng UBND tỉnh"]
