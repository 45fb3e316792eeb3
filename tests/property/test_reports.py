"""The monthly report readers (`ingest.report`, `ingest.report_prose`) and what the import makes of
them (`imports.reconcile`, the reading kept as JSON): figures and documents printed into the
appendices read back as printed; blank lines change nothing; any text gives a report or an
IngestError; importing the same values twice changes nothing the second time."""

from __future__ import annotations

import csv
import datetime as dt
import math
from decimal import Decimal
from importlib import resources

from hypothesis import example, given
from hypothesis import strategies as st

from dean06.imports.reconcile import is_empty, reconcile
from dean06.imports.uploads import report_from_dict
from dean06.ingest.model import IngestError, Source
from dean06.ingest.report import ExtractedReport, extract_report
from dean06.ingest.report_prose import find_figures
from dean06.kpis.shares import format_count, format_share, online_share
from dean06.quality.checks import check_report
from tests.property.conftest import profile
from tests.property.strategies import any_text, noisy, sentences, vietnamese

SEED = resources.files("dean06").joinpath("data", "seeds", "003_9912287c508b6ad0.txt")
SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")


def _service_header() -> list[str]:
    """The three header lines of the seed's appendix III, as a report prints them."""
    start = next(i for i, line in enumerate(SEED_LINES) if line.startswith("Phụ lục III"))
    first = next(i for i in range(start, len(SEED_LINES)) if SEED_LINES[i].startswith("STT"))
    return SEED_LINES[first : first + 3]


SERVICE_HEADER = _service_header()
with (
    resources.files("dean06")
    .joinpath("data", "reference", "dvc-thiet-yeu-25.csv")
    .open(encoding="utf-8") as fh
):
    SERVICE_NAMES = [row["name"] for row in csv.DictReader(fh)]
DOCUMENT_HEADER = "STT\tSố VB\tLoại VB\tNgày tháng\tNội dung\tGhi chú"
DOCUMENT_TYPES = {"KH": "Kế hoạch", "QĐ": "Quyết định", "UBND": "Công văn", "BC": "Báo cáo"}
# Words of a summary: no digits and no tab (a number could pass for another column).
summaries = sentences.filter(lambda s: not any(c.isdigit() for c in s))

counts = st.integers(0, 10**9)


@st.composite
def service_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    names = draw(st.lists(st.sampled_from(SERVICE_NAMES), min_size=1, max_size=8, unique=True))
    rows = []
    for stt, name in enumerate(names, start=1):
        citizens, businesses = draw(counts), draw(counts)
        total = citizens + businesses + draw(counts)
        rows.append(
            {
                "stt": str(stt),
                "name": name,
                "online_citizens": citizens,
                "online_businesses": businesses,
                "total": total,
                "share": online_share(citizens, businesses, total),
                "on_time": draw(st.none() | counts),
                "overdue": draw(st.none() | counts),
                "staff_total": draw(st.none() | st.integers(0, 500)),
            }
        )
    return rows


@st.composite
def document_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    rows = []
    for stt in range(1, draw(st.integers(1, 6)) + 1):
        symbol = draw(st.sampled_from(sorted(DOCUMENT_TYPES)))
        rows.append(
            {
                "stt": str(stt),
                "number": f"{draw(st.integers(1, 9999))}/{symbol}-UBND"
                if symbol != "UBND"
                else f"{draw(st.integers(1, 9999))}/UBND-KGVX",
                "type": DOCUMENT_TYPES[symbol],
                "date": draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
                "summary": "V/v " + draw(summaries),
            }
        )
    return rows


def _blank(value: object) -> str:
    return "" if value is None else format_count(value)  # type: ignore[arg-type]


def render_report(services: list[dict[str, object]], documents: list[dict[str, object]]) -> str:
    lines = [
        "Phụ lục I:",
        "TỔNG HỢP VĂN BẢN TRIỂN KHAI THÁNG 7/2024",
        "",
        DOCUMENT_HEADER,
        "I. Văn bản của UBND tỉnh\t\t\t\t\t",
    ]
    for d in documents:
        written = d["date"].strftime("%d/%m/%Y")  # type: ignore[attr-defined]
        lines.append(f"{d['stt']}\t{d['number']}\t{d['type']}\t{written}\t{d['summary']}\t")
    lines += ["", "Phụ lục III:", "KẾT QUẢ THỰC HIỆN 25 DỊCH VỤ CÔNG THIẾT YẾU", ""]
    lines += SERVICE_HEADER
    for s in services:
        cells = [
            s["stt"],
            s["name"],
            _blank(s["online_citizens"]),
            _blank(s["online_businesses"]),
            _blank(s["total"]),
            format_share(s["share"]) if s["share"] is not None else "",  # type: ignore[arg-type]
            _blank(s["on_time"]),
            _blank(s["overdue"]),
            _blank(s["staff_total"]),
            "x",
            "",
            "x",
        ]
        lines.append("\t".join(str(c) for c in cells))
    return "\n".join(lines)


