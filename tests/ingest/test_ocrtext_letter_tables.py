"""A department's letter with its task table, OCR'd by tesseract's default segmentation (psm 3)
from a scan: the row numbers of the narrow number column lost, each cell a block of its own, the
header's cells wrapped and specked, offices that no registry lists; and row-by-row tables whose
narrow columns wrap their cells over lines."""

from __future__ import annotations

import pytest

from dean06.ingest import extract
from dean06.ingest.detect import detect
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers import ocrtext
from dean06.ingest.readers.ocrtext.blocks import assemble
from dean06.ingest.readers.ocrtext.lines import UnitSplitter, Widths, cut_line_options
from dean06.ingest.readers.ocrtext.numbering import number_path
from dean06.ingest.text import fold
from dean06.ingest.units import UnitResolver

# Written for these tests (a Department of Justice and its offices, not a fixture's): the letter's
# own numbered requests, then the appendix on a new page; its header printed cell by cell, one
# cell specked ("_Ì ... `"), two wrapped; the rows' numbers lost; a days column; the header again
# at the next page's top; a unit cell cut into two blocks ("Phòng Bổ trợ" / "tư pháp").
LETTER = """SỞ TƯ PHÁP
Số: 77/STP-VP
V/v triển khai nhiệm vụ năm 2025

Kính gửi: Các phòng, đơn vị thuộc Sở.

1. Quán triệt đến cán bộ, công chức nội dung Kế hoạch của UBND tỉnh.

2. Báo cáo kết quả thực hiện về Văn phòng Sở trước ngày 20 hằng tháng.

3. Thực hiện các nhiệm vụ tại Phụ lục kèm theo.

GIÁM ĐỐC
\f
Phụ lục
NHIỆM VỤ CỦA CÁC PHÒNG, ĐƠN VỊ

TT

Nội dung công việc

_Ì Đơn vị chủ trì `

Đơn vị phối
hợp

Số ngày
dự kiến

Số hóa hồ sơ, kết quả giải quyết thủ tục
hành chính lĩnh vực hộ tịch, bảo đảm
kết nối với cơ sở dữ liệu dân cư.

Phòng Hành chính
tư pháp

Trung tâm Trợ giúp
pháp lý

30

Rà soát thủ tục hành chính về lý lịch tư
pháp để cắt giảm giấy tờ công dân khi
đã có dữ liệu trên ứng dụng VNeID.

Phòng Bổ trợ

tư pháp

Văn phòng Sở

45
\f
TT

Nội dung công việc

Đơn vị chủ trì

Đơn vị phối hợp

Số ngày
dự kiến

Hướng dẫn người dân nộp hồ sơ trực tuyến
toàn trình cấp phiếu lý lịch tư pháp.

Trung tâm Trợ giúp
pháp lý

Phòng Hành chính
tư pháp, Thanh tra Sở

15

Cập nhật dữ liệu công chứng, chứng thực
lên hệ thống dùng chung của tỉnh.

Thanh tra Sở

Phòng Bổ trợ
tư pháp

60
"""

ROWS = [
    ("So hoa ho so, ket qua", "Phòng Hành chính tư pháp", ["Trung tâm Trợ giúp pháp lý"]),
    ("Ra soat thu tuc hanh chinh ve ly lich", "Phòng Bổ trợ tư pháp", ["Văn phòng Sở"]),
    (
        "Huong dan nguoi dan nop ho so",
        "Trung tâm Trợ giúp pháp lý",
        ["Phòng Hành chính tư pháp", "Thanh tra Sở"],
    ),
    ("Cap nhat du lieu cong chung", "Thanh tra Sở", ["Phòng Bổ trợ tư pháp"]),
]


@pytest.fixture(scope="module")
def vocab() -> ocrtext.Vocabulary:
    return ocrtext.vocabulary(UnitRegistry.default())


