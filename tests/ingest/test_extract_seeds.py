"""extract() on the three plan seeds, scored against the hand-checked gold files."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

from dean06.ingest import ExtractedPlan, extract
from dean06.ingest.scoring import score

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold"
SEEDS = {
    "000": "000_29642a5544120c4a.txt",
    "001": "001_33c018715ba11eff.txt",
    "002": "002_6f41b110d532d470.txt",
}
_CACHE: dict[str, ExtractedPlan] = {}


def _plan(key: str) -> ExtractedPlan:
    if key not in _CACHE:
        path = resources.files("dean06") / "data" / "seeds" / SEEDS[key]
        _CACHE[key] = extract(path.read_bytes(), filename=SEEDS[key])
    return _CACHE[key]


def _gold(key: str) -> dict:
    return json.loads((GOLD / f"{key}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_every_gold_task_is_found_and_98_percent_of_fields_are_right(key):
    result = score(_plan(key), _gold(key))
    assert result.missing == []
    assert result.accuracy("found") == 1.0
    assert result.fields >= 0.98, result.errors
    assert result.extra == []


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_plan_number_date_and_year_are_read(key):
    meta = _plan(key).plan
    gold = _gold(key)["plan"]
    assert meta.number == gold["number"]
    assert meta.date == dt.date.fromisoformat(gold["date"])
    assert meta.year == gold["year"]


def test_full_plan_has_place_issuer_title_and_reporting_rule():
    meta = _plan("000").plan
    assert meta.place == "Bắc Giang"
    assert meta.issuer == "UBND tỉnh Bắc Giang"
    assert meta.title is not None and meta.title.startswith("Kế hoạch triển khai thực hiện")
    assert meta.reporting_day == 15
    assert meta.reporting_rule is not None and "hằng tháng" in meta.reporting_rule


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_sections_carry_declared_and_found_counts(key):
    sections = {s.code: s for s in _plan(key).sections}
    gold = _gold(key)
    for code, found in gold["sections_found"].items():
        assert sections[code].found_count == found, code
        assert sections[code].declared_count == gold["sections_declared"].get(code), code


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_declared_counts_that_differ_from_the_rows_are_warned(key):
    mismatches = {w.section for w in _plan(key).warnings if w.code == "count_mismatch"}
    assert mismatches == {"B", "B.1"}


def test_narrative_breakthrough_tasks_come_from_the_body_with_their_codes():
    tasks = [t for t in _plan("000").tasks if t.origin == "narrative"]
    assert [t.code for t in tasks] == ["II.3.1.1", "II.3.1.2", "II.3.2", "II.3.3", "II.3.4"]
    assert tasks[0].content.startswith("Lựa chọn tối thiểu 02 Dịch vụ công")
    # 3.4 has no "Nhiệm vụ:" line: its heading is the task.
    assert tasks[4].content.startswith("Đẩy mạnh thực hiện các nhiệm vụ, mô hình điểm")
    assert {t.section for t in tasks} == {"II.3"}


def test_un_numbered_last_row_gets_the_next_number_of_its_group():
    task = next(t for t in _plan("001").tasks if t.code == "B.7.1")
    assert task.content.startswith("Đẩy mạnh công tác tuyên truyền")


def test_rows_cut_by_a_page_break_are_joined():
    tasks = {t.code: t for t in _plan("000").tasks}
    assert tasks["B.1.3"].content.endswith("đối với các thủ tục hành chính.")
    assert tasks["B.2.6"].content.endswith("Ngân hàng Nhà nước Việt Nam.")


def test_pdf_text_rebuilds_the_same_rows_as_the_tab_separated_table():
    tab = {t.code: t for t in _plan("001").tasks}
    pdf = {t.code: t for t in _plan("002").tasks}
    assert tab.keys() == pdf.keys()
    same_text = sum(
        1
        for code in tab
        if tab[code].content.split()[-3:] == pdf[code].content.split()[-3:]
        and tab[code].deadline.raw.split() == pdf[code].deadline.raw.split()
    )
    assert same_text >= len(tab) - 1  # one row differs by a typo of the PDF
    assert pdf["B.2.6"].content.endswith("Ngân hàng Nhà nước Việt Nam.")
    assert [u.unit_key for u in pdf["B.2.6"].lead_units] == ["NHNN"]


def test_source_format_names_the_reader():
    assert _plan("000").source_format == "text"
    assert _plan("002").source_format == "pdf-text"


def test_unit_missing_from_the_registry_is_kept_and_warned():
    task = next(t for t in _plan("001").tasks if t.code == "B.5.2")
    unresolved = [u for u in task.lead_units if not u.resolved]
    assert [u.name for u in unresolved] == ["đơn vị có CSDL chuyên ngành"]
    assert any(w.code == "low_confidence_unit" and w.task == "B.5.2" for w in _plan("001").warnings)
