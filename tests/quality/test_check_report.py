"""check_report on seed 003 (Bắc Giang, report of July 2024) finds exactly its real data errors.

Worked out by hand from src/dean06/data/seeds/003_9912287c508b6ad0.txt before writing the code:

Phụ lục III — share printed vs (online citizens + online businesses) / total × 100, rounded to the
printed two decimals (tolerance 0.01 percentage points):
  row  9 Đăng ký khai sinh  (line 140): 1.755 + 0 / 1.869 = 93.90 %, printed 88,73 %  → finding
  row 10 Đăng ký khai tử    (line 141):   676 + 0 /   749 = 90.25 %, printed 83,46 %  → finding
  row 11 Đăng ký kết hôn    (line 142):   527 + 0 /   573 = 91.97 %, printed 84,05 %  → finding
  row 14 con dấu thu nhỏ... (line 145):    28 + 0 /    28 = 100.00 %, printed 0,00 % → finding
  correct after rounding, NOT flagged: row 12 7.227/7.258 = 99.5729 → 99,57; row 18 959/1.042 =
  92.0345 → 92,03; row 20 1.014/1.761 = 57.5809 → 57,58; row 23 1.268/1.835 = 69.1008 → 69,10;
  rows 24, 25 with businesses: (1.061 + 63)/1.124 = (316 + 17)/333 = 100 %; every other row
  online = total and 100,00 %; row 21 prints "0" with a total of 0: no share to compute, skipped.
Total row "Tổng số" (line 161) — one finding per column whose total is not the sum of the rows:
  Công dân: printed 45.902, sum of the 25 rows 46.309 (−407)        → finding
  Doanh nghiệp: printed 80 = 63 + 17                                  → no finding
  Tổng số tiếp nhận: printed 47.867, sum 48.050 (−183)               → finding
  % (96,06): (45.902 + 80) / 47.867 = 96.062 → 96,06 agrees with its own counts → no finding
  Đúng hạn / Quá hạn / Nhân lực: empty in the total row              → not checked
  (staff levels hold "x" marks, not counts; staff "Tổng số" 0 in rows 1–6: non-negative integers)

Phụ lục I — dates (complete = d/m/yyyy; plausible = 01/01/2023 .. 31/08/2024, the report being
dated "/8/2024"):
  I.3 3326/UBND-KGVX "24/06/202" (line 11): year cut to 3 digits        → doc.date_complete
  I.5 3449/UBND-KGVX "28/06/202" (line 13): year cut to 3 digits        → doc.date_complete
  every other date is whole and between 30/5/2024 and 12/7/2024         → no finding
Phụ lục I — type vs symbol (the first segment after "/" names the type; none → công văn):
  I.6   41/KH-UBND        printed "Công văn", KH = kế hoạch             → finding
  III.13 185/KHPH-CAH-BHXH printed "Công văn", KHPH = kế hoạch phối hợp  → finding (a joint
        plan of Công an huyện and BHXH; our reading: a plan, not a công văn)
  III.15 4305/QĐ-UBND      printed "Công văn", QĐ = quyết định           → finding
  I.8 243/TB-UBND Thông báo, I.9 125/KH-UBND Kế hoạch: agree; UBND-KGVX, TCTTKĐA, CAT-QLHC, QLHC,
  BGDĐT-GDTH, CNTT, UBND-CA, UBND-NC carry no type symbol and are printed Công văn: agree.
Nothing else: no online > total, no negative or fractional count, on time/overdue all empty.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from dean06.ingest.report import ExtractedReport, ReportService, extract_report
from dean06.quality.builtin import BUILTIN_RULES, OUTLIER, SHARE_MATCHES
from dean06.quality.checks import check_report, check_report_dict
from dean06.quality.engine import RuleDef

SEED = "003_9912287c508b6ad0.txt"

EXPECTED = [
    # (appendix, row, ref, rule, column)
    ("I", "3", "3326/UBND-KGVX", "doc.date_complete", "date"),
    ("I", "5", "3449/UBND-KGVX", "doc.date_complete", "date"),
    ("I", "6", "41/KH-UBND", "doc.type_matches_symbol", "type"),
    ("I", "13", "185/KHPH-CAH-BHXH", "doc.type_matches_symbol", "type"),
    ("I", "15", "4305/QĐ-UBND", "doc.type_matches_symbol", "type"),
    ("III", "9", "Đăng ký khai sinh", "svc.share_matches", None),
    ("III", "10", "Đăng ký khai tử", "svc.share_matches", None),
    ("III", "11", "Đăng ký kết hôn", "svc.share_matches", None),
    (
        "III",
        "14",
        "Thủ tục làm con dấu thu nhỏ, dấu nổi, dấu xi và cấp Giấy chứng nhận đã đăng ký mẫu "
        "con dấu",
        "svc.share_matches",
        None,
    ),
    ("III", None, "Tổng số", "svc.total_row_sum", "online_citizens"),
    ("III", None, "Tổng số", "svc.total_row_sum", "total"),
]


@pytest.fixture(scope="module")
def report() -> ExtractedReport:
    return extract_report(resources.files("dean06").joinpath("data", "seeds", SEED).read_bytes())


def test_seed_003_findings_are_exactly_the_real_errors(report):
    found = [(f.appendix, f.row, f.ref, f.rule, f.column) for f in check_report(report)]
    assert found == EXPECTED


def test_seed_003_finding_values_prove_the_error(report):
    findings = {(f.rule, f.row, f.column): f for f in check_report(report)}
    share = {row: (findings[("svc.share_matches", row, None)]) for row in ("9", "10", "11", "14")}
    assert [(share[r].left, share[r].right) for r in share] == [
        (88.73, 93.9),
        (83.46, 90.25),
        (84.05, 91.97),
        (0.0, 100.0),
    ]
    citizens = findings[("svc.total_row_sum", None, "online_citizens")]
    total = findings[("svc.total_row_sum", None, "total")]
    assert (citizens.left, citizens.right) == (45902, 46309)
    assert (total.left, total.right) == (47867, 48050)
    assert all(f.severity == "error" for f in findings.values())
    assert share["9"].message == (
        "Tỷ lệ tiếp nhận trực tuyến ghi 88,73% nhưng tính từ số liệu là 93,90% "
        "((1.755 + 0) / 1.869)."
    )
    assert citizens.message == (
        "Dòng tổng, cột «Nộp trực tuyến – công dân»: ghi 45.902 nhưng cộng các dòng được "
        "46.309 (chênh -407)."
    )
    date = findings[("doc.date_complete", "3", "date")]
    assert "24/06/202" in date.message and date.line == 11


def test_share_rule_needs_rounding_to_the_printed_decimals(report):
    """Without rounding to the printed decimals, correct rows would be flagged."""
    unrounded = RuleDef(
        code="svc.share_unrounded",
        left="share_reported",
        operator="approx",
        right="share(online_citizens + online_businesses, total)",
    )
    rows = [f.row for f in check_report(report, rules=[unrounded])]
    assert {"12", "18", "20", "23"} <= set(rows)  # 99.5729 ≠ 99.57 ...
    assert [f.row for f in check_report(report, rules=[SHARE_MATCHES])] == ["9", "10", "11", "14"]


def test_rules_argument_restricts_and_inactive_rules_are_skipped(report):
    only_dates = [r for r in BUILTIN_RULES if r.code == "doc.date_complete"]
    assert [f.row for f in check_report(report, rules=only_dates)] == ["3", "5"]
    off = [RuleDef(**{**r.to_dict(), "active": False}) for r in BUILTIN_RULES]
    assert check_report(report, rules=off) == []
    unknown_special = RuleDef(code="svc.not_written_yet", kind="special")
    assert check_report(report, rules=[unknown_special]) == []


def test_custom_expression_rule_from_plain_data(report):
    rule = RuleDef.from_dict(
        {
            "code": "svc.businesses_present",
            "left": "online_businesses",
            "operator": ">",
            "right": "0",
            "severity": "warning",
            "message": "{name}: không có hồ sơ doanh nghiệp.",
        }
    )
    findings = check_report(report, rules=[rule])
    # 25 rows + total row, minus rows 24 and 25 and the total (80) which have businesses.
    assert len(findings) == 26 - 3
    assert findings[0].message == (
        "Xác nhận số Chứng minh nhân dân khi đã được cấp thẻ CCCD: không có hồ sơ doanh nghiệp."
    )
    assert all(f.severity == "warning" and f.appendix == "III" for f in findings)


def test_outliers_against_the_previous_period(report):
    previous = {
        "Đăng ký khai sinh": {"online_citizens": 500, "total": 600},  # 1.755 > 3 × 500
        "3": {"online_citizens": 6000, "total": 7000},  # by STT: 6.635 is within ×3
        "22": {"online_citizens": 7000, "total": 7000},  # 2.045 < 7.000 / 3
    }
    findings = check_report(report, rules=[OUTLIER], previous=previous)
    assert [(f.row, f.column) for f in findings] == [
        ("9", "online_citizens"),
        ("9", "total"),
        ("22", "online_citizens"),
        ("22", "total"),
    ]
    assert all(f.severity == "warning" for f in findings)
    assert check_report(report, rules=[OUTLIER]) == []  # no previous period: nothing to compare
    assert check_report(report, rules=[OUTLIER], previous=report) == []  # same figures


def test_date_plausibility_uses_the_given_bounds(report):
    from dean06.quality.builtin import DOC_DATE_PLAUSIBLE

    assert check_report(report, rules=[DOC_DATE_PLAUSIBLE]) == []
    early = check_report(report, rules=[DOC_DATE_PLAUSIBLE], plan_year=2026)
    assert len(early) == 28  # every whole date is before 2025; the two truncated are not dated
    import datetime as dt

    late = check_report(report, rules=[DOC_DATE_PLAUSIBLE], report_date=dt.date(2024, 7, 1))
    # Dated after 01/07/2024: I.7 12/07, I.9 11/7, II.1 04/07, III.2 03/7, III.3 05/07,
    # III.14 03/7 and I.6 09/07.
    assert sorted(f.ref for f in late) == sorted(
        [
            "3755/UBND-KGVX",
            "125/KH-UBND",
            "2366/TCTTKĐA",
            "2428/CAT-QLHC",
            "1405/QLHC",
            "1560/UBND-NC",
            "41/KH-UBND",
        ]
    )


def test_check_report_dict_is_the_json_of_check_report(report):
    data = check_report_dict(report)
    assert data["counts"] == {
        "documents": 30,
        "tasks": 50,
        "services": 25,
        "findings": 11,
        "errors": 11,
        "warnings": 0,
    }
    assert len(data["documents"]) == 30 and len(data["tasks"]) == 50
    assert len(data["services"]) == 25 and data["total_row"]["name"] == "Tổng số"
    finding = data["findings"][0]
    assert {"appendix", "row", "ref", "rule", "severity", "message"} <= set(finding)
    assert data["findings"][-1]["row"] is None
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text)["documents"][0]["date"] == "2024-06-19"


def test_report_with_a_bad_row_is_flagged_in_every_rule_that_applies():
    bad = ReportService(
        stt="1",
        name="Dịch vụ thử",
        online_citizens=12,
        online_businesses=-1,
        total=10,
        share_reported=110.0,
        share_decimals=0,
        on_time=7,
        overdue=4,
        raw={"online_businesses": "-1"},
    )
    rep = ExtractedReport(services=[bad])
    rules = {(f.rule, f.column) for f in check_report(rep)}
    assert rules == {
        ("svc.online_le_total", None),  # 11 > 10
        ("svc.resolved_le_total", None),  # 7 + 4 > 10
        ("svc.non_negative_int", "online_businesses"),
    }  # the share 110 = 11/10 agrees with the counts


def test_document_findings_name_their_group_since_stt_restarts(report):
    findings = [f for f in check_report(report) if f.appendix == "I"]
    assert [(f.group, f.row) for f in findings] == [
        ("I", "3"),
        ("I", "5"),
        ("I", "6"),
        ("III", "13"),
        ("III", "15"),
    ]