def test_a_table_whose_row_numbers_ocr_lost_gives_every_row_with_its_offices():
    data = LETTER.encode()
    assert detect(data, "cong-van.txt") == "ocr-text"
    plan = extract(data, filename="cong-van.txt")
    assert [t.code for t in plan.tasks] == ["1", "2", "3", "4"]
    for task, (start, lead, coordinating) in zip(plan.tasks, ROWS, strict=True):
        assert fold(task.content).startswith(fold(start))
        assert "Số ngày" not in task.content  # the header cell at the page's top is no text
        # Offices no registry lists, kept as printed (the text kept its accents).
        assert [u.name for u in task.lead_units] == [lead]
        assert [u.name for u in task.coordinating_units] == coordinating
        assert task.deadline is None or task.deadline.due_date is None  # days: a duration
    # The letter's own requests are not the appendix's tasks.
    assert not any(fold(t.content).startswith("quan triet") for t in plan.tasks)
    warnings = " ".join(w.message for w in plan.warnings)
    assert "số thứ tự không đọc được" in warnings
    assert ocrtext.read_text(LETTER).warnings[0] != ocrtext.COLUMNS_READ


def test_a_header_printed_cell_by_cell_with_wrapped_and_specked_cells_starts_the_table(vocab):
    lines = LETTER.split("\n")
    start = ocrtext._table_start(lines, vocab)
    assert start is not None and lines[start] == "TT"
    # Not the title that names two columns in passing, nor the letter's numbered requests.
    assert ocrtext._numbered_start(lines, start) == start


def test_a_lone_figure_after_the_header_is_no_row_number_but_a_first_row_number_is():
    cells = ["Nội dung công việc", "", "Một việc dài của bảng.", "", "Văn phòng Sở", "", "30", ""]
    assert number_path(cells)[0] == {}
    assert list(number_path(["Nội dung công việc", "", "1", "", *cells[2:6]])[0].values()) == ["1"]


def test_the_rest_of_a_unit_cell_in_a_block_of_its_own_joins_the_cell(vocab):
    blocks = [
        ["Rà soát thủ tục hành chính về lý lịch tư pháp để cắt giảm giấy tờ công dân khi"],
        ["Phòng Bổ trợ"],
        ["tư pháp"],
        ["Văn phòng Sở"],
        ["45"],
    ]
    (row,) = assemble(blocks, vocab)
    assert row.units == ["Phòng Bổ trợ tư pháp", "Văn phòng Sở"]
    assert len(row.content) == 1


def test_a_line_of_text_that_goes_on_below_was_broken_where_the_next_word_did_not_fit(vocab):
    # A letter's narrow columns: the text column holds ~42 characters a line. "chất lượng phục vụ
    # người" leaves room for "nghiệp" (the next line's first word): the text goes on after it.
    line = "chất lượng phục vụ người dân, doanh và Quản lý chất Mầm non đánh giá của"
    tokens = ocrtext.tokenize(line, vocab)
    options = cut_line_options(
        tokens, vocab, first=False, mode="full", widths=Widths(content=42), next_first=7
    )
    content = " ".join(t.raw for t in options[0][1].content)
    assert content.startswith("chất lượng phục vụ người dân,")


def test_a_unit_name_parted_by_a_line_break_reads_on_as_the_document_writes_it(vocab):
    registry = UnitRegistry.default()
    splitter = UnitSplitter(UnitResolver(registry), vocab)
    splitter.unit_width = 17
    # Elsewhere in the table the words stand side by side: "Giáo dục", "thường xuyên".
    splitter.learn_pairs(
        ocrtext.tokenize(line, vocab)
        for line in (
            "Tổ chức tập huấn cho giáo viên | Phòng Giáo dục | Văn phòng Sở | Quý II",
            "Duy trì thường xuyên | Trung tâm Giáo dục | Thanh tra Sở | 2025",
        )
    )
    # Lead "Phòng Giáo dục Trung học" and coordinating "Trung tâm Giáo dục thường xuyên tỉnh",
    # each wrapped in its narrow column, their lines' pieces joined by OCR.
    rows = ["Phòng Giáo dục Trung tâm Giáo", "Trung học dục thường", "xuyên tỉnh,"]
    lead, coordinating = splitter.split([ocrtext.tokenize(r, vocab) for r in rows])
    assert fold(lead) == "phong giao duc trung hoc"
    assert fold(coordinating) == "trung tam giao duc thuong xuyen tinh"


