"""Pages from the middle of a letter's task table, OCR'd by tesseract's default segmentation
(psm 3): the table's header was printed once on an earlier page, and OCR lost the narrow ruled
number cells, so nothing but the cells themselves (a task text, its offices, its days, each a
block) says that the text is a table."""

from __future__ import annotations

from dean06.ingest import extract
from dean06.ingest.detect import detect
from dean06.ingest.readers import ocrtext
from dean06.ingest.text import fold

# Written for these tests (a Department of Natural Resources and its offices, not a fixture's):
# the end of a row begun on an earlier page, then three rows, a page break inside the second
# page, no header, no row numbers; the days column's figures alone on their lines.
PAGES = """cơ sở dữ liệu đất đai của tỉnh, bảo đảm
kết nối với cơ sở dữ liệu dân cư.

Chi cục Quản lý
đất đai

15

Cập nhật thông tin số định danh cá nhân
vào hồ sơ địa chính đang quản lý, bảo
đảm đúng, đủ, sạch, sống.

Văn phòng Đăng ký
đất đai

Phòng Đo đạc bản
đồ, Thanh tra Sở

30

Rà soát thủ tục hành chính lĩnh vực môi
trường để cắt giảm giấy tờ công dân đã
có trong cơ sở dữ liệu dân cư.

Chi cục Bảo vệ môi
trường

Văn phòng Sở

45
\f
Hướng dẫn người dân nộp hồ sơ đăng ký
biến động đất đai trực tuyến toàn trình
trên Cổng dịch vụ công.

Phòng Đo đạc bản
đồ

Văn phòng Đăng ký
đất đai, Thanh tra Sở

60
\f
"""

ROWS = [
    ("Cap nhat thong tin so dinh danh", "Văn phòng Đăng ký đất đai"),
    ("Ra soat thu tuc hanh chinh linh vuc moi truong", "Chi cục Bảo vệ môi trường"),
    ("Huong dan nguoi dan nop ho so dang ky", "Phòng Đo đạc bản đồ"),
]


def test_pages_of_a_table_without_its_header_are_taken_for_ocr_text():
    assert detect(PAGES.encode(), "trang-8-9.txt") == "ocr-text"
    # The same words typed as a text (no page separator of tesseract's) are not.
    assert not ocrtext.looks_like_ocr_text(PAGES.replace("\f", ""))


def test_pages_without_header_and_row_numbers_give_their_rows_from_the_cells():
    plan = extract(PAGES.encode(), filename="trang-8-9.txt")
    assert len(plan.tasks) == 3
    for task, (start, lead) in zip(plan.tasks, ROWS, strict=True):
        assert fold(task.content).startswith(fold(start))
        assert [u.name for u in task.lead_units] == [lead]
    assert [u.name for u in plan.tasks[0].coordinating_units] == [
        "Phòng Đo đạc bản đồ",
        "Thanh tra Sở",
    ]
    # The end of a row begun on an earlier page is no task of its own.
    assert not any(fold(t.content).startswith("co so du lieu dat dai") for t in plan.tasks)
    warnings = " ".join(w.message for w in plan.warnings)
    assert "số thứ tự không đọc được" in warnings
    # No header says the last column counts days; its figures do: durations, no deadlines.
    assert [t.note for t in plan.tasks] == [f"Số ngày thực hiện: {d}" for d in (30, 45, 60)]
    assert "chưa hiểu được thời hạn" not in warnings


def test_a_word_only_vietnamese_data_prints_is_read_as_printed():
    from dean06.ingest.model import UnitRegistry

    vocab = ocrtext.vocabulary(UnitRegistry.default())
    # "Đăng" is no misread "dong" (a word of unit names): a breve is printed only where read.
    assert [t.keys for t in ocrtext.tokenize("Văn phòng Đăng ký", vocab)][2] == ("dang",)
    # A word without such a letter goes through the OCR confusions still: a capital T read as
    # I ("Iổ", no word) is a T.
    assert ocrtext.tokenize("Phòng Iổ chức", vocab)[1].keys == ("to",)