@profile()
@given(service_rows(), document_rows())
def test_printed_figures_and_documents_read_back_as_printed(
    services: list[dict[str, object]], documents: list[dict[str, object]]
) -> None:
    report = extract_report(render_report(services, documents))
    read = [
        (s.name, s.online_citizens, s.online_businesses, s.total, s.on_time, s.overdue)
        for s in report.services
    ]
    assert read == [
        tuple(s[k] for k in ("name", "online_citizens", "online_businesses", "total"))
        + tuple(s[k] for k in ("on_time", "overdue"))
        for s in services
    ]
    for row, printed in zip(report.services, services, strict=True):
        share = printed["share"]
        if share is None:
            assert row.share_reported is None
        else:
            assert row.share_reported == float(share)  # type: ignore[arg-type]
            assert row.share_decimals == 2
    assert [(d.number, d.date, d.summary) for d in report.documents] == [
        (d["number"], d["date"], d["summary"]) for d in documents
    ]
    # What was printed is consistent: the built-in checks find nothing wrong with a share.
    assert not [f for f in check_report(report) if "share" in f.rule]


def _content(report: ExtractedReport) -> dict[str, object]:
    """The report without where each value was read (line numbers move with blank lines)."""
    data = report.to_dict()

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "source"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)  # type: ignore[return-value]


@profile()
@given(service_rows(), document_rows(), st.data())
def test_blank_lines_between_rows_change_nothing_read(
    services: list[dict[str, object]], documents: list[dict[str, object]], data: st.DataObject
) -> None:
    rendered = render_report(services, documents)
    spaced: list[str] = []
    for line in rendered.split("\n"):
        spaced.append(line)
        spaced.extend([""] * data.draw(st.integers(0, 2), label="blank lines"))
    assert _content(extract_report("\n".join(spaced))) == _content(extract_report(rendered))


# Lines of a report in every shape: its headings and headers, rows of cells, prose with figures.
report_lines = st.one_of(
    st.sampled_from(
        [
            "Phụ lục I:",
            "Phụ lục II:",
            "Phụ lục III:",
            "Phụ lục 9",
            DOCUMENT_HEADER,
            *SERVICE_HEADER,
            "I. Văn bản của UBND tỉnh",
            "II\tNHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN",
            "Tổng số\t\t45.902\t80\t47.867\t96,06%",
            "(Kèm theo Báo cáo số /BCTCTĐA06 ngày /8/2024 của Tổ công tác Đề án 06 tỉnh)",
            "STT\tĐơn vị chưa báo cáo",
            "| 1 | a | 1.234 |",
        ]
    ),
    st.lists(
        st.one_of(vietnamese, counts.map(format_count), st.sampled_from(["", "x", "12,5%"])),
        min_size=1,
        max_size=12,
    ).map("\t".join),
    st.tuples(sentences, counts, sentences).map(lambda t: f"{t[0]} {format_count(t[1])} {t[2]}."),
    noisy(),
)
report_texts = st.lists(report_lines, min_size=1, max_size=40).map("\n".join)


@profile()
@given(st.one_of(report_texts, any_text.map(lambda t: t + "\n")))
@example("Phụ lục III:\n" + "\n".join(SERVICE_HEADER) + "\n1\tA\t" + "9" * 400 + "\n")
@example("Phụ lục I:\n" + DOCUMENT_HEADER + "\n1\t1/KH\tKế hoạch\t31/02/2024\tx\n")
def test_any_report_text_gives_a_report_or_an_ingest_error(source: str) -> None:
    try:
        report = extract_report(source)
    except IngestError as exc:
        assert exc.message
        return
    assert report.documents or report.tasks or report.services or report.figures
    for service in [*report.services, *([report.total_row] if report.total_row else [])]:
        for value in service.figures().values():
            assert value is None or math.isfinite(value)
    # The reading is kept as JSON between the upload and the confirmation: it comes back whole.
    assert report_from_dict(report.to_dict()) == report
    check_report(report)


@profile()
@given(st.lists(st.one_of(vietnamese, report_lines), max_size=20))
@example(["Tỷ lệ hồ sơ trực tuyến đạt 1" + "0" * 400 + "%."])
@example(["Đã cấp 12.345/0 tài khoản định danh điện tử."])
def test_figures_in_prose_are_finite_with_their_sentence(lines: list[str]) -> None:
    figures = find_figures((line, Source(line=n)) for n, line in enumerate(lines, start=1))
    for figure in figures:
        assert math.isfinite(figure.value)
        assert figure.whole is None or math.isfinite(figure.whole)
        assert figure.sentence
        assert figure.source.line is not None and 1 <= figure.source.line <= len(lines)


# --- reconciling a new reading with what is stored ---------------------------------------------

stored_values = st.one_of(
    st.none(),
    st.just(""),
    st.just("  "),
    sentences,
    st.integers(0, 10**6),
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
)
records = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "summary"]), stored_values)


@profile()
@given(st.none() | records, records)
def test_importing_the_same_values_twice_changes_nothing_the_second_time(
    current: dict[str, object] | None, incoming: dict[str, object]
) -> None:
    first = reconcile(current, incoming, partial_text=["summary"])
    assert set(first.values) == set(incoming)
    for name, value in first.values.items():
        # A stored value is never erased by an empty one.
        if current is not None and not is_empty(current.get(name)):
            assert not is_empty(value), name
    second = reconcile(first.values, incoming, partial_text=["summary"])
    assert second.changed == []
    assert second.values == first.values


@profile()
@given(st.decimals(min_value=0, max_value=100, places=4, allow_nan=False))
def test_a_share_keeps_its_value_through_the_reading_json(value: Decimal) -> None:
    report = extract_report(
        "Phụ lục III:\n" + "\n".join(SERVICE_HEADER) + f"\n1\tA\t1\t0\t1\t{format_share(value)}\n"
    )
    assert report_from_dict(report.to_dict()).services[0].share_reported == float(
        format_share(value).rstrip("%").replace(",", ".")
    )
