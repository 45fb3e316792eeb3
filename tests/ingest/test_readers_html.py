"""The HTML reader on a rendered page: paragraphs outside tables, rowspan/colspan, charsets."""

from __future__ import annotations

import unicodedata

import pytest

from dean06.ingest.model import IngestError
from dean06.ingest.readers import html
from dean06.ingest.readers.base import Table
from scripts import samples as render


@pytest.fixture(scope="module")
def document():
    return html.read(render.render_html())


def test_html_headings_paragraphs_and_items_outside_the_table(document):
    paragraphs = document.paragraphs
    levels = {p.text: p.level for p in paragraphs}
    assert levels["KẾ HOẠCH"] == 1
    assert levels["I. MỤC ĐÍCH, YÊU CẦU"] == 2
    assert any(p.text.startswith("- Tiếp tục quán triệt") for p in paragraphs)
    assert "Kế hoạch 18/KH-UBND" not in {p.text for p in paragraphs}  # <title> is not body text
    table_at = next(i for i, b in enumerate(document.blocks) if isinstance(b, Table))
    assert document.blocks[table_at - 1].text.startswith("(Kèm theo Kế hoạch số 18/KH-UBND")
    assert document.blocks[-1].text == "Nơi nhận: như trên."


def test_html_table_rows_equal_the_seed_with_spans_expanded(document):
    expected = []
    for row in render.clean_rows():
        if row.kind == "group":
            expected.append([row.cells[0].text] * render.WIDTH)
        elif row.kind == "subgroup":
            expected.append([row.cells[0].text] + [row.cells[1].text] * (render.WIDTH - 1))
        else:
            expected.append(row.texts)
    assert [r.cells for r in document.tables[0].rows] == expected


def test_html_render_really_uses_rowspan():
    spans = render.rowspans(list(render.clean_rows()))
    assert sum(1 for row in spans for s in row if s > 1) >= 5


def test_html_thead_row_is_a_header(document):
    rows = document.tables[0].rows
    assert rows[0].header and rows[0].cells[0] == "STT"
    assert not any(r.header for r in rows[1:])


def test_html_rowspan_and_colspan_fill_the_grid():
    page = b"""<table>
    <tr><td rowspan="2">A</td><td colspan="2">B</td></tr>
    <tr><td>C</td><td>D</td></tr>
    <tr><td>E<td>F<td>G
    </table>"""
    rows = html.read(page).tables[0].rows
    assert [r.cells for r in rows] == [["A", "B", "B"], ["A", "C", "D"], ["E", "F", "G"]]
    assert [r.source.line for r in rows] == [2, 3, 4]


def test_html_nested_table_is_flattened_into_its_cell():
    page = (
        b"<table><tr><td>x</td><td><table><tr><td>a</td><td>b</td></tr></table></td></tr></table>"
    )
    assert html.read(page).tables[0].rows[0].cells == ["x", "a | b"]


def test_html_meta_charset_is_honoured():
    # windows-1258 has "ô" but writes tones as combining marks: "tỉnh" is "ti" + U+0309 + "nh".
    text = "Công an ti\u0309nh"
    assert unicodedata.normalize("NFC", text) == "Công an tỉnh"
    page = (
        '<html><head><meta charset="windows-1258"></head><body><p>' + text + "</p></body></html>"
    ).encode("cp1258")
    assert html.read(page).paragraphs[0].text == "Công an tỉnh"


def test_html_undeclared_utf8_and_scripts_are_handled():
    page = "<p>Sở Tư pháp</p><script>var x = '<p>không</p>';</script><style>p{}</style>"
    assert [p.text for p in html.read(page.encode()).paragraphs] == ["Sở Tư pháp"]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "rỗng"),
        (b"   \n ", "rỗng"),
        (b"<html><body><script>x</script></body></html>", "không có nội dung"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "không phải"),
    ],
)
def test_html_bad_input_raises_ingest_error(data, needle):
    with pytest.raises(IngestError) as info:
        html.read(data)
    assert needle in info.value.message


def test_html_declared_charset_wins_over_the_vietnamese_guess():
    # 0xD2 is "Ò" in windows-1252 but a combining hook in windows-1258 (the undeclared guess).
    page = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>\xd2</p>'
    assert html.read(page).paragraphs[0].text == "Ò"
    assert html.read(b"<p>a\xd2</p>").paragraphs[0].text == "ả"