# A page of a table without vertical rules, OCR'd by psm 3 column by column, where the lead
# column was joined to the text's first lines ("… giải quyết thủ tục Phòng Hành chính" /
# "hành chính lĩnh vực … kết tư pháp"); the coordinating and time columns as blocks after.
LEAD_BESIDE_TEXT = """5

6

7

8

9

Số hóa hồ sơ, kết quả giải quyết thủ tục Phòng Hành chính
hành chính lĩnh vực hộ tịch, bảo đảm kết tư pháp
nối với cơ sở dữ liệu dân cư; cập nhật

thông tin công dân vào hồ sơ đã số hóa.

Rà soát thủ tục hành chính về lý lịch tư Phòng Phổ biến
pháp để cắt giảm giấy tờ công dân khi đã pháp luật
có dữ liệu trên ứng dụng VNeID, đề xuất

phương án đơn giản hóa theo Nghị định

107 ngày 06/12/2021 của Chính phủ và các văn bản hướng dẫn.

Hướng dẫn người dân nộp hồ sơ trực tuyến Thanh tra Sở
toàn trình cấp phiếu lý lịch tư pháp trên
Cổng dịch vụ công quốc gia và của tỉnh.

Cập nhật dữ liệu công chứng, chứng thực Văn phòng Sở
lên hệ thống dùng chung của tỉnh theo
hướng dẫn của Bộ Tư pháp, bảo đảm kết

nối, chia sẻ dữ liệu với các sở, ngành.

Tổ chức tập huấn sử dụng phần mềm quản lý Phòng Phổ biến
hộ tịch, lý lịch tư pháp cho công chức tư pháp luật
pháp cấp xã trên địa bàn toàn tỉnh năm

2025, bảo đảm mỗi xã có ít nhất một người.

Văn phòng Sở

Thanh tra Sở

Phòng Hành chính
tư pháp

Phòng Phổ biến
pháp luật

Văn phòng Sở

Quý II năm 2025

Quý III năm 2025

Năm 2025

Thường xuyên

Quý IV năm 2025
\f"""


# The rows of both pages below: number, text's start, lead, coordinating, time.
SIDE_ROWS = [
    ("5", "so hoa ho so", "Phòng Hành chính tư pháp", "Văn phòng Sở", "Quý II năm 2025"),
    ("6", "ra soat thu tuc", "Phòng Phổ biến pháp luật", "Thanh tra Sở", "Quý III năm 2025"),
    ("7", "huong dan nguoi dan", "Thanh tra Sở", "Phòng Hành chính tư pháp", "Năm 2025"),
    ("8", "cap nhat du lieu", "Văn phòng Sở", "Phòng Phổ biến pháp luật", "Thường xuyên"),
    ("9", "to chuc tap huan", "Phòng Phổ biến pháp luật", "Văn phòng Sở", "Quý IV năm 2025"),
]


def _assert_side_rows(plan) -> None:
    assert len(plan.tasks) == len(SIDE_ROWS)
    for task, (code, start, lead, coordinating, time) in zip(plan.tasks, SIDE_ROWS, strict=True):
        assert task.code == code
        assert fold(task.content).startswith(start)
        assert fold(lead) not in fold(task.content)  # the lead's words are no text
        assert [u.name for u in task.lead_units] == [lead]
        assert [u.name for u in task.coordinating_units] == [coordinating]
        assert task.deadline is not None and task.deadline.raw == time


def test_a_lead_cell_printed_beside_the_text_is_cut_off_the_text():
    plan = extract(LEAD_BESIDE_TEXT.encode(), filename="trang-3.txt")
    _assert_side_rows(plan)
    # A text going on with a figure ("107 ngày …") after an unended sentence is no new row.
    assert "107 ngày 06/12/2021" in plan.tasks[1].content


