"""The rows' numbers of an OCR'd table chosen over the whole table (ocrtext/numbering.py): a worn
scan's specks and misread numbers do not throw the rows after them off."""

from __future__ import annotations

from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers.ocrtext import read_text
from dean06.ingest.readers.ocrtext.numbering import (
    number_path,
    numbered_in_groups,
    page_numbers,
    transition_cost,
)


def _numbers(text: str) -> list[tuple[int, str]]:
    numbers, _ = number_path(text.split("\n"))
    return sorted(numbers.items())


def test_a_speck_read_as_a_number_is_not_a_row():
    # "3" under row 1 is a speck before the text's last words: taken line by line, it made
    # row 3 and refused the real 2 and 3 after it.
    lines = "\n".join(
        [
            "A. NHÓM THAM MƯU, CHỈ ĐẠO (03 nhiệm vụ)",
            "1 Điều tra cơ bản theo đặc thù vùng miền | Công an tỉnh | Tháng 01/2024",
            '3 "có liên quan',
            "2 ‡ Thực hiện chỉ đạo, điều hành | Sở Nội vụ | Năm 2024",
            "3. | Có cơ chế kiểm tra, giám sát | Công an tỉnh | Thực hiện thường xuyên",
        ]
    )
    assert _numbers(lines) == [(1, "1"), (3, "2"), (4, "3")]


def test_a_run_of_numbers_goes_on_through_lost_ones_and_a_lost_subgroup_heading():
    lines = [
        "B. NHÓM TRIỂN KHAI (08 nhiệm vụ)",
        "1 Về pháp lý (02 nhiệm vụ)",
        "1.1 | Rà soát văn bản",
        "K) Tổ chức thực hiện các nghị quyết",  # "1.2" unreadable
        "2 Phục vụ giải quyết thủ tục hành chính (03 nhiệm vụ)",
        "2.1 | Tiếp tục đổi mới một cửa",
        "2.2 | Tái cấu trúc quy trình",
        "2.3 | Tuyên truyền",
        "Xây dựng hệ sinh thái (02 nhiệm vụ)",  # "3" lost
        "3.2 | Bổ sung dữ liệu chuyên ngành",
        "5.0 So Thong tin",  # "Sở" read as a number: rows are numbered from 1
    ]
    numbers, _ = number_path(lines)
    assert [numbers[k] for k in sorted(numbers)] == ["1", "1.1", "2", "2.1", "2.2", "2.3", "3.2"]


def test_a_number_wrapped_by_its_narrow_column_is_joined_with_its_end():
    lines = ["2.12 | Rà soát", "2.13 | Hướng dẫn", "2.1 | Tổ chức tập huấn", "4| về tiếp nhận"]
    numbers, ends = number_path(lines)
    assert numbers == {0: "2.12", 1: "2.13", 2: "2.14"}
    assert ends == {3}


def test_what_may_follow_a_number():
    assert transition_cost(None, "1", False) == 0
    assert transition_cost("1.3", "1.4", True) == 0
    assert transition_cost("1.3", "2", True) == 0
    assert transition_cost("2", "2.1", True) == 0
    assert transition_cost("6", "1.1", False) == 0  # the next group, its title lost
    cost = transition_cost("1.3", "1.6", True)
    assert cost is not None and 0 < cost < 1  # two rows lost: less than a row is worth
    assert transition_cost("2.13", "2.1", True) == 1.0  # back to the first: a lost title
    assert transition_cost("2.3", "2.2", True) is None
    assert transition_cost("4", "9.2", False) is None


def test_rows_of_a_worn_scan_keep_their_numbers_and_texts():
    text = "\n".join(
        [
            "STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành",
            "A. NHÓM THAM MƯU, CHỈ ĐẠO (04 nhiệm vụ)",
            "J1 Điều tra cơ bản theo đặc thù vùng miền | Công an tỉnh | Sở Tư pháp | Tháng 01/2024",
            "để xây dựng kế hoạch triển khai.",
            '3 "có liên quan',
            "-2 Thực hiện chỉ đạo, điều hành | Sở Nội vụ | Sở Tư pháp | Năm 2024",
            "_| 3 Có cơ chế kiểm tra | Công an tỉnh | Sở Tư pháp | Thực hiện thường xuyên",
            "4 Ưu tiên bố trí kinh phí | Sở Tài chính | Công an tỉnh | Thực hiện thường xuyên",
        ]
    )
    document = read_text(text, registry=UnitRegistry.default())
    (table,) = [b for b in document.blocks if hasattr(b, "rows")]
    rows = [r.cells for r in table.rows if not r.header and r.cells[0][:1].isdigit()]
    assert [(c[0], c[1].split()[0]) for c in rows] == [
        ("1", "Điều"),
        ("2", "Thực"),
        ("3", "Có"),
        ("4", "Ưu"),
    ]


