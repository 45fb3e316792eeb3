"""The plan readers (text and Markdown, HTML, Word, Excel, PDF text dumps, OCR text) and extract():
a task row a generator renders is found with its lead unit and due date in every format; blank
lines change nothing; text of any shape gives a Document or an IngestError, nothing else."""

from __future__ import annotations

import datetime as dt
import html
import io

from hypothesis import example, given
from hypothesis import strategies as st

from dean06.ingest import ExtractedPlan, IngestError, extract
from dean06.ingest.readers import html as html_reader
from dean06.ingest.readers import ocrtext as ocrtext_reader
from dean06.ingest.readers import pdftext, text
from dean06.ingest.readers.base import Document, Paragraph, Table
from scripts.samples import HEADER  # the 2024 plan's assignment-table header
from tests.property.conftest import profile
from tests.property.strategies import (
    REGISTRY,
    any_text,
    deadline_phrases,
    lose_diacritics,
    noisy,
    sentences,
    unit_names,
    vietnamese,
)

MASTHEAD = (
    "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG",
    "Số: 18/KH-UBND",
    "Bắc Giang, ngày 23 tháng 01 năm 2024",
    "KẾ HOẠCH",
    "Triển khai Đề án 06 năm 2024",
)
GROUP = "A. NHÓM THAM MƯU, CHỈ ĐẠO, TRIỂN KHAI"
# Words of the content column: no digits (a number could pass for a row's STT or a date).
content_words = sentences.filter(lambda s: not any(c.isdigit() for c in s))


@st.composite
def task_rows(draw: st.DrawFn) -> list[tuple[str, str, str, str, str, str, dt.date]]:
    """Task rows: (stt, content, lead, coordinating, deadline, lead key, due date)."""
    rows = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        lead_key, lead = draw(unit_names)
        coordinating = draw(st.just("") | unit_names.map(lambda kn: kn[1]))
        phrase, _kind, due = draw(deadline_phrases())
        content = "Thực hiện " + draw(content_words) + "."
        rows.append((str(number), content, lead, coordinating, phrase, lead_key, due))
    return rows


Rows = list[tuple[str, str, str, str, str, str, dt.date]]


def _cells(rows: Rows) -> list[list[str]]:
    return [list(row[:5]) for row in rows]


def render_text(rows: Rows) -> str:
    lines = [*MASTHEAD, "", "\t".join(HEADER), f"<b>{GROUP}</b>\t\t\t\t"]
    lines += ["\t".join(cells) for cells in _cells(rows)]
    return "\n".join(lines)


def render_markdown(rows: Rows) -> str:
    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [*MASTHEAD, "", line(HEADER), "|" + "---|" * len(HEADER), line([GROUP, "", "", "", ""])]
    lines += [line(cells) for cells in _cells(rows)]
    return "\n".join(lines)


def render_html(rows: Rows) -> str:
    def tr(cells: list[str] | tuple[str, ...], tag: str = "td") -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

    body = "".join(f"<p>{html.escape(line)}</p>" for line in MASTHEAD)
    table = tr(HEADER, "th") + f'<tr><td colspan="5"><b>{GROUP}</b></td></tr>'
    table += "".join(tr(cells) for cells in _cells(rows))
    head = "<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
    return f"{head}<body>{body}<table>{table}</table></body></html>"


