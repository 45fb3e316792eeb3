"""Three real plans of other provinces (development set, /work/shared/realdocs) scored against
small gold expectations checked by hand against each document.

Units are keys of the shipped registry, or the name as written (folded) for a body or person the
registry does not hold. Deadlines follow GLOSSARY.md ("Time"). The gold covers a sample of the
tasks of each file, never the whole: what it scores is how the layouts are read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dean06.ingest import UnitRegistry, extract
from dean06.ingest.scoring import score

REALDOCS = Path("/work/shared/realdocs")


def _t(code: str, lead: list[str], coord: list[str], due: str | None, recurring: bool = False):
    return {
        "code": code,
        "lead": lead,
        "coordinating": coord,
        "due_date": due,
        "recurring": recurring,
    }


# Hà Nội 310/KH-UBND (web-page text dump, table cells between lone pipes): all 6 tasks.
HANOI_310: dict[str, Any] = {
    "tasks": [
        _t("1", ["BQLKCN"], ["SKHCN", "SCT", "UBND_XA"], "2026-09-30"),
        _t("2", ["BQLKCN"], ["SKHCN", "SCT", "DN_VIEN_THONG"], "2026-06-30"),
        _t("3", ["BQLKCN"], ["STC"], None, True),
        _t("4", ["BQLKCN"], ["Các doanh nghiệp đầu tư hạ tầng"], None, True),
        _t(
            "5",
            ["Doanh nghiệp", "nhà cung cấp dịch vụ IoT", "nhà đầu tư"],
            ["BQLKCN", "SKHCN", "SCT"],
            None,
            True,
        ),
        _t("6", ["BQLKCN"], ["SKHCN"], None, True),
    ]
}

# Lâm Đồng, plan for administrative reform 2026-2030 (DOCX appendix, Roman section rows,
# merged cells): 12 of its 56 tasks.
LAMDONG_CCHC: dict[str, Any] = {
    "tasks": [
        _t("I.1", ["STP"], [], None),  # "Theo Điều 17 Nghị định số 52/2015/NĐ-CP ..."
        _t("I.2", ["STP", "UBND_XA"], [], None, True),  # "Trước ngày 31/01 năm liền kề"
        _t("I.4", ["STP"], ["SKHCN"], "2026-12-31"),
        _t("II.1", ["SO_BAN_NGANH"], ["STP", "VP_UBND"], None, True),
        _t("II.5", [], [], None),  # units and dates "theo phân công tại Quyết định số 1441"
        _t("II.9", ["TTRA"], ["SNV", "VP_UBND"], None, True),
        _t("II.12", ["VP_UBND"], ["SKHCN"], "2026-12-31"),
        _t("III.1", ["SO_BAN_NGANH", "UBND_XA"], ["SNV"], None),
        _t("IV.3", ["SNV"], ["LIEN_QUAN"], None, True),
        _t("VI.7", ["VP_UBND"], ["SKHCN"], "2026-03-31"),
        _t("VI.11", ["CAT"], ["SKHCN"], "2026-12-31"),
        _t("VI.12", ["SKHCN"], ["STP", "VP_UBND", "CAT"], None, True),
    ]
}

# A Hà Nội office's task list of 02/2026 (XLSX, persons as leads, formulas): 14 of its rows.
# The deadline is "Tiến độ (nếu có)"; "Thời gian nhận" says when a task is recurring.
HANOI_SHEET: dict[str, Any] = {
    "tasks": [
        _t("1", ["Đ/c Hùng"], ["Đ/c Hồng"], None, True),
        _t("1.1", ["Đ/c Hùng"], ["Đ/c Hồng"], None),
        _t("2", ["Đ/c Hà"], ["Các đ/c trong phòng"], None, True),
        _t("3", ["Đ/c Thủy"], [], "2026-03-31"),
        _t("3.4", ["Đ/c Thủy"], [], "2026-03-31"),
        _t("4", ["Đ/c Hồng"], [], "2026-03-31"),
        _t("5", ["Đ/c Hùng"], ["Đ/c Hồng"], "2026-04-30"),
        _t("6", ["Đ/c Ngọc"], ["Đ/c Hồng"], "2026-03-31"),
        _t("8", ["Đ/c Linh"], [], "2026-04-30"),  # "Từ tháng 1-4/2026"
        _t("9", ["Đ/c Hồng"], ["Các đ/c trong phòng"], "2026-01-31"),
        _t("10", ["Đ/c Hồng"], [], "2026-02-28"),
        _t("12", ["Đ/c Ngọc"], ["Đ/c Đức"], "2026-01-31"),
        _t("13", ["Đ/c Thủy"], [], None, True),
        _t("171", ["Đ/c Hồng"], [], "2026-06-18"),
    ]
}

CASES = [
    ("hanoi_kh_310_2025.md", HANOI_310, 6, 1.0, 0.9),
    ("lamdong_kh_cchc_2026_2030.docx", LAMDONG_CCHC, 56, 1.0, 0.9),
    ("hanoi_nhiemvu_thang_02_2026.xlsx", HANOI_SHEET, 370, 1.0, 0.95),
]


@pytest.mark.parametrize(("name", "gold", "at_least", "found", "fields"), CASES)
def test_real_plans_of_other_provinces_score_against_their_gold(
    name: str, gold: dict[str, Any], at_least: int, found: float, fields: float
) -> None:
    path = REALDOCS / name
    if not path.exists():
        pytest.skip(f"development document {path} is not on this machine")
    plan = extract(path, UnitRegistry.default())
    assert len(plan.tasks) >= at_least
    result = score(plan, gold)
    assert result.accuracy("found") >= found, result.missing
    assert result.fields >= fields, result.errors
    assert all(t.content and t.content != t.code for t in plan.tasks)


def test_the_lam_dong_plan_printed_to_pdf_reads_as_its_word_file() -> None:
    """The same 56 tasks, units, deadlines and contents from the PDF LibreOffice prints: its
    narrow deadline column cuts the symbols of cited documents ("52/2015/NĐ- CP ngày
    28/5/2015"), whose dates were read as deadlines."""
    from scripts import samples

    path = REALDOCS / "lamdong_kh_cchc_2026_2030.docx"
    if not path.exists():
        pytest.skip(f"development document {path} is not on this machine")
    if samples.soffice_missing_reason() is not None:
        pytest.skip(str(samples.soffice_missing_reason()))
    word = extract(path, UnitRegistry.default())
    printed = extract(samples.docx_to_pdf(path.read_bytes()), UnitRegistry.default())

    def read(plan: Any) -> list[tuple[Any, ...]]:
        return [
            (
                t.code,
                [u.unit_key or u.collective or u.name for u in t.lead_units],
                [u.unit_key or u.collective or u.name for u in t.coordinating_units],
                t.deadline.due_date,
                " ".join(t.content.split())[:60],
            )
            for t in plan.tasks
        ]

    assert read(printed) == read(word)
