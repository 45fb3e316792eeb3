"""The Word reader on a rendered plan: body order, headings, merged cells, header rows."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from dean06.ingest.model import IngestError
from dean06.ingest.readers import docx as docx_reader
from dean06.ingest.readers.base import Paragraph, Table
from scripts import samples as render


@pytest.fixture(scope="module")
def document():
    return docx_reader.read(render.render_docx("mark"))


@pytest.fixture(scope="module")
def physical():
    return docx_reader.read(render.render_docx("physical"))


def test_docx_body_text_comes_before_the_appendix_table_in_order(document):
    kinds = [type(b) for b in document.blocks]
    first_table = kinds.index(Table)
    texts = [b.text for b in document.blocks[:first_table]]
    assert texts[0] == "Số: 18 /KH-UBND"
    assert "Phụ lục I" in texts
    assert texts.index("Phụ lục I") > texts.index("KẾ HOẠCH")
    assert isinstance(document.blocks[-1], Paragraph)  # the note after the table
    assert document.blocks[-1].text.startswith("Ghi chú")
    assert len(document.tables) == 1


def test_docx_heading_levels_come_from_style_names(document):
    levels = {p.text: p.level for p in document.paragraphs}
    assert levels["KẾ HOẠCH"] == 1
    assert levels["I. MỤC ĐÍCH, YÊU CẦU"] == 2
    assert levels["1. Mục đích"] == 3
    assert levels["Phụ lục I"] is None


def test_docx_body_bullets_keep_a_dash(document):
    bullets = [p.text for p in document.paragraphs if p.text.startswith("- ")]
    assert any(b.startswith("- Tiếp tục quán triệt") for b in bullets)


def test_docx_table_has_every_task_row_with_its_stt(document):
    table = document.tables[0]
    # Group rows span the content columns: a task row is one whose content and deadline differ.
    tasks = [r for r in table.rows[1:] if r.cells[1] != r.cells[4]]
    expected = [r.cells[0].text for r in render.task_rows()]
    assert len(expected) == 39
    assert [r.cells[0] for r in tasks] == expected  # the last task has no number in the source
    assert len(table.rows) == 1 + 2 + 7 + 39  # header, groups, subgroups, tasks


def test_docx_rows_equal_the_seed_table_exactly(document):
    table = document.tables[0]
    expected = []
    for row in render.clean_rows():
        if row.kind == "group":
            expected.append([row.cells[0].text] * render.WIDTH)
        elif row.kind == "subgroup":
            expected.append([row.cells[0].text] + [row.cells[1].text] * (render.WIDTH - 1))
        else:
            expected.append(row.texts)
    assert [r.cells for r in table.rows] == expected


def test_docx_merged_group_row_repeats_its_text_in_every_column(document):
    group = next(r for r in document.tables[0].rows if r.cells[0].startswith("A. NHÓM"))
    assert len(set(group.cells)) == 1
    assert len(group.cells) == 5
    subgroup = next(r for r in document.tables[0].rows if r.cells[1].startswith("Về pháp lý"))
    assert subgroup.cells[0] == "1"
    assert subgroup.cells[1:] == ["Về pháp lý (02 nhiệm vụ)"] * 4


def test_docx_cell_paragraphs_and_bullets_are_joined_with_newlines(document):
    row = next(r for r in document.tables[0].rows if r.cells[0] == "2.4")
    lines = row.cells[1].split("\n")
    assert len(lines) == 4
    assert lines[0].endswith("theo 03 giai đoạn:")
    assert lines[1] == "- Giai đoạn 1: Triển khai thí điểm số hóa Hồ sơ cư trú của Công an tỉnh."
    two = next(r for r in document.tables[0].rows if r.cells[0] == "2.15")
    assert two.cells[1].count("\n") == 1
    assert two.cells[1].startswith("- 100% kết quả")


def test_docx_marked_header_row_is_flagged(document):
    rows = document.tables[0].rows
    assert rows[0].header
    assert rows[0].cells[0] == "STT"
    assert not any(r.header for r in rows[1:])


def test_docx_physically_repeated_header_rows_are_kept_as_rows(physical):
    rows = physical.tables[0].rows
    headers = [i for i, r in enumerate(rows) if r.cells[:2] == ["STT", "Nội dung, nhiệm vụ cụ thể"]]
    assert len(headers) == 11
    # A row cut by the page break continues after the repeated header with an empty STT.
    after = rows[headers[2] + 1]
    assert after.cells[0] == ""
    assert after.cells[1].startswith("duyet cất bỏ")


def test_docx_source_lines_increase_through_body_and_table(document):
    lines = [b.source.line for b in document.paragraphs]
    rows = [r.source.line for r in document.tables[0].rows]
    assert lines == sorted(lines)
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
    assert rows[0] > max(p.source.line for p in document.paragraphs[:-1])


def _docx_with_table(build) -> bytes:
    word = docx.Document()
    table = word.add_table(rows=3, cols=3)
    build(word, table)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_docx_vertical_merge_repeats_the_top_cell():
    def build(word, table):
        table.cell(0, 0).text = "1"
        table.cell(0, 1).text = "Nhiệm vụ"
        merged = table.cell(0, 2).merge(table.cell(2, 2))
        merged.text = "Công an tỉnh"

    rows = docx_reader.read(_docx_with_table(build)).tables[0].rows
    assert [r.cells[2] for r in rows] == ["Công an tỉnh"] * 3


def test_docx_nested_table_is_flattened_into_the_cell():
    def build(word, table):
        table.cell(0, 0).text = "Ngoài"
        inner = table.cell(0, 1).add_table(rows=2, cols=2)
        inner.cell(0, 0).text = "a"
        inner.cell(0, 1).text = "b"
        inner.cell(1, 0).text = "c"
        inner.cell(1, 1).text = "d"

    row = docx_reader.read(_docx_with_table(build)).tables[0].rows[0]
    assert row.cells[1] == "a | b\nc | d"


def test_docx_decomposed_vietnamese_is_normalised_to_nfc():
    word = docx.Document()
    word.add_paragraph("Co\u0302ng an ti\u0309nh")
    out = io.BytesIO()
    word.save(out)
    assert docx_reader.read(out.getvalue()).paragraphs[0].text == "Công an tỉnh"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "rỗng"),
        (b"this is not a zip file at all", "hỏng"),
        (render.password_protected_ooxml(), "mật khẩu"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "định dạng cũ"),
    ],
)
def test_docx_bad_input_raises_ingest_error(data, needle):
    with pytest.raises(IngestError) as info:
        docx_reader.read(data)
    assert needle in info.value.message
    assert info.value.message_en


def test_docx_zip_without_a_document_part_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hello.txt", "xin chào")
    with pytest.raises(IngestError, match="không phải là tệp Word"):
        docx_reader.read(out.getvalue())


def test_docx_truncated_file_is_refused():
    data = render.render_docx("mark")
    with pytest.raises(IngestError):
        docx_reader.read(data[: len(data) // 2])


def test_docx_without_text_is_refused():
    out = io.BytesIO()
    docx.Document().save(out)
    with pytest.raises(IngestError, match="không có nội dung"):
        docx_reader.read(out.getvalue())
