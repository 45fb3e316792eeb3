"""Vietnamese time phrases read as deadlines: every phrase of the glossary and of the seeds."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dean06.ingest.deadlines import parse_date, parse_deadline
from dean06.ingest.model import Quota, Target

D = dt.date
PLAN_DATE = D(2024, 1, 23)


def _seed(name: str) -> str:
    return (resources.files("dean06") / "data" / "seeds" / name).read_text(encoding="utf-8")


def _deadline_cells(name: str) -> set[str]:
    """The distinct last cells of the task table of a tab-separated seed."""
    cells: set[str] = set()
    for line in _seed(name).splitlines():
        parts = line.split("\t")
        if len(parts) >= 5 and parts[-1].strip() and parts[0] != "STT":
            cells.add(parts[-1].strip())
    return cells


# phrase -> kind, due, start, recurring
GLOSSARY = [
    ("Tháng 01/2024", "month", D(2024, 1, 31), None, False),
    ("Hoàn thành trong tháng 3/2024", "month", D(2024, 3, 31), None, False),
    ("Hoàn thành trong tháng 3/2024.", "month", D(2024, 3, 31), None, False),
    ("Quý I năm 2024", "quarter", D(2024, 3, 31), None, False),
    ("Quý I năm 2024.", "quarter", D(2024, 3, 31), None, False),
    ("quý II/2024", "quarter", D(2024, 6, 30), None, False),
    ("trong Quý I/2023", "quarter", D(2023, 3, 31), None, False),
    ("Quý III năm 2024", "quarter", D(2024, 9, 30), None, False),
    ("quý IV/2024", "quarter", D(2024, 12, 31), None, False),
    ("6 tháng đầu năm", "half_year", D(2024, 6, 30), None, False),
    ("6 tháng cuối năm", "half_year", D(2024, 12, 31), None, False),
    ("06 tháng đầu năm 2025", "half_year", D(2025, 6, 30), None, False),
    ("Năm 2024", "year", D(2024, 12, 31), None, False),
    ("Trong năm 2024", "year", D(2024, 12, 31), None, False),
    ("Trong năm 2024.", "year", D(2024, 12, 31), None, False),
    ("trước ngày 31/01/2024", "date", D(2024, 1, 31), None, False),
    ("xong trước 01/7/2024", "date", D(2024, 7, 1), None, False),
    ("Hoàn thành trước ngày 01/7/2024", "date", D(2024, 7, 1), None, False),
    ("ngày 15 tháng 3 năm 2024", "date", D(2024, 3, 15), None, False),
    ("Thực hiện thường xuyên", "recurring", None, None, True),
    ("Thường xuyên", "recurring", None, None, True),
    ("Duy trì thực hiện thường xuyên", "recurring", None, None, True),
    (
        "Trong năm 2024 và thực hiện thường xuyên (trong các năm tiếp theo)",
        "year",
        D(2024, 12, 31),
        None,
        True,
    ),
    (
        "Trong năm 2024 và thường xuyên trong các năm tiếp theo",
        "year",
        D(2024, 12, 31),
        None,
        True,
    ),
    ("Trong năm 2024 và thực hiện thường xuyên", "year", D(2024, 12, 31), None, True),
    (
        "Trong tháng 6 năm 2024 và thực hiện thường xuyên",
        "month",
        D(2024, 6, 30),
        None,
        True,
    ),
    ("Từ quý I năm 2024", "recurring", None, D(2024, 1, 1), True),
    ("Từ quý I năm 2024.", "recurring", None, D(2024, 1, 1), True),
    ("Khi có yêu cầu", "on_request", None, None, False),
    ("Khi có chỉ đạo của Bộ Công an", "on_request", None, None, False),
    ("Khi có yêu cầu của Chính phủ, Bộ Công an", "on_request", None, None, False),
    (
        "Theo lộ trình triển khai thực hiện của Chính phủ và Bộ Công an",
        "external",
        None,
        None,
        False,
    ),
    ("Theo Kế hoạch riêng", "external", None, None, False),
    ("100 ngày kể từ ngày ban hành Kế hoạch", "relative", D(2024, 5, 2), None, False),
    # OCR'd without Vietnamese data.
    ("quy 1/2023", "quarter", D(2023, 3, 31), None, False),
    ("Quy 11/2023", "quarter", D(2023, 6, 30), None, False),
    ("quy 111/2023", "quarter", D(2023, 9, 30), None, False),
    ("Thuong xuyén", "recurring", None, None, True),
    ("Thuc hien thuong xuyen", "recurring", None, None, True),
    ("Trong nam 2024", "year", D(2024, 12, 31), None, False),
    ("Thang 01/2024", "month", D(2024, 1, 31), None, False),
    # Progress cells of the monthly report (seed 003).
    ("Tháng 12/2024", "month", D(2024, 12, 31), None, False),
    ("Hoàn thành trước tháng 6/2024 (<i>đã triển khai</i>)", "month", D(2024, 5, 31), None, False),
    ("<p>Năm 2024, 2025</p>", "year", D(2025, 12, 31), None, False),
    (
        "100% trong quý I; thời gian hoàn thành là trong năm 2024",
        "year",
        D(2024, 12, 31),
        None,
        False,
    ),
    ("Tiến độ đạt 100%, hiện đang thực hiện thường xuyên", "recurring", None, None, True),
]


@pytest.mark.parametrize(("phrase", "kind", "due", "start", "recurring"), GLOSSARY)
def test_parse_deadline_reads_each_phrase(
    phrase: str, kind: str, due: dt.date | None, start: dt.date | None, recurring: bool
) -> None:
    deadline = parse_deadline(phrase, plan_date=PLAN_DATE, year=2024)
    assert (deadline.kind, deadline.due_date, deadline.start_date, deadline.recurring) == (
        kind,
        due,
        start,
        recurring,
    )
    assert deadline.raw == phrase
    assert deadline.confidence >= 0.8


@pytest.mark.parametrize(
    "cell",
    sorted(
        _deadline_cells("000_29642a5544120c4a.txt") | _deadline_cells("001_33c018715ba11eff.txt")
    ),
)
def test_no_deadline_cell_of_the_seeds_is_unknown(cell: str) -> None:
    deadline = parse_deadline(cell, plan_date=PLAN_DATE, year=2024)
    assert deadline.kind != "unknown"
    assert deadline.due_date is not None or deadline.kind in {
        "recurring",
        "on_request",
        "external",
    }


def test_the_seeds_have_the_expected_deadline_cells() -> None:
    cells = _deadline_cells("001_33c018715ba11eff.txt")
    assert len(cells) == 15
    assert cells == _deadline_cells("000_29642a5544120c4a.txt")


@pytest.mark.parametrize(
    "line",
    [
        line.split(":", 1)[1].strip()
        for line in _seed("000_29642a5544120c4a.txt").splitlines()
        if line.startswith("- Thời gian thực hiện:")
    ],
)
def test_no_narrative_deadline_of_seed_000_is_unknown(line: str) -> None:
    assert parse_deadline(line, plan_date=PLAN_DATE).kind != "unknown"


def test_staged_targets_give_each_level_and_its_start() -> None:
    deadline = parse_deadline(
        "Đạt từ 80% trở lên từ quý II/2024 và đạt 100% từ quý IV năm 2024 (*Lưu ý: 100% các "
        "trường hợp đăng ký khai sinh lần đầu*)."
    )
    assert deadline.targets == [
        Target(80.0, "%", D(2024, 4, 1)),
        Target(100.0, "%", D(2024, 10, 1)),
    ]
    assert deadline.kind == "quarter"
    assert deadline.due_date == D(2024, 12, 31)
    assert deadline.start_date == D(2024, 4, 1)


def test_targets_from_a_month() -> None:
    deadline = parse_deadline("Đạt tối thiểu 60% từ tháng 6/2024")
    assert deadline.targets == [Target(60.0, "%", D(2024, 6, 1))]


def test_quotas_of_the_glossary_are_recurring_per_month_and_week() -> None:
    deadline = parse_deadline("duy trì 01 tin, bài/01 tháng; tối thiểu 02 tin, bài/01 tuần")
    assert deadline.kind == "recurring"
    assert deadline.recurring
    assert deadline.due_date is None
    assert deadline.quota == [
        Quota(1, "month", "tin, bài", None),
        Quota(2, "week", "tin, bài", None),
    ]


def test_quotas_by_level_keep_who_they_apply_to() -> None:
    deadline = parse_deadline(
        "Thực hiện thường xuyên (các sở, ngành, Ủy ban nhân dân các huyện, thành phố, thị xã duy "
        "trì 01 tin, bài/01 tháng; cấp xã, thôn duy trì tuyên truyền tối thiểu 02 tin, bài, "
        "lần/01 tuần)"
    )
    assert deadline.kind == "recurring"
    assert deadline.quota == [
        Quota(
            1, "month", "tin, bài", "các sở, ngành, Ủy ban nhân dân các huyện, thành phố, thị xã"
        ),
        Quota(2, "week", "tin, bài, lần", "cấp xã, thôn"),
    ]


@pytest.mark.parametrize(
    ("level", "expected"), [("cấp tỉnh", "cấp tỉnh"), ("cấp huyện", "cấp huyện")]
)
def test_quota_level_is_the_subject_of_the_clause(level: str, expected: str) -> None:
    deadline = parse_deadline(f"{level} tối thiểu 03 bài/01 quý")
    assert deadline.quota == [Quota(3, "quarter", "bài", expected)]


def test_relative_deadline_needs_the_plan_date() -> None:
    with_date = parse_deadline("100 ngày kể từ ngày ban hành Kế hoạch", plan_date=PLAN_DATE)
    assert (with_date.kind, with_date.due_date) == ("relative", PLAN_DATE + dt.timedelta(100))
    without = parse_deadline("100 ngày kể từ ngày ban hành Kế hoạch")
    assert (without.kind, without.due_date) == ("relative", None)
    assert without.confidence < with_date.confidence


def test_relative_deadline_in_months() -> None:
    deadline = parse_deadline("03 tháng kể từ ngày ký", plan_date=D(2024, 11, 30))
    assert deadline.due_date == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("phrase", "year", "plan_date", "due"),
    [
        ("Tháng 3", 2024, None, D(2024, 3, 31)),
        ("Quý II", 2025, None, D(2025, 6, 30)),
        ("Tháng 3", None, D(2023, 2, 1), D(2023, 3, 31)),
        ("Tháng 3", 2024, D(2023, 2, 1), D(2024, 3, 31)),
    ],
)
def test_year_defaults_from_the_year_then_the_plan_date(
    phrase: str, year: int | None, plan_date: dt.date | None, due: dt.date
) -> None:
    assert parse_deadline(phrase, year=year, plan_date=plan_date).due_date == due


@pytest.mark.parametrize(("phrase", "kind"), [("Tháng 3", "month"), ("trong quý II", "quarter")])
def test_phrase_without_any_year_keeps_its_kind_without_a_date(phrase: str, kind: str) -> None:
    deadline = parse_deadline(phrase)
    assert (deadline.kind, deadline.due_date) == (kind, None)
    assert 0.0 < deadline.confidence < 0.5


def test_phrase_that_is_not_a_deadline_but_names_a_year_has_low_confidence() -> None:
    deadline = parse_deadline(
        "Duy trì điểm đánh giá của bộ chỉ số phục vụ người dân, doanh nghiệp trong thực hiện "
        "TTHC, cung cấp dịch vụ công năm 2024"
    )
    assert (deadline.kind, deadline.due_date) == ("year", D(2024, 12, 31))
    assert deadline.confidence < 0.8


@pytest.mark.parametrize("phrase", ["", "   ", "hello world", "Sở Nội vụ", "<p></p>"])
def test_unknown_phrases_keep_the_raw_text_with_zero_confidence(phrase: str) -> None:
    deadline = parse_deadline(phrase)
    assert (deadline.kind, deadline.raw, deadline.confidence) == ("unknown", phrase, 0.0)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("23/01/2024", D(2024, 1, 23)),
        ("ngày 23 tháng 01 năm 2024", D(2024, 1, 23)),
        ("Bắc Giang, ngày 23 tháng 01 năm 2024", D(2024, 1, 23)),
        ("23-01-2024", D(2024, 1, 23)),
        ("23.01.2024", D(2024, 1, 23)),
        ("2024-01-23", D(2024, 1, 23)),
        ("1/7/2024", D(2024, 7, 1)),
        ("28/06/202", None),
        ("31/02/2024", None),
        ("không có ngày", None),
    ],
)
def test_parse_date_reads_the_usual_forms(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=120)
    | st.lists(
        st.sampled_from(
            [
                "quý",
                "quy",
                "II",
                "11",
                "tháng",
                "năm",
                "2024",
                "/",
                "từ",
                "đạt",
                "80%",
                "trước",
                "ngày",
                "31",
                "02",
                "thường xuyên",
                "tin, bài",
                "01",
                "tuần",
                "và",
                ";",
                "(",
                ")",
            ]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_parse_deadline_never_raises(text: str) -> None:
    deadline = parse_deadline(text, plan_date=PLAN_DATE)
    assert deadline.raw == text
    assert 0.0 <= deadline.confidence <= 1.0
    if deadline.kind == "unknown":
        assert deadline.confidence == 0.0
    if not text.strip():
        assert deadline.kind == "unknown"


# Phrases of other provinces' tables: short forms, a year alone, cited documents' dates.
OTHER_PROVINCES = [
    ("Quý III Năm 2026", "quarter", D(2026, 9, 30)),
    ("trước 30/6/2026", "date", D(2026, 6, 30)),
    ("Tháng 02/2026", "month", D(2026, 2, 28)),
    ("Năm 2026", "year", D(2026, 12, 31)),
    ("6/2025", "month", D(2025, 6, 30)),
    ("06-2025", "month", D(2025, 6, 30)),
    ("T6/2025", "month", D(2025, 6, 30)),
    ("2025", "year", D(2025, 12, 31)),
    ("2026 - 2030", "year", D(2030, 12, 31)),
    ("Q3/2026", "quarter", D(2026, 9, 30)),
    ("Từ tháng 1-4/2026", "month", D(2026, 4, 30)),
    ("Quý IV/2025- Quý II/2026", "quarter", D(2026, 6, 30)),
    ("Trước 30/6/2026 theo Quyết định số 12/QĐ-UBND ngày 01/01/2026", "date", D(2026, 6, 30)),
]


@pytest.mark.parametrize(("phrase", "kind", "due"), OTHER_PROVINCES)
def test_phrases_of_other_provinces_are_dated_and_kept_as_written(
    phrase: str, kind: str, due: dt.date
) -> None:
    deadline = parse_deadline(phrase)
    assert (deadline.kind, deadline.due_date, deadline.raw) == (kind, due, phrase)


@pytest.mark.parametrize(
    "phrase",
    [
        "Theo Điều 17 Nghị định số 52/2015/NĐ-CP ngày 28/5/2015 của Chính phủ",
        "Theo các mốc thời gian tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025",
        "Theo Thông tư 01/2024/TT-BCA",
        # The same cells as a PDF prints them in a narrow column: the symbol cut by a wrap.
        "Theo Điều 17 Nghị định số 52/2015/NĐ- CP ngày 28/5/2015 của Chính phủ",
        "Theo các mốc thời gian tại Quyết định số 1441/QĐ- UBND ngày 25/9/2025",
    ],
)
def test_a_cited_documents_date_or_number_is_no_deadline(phrase: str) -> None:
    deadline = parse_deadline(phrase)
    assert deadline.kind == "external" and deadline.due_date is None


@pytest.mark.parametrize("phrase", ["13/2025", "Số 2025/QĐ", "Nghị định 52/2015/NĐ-CP"])
def test_numbers_that_only_look_like_short_dates_are_not_read_as_months(phrase: str) -> None:
    assert parse_deadline(phrase).kind not in ("month", "year")


@pytest.mark.parametrize(
    "phrase", ["Trước ngày 31/01 năm liền kề", "Trước ngày 05 của tháng liền kề"]
)
def test_a_day_of_the_next_period_recurs_every_period(phrase: str) -> None:
    deadline = parse_deadline(phrase)
    assert deadline.recurring and deadline.due_date is None


@pytest.mark.parametrize(
    "phrase", ["Thực hiện-thường. xuyên", "Thường, xuyên", "thực hiện thưởng xuyên"]
)
def test_a_recurring_phrase_with_a_stray_mark_from_ocr_is_still_recurring(phrase: str) -> None:
    assert parse_deadline(phrase).kind == "recurring"


@pytest.mark.parametrize(
    ("phrase", "due"),
    [("Tháng 6, năm 2024", dt.date(2024, 6, 30)), ("tháng 12 , năm 2025", dt.date(2025, 12, 31))],
)
def test_a_month_with_a_comma_before_its_year_is_that_month(phrase: str, due: dt.date) -> None:
    deadline = parse_deadline(phrase)
    assert (deadline.kind, deadline.due_date) == ("month", due)


@pytest.mark.parametrize(
    ("raw", "due"),
    [
        ("30/6", dt.date(2026, 6, 30)),
        ("Trước ngày 15/10", dt.date(2026, 10, 15)),
        ("ngày 15 tháng 10", dt.date(2026, 10, 15)),
        ("Hoàn thành trước 1/7", dt.date(2026, 7, 1)),
    ],
)
def test_a_day_and_month_take_the_year_given(raw, due):
    assert parse_deadline(raw, year=2026).due_date == due


@pytest.mark.parametrize("raw", ["trực 24/7", "Đạt 2/3 số xã được giao"])
def test_a_fraction_in_running_text_is_no_date(raw):
    assert parse_deadline(raw, year=2026).kind != "date"


def test_a_day_and_month_without_any_year_is_understood_but_not_dated():
    deadline = parse_deadline("30/6")
    assert deadline.kind == "date" and deadline.due_date is None and deadline.confidence < 0.5
