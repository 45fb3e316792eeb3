"""Pages from the middle of a table printed without vertical rules: no header on them, no rule
to find (someone sends the pages that concern them). The columns are the rivers of white that
run down the lines; the table starts at the first line that opens with a row number
(readers/pdf_unruled.py `_headerless`)."""

from __future__ import annotations

import json

import pytest

from dean06.ingest import extract
from dean06.ingest.readers.pdf_unruled import Word, find_table
from dean06.ingest.scoring import score
from scripts import ocr_variants
from scripts import samples as render

# Number | task text | lead | coordinating | days: where each column's lines start.
X = {0: 42.0, 1: 71.0, 2: 280.0, 3: 374.0, 4: 467.0}
# The task text's lines end anywhere up to its column's edge (x 270).
TEXT_WIDTH = 199.0


def _line(y: float, **cells: str) -> list[Word]:
    words = []
    for name, text in cells.items():
        x = X[int(name[1:])]
        for word in text.split():
            words.append(Word(word, x, x + 5.2 * len(word), y, y + 11))
            x += 5.2 * len(word) + 3.5
    return words


def _text_lines(y: float, text: str, **first: str) -> tuple[list[Word], float]:
    """A task text wrapped in its column, the other cells (`first`) on its first line."""
    words: list[Word] = []
    line: list[str] = []
    width = 0.0
    cells = dict(first)
    for word in text.split():
        if line and width + 5.2 * len(word) > TEXT_WIDTH:
            words += _line(y, c1=" ".join(line), **cells)
            cells, line, width, y = {}, [], 0.0, y + 16
        line.append(word)
        width += 5.2 * len(word) + 3.5
    words += _line(y, c1=" ".join(line), **cells)
    return words, y + 26


TASKS = [
    (
        "Tiếp tục rà soát, tái cấu trúc quy trình, cắt giảm thủ tục hành chính và tổ chức "
        "thực hiện tích hợp, kết nối và chia sẻ dữ liệu dân cư giữa các hệ thống.",
        "Phòng Kế hoạch",
        "Trung tâm Y tế",
        "60",
    ),
    (
        "Tăng cường phối hợp giữa các cơ quan, đơn vị để tuyên truyền, tạo sự lan tỏa, tham "
        "gia ủng hộ tích cực từ người dân, tổ chức, doanh nghiệp.",
        "Thanh tra Sở",
        "Bệnh viện tỉnh",
        "45",
    ),
    (
        "Đẩy nhanh tiến độ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính gắn với việc "
        "thực hiện nhiệm vụ của cán bộ, công chức trong quá trình giải quyết.",
        "Phòng Tổ chức",
        "Văn phòng Sở",
        "10",
    ),
]


def _middle_page(numbers: tuple[str, ...] = ("11", "12", "13")) -> list[Word]:
    # The end of the previous page's task first, then rows 11 to 13.
    words = _line(40, c1="ngày 06/12/2021.")
    y = 66.0
    for number, (text, lead, coordinating, days) in zip(numbers, TASKS, strict=True):
        more, y = _text_lines(y, text, c2=lead, c3=coordinating, c4=days)
        words += [Word(number, X[0], X[0] + 5.2 * len(number), more[0].top, more[0].bottom)]
        words += more
    return words


def test_a_middle_page_gives_its_rows_without_a_header():
    found = find_table(_middle_page(), 4)
    assert found is not None
    rows = [row.cells for row in found.table.rows]
    assert [row[0] for row in rows] == ["11", "12", "13"]
    assert rows[0][1].startswith("Tiếp tục rà soát") and rows[0][1].endswith("các hệ thống.")
    assert [row[2:] for row in rows] == [[lead, coord, days] for _, lead, coord, days in TASKS]
    # The previous page's last words stay out of the table.
    assert found.lines[0].words[0].text == "11"
    assert found.open_at_end


def test_a_speck_before_a_row_number_is_left_out():
    # A scan: the rule above the cell, or dust, read as a mark before the number.
    found = find_table(_middle_page(("“11", "12", "-13")), 4)
    assert found is not None
    assert [row.cells[0] for row in found.table.rows] == ["11", "12", "13"]


PROSE = (
    "Các phòng, đơn vị thuộc Sở tập trung triển khai các nhiệm vụ được giao bảo đảm "
    "đúng tiến độ, chất lượng và báo cáo kết quả về Văn phòng Sở trước ngày 15 hằng tháng"
)


def _prose(numbered: bool) -> list[Word]:
    """Justified paragraphs: every line runs from margin to margin."""
    sentence = PROSE.split()
    words = []
    for k in range(12):
        x, y = 71.0, 40.0 + 16 * k
        if numbered and k % 3 == 0:
            words.append(Word(f"{k // 3 + 1}.", 42.0, 50.0, y, y + 11))
        shift = k * 7 % 23  # lines break at different words
        for word in sentence[shift % 5 :]:
            end = x + 5.2 * len(word)
            if end > 520:
                break
            words.append(Word(word, x, end, y, y + 11))
            x = end + 3.5 + (k % 4)  # justified: the spaces stretch
    return words


@pytest.mark.parametrize("numbered", [False, True])
def test_prose_is_not_a_table_without_a_header(numbered):
    assert find_table(_prose(numbered), 2) is None


def test_a_signature_block_is_not_a_table():
    words = _line(40, c1="Nơi nhận:", c3="KT. GIÁM ĐỐC")
    for k, name in enumerate(["- Như trên;", "- Ban Giám đốc;", "- Lưu: VT."]):
        words += _line(56 + 16 * k, c1=name, c3="PHÓ GIÁM ĐỐC" if k == 0 else "")
    assert find_table(words, 3) is None


@pytest.mark.skipif(
    render.soffice_missing_reason() is not None, reason=str(render.soffice_missing_reason())
)
@pytest.mark.parametrize("name", ["department-middle-no-rules", "department-middle-horizontal"])
def test_middle_pages_of_an_unruled_letter_table_as_a_digital_pdf(tmp_path, name):
    """Pages 4-5 of a 34-task department letter printed without vertical rules (or with rules
    between rows only), as LibreOffice prints them: every task whose text starts on them."""
    (path,) = ocr_variants.make_pdfs(tmp_path, [name])
    gold = json.loads((tmp_path / f"{name}.gold.json").read_text("utf-8"))
    result = score(extract(path), gold)
    assert result.found == len(gold["tasks"]) >= 6
    assert result.extra == []
    for field in ("lead", "coordinating", "content"):
        assert result.accuracy(field) == 1.0, (field, result.errors)
