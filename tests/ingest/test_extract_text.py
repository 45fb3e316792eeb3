"""The text / Markdown reader and the reader for text extracted straight from a PDF (seed 002)."""

from __future__ import annotations

from importlib import resources

from dean06.ingest import extract
from dean06.ingest.readers.base import Paragraph, Table
from dean06.ingest.readers.pdftext import looks_like_pdf_text
from dean06.ingest.readers.pdftext import read_text as read_pdf_text
from dean06.ingest.readers.text import read_text


def _seed(name: str) -> str:
    return (resources.files("dean06") / "data" / "seeds" / name).read_text(encoding="utf-8")


def test_markdown_headings_emphasis_and_footnotes_are_stripped():
    doc = read_text(
        "## **II. NỘI DUNG**\n\n\\* *Nhiệm vụ 1:* Lựa chọn dịch vụ\n\n"
        "Theo Đề án 06/CP<sup>1</sup>.\n\n---\n"
    )
    texts = [(p.text, p.level) for p in doc.paragraphs]
    assert texts == [
        ("II. NỘI DUNG", 2),
        ("* Nhiệm vụ 1: Lựa chọn dịch vụ", None),
        ("Theo Đề án 06/CP.", None),
    ]


def test_a_paragraph_cut_by_a_page_break_is_joined():
    doc = read_text(
        "- Nhiệm vụ: Đẩy mạnh tuyên truyền, nâng cao nhận thức của\n\nngười dân về vai trò."
    )
    assert [p.text for p in doc.paragraphs] == [
        "- Nhiệm vụ: Đẩy mạnh tuyên truyền, nâng cao nhận thức của người dân về vai trò."
    ]


def test_tab_separated_rows_with_html_become_one_table_across_page_breaks():
    doc = read_text(
        "Phụ lục\n"
        "STT\tNội dung\tĐơn vị chủ trì\tThời gian\n"
        "<b>A. NHÓM</b>\t\t\t\n\n\n"
        "STT\tNội dung\tĐơn vị chủ trì\tThời gian\n"
        "1\t<p>Mở đầu</p> <ul><li>- Giai đoạn 1</li></ul>\tCông an tỉnh\tNăm 2024\n"
    )
    assert isinstance(doc.blocks[0], Paragraph)
    table = doc.blocks[1]
    assert isinstance(table, Table) and len(doc.tables) == 1
    assert [r.cells for r in table.rows][1] == ["A. NHÓM", "", "", ""]
    assert table.rows[3].cells[1] == "Mở đầu\n- Giai đoạn 1"
    assert table.rows[3].source.line == 7


def test_pipe_tables_are_read():
    doc = read_text("| STT | Nội dung | Chủ trì |\n|---|---|---|\n| 1 | Rà soát | Sở Tư pháp |\n")
    assert [r.cells for r in doc.tables[0].rows] == [
        ["STT", "Nội dung", "Chủ trì"],
        ["1", "Rà soát", "Sở Tư pháp"],
    ]


def test_pdf_text_form_is_recognised_only_for_the_pdf_seed():
    assert looks_like_pdf_text(_seed("002_6f41b110d532d470.txt"))
    assert not looks_like_pdf_text(_seed("001_33c018715ba11eff.txt"))
    assert not looks_like_pdf_text(_seed("000_29642a5544120c4a.txt"))


def test_pdf_text_rows_are_rebuilt_with_header_group_rows_and_page_furniture_removed():
    doc = read_pdf_text(_seed("002_6f41b110d532d470.txt"))
    rows = [r.cells for r in doc.tables[0].rows]
    assert rows[0] == [
        "STT",
        "Nội dung, nhiệm vụ cụ thể",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian hoàn thành",
    ]
    assert rows[1][0].startswith("A. NHÓM THAM MƯU")
    assert rows[2] == [
        "1",
        "Điều tra cơ bản theo đặc thù vùng miền để xây dựng kế hoạch triển khai Đề án 06/CP "
        "năm 2024 phù hợp, hiệu quả.",
        "Công an tỉnh",
        "Văn phòng UBND tỉnh; các cơ quan, đơn vị có liên quan",
        "Tháng 01/2024",
    ]
    # No header repeat, page number or empty-cell marker leaks into a row.
    assert not any(c.startswith("STT") for r in rows[1:] for c in r)
    assert [
        "2",
        "Phục vụ giải quyết thủ tục hành chính, cung cấp dịch vụ công trực tuyến (16 nhiệm vụ)",
        "",
        "",
        "",
    ] in rows


def test_pdf_text_cell_cut_by_a_page_break_goes_back_to_its_column():
    rows = {
        r.cells[0]: r.cells for r in read_pdf_text(_seed("002_6f41b110d532d470.txt")).tables[0].rows
    }
    assert rows["2.6"][2] == "Chi nhánh Ngân hàng nhà nước Chi nhánh tỉnh Bắc Giang"
    assert rows["2.6"][3] == "Các cơ quan, đơn vị có liên quan"
    assert rows["2.6"][1].endswith("theo đúng chỉ đạo của Ngân hàng Nhà nước Việt Nam.")
    assert rows["1.3"][1].endswith(
        "báo cáo đồng chí Chủ tịch phê duyệt cắt bỏ các giấy tờ đối với các thủ tục hành chính."
    )
    # An empty cell (a blank-looking line) between the units and the deadline.
    assert rows["2.5"][3] == "" and rows["2.5"][4] == "Trong năm 2024"
    # "Sở Tư pháp" and the deadline are not separated by a blank line in the extract.
    assert rows["1.1"][3:] == ["Sở Tư pháp", "Thực hiện thường xuyên"]


def test_pdf_text_without_a_header_is_read_as_plain_text():
    plan = extract("Một dòng\n\nHai dòng\n".encode())
    assert plan.source_format == "text"
    assert plan.tasks == []
    assert [w.code for w in plan.warnings] == ["no_tasks"]


def test_whole_plan_extracted_from_a_pdf_keeps_its_body_and_rebuilds_its_table():
    body = _seed("000_29642a5544120c4a.txt").split("**Phụ lục I**")[0].replace("\t", " ")
    table = _seed("002_6f41b110d532d470.txt")
    plan = extract((body + "\n" + table).encode())
    assert plan.source_format == "pdf-text"
    assert plan.plan.number == "18/KH-UBND" and plan.plan.reporting_day == 15
    codes = [t.code for t in plan.tasks]
    assert codes[:5] == ["II.3.1.1", "II.3.1.2", "II.3.2", "II.3.3", "II.3.4"]
    assert len(codes) == 44


def test_pdf_text_with_lines_of_punctuation_only_is_read_without_error():
    """A line that is only '---' or '|' (a rule, a table border) inside the table."""
    lines = _seed("002_6f41b110d532d470.txt").splitlines()
    noisy = []
    for i, line in enumerate(lines):
        noisy.append(line)
        if i % 7 == 3:
            noisy.append("---" if i % 2 else "|")
    table = read_pdf_text("\n".join(noisy)).tables[0]
    assert len(table.rows) > 10