def render_docx(rows: Rows) -> bytes:
    import docx

    word = docx.Document()
    for line in MASTHEAD:
        word.add_paragraph(line)
    table = word.add_table(rows=0, cols=len(HEADER))
    for cells in [list(HEADER), [GROUP, GROUP, GROUP, GROUP, GROUP], *_cells(rows)]:
        for cell, value in zip(table.add_row().cells, cells, strict=True):
            cell.text = value
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def render_xlsx(rows: Rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in MASTHEAD:
        sheet.append([line])
    sheet.append(list(HEADER))
    sheet.append([GROUP])
    for cells in _cells(rows):
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TEXT_FORMATS = {"text": render_text, "markdown": render_markdown, "html": render_html}


def _found(plan: ExtractedPlan) -> list[tuple[str | None, dt.date | None]]:
    return [
        (task.lead_units[0].unit_key if task.lead_units else None, task.deadline.due_date)
        for task in plan.tasks
    ]


def _expected(rows: Rows) -> list[tuple[str | None, dt.date | None]]:
    return [(row[5], row[6]) for row in rows]


@profile()
@given(task_rows(), st.sampled_from(sorted(TEXT_FORMATS)))
def test_rendered_task_rows_are_found_with_their_lead_and_due_date(rows: Rows, form: str) -> None:
    data = TEXT_FORMATS[form](rows).encode("utf-8")
    plan = extract(data, REGISTRY, filename=f"plan.{form}")
    assert _found(plan) == _expected(rows), form
    assert [t.content for t in plan.tasks] == [row[1] for row in rows]
    assert plan.plan.number == "18/KH-UBND"


@profile(suite_examples=8)
@given(task_rows(), st.sampled_from(["docx", "xlsx"]))
def test_task_rows_of_word_and_excel_files_are_found(rows: Rows, form: str) -> None:
    data = render_docx(rows) if form == "docx" else render_xlsx(rows)
    plan = extract(data, REGISTRY, filename=f"plan.{form}")
    assert plan.source_format == form
    assert _found(plan) == _expected(rows), form


@profile()
@given(task_rows())
def test_task_rows_without_diacritics_keep_their_lead_and_due_date(rows: Rows) -> None:
    """The whole plan typed without a Vietnamese keyboard (or OCR'd without Vietnamese data) as
    tab-separated text: every lead unit and due date still found."""
    plain = lose_diacritics(render_text(rows))
    plan = extract(plain.encode("utf-8"), REGISTRY, filename="plan.txt")
    assert _found(plan) == _expected(rows)


@profile()
@given(task_rows(), st.sampled_from(sorted(TEXT_FORMATS)), st.data())
def test_blank_lines_do_not_change_the_tasks_found(
    rows: Rows, form: str, data: st.DataObject
) -> None:
    rendered = TEXT_FORMATS[form](rows)
    lines = rendered.split("\n")
    spaced: list[str] = []
    for line in lines:
        spaced.append(line)
        spaced.extend([""] * data.draw(st.integers(0, 2), label="blank lines"))
    before = extract(rendered.encode("utf-8"), REGISTRY, filename=f"plan.{form}")
    after = extract("\n".join(spaced).encode("utf-8"), REGISTRY, filename=f"plan.{form}")
    assert _found(after) == _found(before)
    assert [t.content for t in after.tasks] == [t.content for t in before.tasks]
    assert [t.code for t in after.tasks] == [t.code for t in before.tasks]


@profile()
@given(task_rows(), st.sampled_from(["\r\n", "\r"]))
def test_windows_and_old_mac_line_ends_read_as_line_feeds(rows: Rows, ending: str) -> None:
    rendered = render_text(rows)
    plan = extract(rendered.replace("\n", ending).encode("utf-8"), REGISTRY)
    assert _found(plan) == _found(extract(rendered.encode("utf-8"), REGISTRY))


# --- any text, straight into each text reader ------------------------------------------------

# Lines shaped like a plan's table: its header in its several spellings, pipes, tabs, STT
# numbers, group titles, unit names, deadline phrases and noise.
table_lines = st.one_of(
    st.sampled_from(
        [
            "\t".join(HEADER),
            lose_diacritics("\t".join(HEADER)),
            " ".join(HEADER),
            "|",
            "| 1 | a | b |",
            "|---|---|---|",
            "STT",
            "Nội dung",
            "1",
            "1.2",
            "II",
            GROUP,
            "Phụ lục I",
            "\f",
            "Nơi nhận:",
        ]
    ),
    unit_names.map(lambda kn: kn[1]),
    deadline_phrases().map(lambda p: p[0]),
    st.lists(vietnamese, min_size=2, max_size=6).map("\t".join),
    st.lists(vietnamese, min_size=2, max_size=6).map(lambda cs: "| " + " | ".join(cs) + " |"),
    vietnamese,
    noisy(),
)
table_texts = st.lists(table_lines, max_size=40).map("\n".join)


def _check_document(document: Document, text_lines: int) -> None:
    for block in document.blocks:
        assert isinstance(block, Paragraph | Table)
        if isinstance(block, Table):
            widths = {len(row.cells) for row in block.rows}
            assert len(widths) <= 1, "rows of one table have one width"
            for row in block.rows:
                assert all(isinstance(c, str) for c in row.cells)
        line = block.source.line
        assert line is None or 1 <= line <= text_lines + 1


@profile()
@given(st.one_of(table_texts, any_text))
@example("|\n|\n" * 10)
@example("\t".join(HEADER) + "\n" + "1\t\t\t\t\t\t\t\t\n" * 3)
def test_the_text_reader_reads_any_text(source: str) -> None:
    try:
        document = text.read(source.encode("utf-8"))
    except IngestError as exc:
        assert exc.message
        return
    _check_document(document, source.count("\n") + source.count("\r"))
    for block in document.blocks:
        if isinstance(block, Table):
            continue
        assert block.text.strip()


@profile()
@given(st.one_of(table_texts, any_text))
@example(" ".join(HEADER) + "\n1\n" + "\n".join(["a"] * 30))
def test_the_pdf_text_reader_reads_any_text(source: str) -> None:
    try:
        document = pdftext.read(source.encode("utf-8"), registry=REGISTRY)
    except IngestError as exc:
        assert exc.message
        return
    _check_document(document, source.count("\n") + source.count("\r"))


@profile()
@given(st.one_of(table_texts, table_texts.map(lose_diacritics), any_text))
@example(lose_diacritics(" ".join(HEADER)) + "\n1 Thuc hien a So Tu phap Quy 11/2024\n")
def test_the_ocr_text_reader_reads_any_text(source: str) -> None:
    try:
        document = ocrtext_reader.read(source.encode("utf-8"), registry=REGISTRY)
    except IngestError as exc:
        assert exc.message
        return
    _check_document(document, source.count("\n") + source.count("\r"))


# Markup as saved web pages bring it: broken tags, spans, entities, scripts.
html_pieces = st.one_of(
    st.sampled_from(
        [
            "<table>",
            "</table>",
            "<tr>",
            "</tr>",
            "<td>",
            "</td>",
            '<td rowspan="3">',
            '<td colspan="999999">',
            '<td rowspan="-1">',
            '<td colspan="x">',
            "<th>",
            "<br>",
            "<p>",
            "</p>",
            "<li>",
            "<script>alert(1)</script>",
            "<!-- -->",
            "&nbsp;",
            "&#0;",
            "&#x110000;",
            "<",
            ">",
            "<meta charset='x-unknown'>",
        ]
    ),
    vietnamese.map(html.escape),
    vietnamese,
)


@profile()
@given(st.lists(html_pieces, max_size=60).map("".join))
@example("<table>" + '<tr><td rowspan="1000">a</td></tr>' * 3 + "</table>")
def test_the_html_reader_reads_any_markup(markup: str) -> None:
    try:
        document = html_reader.read(markup.encode("utf-8"))
    except IngestError as exc:
        assert exc.message
        return
    _check_document(document, markup.count("\n") + 1)


@profile()
@given(st.one_of(table_texts, any_text))
def test_extract_gives_a_plan_or_an_ingest_error(source: str) -> None:
    try:
        plan = extract(source.encode("utf-8"), REGISTRY)
    except IngestError as exc:
        assert exc.message
        return
    for task in plan.tasks:
        assert task.code
        assert 0.0 <= task.deadline.confidence <= 1.0
        for ref in (*task.lead_units, *task.coordinating_units):
            assert 0.0 <= ref.confidence <= 1.0
    # What extract() gives is what the review stage keeps and reads back.
    assert ExtractedPlan.from_dict(plan.to_dict()) == plan
