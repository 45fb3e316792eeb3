"""Plan metadata from the running text: number, date, place, issuer, title, year, reporting rule."""

from __future__ import annotations

import datetime as dt

from dean06.ingest.layout.metadata import extract_metadata
from dean06.ingest.readers.base import Paragraph


def _meta(*lines: str):
    return extract_metadata([Paragraph(text=line) for line in lines])


def test_number_place_date_issuer_title_and_year_of_a_plan_header():
    meta = _meta(
        "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG",
        "Số: 18 /KH-UBND",
        "Bắc Giang, ngày 23 tháng 01 năm 2024",
        "KẾ HOẠCH",
        "Triển khai thực hiện Đề án 06 tỉnh Bắc Giang năm 2024",
    )
    assert meta.number == "18/KH-UBND"
    assert meta.place == "Bắc Giang"
    assert meta.date == dt.date(2024, 1, 23)
    assert meta.issuer == "UBND tỉnh Bắc Giang"
    assert meta.title == "Kế hoạch triển khai thực hiện Đề án 06 tỉnh Bắc Giang năm 2024"
    assert meta.year == 2024


def test_year_comes_from_the_title_before_the_signing_date():
    meta = _meta(
        "Số: 250/KH-UBND",
        "Hà Nam, ngày 28 tháng 12 năm 2023",
        "KẾ HOẠCH",
        "Thực hiện Đề án 06 năm 2024",
    )
    assert meta.date == dt.date(2023, 12, 28)
    assert meta.year == 2024


def test_appendix_alone_takes_number_date_and_issuer_from_its_attachment_line():
    meta = _meta(
        "Phụ lục I",
        "BẢNG PHÂN CÔNG VÀ THEO DÕI TIẾN ĐỘ THỰC HIỆN",
        "NHIỆM VỤ THEO ĐỀ ÁN 06 NĂM 2024",
        "(Kèm theo Kế hoạch số 18/KH-UBND ngày 23/01/2024 của Chủ tịch UBND tỉnh)",
    )
    assert meta.number == "18/KH-UBND"
    assert meta.date == dt.date(2024, 1, 23)
    assert meta.issuer == "Chủ tịch UBND tỉnh"
    assert (
        meta.title == "BẢNG PHÂN CÔNG VÀ THEO DÕI TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ THEO ĐỀ ÁN 06 NĂM 2024"
    )
    assert meta.year == 2024


def test_reporting_rule_and_day():
    meta = _meta(
        "3. Chế độ thông tin, báo cáo",
        "- Các cơ quan, đơn vị báo cáo kết quả về UBND tỉnh trước ngày 15 hằng tháng (qua Công an "
        "tỉnh) để tổng hợp.",
    )
    assert meta.reporting_day == 15
    assert meta.reporting_rule is not None and meta.reporting_rule.startswith("Các cơ quan")


def test_missing_metadata_stays_none():
    meta = _meta("Một đoạn văn bất kỳ.")
    assert (meta.number, meta.date, meta.year, meta.reporting_day) == (None, None, None, None)


def test_a_letter_s_subject_is_its_title_and_its_body_the_issuer():
    # A công văn (Decree 30/2020): parent body, issuing body, number, "V/v" subject; no type line.
    meta = _meta(
        "UBND TỈNH PHÚ THỌ",
        "SỞ Y TẾ",
        "Số: 1234/SYT-VP",
        "V/v triển khai các nhiệm vụ chuyển đổi số và Đề án 06 năm 2026",
        "Kính gửi: Các đơn vị trực thuộc.",
    )
    assert meta.number == "1234/SYT-VP"
    assert meta.title == (
        "Công văn về việc triển khai các nhiệm vụ chuyển đổi số và Đề án 06 năm 2026"
    )
    assert meta.issuer == "SỞ Y TẾ"
    assert meta.year == 2026


def test_the_national_title_beside_the_body_is_not_the_issuer():
    meta = _meta(
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "HUYỆN YÊN THẾ",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 56/UBND-VP",
        "V/v báo cáo tiến độ Đề án 06",
    )
    assert meta.issuer == "HUYỆN YÊN THẾ"
    assert meta.title == "Công văn về việc báo cáo tiến độ Đề án 06"


def test_no_header_block_no_issuer_guessed():
    meta = _meta("Số: 9/KH-XYZ", "Nội dung kế hoạch")
    assert meta.issuer is None


def test_header_columns_run_together_by_ocr_give_no_issuer():
    meta = _meta(
        "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA",
        "VIET NAM",
        "TINH BAC GIANG Doc lap - Tw do - Hanh phic",
        "S6: 28/KH-UBND Bac Giang, ngay 15 thang 02 ndm 2023",
    )
    assert meta.issuer is None