# A days table (its header on the first page) whose second row's text a page break cut: psm 3
# printed the next row's number before the rest, which ends in a time phrase.
CUT_BY_A_PAGE = """TT

Nội dung công việc

Đơn vị chủ trì

Đơn vị phối hợp

Số ngày
dự kiến

1

Số hóa hồ sơ, kết quả giải quyết thủ tục
hành chính lĩnh vực hộ tịch.

Phòng Hành chính
tư pháp

Văn phòng Sở

30

2

Triển khai thí điểm số hóa hồ sơ lý lịch
tư pháp, đề xuất nhân rộng áp dụng

Phòng Bổ trợ
tư pháp

Thanh tra Sở

45
\f
3

trong quý 1 năm 2025.

Hướng dẫn người dân nộp hồ sơ trực tuyến
cấp phiếu lý lịch tư pháp.

Trung tâm Trợ giúp
pháp lý

Văn phòng Sở

15
"""


def test_the_rest_of_a_text_cut_by_a_page_goes_back_to_its_row_in_a_days_table():
    plan = extract(CUT_BY_A_PAGE.encode(), filename="cong-van.txt")
    assert [t.code for t in plan.tasks] == ["1", "2", "3"]
    second, third = plan.tasks[1], plan.tasks[2]
    # A time phrase is no cell of a column that counts days: the end of the text above.
    assert second.content.endswith("trong quý 1 năm 2025.")
    assert fold(third.content).startswith("huong dan nguoi dan")
    assert [u.name for u in third.lead_units] == ["Trung tâm Trợ giúp pháp lý"]
    assert third.note is not None and "15" in third.note


# A days table without vertical rules: its first page row by row under the header, the next page
# column by column (psm 3) with the row numbers lost; the days column's header cell wrapped over
# three lines, its figures small enough to pass for row numbers ("5", "6").
DAYS_BY_COLUMNS = """PHỤ LỤC
TT Nội dung công việc Đơn vị chủ trì Đơn vị phối hợp Thời gian thực hiện (ngày)
1 Quán triệt nội dung kế hoạch đến toàn thể Văn phòng Sở Thanh tra Sở 10
cán bộ, công chức của Sở.
2 Báo cáo kết quả thực hiện về Văn phòng Sở Văn phòng Sở Các phòng, đơn vị 15
trước ngày 20 hằng tháng. thuộc Sở
\f
TT

Nội dung công việc

Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính
lĩnh vực hộ tịch, bảo đảm kết nối dữ liệu dân cư.

Rà soát thủ tục hành chính về lý lịch tư pháp để cắt
giảm giấy tờ công dân đã có trên ứng dụng VNeID.

Hướng dẫn người dân nộp hồ sơ trực tuyến toàn trình
cấp phiếu lý lịch tư pháp trên Cổng dịch vụ công.

Cập nhật dữ liệu công chứng, chứng thực lên hệ thống
dùng chung của tỉnh theo hướng dẫn của Bộ Tư pháp.

Đơn vị chủ trì

Phòng Hành chính
tư pháp

Phòng Bổ trợ
tư pháp

Trung tâm Trợ giúp
pháp lý

Thanh tra Sở

Đơn vị phối hợp

Văn phòng Sở

Thanh tra Sở

Phòng Hành chính
tư pháp

Phòng Bổ trợ
tư pháp

Thời gian
thực hiện
(ngày)

5

6

30

45
\f"""


def test_figures_under_the_days_header_of_a_page_read_by_columns_are_days_not_row_numbers():
    plan = extract(DAYS_BY_COLUMNS.encode(), filename="cong-van.txt")
    by_start = {fold(t.content)[:20]: t for t in plan.tasks}
    rows = [
        ("so hoa ho so ket qua", "3", "5"),
        ("ra soat thu tuc hanh", "4", "6"),
        ("huong dan nguoi dan ", "5", "30"),
        ("cap nhat du lieu con", "6", "45"),
    ]
    for start, code, days in rows:
        task = by_start[start]
        assert task.code == code
        assert task.note == f"Số ngày thực hiện: {days}"
        # The header cell is no coordinating unit's name.
        assert all("thoi gian" not in fold(u.name) for u in task.coordinating_units)


def test_a_dash_between_the_words_of_an_office_name_is_kept():
    # "Phòng Kế hoạch - Tài chính": its dash is part of the name the reviewer reads.
    row = "lên hệ thống dùng chung của tỉnh.\n\n"
    letter = LETTER.replace(row + "Thanh tra Sở", row + "Phòng Kế hoạch\n- Tài chính")
    assert letter != LETTER
    plan = extract(letter.encode(), filename="cong-van.txt")
    assert [u.name for u in plan.tasks[3].lead_units] == ["Phòng Kế hoạch - Tài chính"]
