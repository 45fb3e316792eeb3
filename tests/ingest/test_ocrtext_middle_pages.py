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


def test_a_word_only_vietnamese_data_prints_is_read_as_printed():
    from dean06.ingest.model import UnitRegistry

    vocab = ocrtext.vocabulary(UnitRegistry.default())
    # "Đăng" is no misread "dong" (a word of unit names): a breve is printed only where read.
    assert [t.keys for t in ocrtext.tokenize("Văn phòng Đăng ký", vocab)][2] == ("dang",)
    # A word without such a letter goes through the OCR confusions still ("Iổ" is no word).
    assert ocrtext.tokenize("Phòng Iổ chức", vocab)[1].keys != ("io",)
