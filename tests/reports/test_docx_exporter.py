"""The Word exporter of the consolidated monthly report: Decree 30/2020 layout, the appendices'
tables, an administrator's template, and a round trip through the report reader."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import replace

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dean06.ingest.report import extract_report
from dean06.kpis.shares import format_share
from dean06.reports.exporters.base import ExportError
from dean06.reports.exporters.docx import DocxExporter, date_line
from dean06.reports.exporters.registry import exporter_for
from tests.reports.sample import seed_report

FONT = "Times New Roman"
W_VAL = qn("w:val")


@pytest.fixture(scope="module")
def report():
    return seed_report()


@pytest.fixture(scope="module")
def data(report):
    return DocxExporter().render(report)


@pytest.fixture(scope="module")
def word(data):
    return docx.Document(io.BytesIO(data))


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _rows(table) -> list[list[str]]:
    """Each row's cell texts, a merged cell repeated in every grid column it covers."""
    return [[c.text for c in row.cells] for row in table.rows]


def _appendix_tables(word):
    """The tables after the header block and the signature: I, II, II (unreported), III, IV, V."""
    return word.tables[2:]


def _mm(length) -> float:
    return round(length.mm, 1)


def test_the_registry_finds_the_word_exporter():
    exporter = exporter_for(".DOCX")
    assert isinstance(exporter, DocxExporter)
    assert (exporter.label, exporter.template_name) == ("Word (.docx)", "bao-cao-thang.docx")
    assert exporter.missing() is None


def test_the_same_report_gives_the_same_bytes(report, data):
    assert DocxExporter().render(report) == data
    later = replace(report, period_end=dt.date(2024, 8, 14))
    assert DocxExporter().render(later) != data


def test_first_section_is_a4_portrait_with_the_decree_margins(word):
    s = word.sections[0]
    assert s.orientation == WD_ORIENT.PORTRAIT
    assert (_mm(s.page_width), _mm(s.page_height)) == (210.0, 297.0)
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert tuple(_mm(m) for m in margins) == (20.0, 20.0, 30.0, 15.0)


def test_each_appendix_is_a_landscape_section_on_a_new_page(word):
    appendices = word.sections[1:]
    assert len(appendices) == 5
    for s in appendices:
        assert s.start_type == WD_SECTION.NEW_PAGE
        assert s.orientation == WD_ORIENT.LANDSCAPE
        assert (_mm(s.page_width), _mm(s.page_height)) == (297.0, 210.0)
    names = [p.text for p in word.paragraphs if p.text.startswith("Phụ lục ")]
    assert names == ["Phụ lục I", "Phụ lục II", "Phụ lục III", "Phụ lục IV", "Phụ lục V"]


def test_normal_and_every_run_are_times_new_roman_for_every_script(word):
    normal = word.styles["Normal"]
    assert normal.font.name == FONT
    assert normal.font.size == Pt(14)
    runs = word.element.body.iter(qn("w:r"))
    checked = 0
    for run in runs:
        if run.find(qn("w:t")) is None:
            continue
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(attr)) == FONT
        checked += 1
    assert checked > 500


def test_body_text_takes_normal_size_and_the_header_block_13_pt(word):
    subject = next(p for p in word.paragraphs if p.text.startswith("Kết quả triển khai"))
    assert subject.alignment == 1  # centred
    assert all(r.bold for r in subject.runs)
    body = next(p for p in word.paragraphs if p.text.startswith("Trong tháng"))
    assert body.alignment == 3  # justified
    assert body.paragraph_format.first_line_indent > 0
    assert body.paragraph_format.space_after == Pt(6)
    assert all(r.font.size is None for r in body.runs)  # Normal's 14 pt
    heading = next(p for p in word.paragraphs if p.text == "I. KẾT QUẢ TRIỂN KHAI")
    assert all(r.bold for r in heading.runs)
    left = word.tables[0].cell(0, 0)
    assert {r.font.size for p in left.paragraphs for r in p.runs} == {Pt(13)}


