"""Web pages saved as text: pipe tables (Markdown rows, or cells between lone `|` lines) are
detected as such, not as PDF text dumps, and read into tasks; odd input never crashes them."""

from __future__ import annotations

import contextlib
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dean06.ingest import IngestError, UnitRegistry, extract
from dean06.ingest.detect import detect
from dean06.ingest.readers.text import looks_like_pipe_tables, read_text

REGISTRY = UnitRegistry.default()
UNITS = ["Sở Tư pháp", "Công an tỉnh", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Sở Tài chính"]
DEADLINES = ["Quý III Năm 2026", "6/2025", "2025", "trước 30/6/2026", "Tháng 02/2026", "Năm 2026"]
DUE = [
    dt.date(2026, 9, 30),
    dt.date(2025, 6, 30),
    dt.date(2025, 12, 31),
    dt.date(2026, 6, 30),
    dt.date(2026, 2, 28),
    dt.date(2026, 12, 31),
]

BODY = """**KẾ HOẠCH**

Thực hiện các nhiệm vụ trọng tâm về chuyển đổi số năm 2026 trên địa bàn
tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch với những nội dung cụ thể
như sau:

**I. MỤC ĐÍCH, YÊU CẦU**

- Bảo đảm triển khai đồng bộ, hiệu quả các nhiệm vụ.
"""


def _vertical(n: int, header: str = "STT") -> str:
    """A saved web page whose tables put each cell between lone pipes, wrapped short."""
    lines = [
        "|",
        "**ỦY BAN NHÂN",
        "DÂN **",
        "TỈNH LÂM ĐỒNG",
        "--------",
        "|",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
        "|",
        "|",
        "Số: 94/KH-UBND",
        "|",
        "*Lâm Đồng, ngày",
        "15 tháng 01 năm 2026*",
        "|",
        "",
        BODY,
        "|",
    ]
    for name in (f"**{header}**", "**Nội dung**", "**Cơ quan chủ trì**", "**Thời gian**"):
        lines += [name, "|"]
    for i in range(n):
        lines += [
            "|",
            str(i + 1),
            "|",
            f"Triển khai nhiệm vụ số {i + 1}",
            "về dữ liệu dân cư",
            "|",
            UNITS[i % 5],
            "|",
            DEADLINES[i % 6],
            "|",
        ]
    lines += ["", "Nơi nhận:", "- Như trên;"]
    return "\n".join(lines)


def _markdown(n: int) -> str:
    rows = ["| STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành |", "|---|---|---|---|"]
    rows += ["| **I** | **NHÓM NHIỆM VỤ VỀ DỮ LIỆU** | | |"]
    rows += [
        f"| {i + 1} | Triển khai nhiệm vụ số {i + 1} | {UNITS[i % 5]} | {DEADLINES[i % 6]} |"
        for i in range(n)
    ]
    # Short wrapped lines around the table, as a page dump has them.
    short = "\n".join(f"dòng {i} của văn bản" for i in range(40))
    return f"{BODY}\n{short}\n\n" + "\n".join(rows) + "\n"


def test_a_long_vertical_pipe_dump_is_read_as_text_not_as_a_pdf_text_dump():
    text = _vertical(94)
    assert looks_like_pipe_tables(text)
    assert detect(text.encode()) == "text"
    plan = extract(text.encode(), REGISTRY, filename="ke-hoach.md")
    assert len(plan.tasks) == 94
    assert [t.code for t in plan.tasks[:3]] == ["1", "2", "3"]
    assert plan.tasks[0].content == "Triển khai nhiệm vụ số 1 về dữ liệu dân cư"
    assert [t.deadline.due_date for t in plan.tasks[:6]] == DUE
    assert [t.deadline.raw for t in plan.tasks[:6]] == DEADLINES
    assert [t.lead_units[0].unit_key for t in plan.tasks[:2]] == ["STP", "CAT"]


def test_the_masthead_in_pipes_still_gives_the_number_and_date():
    plan = extract(_vertical(3).encode(), REGISTRY, filename="ke-hoach.md")
    assert plan.plan.number == "94/KH-UBND"
    assert plan.plan.date == dt.date(2026, 1, 15)


def test_markdown_pipe_tables_in_a_dump_of_short_lines_are_read():
    text = _markdown(94)
    assert detect(text.encode()) == "text"
    plan = extract(text.encode(), REGISTRY, filename="ke-hoach.md")
    assert len(plan.tasks) == 94
    assert [s.code for s in plan.sections] == ["I"]
    assert plan.tasks[0].code == "I.1" and plan.tasks[0].section == "I"
    assert [t.deadline.due_date for t in plan.tasks[:6]] == DUE


def test_an_empty_cell_between_lone_pipes_keeps_the_columns_in_place():
    header = ["|", "TT", "|", "Nội dung", "|", "Chủ trì", "|", "Phối hợp", "|", "Thời gian", "|"]
    first = ["|", "1", "|", "Rà soát dữ liệu", "|", "Sở Tư pháp", "|", "|", "Năm 2026", "|"]
    second = ["|", "2", "|", "Cấp tài khoản", "|", "Công an tỉnh", "|", "Sở Nội vụ", "|", "6/2026"]
    text = "\n".join([*header, *first, *second, "|", ""])
    table = read_text(text).tables[0]
    assert [r.cells for r in table.rows[1:]] == [
        ["1", "Rà soát dữ liệu", "Sở Tư pháp", "", "Năm 2026"],
        ["2", "Cấp tài khoản", "Công an tỉnh", "Sở Nội vụ", "6/2026"],
    ]


PIECES = st.sampled_from(
    [
        "|",
        "||",
        "| |",
        "|---|---|",
        "| STT | Nội dung | Chủ trì | Thời gian |",
        "| 1 | Rà soát | Sở Tư pháp | 6/2025 |",
        "| I | NHÓM |",
        "**STT**",
        "TT",
        "1",
        "I.",
        "a)",
        "---",
        "",
        "Sở Tư pháp",
        "Quý III Năm 2026",
        "Triển khai nhiệm vụ chuyển đổi số",
        "\t",
        "*",
        "-",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=1, max_size=60))
def test_pipe_shaped_text_never_raises_anything_but_an_ingest_error(pieces: list[str]) -> None:
    text = "\n".join(["|", "|", "| a | b | c |", "| d | e | f |", "| g | h | i |", *pieces])
    assert detect(text.encode()) == "text"
    with contextlib.suppress(IngestError):
        extract(text.encode(), REGISTRY, filename="x.md")