# The same, read row by row (horizontal rules only: psm 3 printed each row in turn): the row's
# number alone, its text with the lead cell beside the first lines, the text's other lines each
# a block of its own (one ends "… và", one starts capitalised), then its other cells.
LEAD_BESIDE_TEXT_BY_ROWS = """5

Số hóa hồ sơ, kết quả giải quyết thủ tục Phòng Hành chính
hành chính lĩnh vực hộ tịch, bảo đảm kết tư pháp
nối với cơ sở dữ liệu dân cư; cập nhật

thông tin công dân vào hồ sơ đã số hóa

theo hướng dẫn của Bộ Tư pháp, bảo đảm

dữ liệu đúng, đủ, sạch, sống và thống

nhất.

Văn phòng Sở

Quý II năm 2025

6

Rà soát thủ tục hành chính về lý lịch tư Phòng Phổ biến
pháp để cắt giảm giấy tờ công dân khi đã pháp luật
có dữ liệu trên ứng dụng VNeID, đề xuất

phương án đơn giản hóa khi thực hiện thủ

tục hành chính theo Nghị định số 107 và

Nghị định số 45 của Chính phủ.

Thanh tra Sở

Quý III năm 2025

7

Hướng dẫn người dân nộp hồ sơ trực tuyến Thanh tra Sở
toàn trình cấp phiếu lý lịch tư pháp trên
Cổng dịch vụ công quốc gia và của tỉnh,

107 ngày 06/12/2021 của Chính phủ và các

văn bản hướng dẫn thi hành, bảo đảm thời

gian giải quyết đúng quy định.

Phòng Hành chính
tư pháp

Năm 2025

8

Cập nhật dữ liệu công chứng, chứng thực Văn phòng Sở
lên hệ thống dùng chung của tỉnh theo
hướng dẫn của Bộ Tư pháp, bảo đảm kết

nối, chia sẻ dữ liệu với các sở, ngành

và địa phương trên địa bàn tỉnh theo

quy định.

Phòng Phổ biến
pháp luật

Thường xuyên

9

Tổ chức tập huấn sử dụng phần mềm quản lý Phòng Phổ biến
hộ tịch, lý lịch tư pháp cho công chức tư pháp luật
pháp cấp xã trên địa bàn toàn tỉnh năm

2025, bảo đảm mỗi xã có ít nhất một công

chức được tập huấn và sử dụng thành thạo

phần mềm.

Văn phòng Sở

Quý IV năm 2025
\f"""


def test_a_lead_cell_beside_the_text_of_a_row_read_in_blocks_is_cut_off_the_text():
    plan = extract(LEAD_BESIDE_TEXT_BY_ROWS.encode(), filename="trang-4.txt")
    _assert_side_rows(plan)
    # The text's last lines are text, not a time cell ("Nghị định số 45 …" after "… và").
    assert plan.tasks[1].content.endswith("Nghị định số 45 của Chính phủ.")


def test_pages_without_header_numbers_or_figures_are_taken_for_ocr_text_by_their_rows():
    # The same pages with dates in the time column: no number stands alone on a line.
    dated = PAGES
    for days, date in (("15", "Quý I"), ("30", "Quý II"), ("45", "Quý III"), ("60", "Quý IV")):
        dated = dated.replace(f"\n\n{days}\n", f"\n\n{date} năm 2025\n")
    assert "\n30\n" not in dated
    assert detect(dated.encode(), "trang-8-9.txt") == "ocr-text"
    plan = extract(dated.encode(), filename="trang-8-9.txt")
    assert [t.deadline.raw for t in plan.tasks] == [
        "Quý II năm 2025",
        "Quý III năm 2025",
        "Quý IV năm 2025",
    ]
    # A letter's own text with its recipients (no unit cells standing as blocks) is not.
    letter = (
        "Kính gửi:\n\n- Sở Tư pháp;\n- Công an tỉnh.\n\n" + "Đề nghị các đơn vị thực hiện.\n" * 40
    )
    assert detect((letter + "\f").encode(), "cong-van.txt") != "ocr-text"
