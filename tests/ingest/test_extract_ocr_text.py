"""Plans as text OCR'd without Vietnamese data (tesseract -l eng): detection, rows rebuilt from
interleaved columns, accuracy against the gold files, and no crash on mutilated text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dean06.ingest import IngestError, extract
from dean06.ingest.detect import detect
from dean06.ingest.model import UnitRegistry
from dean06.ingest.readers import ocrtext
from dean06.ingest.scoring import score

DATA = Path(__file__).resolve().parent.parent / "data"
OCR = DATA / "ocr"
GOLD_001 = json.loads((DATA / "gold" / "001.json").read_text(encoding="utf-8"))
SEED_OCR = sorted(OCR.glob("001-eng-*.txt"))
README = OCR / "readme-examples.txt"
README_GOLD = json.loads((OCR / "readme-examples.json").read_text(encoding="utf-8"))
# Hand-made with other units and time phrases than seed 001: the rules are not fitted to it.
OTHER = OCR / "handmade-health.txt"
OTHER_GOLD = json.loads((OCR / "handmade-health.json").read_text(encoding="utf-8"))
HANDMADE = [README, OTHER]

# Measured on the fixtures (tests/data/ocr, made by scripts/make_ocr_fixtures.py), with no
# correction table learned from them (vocabulary.py: registry words and character confusions
# only). The issue's target is 90% of fields; these floors keep what is reached from slipping
# back. (tasks found, all fields) per fixture.
FLOORS = {
    "001-eng-psm4.txt": (0.97, 0.90),
    "001-eng-psm6.txt": (0.97, 0.90),
    "001-eng-psm3.txt": (0.97, 0.90),
}
TARGET = 0.90


@pytest.fixture(scope="module")
def plans():
    return {path.name: extract(path) for path in [*SEED_OCR, *HANDMADE]}


def test_fixtures_exist_and_are_small():
    assert {p.name for p in SEED_OCR} >= {"001-eng-psm6.txt", "001-eng-psm4.txt"}
    for path in [*SEED_OCR, *HANDMADE]:
        assert path.stat().st_size < 100_000


@pytest.mark.parametrize("path", [*SEED_OCR, *HANDMADE], ids=lambda p: p.name)
def test_ocr_text_is_detected_as_such(path):
    assert detect(path.read_bytes()) == "ocr-text"


def test_seeds_and_vietnamese_text_are_not_taken_for_ocr_text():
    from scripts.samples import seed_text

    for prefix in ("000_", "001_", "002_", "003_"):
        assert not ocrtext.looks_like_ocr_text(seed_text(prefix))
    # The same OCR text with its diacritics back is Vietnamese text, not this form.
    assert not ocrtext.looks_like_ocr_text(
        "Sở Thông tin và Truyền thông chủ trì thực hiện nhiệm vụ của Đề án 06 trên địa bàn tỉnh.\n"
        * 40
    )


def test_readme_examples_are_read_right(plans):
    plan = plans[README.name]
    assert plan.source_format == "ocr-text"
    assert plan.plan.number == "25/KH-UBND"
    assert plan.plan.year == 2023
    by_code = {t.code: t for t in plan.tasks}
    assert list(by_code) == ["A.1", "A.2", "A.3"]
    first = by_code["A.1"]
    assert [u.unit_key for u in first.lead_units] == ["CAT"]
    assert {u.unit_key or u.collective for u in first.coordinating_units} == {
        "VP_UBND",
        "LIEN_QUAN",
    }
    assert first.deadline.kind == "quarter" and first.deadline.due_date.isoformat() == "2023-06-30"
    assert by_code["A.2"].deadline.due_date.isoformat() == "2023-09-30"  # quy 111/2023
    assert by_code["A.3"].deadline.recurring  # Thuong xuyén
    assert first.content.startswith("Trién khai cac nhiém vu")
    assert "Cong an tinh" not in first.content


def test_interleaved_row_is_split_into_its_columns():
    registry = UnitRegistry.default()
    doc = ocrtext.read_text(
        "Phu luc I\n"
        "A. NHOM THAM MUU, CHI DAO, TRIEN KHAI (02 nhiém vu)\n"
        "1 Diéu tra co ban theo dac tht vung mién dé xay dung ké hoach Cong an tinh Van phong "
        "UBND tinh; | Thang 01/2024\n"
        "trién khai Dé an 06/CP nam 2024 pht hgp, hiéu qua. cac co quan, don vi cé\n"
        "lién quan\n"
        "2 C6 co ché kiém tra, giam sat; huwéng dan, giai dap vwéng mac Cong an tinh Van phong "
        "UBND tinh; | Thuc hién thuong\n"
        "cho cap co sé. cac co quan, don vi cé xuyén\n"
        "lién quan\n",
        registry=registry,
    )
    rows = [r.cells for r in doc.tables[0].rows]
    tasks = [r for r in rows if r[0] in ("1", "2")]
    assert len(tasks) == 2
    _stt, content, lead, coord, deadline = tasks[0]
    assert content.endswith("hiéu qua.") and "Cong an" not in content
    assert lead == "Cong an tinh"
    assert coord.startswith("Van phong UBND tinh;") and coord.endswith("lien quan")
    assert deadline == "Thang 01/2024"
    assert tasks[1][4] == "Thuc hien thuong xuyen"


@pytest.mark.parametrize("path", SEED_OCR, ids=lambda p: p.name)
def test_seed_ocr_fixture_keeps_its_measured_accuracy(plans, path):
    result = score(plans[path.name], GOLD_001)
    found, overall = FLOORS.get(path.name, (0.75, 0.6))
    assert result.accuracy("found") >= found, result.missing
    assert result.overall >= overall, result.errors


def test_seed_ocr_psm4_reaches_the_issue_target(plans):
    assert score(plans["001-eng-psm4.txt"], GOLD_001).overall >= TARGET


def test_seed_ocr_psm6_reaches_the_issue_target(plans):
    assert score(plans["001-eng-psm6.txt"], GOLD_001).overall >= TARGET


def test_readme_fixture_reaches_the_issue_target(plans):
    result = score(plans[README.name], README_GOLD)
    assert result.accuracy("found") == 1.0
    assert result.accuracy("due_date") == 1.0 and result.accuracy("recurring") == 1.0
    assert result.overall >= TARGET, result.errors


def test_other_units_and_time_phrases_reach_the_issue_target(plans):
    plan = plans[OTHER.name]
    result = score(plan, OTHER_GOLD)
    assert result.accuracy("found") == 1.0, result.missing
    assert result.overall >= TARGET, result.errors
    by_code = {t.code: t for t in plan.tasks}
    # "Sở Tư pháp Công an tỉnh; Sở Thông | tin và Truyền thông": two columns on one line, a name
    # wrapped to the next, and "Thông" read "Théng" must not turn into a month.
    assert [u.unit_key for u in by_code["B.3"].lead_units] == ["STP"]
    assert {u.unit_key for u in by_code["B.3"].coordinating_units} == {"CAT", "STTTT"}
    assert by_code["A.2"].deadline.due_date.isoformat() == "2025-09-30"  # Truéc ngay 30/9/2025
    assert by_code["B.1"].deadline.due_date.isoformat() == "2025-06-30"  # 6 thang dau nam


def test_time_phrases_keep_unit_words_out():
    vocab = ocrtext.vocabulary(UnitRegistry.default())
    tokens = ocrtext.tokenize("Van phong Cong an tinh lien quan thudeng xuyen", vocab)
    by_raw = {t.raw: t for t in tokens}
    assert by_raw["thudeng"].keys == ("thuong",)  # "thường xuyên", marks garbled
    assert by_raw["lien"].no_deadline  # "liên quan", not "liên tục"
    assert by_raw["Cong"].no_deadline and by_raw["an"].no_deadline
    chief = ocrtext.tokenize("Khi co chi dao cua Bo Cong an", vocab)
    assert not any(t.no_deadline for t in chief)


@pytest.mark.parametrize("path", [*SEED_OCR, *HANDMADE], ids=lambda p: p.name)
def test_truncated_or_shuffled_fixture_never_crashes(path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    rng = random.Random(6)  # noqa: S311 - a fixed shuffle, not security
    shuffled = lines[:]
    rng.shuffle(shuffled)
    variants = [
        text[: len(text) // 3],
        text[len(text) // 2 :],
        "\n".join(shuffled),
        "\n".join(line[: len(line) // 2] for line in lines),
        "\n".join(lines[::3]),
    ]
    for variant in variants:
        try:
            plan = extract(variant.encode("utf-8"))
        except IngestError:
            continue
        for task in plan.tasks:
            assert task.code


def test_row_past_a_groups_declared_count_opens_the_next_group():
    # Group 1 declares one task; the unnumbered row after it is 2.1 (heading "2" lost by OCR).
    doc = ocrtext.read_text(
        "Phu luc I\n"
        "B. NHOM NHIEM VU CU THE (02 nhiém vu)\n"
        "1 | Cai cach thu tuc hanh chinh (01 nhiém vu)\n"
        "1.1 Ra soat, danh gia cac thu tuc hanh chinh tai dia phuong Sé Noi vu Cong an tinh | "
        "Thuc hién thuong\n"
        "theo quy dinh hién hanh cua Chinh phu. xuyén\n"
        "Day manh cong tac tuyén truyén, két qua thuc hién Dé an 06, Cong an tinh Sé Tu phap | "
        "Thuc hién thuong\n"
        "nhat la cac tién ich ngwoi dan duoc thu huong. xuyén\n",
        registry=UnitRegistry.default(),
    )
    codes = [r.cells[0] for r in doc.tables[0].rows]
    assert "1.1" in codes and "2.1" in codes and "1.2" not in codes


def test_coordinating_cell_empty_on_the_first_line_stays_empty():
    # Top-aligned cells: the lead's last line "UBND cap xa" is no coordinating unit.
    doc = ocrtext.read_text(
        "Phu luc I\n"
        "A. NHOM THAM MUU, CHI DAO, TRIEN KHAI (01 nhiém vu)\n"
        "1 Tiép tuc thuc hién viéc doi mdi co ché m6ot ctra, mot cvva lién Cac sé, ban, nganh; Uy "
        "Duy tri thuc hién\n"
        "thong trong giai quyét thu tuc hanh chinh va s6 héa ho so, két ban nhan dan cac huyén, "
        "thong xuyén\n"
        "qua giai quyét thu tuc hanh chinh trong tiép nhan, giai quyét thi | thanh phd, thi xa;\n"
        "tuc hanh chinh theo dung quy dinh tai Quyét dinh s6 468/QD- UBND cap xa\n"
        "TTg ngay 27/3/2021.\n",
        registry=UnitRegistry.default(),
    )
    task = next(r.cells for r in doc.tables[0].rows if r.cells[0] == "1")
    assert task[2].endswith("UBND cap xa"), task
    assert task[3] == "", task
