"""Reading the appendices of a monthly report (seed 003: Bắc Giang, July 2024)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from importlib import resources

import pytest

from dean06.ingest.model import IngestError
from dean06.ingest.readers.base import Document, Paragraph, Table, TableRow
from dean06.ingest.report import (
    ExtractedReport,
    extract_report,
    extract_report_document,
    parse_document_date,
    parse_vn_number,
    printed_decimals,
)

SEED = resources.files("dean06").joinpath("data", "seeds", "003_9912287c508b6ad0.txt")


@pytest.fixture(scope="module")
def report() -> ExtractedReport:
    return extract_report(str(SEED))


def test_seed_003_counts(report):
    assert (len(report.documents), len(report.tasks), len(report.services)) == (30, 50, 25)
    assert report.total_row is not None and report.total_row.name == "Tổng số"
    assert report.warnings == []


def test_seed_003_reads_the_same_from_path_bytes_and_text(report):
    data = SEED.read_bytes()
    assert extract_report(data).to_dict() == report.to_dict()
    assert extract_report(data.decode("utf-8")).to_dict() == report.to_dict()


def test_documents_by_group_with_issuer(report):
    groups = Counter(d.group for d in report.documents)
    assert groups == {"I": 9, "II": 6, "III": 15}
    first = report.documents[0]
    assert (first.stt, first.number, first.type) == ("1", "3240/UBND-KGVX", "Công văn")
    assert first.date == dt.date(2024, 6, 19) and first.date_raw == "19/06/2024"
    assert first.issuer == "UBND tỉnh" and first.source.line == 9
    assert first.summary.startswith("V/v triển khai miễn phí giải pháp KIOSK y tế")
    last = report.documents[-1]
    assert (last.group, last.stt, last.number, last.issuer) == (
        "III",
        "15",
        "4305/QĐ-UBND",
        "Thị xã Việt Yên",
    )
    assert report.documents[9].issuer == "Tổ Đề án 06 tỉnh"


def test_truncated_dates_are_kept_raw_without_a_date(report):
    truncated = [(d.stt, d.date_raw) for d in report.documents if d.date is None]
    assert truncated == [("3", "24/06/202"), ("5", "28/06/202")]
    assert report.documents[8].date == dt.date(2024, 7, 11)  # "11/7/2024"


def test_doubled_quotes_of_the_export_are_undone(report):
    doc = next(d for d in report.documents if d.number == "2141/CAT-QLHC")
    assert '"Ứng dụng VNeID trong phòng, Chống tội phạm ma túy"' in doc.summary


def test_tasks_by_group(report):
    assert Counter(t.group for t in report.tasks) == {
        "done": 11,
        "recurring": 27,
        "in_progress": 12,
    }
    assert [t.stt for t in report.tasks if t.group == "done"] == [str(i) for i in range(1, 12)]
    first = report.tasks[0]
    assert first.assigning_document == "KH số 18/KH-UBND; Chỉ thị 04/CT-TTg"
    assert first.lead_unit == "Công an tỉnh"
    assert first.progress == "Tháng 01/2024 (Hoàn thành 100%;)"
    assert first.result.startswith("Đã Hoàn thành Đã xây dựng KH số 18/KH-UBND ngày 23/01/2024")


def test_task_rows_continued_across_a_page_break_are_joined_and_html_is_stripped(report):
    recurring_8 = next(t for t in report.tasks if t.group == "recurring" and t.stt == "8")
    assert recurring_8.content.endswith(
        "trong thực hiện các DVC trực tuyến. Đây mạnh sử dụng tài khoản VNeID để đăng nhập "
        "cổng DVC quốc gia"
    )
    assert "<" not in recurring_8.content and "<" not in recurring_8.result
    assert recurring_8.result.endswith("chia sẻ 3.462 lượt.")
    in_progress_3 = next(t for t in report.tasks if t.group == "in_progress" and t.stt == "3")
    assert in_progress_3.content.endswith("(xong trước 01/7/2024)")
    recurring_27 = next(t for t in report.tasks if t.group == "recurring" and t.stt == "27")
    assert "các thôn, tổ dân phố 53.790 lượt" in recurring_27.result


def test_services_figures_parsed_the_vietnamese_way(report):
    s9 = report.services[8]
    assert (s9.stt, s9.name) == ("9", "Đăng ký khai sinh")
    assert (s9.online_citizens, s9.online_businesses, s9.total) == (1755, 0, 1869)
    assert (s9.share_reported, s9.share_decimals) == (88.73, 2)
    assert (s9.on_time, s9.overdue, s9.staff_total) == (None, None, None)
    assert s9.staff_province == "x" and s9.source.line == 140
    s1 = report.services[0]
    assert (s1.staff_total, s1.staff_province, s1.staff_district, s1.staff_commune) == (
        0,
        "x",
        None,
        "x",
    )
    s24 = report.services[23]
    assert (s24.online_citizens, s24.online_businesses, s24.total) == (1061, 63, 1124)
    s21 = report.services[20]
    assert (s21.share_reported, s21.share_decimals) == (0.0, 0)


def test_header_repeated_after_a_page_break_is_not_a_row(report):
    assert [s.stt for s in report.services] == [str(i) for i in range(1, 26)]
    assert report.services[14].name.startswith("Liên thông đăng ký khai sinh")


def test_total_row(report):
    total = report.total_row
    assert total is not None and total.stt is None
    assert (total.online_citizens, total.online_businesses, total.total) == (45902, 80, 47867)
    assert total.share_reported == 96.06 and total.source.line == 161


def test_meta_from_the_headings(report):
    meta = report.meta
    assert (meta.period_month, meta.period_year) == (7, 2024)
    assert (meta.report_month, meta.report_year, meta.report_date) == (8, 2024, None)
    assert meta.report_date_raw == "/8/2024" and meta.report_number == "/BCTCTĐA06"
    assert meta.issuer == "Tổ công tác Đề án 06 tỉnh Bắc Giang"


def test_to_dict_is_json(report):
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["documents"][0]["date"] == "2024-06-19"
    assert data["documents"][2]["date"] is None
    assert data["services"][0]["online_citizens"] == 22
    assert data["tasks"][0]["group"] == "done"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234", 1234),
        ("45.902", 45902),
        ("1.234.567", 1234567),
        ("12,5", 12.5),
        ("12,5%", 12.5),
        ("100,00%", 100.0),
        ("1.234,5", 1234.5),
        ("0", 0),
        ("-3", -3),
        (" 7 ", 7),
        ("12.5", 12.5),
        ("", None),
        ("x", None),
        ("1.2.3", None),
        (None, None),
    ],
)
def test_parse_vn_number(text, value):
    assert parse_vn_number(text) == value
    assert type(parse_vn_number(text)) is type(value)


def test_printed_decimals():
    assert printed_decimals("88,73%") == 2
    assert printed_decimals("0") == 0
    assert printed_decimals("1.234") == 0
    assert printed_decimals("96,1") == 1
    assert printed_decimals("") is None


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("19/06/2024", dt.date(2024, 6, 19)),
        ("3/7/2024", dt.date(2024, 7, 3)),
        ("03-07-2024", dt.date(2024, 7, 3)),
        ("24/06/202", None),
        ("07/2024", None),
        ("/7/2024", None),
        ("31/02/2024", None),
        ("", None),
    ],
)
def test_parse_document_date(raw, date):
    assert parse_document_date(raw) == date


def test_empty_unreadable_and_unsupported_inputs_raise_ingest_error(tmp_path):
    with pytest.raises(IngestError):
        extract_report(b"")
    with pytest.raises(IngestError):
        extract_report(b"\xff\xfe\x00garbage\xc3")
    with pytest.raises(IngestError):
        extract_report(b"PK\x03\x04 a docx")
    with pytest.raises(IngestError):
        extract_report(tmp_path / "missing.txt")
    with pytest.raises(IngestError, match="Không tìm thấy phụ lục"):
        extract_report("Một đoạn văn\nkhông có bảng nào\n")


def test_a_small_report_without_appendix_headings_is_read_by_its_header():
    text = (
        "STT\tTên thủ tục hành chính\tCông dân\tDoanh nghiệp\tTổng số tiếp nhận\t% tiếp nhận\n"
        "1\tĐăng ký khai sinh\t1.755\t0\t1.869\t93,90%\n"
        "Tổng cộng\t\t1.755\t0\t1.869\t93,90%\n"
    )
    rep = extract_report(text)
    assert [(s.name, s.total, s.share_reported) for s in rep.services] == [
        ("Đăng ký khai sinh", 1869, 93.9)
    ]
    assert rep.total_row is not None and rep.total_row.total == 1869


def test_columns_found_by_their_titles_in_another_order():
    text = (
        "Phụ lục I\n"
        "STT\tNgày ban hành\tSố, ký hiệu\tTrích yếu\tLoại văn bản\n"
        "I. Văn bản của UBND tỉnh\n"
        "1\t09/07/2024\t41/KH-UBND\tKH Duy trì chỉ số PII\tKế hoạch\n"
    )
    (doc,) = extract_report(text).documents
    assert (doc.number, doc.type, doc.date, doc.summary) == (
        "41/KH-UBND",
        "Kế hoạch",
        dt.date(2024, 7, 9),
        "KH Duy trì chỉ số PII",
    )


def test_extract_report_document_reads_a_neutral_document():
    doc = Document(
        format="docx",
        blocks=[
            Paragraph("Phụ lục II"),
            Table(
                rows=[
                    TableRow(["STT", "Nội dung", "Văn bản giao nhiệm vụ", "Đơn vị chủ trì"]),
                    TableRow(["II", "NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN", "", ""]),
                    TableRow(["1", "Tuyên truyền", "KH số 18/KH-UBND", "Công an tỉnh"]),
                ]
            ),
        ],
    )
    rep = extract_report_document(doc)
    assert [(t.group, t.stt, t.lead_unit) for t in rep.tasks] == [
        ("recurring", "1", "Công an tỉnh")
    ]
    assert rep.source_format == "docx"


def test_markdown_table_rows_and_an_uppercase_group_row():
    text = (
        "PHỤ LỤC I\n"
        "TỔNG HỢP VĂN BẢN TRIỂN KHAI THÁNG 8/2024\n"
        "| STT | Số VB | Loại VB | Ngày tháng | Nội dung |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| I. VĂN BẢN CỦA UBND TỈNH | | | | |\n"
        "| 1 | 41/KH-UBND | Kế hoạch | 09/07/2024 | KH PII |\n"
    )
    rep = extract_report(text)
    assert [(d.group, d.group_title, d.number) for d in rep.documents] == [
        ("I", "VĂN BẢN CỦA UBND TỈNH", "41/KH-UBND")
    ]
    assert (rep.meta.period_month, rep.meta.period_year) == (8, 2024)
