"""The figures template a unit downloads, fills and uploads (`kpis.xlsx`) and the checks of what it
typed (`kpis.entry`): any names and stored figures survive the template's round trip; any value
typed into a cell is read back as typed and checked into a count or a message for that cell;
a damaged file is a TemplateError, nothing else."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import load_workbook

from dean06.kpis.entry import COUNT_FIELDS, MAX_COUNT, PARSE_RULE, check_rows
from dean06.kpis.xlsx import (
    COLUMNS,
    FIRST_ROW,
    SHEET,
    TemplateError,
    TemplateMeta,
    TemplateService,
    build_template,
    parse_template,
)
from dean06.quality.builtin import BUILTIN_RULES
from tests.property.conftest import profile
from tests.property.strategies import vietnamese

META = TemplateMeta("STP", "Sở Tư pháp", "month", 2024, 7, "Tháng 7/2024", "all", "Toàn tỉnh")
counts = st.none() | st.integers(0, MAX_COUNT)
# Names as catalogues hold them, spreadsheet formulas and commands among them.
names = st.one_of(
    vietnamese.filter(lambda s: s.isprintable()),
    st.sampled_from(['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "Đăng ký khai sinh"]),
)


@st.composite
def templates(draw: st.DrawFn) -> tuple[list[TemplateService], dict[str, dict[str, int | None]]]:
    size = draw(st.integers(1, 5))
    services = [
        TemplateService(f"DA06-{i:02d}", i, draw(names).strip() or "Dịch vụ")
        for i in range(1, size + 1)
    ]
    current = {
        s.code: {name: draw(counts) for name in COUNT_FIELDS}
        for s in services
        if draw(st.booleans())
    }
    return services, current


@profile(suite_examples=10)
@given(templates())
def test_the_template_gives_back_the_figures_it_was_made_with(
    template: tuple[list[TemplateService], dict[str, dict[str, int | None]]],
) -> None:
    services, current = template
    data = build_template(META, services, current=current)
    parsed = parse_template(data, known_codes={s.code for s in services})
    assert (parsed.unit_key, parsed.period_year, parsed.period_number) == ("STP", 2024, 7)
    assert [code for code, _ in parsed.rows] == [s.code for s in services]
    for code, cells in parsed.rows:
        assert cells == {name: current.get(code, {}).get(name) for name in COUNT_FIELDS}
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    # A name that looks like a formula stays text: never run by the spreadsheet.
    for index, service in enumerate(services):
        cell = sheet[f"C{FIRST_ROW + index}"]
        assert cell.value == service.name and cell.data_type == "s"


# What people type into a cell, and what Excel stores for it.
typed = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
    st.sampled_from(["1.234", "12,5", "=1+1", "1e5", " 45 ", "", "x", "-0", "9" * 30, "100%"]),
    vietnamese.filter(lambda s: s.isprintable()),
)


@profile(suite_examples=10)
@given(
    st.lists(st.fixed_dictionaries({name: typed for name in COUNT_FIELDS}), min_size=1, max_size=3)
)
@example([dict.fromkeys(COUNT_FIELDS, "9" * 30)])
def test_any_typed_cell_reads_back_and_is_a_count_or_a_message_for_that_cell(
    rows: list[dict[str, object]],
) -> None:
    services = [TemplateService(f"DA06-{i:02d}", i, "Dịch vụ") for i in range(1, len(rows) + 1)]
    book = load_workbook(io.BytesIO(build_template(META, services)))
    sheet = book[SHEET]
    for index, cells in enumerate(rows):
        for name, value in cells.items():
            sheet[f"{COLUMNS[name]}{FIRST_ROW + index}"] = value
    out = io.BytesIO()
    book.save(out)
    parsed = parse_template(out.getvalue())
    batch = check_rows(parsed.rows, BUILTIN_RULES)
    for (_code, cells), result in zip(parsed.rows, batch.rows, strict=True):
        for name in COUNT_FIELDS:
            raw, value = cells[name], result.values[name]
            errors = [i for i in result.cell_issues(name) if i.rule == PARSE_RULE]
            blank = raw is None or not str(raw).strip()
            # A typed cell is a count in range or a message beside it, never both.
            if value is not None:
                assert not errors and 0 <= value <= MAX_COUNT
            else:
                assert bool(errors) != blank, (raw, errors)
            assert all(issue.message for issue in errors)


@profile()
@given(st.binary(max_size=300) | st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b))
def test_a_file_that_is_not_a_template_is_a_template_error(data: bytes) -> None:
    try:
        parse_template(data)
    except TemplateError as exc:
        assert str(exc)
    else:
        raise AssertionError("read as a template")


@profile(suite_examples=10)
@given(st.integers(0, 100), st.binary(min_size=1, max_size=8))
def test_a_damaged_template_is_a_template_error_or_reads(offset: int, damage: bytes) -> None:
    data = bytearray(build_template(META, [TemplateService("DA06-01", 1, "Dịch vụ")]))
    at = offset * len(data) // 101
    data[at : at + len(damage)] = damage
    try:
        parse_template(bytes(data))
    except TemplateError as exc:
        assert str(exc)