def test_a_sections_roman_numeral_is_not_a_row_number():
    # "II" reads as digits ("11", "1.1") by the letters OCR confuses with them.
    numbers, _ = number_path(["II NHIỆM VỤ TRIỂN KHAI", "1 | Rà soát văn bản", "2 | Tập huấn"])
    assert numbers == {1: "1", 2: "2"}
    numbers, _ = number_path(["1.1 | Rà soát văn bản", "l.2 | Tập huấn", "1.3 | Tuyên truyền"])
    assert numbers[1] == "1.2"  # letters for digits before a row's text are still read


def test_a_number_is_read_as_printed_before_as_one_that_lost_its_dot():
    # A days column's "15" stands alone between row 10 and row 11: read "11" as "1.1" (a dot
    # lost), rows 11-14 went on after it as a new group's "1.1"-"1.4" (B.1.1 ... in the review).
    lines = [f"{n} Nhiệm vụ số {n} của bảng" for n in range(1, 7)]
    lines += ["10", "Tiếp tục thực hiện việc đổi mới", "Văn phòng Sở", "15"]
    for n in range(11, 15):
        lines += [str(n), "Tiếp tục rà soát, tái cấu trúc", "Thanh tra Sở", "60"]
    numbers, _ = number_path(lines)
    chosen = [numbers[k] for k in sorted(numbers)]
    assert chosen == ["1", "2", "3", "4", "5", "6", "10", "11", "12", "13", "14"]
    # Where the printed number cannot follow, the dot lost is still read ("2" then "21").
    numbers, _ = number_path(["1 Nhóm pháp lý", "11 Rà soát", "12 Sửa đổi", "2 Nhóm dịch vụ"])
    assert [numbers[k] for k in sorted(numbers)] == ["1", "1.1", "1.2", "2"]


def test_a_table_numbered_straight_through_has_no_groups():
    flat = {0: "1", 3: "2", 5: "3", 9: "4"}
    assert not numbered_in_groups(["1 Rà soát", "", "", "2 Cập nhật"], flat)
    assert numbered_in_groups(["A. NHÓM THAM MƯU (02 nhiệm vụ)"], flat)
    assert numbered_in_groups([], {0: "1", 2: "2", 4: "1", 6: "2"})  # numbering started again
    assert numbered_in_groups([], {0: "1", 2: "1.1", 4: "1.2"})


def test_a_number_alone_at_the_top_of_page_after_page_is_the_page_s_number():
    # The Lâm Đồng plan prints its page number at the head of every page: "\f17", "\f18", …
    # made a run of row numbers that swallowed the table's own once "14" was no longer "1.4".
    lines = ["1 Rà soát thủ tục", "tiếp tục"]
    for page in range(17, 22):
        lines += [f"\f{page}", f"{page - 15} Cập nhật dữ liệu dân cư", "các sở, ngành"]
    folios = page_numbers(lines)
    assert folios == {2, 5, 8, 11, 14}
    numbers, _ = number_path(lines)
    assert [numbers[k] for k in sorted(numbers)] == ["1", "2", "3", "4", "5", "6"]
    # Two pages are not a run; a row's number alone at a page's top stays a row's.
    assert page_numbers(["\f5", "x", "\f6", "y"]) == set()


def test_the_lam_dong_ocr_text_keeps_its_rows_past_its_page_numbers():
    from pathlib import Path

    from dean06.ingest import extract

    path = Path(__file__).resolve().parent.parent / "data" / "ocr" / "lamdong-cchc-vie-psm3.txt"
    assert len(extract(path).tasks) >= 20  # 8 while its page numbers were rows' numbers
