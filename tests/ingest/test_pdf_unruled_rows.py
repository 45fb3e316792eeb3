"""Rows of a table printed without vertical rules, rebuilt from its words' positions
(readers/pdf_unruled.py), where a row's number is missing: a scan whose OCR lost the lone
digits of a narrow number column. Cells are top-aligned, so a row starts where cells start
again in several columns at once."""

from __future__ import annotations

from dean06.ingest.readers.pdf_unruled import Grid, Line, Word, _Rows

# Columns: number | task text | lead | coordinating | days (x of the boundaries).
GRID = Grid(
    header=["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Số ngày"],
    bounds=[40.0, 300.0, 400.0, 500.0],
    left=10.0,
    right=560.0,
    stt=0,
)
X = {0: 20.0, 1: 50.0, 2: 310.0, 3: 410.0, 4: 510.0}


def _line(y: float, **cells: str) -> Line:
    words = []
    for name, text in cells.items():
        x = X[int(name[1:])]
        for word in text.split():
            words.append(Word(word, x, x + 6 * len(word), y, y + 10))
            x += 6 * len(word) + 3
    return Line(words, y, y + 10)


def _rows(lines: list[Line]) -> list[list[str]]:
    rows = _Rows(GRID, rules=[])
    for k, line in enumerate(lines):
        before = lines[k - 1] if k else None
        after = lines[k + 1] if k + 1 < len(lines) else None
        assert rows.add(k, line, before, after)
    return [[" ".join(cell) for cell in cells] for cells in rows.rows]


def test_a_row_whose_number_was_lost_starts_where_its_cells_start_again():
    lines = [
        _line(
            0,
            c0="1",
            c1="Cập nhật dữ liệu phương tiện",
            c2="Phòng Quản lý",
            c3="Thanh tra Sở",
            c4="30",
        ),
        _line(12, c1="vào cơ sở dữ liệu dân cư.", c2="vận tải"),
        _line(24, c1="bảo đảm đúng, đủ, sạch, sống."),
        # The second row: no number, its text, lead, coordinating and days start again.
        _line(
            36, c1="Hướng dẫn người dân nộp hồ sơ", c2="Văn phòng Sở", c3="Trung tâm Đăng", c4="15"
        ),
        _line(48, c1="trực tuyến toàn trình.", c3="kiểm"),
    ]
    rows = _rows(lines)
    assert len(rows) == 2
    assert rows[0][1].startswith("Cập nhật") and rows[0][2] == "Phòng Quản lý vận tải"
    assert rows[1][0] == "" and rows[1][1].startswith("Hướng dẫn")
    assert rows[1][2:] == ["Văn phòng Sở", "Trung tâm Đăng kiểm", "15"]


def test_a_cells_second_name_after_a_paragraphs_spacing_stays_in_its_row():
    lines = [
        _line(
            0,
            c0="1",
            c1="Cập nhật dữ liệu phương tiện",
            c2="Phòng Quản lý",
            c3="Thanh tra Sở;",
            c4="30",
        ),
        _line(12, c1="vào cơ sở dữ liệu dân cư, bảo", c2="vận tải"),
        # The coordinating cell's second name, set apart by its paragraph's spacing.
        _line(24, c1="đảm đúng, đủ, sạch, sống.", c3="Văn phòng Sở"),
        # Two columns start again but the text goes on in lower case: the same row.
        _line(36, c1="và kết nối với hệ thống.", c2="(chủ trì)", c4="(ước tính)"),
    ]
    rows = _rows(lines)
    assert len(rows) == 1
    assert rows[0][2:] == [
        "Phòng Quản lý vận tải (chủ trì)",
        "Thanh tra Sở; Văn phòng Sở",
        "30 (ước tính)",
    ]