def test_header_block_is_a_borderless_two_column_table(word):
    table = word.tables[0]
    assert len(table.columns) == 2
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {b.get(W_VAL) for b in borders} == {"nil"}

    def column(index):
        return [p for row in table.rows for p in row.cells[index].paragraphs]

    left, right = column(0), column(1)
    assert [p.text for p in left if p.text] == [
        "UBND TỈNH BẮC GIANG",
        "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06",
        "Số:        /BC-TCTĐA06",
    ]
    superior, issuing, number = (p for p in left if p.text)
    assert all(r.bold for r in issuing.runs)
    assert not any(r.bold for r in superior.runs) and not any(r.bold for r in number.runs)
    # The short rules: empty paragraphs with a bottom border, under the issuing body and motto.
    rules = [
        p.text
        for p in left + right
        if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    ]
    assert rules == ["", ""]
    assert [p.text for p in right if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Giang, ngày      tháng      năm 2024",
    ]
    national, motto, place = (p for p in right if p.text)
    assert all(r.bold for r in national.runs) and all(r.bold for r in motto.runs)
    assert all(r.italic for r in place.runs)
    # The number and the date line share the second row: they stand on one line.
    assert table.rows[-1].cells[0].text == number.text
    assert table.rows[-1].cells[1].text == place.text
    assert [p.text for p in word.paragraphs if p.text][:2] == [
        "BÁO CÁO",
        "Kết quả triển khai Đề án 06 tháng 7/2024",
    ]


def test_date_line_pads_the_day_and_the_first_two_months():
    assert (
        date_line("Bắc Giang", dt.date(2024, 8, 5), 2024) == "Bắc Giang, ngày 05 tháng 8 năm 2024"
    )
    assert (
        date_line("Bắc Giang", dt.date(2025, 2, 14), 2025) == "Bắc Giang, ngày 14 tháng 02 năm 2025"
    )
    assert date_line("Bắc Giang", None, 2023) == "Bắc Giang, ngày      tháng      năm 2023"


def test_a_dated_report_prints_its_date(report):
    dated = replace(report, header=replace(report.header, date=dt.date(2024, 8, 5)))
    word = _open(DocxExporter().render(dated))
    assert word.tables[0].cell(1, 1).text == "Bắc Giang, ngày 05 tháng 8 năm 2024"


def test_recipients_and_signature_share_a_borderless_table(word):
    table = word.tables[1]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(W_VAL) for b in borders} == {"nil"}
    left, right = table.rows[0].cells
    receive = left.paragraphs[0]
    assert receive.text == "Nơi nhận:"
    assert all(r.bold and r.italic and r.font.size == Pt(12) for r in receive.runs)
    recipients = left.paragraphs[1:]
    assert [p.text for p in recipients] == [
        "- UBND tỉnh (b/c);",
        "- Tổ công tác Đề án 06 Chính phủ (b/c);",
        "- Lưu: VT.",
    ]
    assert {r.font.size for p in recipients for r in p.runs} == {Pt(11)}
    signer = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signer] == ["TM. TỔ CÔNG TÁC", "TỔ TRƯỞNG"]
    assert all(r.bold for p in signer for r in p.runs)
    # Room to sign between the title and the name.
    assert len(right.paragraphs) >= 6


