"""The monthly report read from Word, legacy Word, Excel, PDF and a scan gives what the text form
gives: real renders of seed 003 (scripts/samples.py), real LibreOffice and tesseract."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from dean06.cli import main
from dean06.ingest.model import IngestError, MissingToolError, Source
from dean06.ingest.readers.base import Document, Paragraph, Table, TableRow
from dean06.ingest.report import extract_report, extract_report_document
from dean06.ingest.report_formats import OCR_NOTE
from dean06.ingest.report_prose import find_figures
from dean06.ingest.text import rejoin_symbols
from scripts import samples as render

SEED = resources.files("dean06").joinpath("data", "seeds", "003_9912287c508b6ad0.txt")
REALDOCS = Path("/work/shared/realdocs")
LAMDONG_NOV = REALDOCS / "lamdong_bc_dean06_2025_11.docx"
LAMDONG_OCT = REALDOCS / "lamdong_bc_dean06_2025_10.doc"

needs_soffice = pytest.mark.skipif(
    render.soffice_missing_reason() is not None, reason=str(render.soffice_missing_reason())
)
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="tesseract and pdftoppm are needed: apt install tesseract-ocr-vie poppler-utils",
)
# Where each value was read from differs by format; everything else must not.
WHERE = {"source", "line", "source_format"}


def _without_where(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_where(v) for k, v in value.items() if k not in WHERE}
    if isinstance(value, list):
        return [_without_where(v) for v in value]
    return value


def _check_report_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["check-report", str(path), "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


@pytest.fixture(scope="module")
def text_json() -> dict[str, Any]:
    from dean06.quality.checks import check_report_dict

    data = json.loads(json.dumps(check_report_dict(extract_report(str(SEED))), default=str))
    assert data["counts"] == {
        "documents": 30,
        "tasks": 50,
        "services": 25,
        "findings": 11,
        "errors": 11,
        "warnings": 0,
    }
    return _without_where(data)  # type: ignore[no-any-return]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- every format gives the text form's JSON ---------------------------------------------------


def test_docx_gives_the_text_forms_json(tmp_path, capsys, text_json):
    path = _write(tmp_path, "bao-cao.docx", render.render_report_docx())
    assert _without_where(_check_report_json(path, capsys)) == text_json


def test_xlsx_gives_the_text_forms_json(tmp_path, capsys, text_json):
    path = _write(tmp_path, "bao-cao.xlsx", render.render_report_xlsx())
    assert _without_where(_check_report_json(path, capsys)) == text_json


@needs_soffice
def test_pdf_gives_the_text_forms_json(tmp_path, capsys, text_json):
    path = _write(tmp_path, "bao-cao.pdf", render.render_report_pdf())
    data = _check_report_json(path, capsys)
    assert _without_where(data) == text_json
    # Lines count through the document, so findings keep the report's order.
    lines = [f["line"] for f in data["findings"] if f["appendix"] == "III" and f["row"]]
    assert lines == sorted(lines)


@needs_soffice
def test_legacy_doc_goes_through_libreoffice_and_gives_the_text_forms_json(
    tmp_path, capsys, text_json
):
    doc = render.render_report_doc()
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    path = _write(tmp_path, "bao-cao.doc", doc)
    assert _without_where(_check_report_json(path, capsys)) == text_json
    assert extract_report(doc).source_format == "doc"


def test_docx_keeps_groups_statuses_and_staff_columns():
    report = extract_report(render.render_report_docx())
    assert Counter(d.group for d in report.documents) == {"I": 9, "II": 6, "III": 15}
    assert Counter(t.group for t in report.tasks) == {
        "done": 11,
        "recurring": 27,
        "in_progress": 12,
    }
    first = report.services[0]
    assert (first.staff_total, first.staff_province, first.staff_district) == (0, "x", None)
    assert first.staff_commune == "x"
    assert report.documents[0].date == dt.date(2024, 6, 19)
    assert report.source_format == "docx"


# --- the pieces a layout changes -------------------------------------------------------------


def test_merged_group_rows_and_a_three_row_header_in_a_neutral_document():
    header = [
        ["STT", "Tên thủ tục", "Số lượng", "Số lượng", "Số lượng", "Nhân lực", "Nhân lực"],
        ["STT", "Tên thủ tục", "Nộp trực tuyến", "Nộp trực tuyến", "Tổng số", "Tổng số", "Tỉnh"],
        ["STT", "Tên thủ tục", "Công dân", "Doanh nghiệp", "Tổng số", "Tổng số", "Tỉnh"],
    ]
    doc = Document(
        format="docx",
        blocks=[
            Paragraph("Phụ lục II"),
            Table(
                rows=[
                    TableRow(["STT", "Nội dung", "Văn bản giao nhiệm vụ", "Đơn vị chủ trì"]),
                    TableRow(["I", "NHIỆM VỤ ĐÃ HOÀN THÀNH"] * 1 + ["NHIỆM VỤ ĐÃ HOÀN THÀNH"] * 2),
                    TableRow(["1", "Xây dựng kế hoạch", "KH số 18/KH-\nUBND", "Công an tỉnh"]),
                    TableRow(["II", *["NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN"] * 3]),
                    TableRow(["1", "Tuyên truyền", "KH số 18/KH-UBND", "Công an tỉnh"]),
                ]
            ),
            Paragraph("Phụ lục III"),
            Table(
                rows=[
                    *(TableRow(r) for r in header),
                    TableRow(["1", "Đăng ký khai sinh", "1.755", "0", "1.869", "0", "X"]),
                ]
            ),
        ],
    )
    report = extract_report_document(doc)
    assert [(t.group, t.stt, t.assigning_document) for t in report.tasks] == [
        ("done", "1", "KH số 18/KH-UBND"),
        ("recurring", "1", "KH số 18/KH-UBND"),
    ]
    (service,) = report.services
    assert (service.online_citizens, service.online_businesses, service.total) == (1755, 0, 1869)
    assert (service.staff_total, service.staff_province) == (0, "x")


def test_a_group_row_whose_numeral_is_unreadable_takes_the_next_numeral():
    # A scan reads "II" as "H", "I" as "1", or loses it: the merged title makes it a group.
    doc = Document(
        format="pdf-ocr",
        blocks=[
            Table(
                rows=[
                    TableRow(["STT", "Nội dung", "Văn bản giao nhiệm vụ", "Đơn vị chủ trì"]),
                    TableRow(["1", *["NHIỆM VỤ ĐÃ HOÀN THÀNH"] * 3]),
                    TableRow(["1", "Xây dựng kế hoạch", "KH 18/KH-UBND", "Công an tỉnh"]),
                    TableRow(["H", *["NHIỆM VỤ ĐANG THỰC HIỆN"] * 3]),
                    TableRow(["1", "Số hóa hồ sơ", "KH 18/KH-UBND", "Sở Tư pháp"]),
                    TableRow(["", *["NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN"] * 3]),
                    TableRow(["1", "Tuyên truyền", "KH 18/KH-UBND", "Công an tỉnh"]),
                ]
            )
        ],
    )
    report = extract_report_document(doc)
    assert [(t.group, t.content) for t in report.tasks] == [
        ("done", "Xây dựng kế hoạch"),
        ("in_progress", "Số hóa hồ sơ"),
        ("recurring", "Tuyên truyền"),
    ]
    assert report.warnings == []


def test_words_a_scan_ran_together_in_headers_and_document_types():
    doc = Document(
        format="pdf-ocr",
        blocks=[
            Paragraph("Phụ lục I"),
            Table(
                rows=[
                    TableRow(["STT", "Số VB", "Loại VB", "Ngày tháng", "Nội dung"]),
                    TableRow(["1", "41/KH-UBND", "Côngvăn", "09/07/2024", "KH PII"]),
                ]
            ),
            Paragraph("Phụ lục III"),
            Table(
                rows=[
                    TableRow(["STT", "Tên thủ tục", "Tổng số tiếp nhận", "Tốngsố", "Tỉnh"]),
                    TableRow(["1", "Đăng ký khai sinh", "1.869", "3", "x"]),
                ]
            ),
        ],
    )
    report = extract_report_document(doc)
    assert report.documents[0].type == "Công văn"
    (service,) = report.services
    assert (service.total, service.staff_total, service.staff_province) == (1869, 3, "x")


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("KH số 18/KH- UBND", "KH số 18/KH-UBND"),
        ("3240/ UBND-KGVX", "3240/UBND-KGVX"),
        ("Chỉ thị 04/CT- TTg ngày 20/4/2024", "Chỉ thị 04/CT-TTg ngày 20/4/2024"),
        ("Nghị định số 52/2015/NĐ- CP ngày 28/5/2015", "Nghị định số 52/2015/NĐ-CP ngày 28/5/2015"),
        ("Thông tư 01/2024/ TT-BCA", "Thông tư 01/2024/TT-BCA"),
        ("Công an tỉnh - Sở Tư pháp", "Công an tỉnh - Sở Tư pháp"),
        ("ngày 23/01/ 2024", "ngày 23/01/ 2024"),
    ],
)
def test_symbols_cut_by_a_line_wrap_are_rejoined(text, joined):
    assert rejoin_symbols(text) == joined


def test_the_text_form_is_unchanged_by_the_document_path(text_json):
    report = extract_report(SEED.read_bytes())
    assert report.source_format == "text" and report.figures == []


# --- legacy Word without LibreOffice; scans ---------------------------------------------------


@needs_soffice
def test_legacy_doc_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    doc = render.render_report_doc()
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no soffice on it
    with pytest.raises(MissingToolError) as info:
        extract_report(doc)
    assert "LibreOffice" in info.value.message and "libreoffice-writer-nogui" in info.value.message


def test_a_damaged_legacy_file_is_a_clean_error():
    with pytest.raises(IngestError):
        extract_report(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"W\x00o\x00r\x00d\x00" * 40)


@pytest.mark.slow
@needs_soffice
@needs_ocr
def test_a_scan_gives_at_least_nine_tenths_of_the_text_forms_json(text_json):
    # pdftoppm at 200 dpi, a 0.4° tilt, blur and grain; then tesseract, cell by cell.
    report = extract_report(render.render_report_scan(dpi=200))
    from dean06.quality.checks import check_report_dict

    got = _without_where(json.loads(json.dumps(check_report_dict(report), default=str)))
    right, total = _same_fields(text_json, got)
    print(f"scan: {right}/{total} fields alike")  # docs/benchmarks.md quotes this line
    assert right / total >= 0.90, f"{right}/{total}"
    findings = {(f["appendix"], f["row"], f["rule"]) for f in got["findings"]}
    expected = {(f["appendix"], f["row"], f["rule"]) for f in text_json["findings"]}
    assert len(findings & expected) >= 10
    assert Counter(d["group"] for d in got["documents"]) == {"I": 9, "II": 6, "III": 15}
    assert {t["group"] for t in got["tasks"]} == {"done", "recurring", "in_progress"}
    assert any(w["message"] == OCR_NOTE for w in got["warnings"])


def _same_fields(want: dict[str, Any], got: dict[str, Any]) -> tuple[int, int]:
    """Fields of the three appendices and the total row read alike, rows matched by (group, STT);
    free text counts when 90% alike (a scan misreads a diacritic in a long sentence)."""
    free_text = {"summary", "content", "result", "progress", "assigning_document", "lead_unit"}
    free_text |= {"group_title", "name", "note", "issuer"}

    def alike(field: str, a: Any, b: Any) -> bool:
        if a == b:
            return True
        if field in free_text and isinstance(a, str) and isinstance(b, str):
            return difflib.SequenceMatcher(None, a, b).ratio() >= 0.9
        return False

    right = total = 0
    for key in ("documents", "tasks", "services"):
        found = {}
        for row in got[key]:
            found.setdefault((row.get("group"), row["stt"]), row)
        for row in want[key]:
            other = found.get((row.get("group"), row["stt"]), {})
            for field, value in row.items():
                if field != "raw":
                    total += 1
                    right += alike(field, value, other.get(field))
    for field, value in (want["total_row"] or {}).items():
        if field != "raw":
            total += 1
            right += alike(field, value, (got["total_row"] or {}).get(field))
    return right, total


# --- a report with its figures in the prose (Lâm Đồng) ----------------------------------------


def test_figures_in_prose_with_their_sentence():
    text = (
        "Toàn tỉnh đã triển khai cung cấp 2.184 dịch vụ công trực tuyến, tỷ lệ tiếp nhận hồ sơ "
        "hình thức trực tuyến đạt 76,3%. Đến nay, đã triển khai 13/19 nhiệm vụ theo Kế hoạch số "
        "9574/KH-BCĐ06 ngày 01/11/2023 của Đề án 06 trên địa bàn."
    )
    figures = find_figures([(text, Source(line=7))])
    assert [(f.kind, f.value, f.whole, f.unit) for f in figures] == [
        ("count", 2184, None, "dịch vụ công"),
        ("percent", 76.3, None, "%"),
        ("ratio", 13, 19, "nhiệm vụ"),
    ]
    share = figures[1]
    assert share.topic == "dvc_online_share"
    assert share.label == "tỷ lệ tiếp nhận hồ sơ hình thức trực tuyến đạt 76,3%"
    assert share.sentence.startswith("Toàn tỉnh") and share.source.line == 7


@pytest.mark.skipif(not LAMDONG_NOV.exists(), reason="realdocs not present")
def test_a_report_without_appendices_gives_its_prose_figures(capsys):
    data = _check_report_json(LAMDONG_NOV, capsys)
    assert data["counts"]["documents"] == data["counts"]["tasks"] == 0
    assert data["counts"]["services"] == 0
    figures = data["figures"]
    online = [f for f in figures if f["topic"] == "dvc_online_share"]
    assert online[0]["value"] == 76.3
    assert "76,3%" in online[0]["sentence"]
    records = {(f["value"], f["whole"]) for f in figures if f["topic"] == "dvc_records"}
    assert (27245, 36864) in records
    assert any(w["code"] == "report.no_appendix" for w in data["warnings"])
    # Dates and document numbers are not figures.
    assert not any(f["value"] in (2025, 2030) for f in figures)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not LAMDONG_NOV.exists(), reason="realdocs not present")
def test_import_report_refuses_a_report_without_appendices(capsys):
    assert main(["import-report", str(LAMDONG_NOV), "--period", "2025-11"]) == 2
    err = capsys.readouterr().err
    assert "không có bảng phụ lục" in err and "check-report" in err


@needs_soffice
@pytest.mark.skipif(not LAMDONG_OCT.exists(), reason="realdocs not present")
def test_the_october_doc_is_read_through_libreoffice():
    report = extract_report(LAMDONG_OCT)
    assert report.source_format == "doc"
    assert not report.documents and len(report.figures) > 20
    assert any(f.topic == "dvc_records" for f in report.figures)


def test_excel_figures_typed_as_numbers_read_as_the_printed_ones():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Phụ lục III"])
    sheet.append(["STT", "Tên thủ tục hành chính", "Công dân", "Doanh nghiệp", "Tổng số tiếp nhận"])
    sheet.cell(2, 6, "% tiếp nhận qua DVC")
    sheet.append([1, "Đăng ký khai sinh", 1755, 0, 1869, 0.8873])
    sheet.append([2, "Đăng ký khai tử", 676, 0, 749, 0.8346])
    for row in (3, 4):
        sheet.cell(row, 6).number_format = "0.00%"
        sheet.cell(row, 3).number_format = "#,##0"
    out = io.BytesIO()
    book.save(out)
    report = extract_report(out.getvalue())
    assert [(s.stt, s.online_citizens, s.total, s.share_reported) for s in report.services] == [
        ("1", 1755, 1869, 88.73),
        ("2", 676, 749, 83.46),
    ]