def test_page_numbers_are_a_page_field_centred_in_the_header(word):
    first = word.sections[0]
    header = first.header._element
    assert any(" PAGE " in (t.text or "") for t in header.iter(qn("w:instrText")))
    assert [f.get(qn("w:fldCharType")) for f in header.iter(qn("w:fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]
    assert first.header.paragraphs[0].alignment == 1
    # Not on the first page (Decree 30); on every appendix page.
    assert first.different_first_page_header_footer
    assert not list(first.first_page_header._element.iter(qn("w:instrText")))
    assert all(not s.different_first_page_header_footer for s in word.sections[1:])
    assert all(s.header.is_linked_to_previous for s in word.sections[1:])


def test_every_appendix_table_repeats_its_header_rows_and_never_splits_a_row(word):
    tables = _appendix_tables(word)
    assert len(tables) == 6
    header_rows = [1, 1, 1, 3, 1, 1]
    for table, count in zip(tables, header_rows, strict=True):
        rows = table._tbl.tr_lst
        for index, tr in enumerate(rows):
            trpr = tr.trPr
            assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (index < count)
        first_cells = [c for c in table.rows[0].cells]
        assert first_cells[0].text == "STT"
        for row in table.rows[:count]:
            for cell in row.cells:
                for p in cell.paragraphs:
                    assert all(r.bold for r in p.runs)
                    assert p.alignment == 1
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(W_VAL) for b in borders} == {"single"}


def test_table_text_is_12_pt_and_11_pt_in_appendix_iii(word):
    sizes = []
    for table in _appendix_tables(word):
        sizes.append(
            {
                r.font.size
                for row in table.rows
                for c in row.cells
                for p in c.paragraphs
                for r in p.runs
            }
        )
    assert sizes == [{Pt(12)}, {Pt(12)}, {Pt(12)}, {Pt(11)}, {Pt(12)}, {Pt(12)}]


def test_long_text_columns_are_the_widest(word):
    documents, tasks, _, services, *_ = _appendix_tables(word)

    def widths(table):
        return [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]

    assert widths(documents).index(max(widths(documents))) == 4  # Nội dung
    assert widths(tasks).index(max(widths(tasks))) == 5  # Kết quả
    assert widths(services).index(max(widths(services))) == 1  # Tên thủ tục hành chính
    text_width = Mm(297 - 30 - 15).twips
    for table in _appendix_tables(word):
        assert abs(sum(widths(table)) - text_width) < 20
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_appendix_i_lists_the_30_documents_under_three_group_rows(word, report):
    table = _appendix_tables(word)[0]
    rows = _rows(table)
    assert rows[0] == ["STT", "Số VB", "Loại VB", "Ngày tháng", "Nội dung", "Ghi chú"]
    groups = [r[0] for r in rows[1:] if len(set(r)) == 1]
    assert groups == [
        "I. Văn bản của UBND tỉnh",
        "II. Văn bản của Tổ Đề án 06 tỉnh",
        "III. Văn bản các đơn vị triển khai",
    ]
    group_rows = [row for row in table.rows[1:] if len({c.text for c in row.cells}) == 1]
    for row in group_rows:
        assert row._tr.tc_lst[0].grid_span == 6
        assert all(r.bold for r in row.cells[0].paragraphs[0].runs)
    documents = [r for r in rows[1:] if len(set(r)) > 1]
    assert len(documents) == 30
    assert documents[0][:4] == ["1", "3240/UBND-KGVX", "Công văn", "19/06/2024"]
    # A date the record could not read is printed as the record holds it.
    assert documents[2][3] == "24/06/202"
    assert documents[-1][5] == "Thị xã Việt Yên"


def test_appendix_ii_lists_the_50_tasks_in_three_groups_then_the_unreported(word, report):
    tasks, unreported = _appendix_tables(word)[1:3]
    rows = _rows(tasks)
    assert rows[0] == [
        "STT",
        "Nội dung, nhiệm vụ cụ thể",
        "Văn bản giao nhiệm vụ",
        "Đơn vị chủ trì",
        "Tiến độ, thời gian",
        "Kết quả",
    ]
    groups = [(r[0], r[1]) for r in rows[1:] if len(set(r[1:])) == 1 and r[0] in ("I", "II", "III")]
    assert groups == [
        ("I", "NHIỆM VỤ ĐÃ HOÀN THÀNH"),
        ("II", "NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN"),
        ("III", "NHIỆM VỤ ĐANG THỰC HIỆN"),
    ]
    per_group: Counter[str] = Counter()
    group = ""
    for r in rows[1:]:
        if r[0] in ("I", "II", "III"):
            group = r[0]
        else:
            per_group[group] += 1
    expected = {g.roman: len(g.rows) for g in report.tasks}
    assert dict(per_group) == expected and sum(expected.values()) == 50
    assert _rows(unreported) == [
        ["STT", "Nhiệm vụ", "Văn bản giao nhiệm vụ", "Thời hạn", "Đơn vị chưa báo cáo"],
        ["1", "Nhiệm vụ chưa báo cáo", "KH số 18/KH-UBND", "Năm 2024", "Sở Y tế"],
    ]


def test_appendix_iii_has_the_seed_header_25_services_and_the_true_total(word, report):
    table = _appendix_tables(word)[3]
    rows = _rows(table)
    assert rows[0][:2] == ["STT", "Tên thủ tục hành chính"]
    assert rows[0][2:6] == ["Số lượng công dân, doanh nghiệp thực hiện thủ tục"] * 4
    assert rows[0][6:8] == ["Hồ sơ DVC được giải quyết"] * 2
    assert rows[0][8:] == ["Nhân lực thực hiện"] * 4
    assert rows[1][2:] == [
        "Nộp trực tuyến",
        "Nộp trực tuyến",
        "Tổng số tiếp nhận (cả trực tuyến và trực tiếp)",
        "% tiếp nhận qua DVC",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Tỉnh",
        "Huyện",
        "Xã",
    ]
    assert rows[2][2:4] == ["Công dân", "Doanh nghiệp"]
    # Merged cells, not repeated text: STT spans three rows, the groups span their columns.
    top = table._tbl.tr_lst[0].tc_lst
    assert [tc.grid_span for tc in top] == [1, 1, 4, 2, 4]
    assert top[0].tcPr.find(qn("w:vMerge")).get(W_VAL) == "restart"
    services = rows[3:-1]
    assert len(services) == 25
    assert [r[0] for r in services] == [str(i) for i in range(1, 26)]
    registration = services[2]
    assert registration[1] == "Đăng ký thường trú"
    assert registration[2:6] == ["6.635", "0", "6.635", "100,00%"]
    birth = services[8]
    assert birth[1] == "Đăng ký khai sinh"
    assert birth[5] == "93,90%"  # computed from 1.755 / 1.869, not the printed 88,73%
    total = rows[-1]
    assert total[:2] == ["Tổng số", "Tổng số"]
    assert total[2:6] == ["46.309", "80", "48.050", format_share(report.service_total.share)]
    assert total[5] == "96,54%"
    # The last service keeps with the total row: the total never starts a page alone.
    services_table = _appendix_tables(word)[3]
    last_service = services_table.rows[-2]
    assert all(p.paragraph_format.keep_with_next for c in last_service.cells for p in c.paragraphs)


def test_appendix_iv_and_v_submissions_and_findings(word):
    submissions, findings = _appendix_tables(word)[4:]
    assert _rows(submissions) == [
        ["STT", "Đơn vị", "Ngày gửi", "Tình trạng"],
        ["1", "Công an tỉnh", "12/07/2024", "Đúng hạn"],
        ["2", "Sở Y tế", "17/07/2024", "Muộn 3 ngày"],
        ["3", "UBND huyện Lục Nam", "", "Chưa gửi"],
    ]
    assert _rows(findings)[0] == ["STT", "Mức", "Vị trí", "Nội dung"]
    assert _rows(findings)[1][:3] == ["1", "Lỗi", "Phụ lục III, dòng 18"]


def test_empty_findings_give_one_row_khong_co(report):
    word = _open(DocxExporter().render(replace(report, findings=())))
    findings = word.tables[-1]
    assert _rows(findings)[1:] == [["Không có"] * 4]


def test_appendix_titles_and_attachment_line(word, report):
    texts = [p.text for p in word.paragraphs if p.text]
    assert "TỔNG HỢP VĂN BẢN TRIỂN KHAI THÁNG 7/2024" in texts
    assert "KẾT QUẢ THỰC HIỆN 25 DỊCH VỤ CÔNG THIẾT YẾU" in texts
    assert "TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ" in texts
    assert "KẾT QUẢ KIỂM TRA SỐ LIỆU" in texts
    attached = [p for p in word.paragraphs if p.text == report.attachment_line]
    assert len(attached) == 5
    assert all(r.italic for p in attached for r in p.runs)


def _template(**margins_mm: float) -> bytes:
    """An administrator's template: other margins, Normal 13 pt, a leftover paragraph and a
    table of its own, and none of the styles python-docx's default template has."""
    document = docx.Document()
    s = document.sections[0]
    s.top_margin, s.bottom_margin = Mm(margins_mm["top"]), Mm(margins_mm["bottom"])
    s.left_margin, s.right_margin = Mm(margins_mm["left"]), Mm(margins_mm["right"])
    document.styles["Normal"].font.size = Pt(13)
    document.add_paragraph("NỘI DUNG CŨ CỦA MẪU")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "BẢNG CŨ"
    for name in ("Table Grid", "Heading 1", "Title"):
        element = document.styles[name].element
        element.getparent().remove(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_replaced_template_is_honoured(report):
    template = _template(top=25, bottom=22, left=35, right=20)
    word = _open(DocxExporter().render(report, template=template))
    first = word.sections[0]
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    assert tuple(_mm(m) for m in margins) == (25.0, 22.0, 35.0, 20.0)
    assert word.styles["Normal"].font.size == Pt(13)
    texts = [p.text for p in word.paragraphs]
    assert "NỘI DUNG CŨ CỦA MẪU" not in texts
    assert all(c.text != "BẢNG CŨ" for t in word.tables for row in t.rows for c in row.cells)
    assert word.tables[0].cell(0, 1).paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # The appendices keep the template's margins on their landscape pages.
    for s in word.sections[1:]:
        assert s.orientation == WD_ORIENT.LANDSCAPE
        assert _mm(s.left_margin) == 35.0
    assert len(word.tables[2].rows) == 1 + 3 + 30  # header, group rows, documents


def test_a_template_that_is_not_word_is_refused(report):
    with pytest.raises(ExportError, match="Mẫu báo cáo Word"):
        DocxExporter().render(report, template=b"not a zip file")


def _groups(extracted) -> tuple[Counter[str], Counter[str]]:
    return Counter(d.group for d in extracted.documents), Counter(t.group for t in extracted.tasks)


@pytest.fixture(scope="module")
def read_back(data):
    return extract_report(data, filename="r.docx")


def test_round_trip_reads_back_the_documents_tasks_and_services(report, read_back):
    read = read_back
    documents, tasks = _groups(read)
    assert len(read.documents) == 30
    assert documents == {"I": 9, "II": 6, "III": 15}
    assert [(d.number, d.summary) for d in read.documents] == [
        (d.number, d.summary) for g in report.documents for d in g.rows
    ]
    assert len(read.tasks) == 50
    assert tasks == Counter({g.key: len(g.rows) for g in report.tasks})
    assert [(t.content, t.lead_unit) for t in read.tasks] == [
        (t.content, t.lead_unit) for g in report.tasks for t in g.rows
    ]
    assert len(read.services) == 25
    counts = [(s.online_citizens, s.online_businesses, s.total) for s in read.services]
    assert counts == [(s.online_citizens, s.online_businesses, s.total) for s in report.services]
    total = read.total_row
    assert (total.online_citizens, total.online_businesses, total.total) == (46309, 80, 48050)
    assert [s.share_reported for s in read.services][8] == pytest.approx(93.90)


def test_round_trip_with_empty_appendices_keeps_the_counts(report):
    """ "Không có" rows (nothing owed, every unit on time, no finding) are not read as rows."""
    empty = replace(report, unreported=(), submissions=(), findings=())
    read = extract_report(DocxExporter().render(empty), filename="r.docx")
    assert (len(read.documents), len(read.tasks), len(read.services)) == (30, 50, 25)
