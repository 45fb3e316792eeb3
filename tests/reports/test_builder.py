"""The consolidated report built from a database holding the 2024 plan and the July 2024 report
(the round trip of issue 11): the same documents, tasks and services, the true totals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from dean06.ingest.report import extract_report
from dean06.ingest.text import fold
from dean06.reference import seed_path
from dean06.reports.builder import ReportOptions, monthly_report_build
from dean06.reports.content import MonthlyReport
from dean06.tracking.models import ReportingPeriod

SEED_003 = seed_path("003_9912287c508b6ad0.txt")
ON = dt.date(2024, 8, 5)


@pytest.fixture
def july(july_period) -> MonthlyReport:
    return monthly_report_build(july_period, on=ON)


def test_round_trip_of_july_2024(july):
    """One database for every check (importing the plan and the report is the slow part)."""
    printed = extract_report(SEED_003)
    # Phụ lục I: the same 30 documents, in the same three groups and order.
    assert [(g.roman, len(g.rows)) for g in july.documents] == [("I", 9), ("II", 6), ("III", 15)]
    got = [(r.number, r.summary) for g in july.documents for r in g.rows]
    assert got == [(d.number, d.summary) for d in printed.documents]
    assert july.documents[2].rows[0].note == "Công an tỉnh"
    # Phụ lục II: the same 50 tasks in the same groups.
    want = Counter(t.group for t in printed.tasks)
    assert {g.key: len(g.rows) for g in july.tasks} == dict(want)
    for group in july.tasks:
        printed_rows = [t for t in printed.tasks if t.group == group.key]
        for row in group.rows:
            assert row.stt >= 1 and row.content and row.assigning_document
        assert len(group.rows) == len(printed_rows)
    # Phụ lục III: the 25 services, shares from the counts, the true total row.
    assert len(july.services) == 25
    for row, p in zip(july.services, printed.services, strict=True):
        assert (row.online_citizens, row.online_businesses, row.total) == (
            p.online_citizens,
            p.online_businesses,
            p.total,
        )
    total = july.service_total
    assert total is not None
    assert (total.online_citizens, total.online_businesses, total.total) == (46309, 80, 48050)
    assert total.share == Decimal("96.54")
    service_18 = july.services[17]
    assert service_18.share == Decimal("92.03")  # 959 / 1.042, as computed
    _the_body_says_what_the_appendices_hold(july)
    _tasks_without_report_are_listed_with_the_units_that_owe_them(july)
    assert MonthlyReport.from_json(july.to_json()) == july  # the snapshot gives the same report


def _the_body_says_what_the_appendices_hold(july):
    text = "\n".join(p for s in july.body for p in (s.heading, *s.paragraphs))
    assert "đã ban hành 30 văn bản" in text
    assert "48.050" in text and "96,54%" in text
    assert "Phụ lục I" in text and "Phụ lục III" in text
    groups = text.split("Theo nhóm nhiệm vụ của kế hoạch:")[1].split("\n")
    assert groups[1].startswith("- A.") and "KH số 18/KH-UBND" in groups[1]
    assert july.header.superior_body == "UBND TỈNH BẮC GIANG"
    assert july.header.subject == "Kết quả triển khai Đề án 06 tháng 7/2024"


def _tasks_without_report_are_listed_with_the_units_that_owe_them(july):
    reported = {fold(r.content) for g in july.tasks for r in g.rows}
    assert july.unreported, "the 2024 plan has tasks the July report does not mention"
    for task in july.unreported:
        assert task.owing_units
        assert fold(task.content) not in reported


def test_options_name_the_signer(reference):
    period = ReportingPeriod.objects.create(
        kind="month",
        year=2024,
        number=7,
        start=dt.date(2024, 6, 15),
        end=dt.date(2024, 7, 14),
        due_date=dt.date(2024, 7, 15),
        label="Tháng 7/2024",
    )
    report = monthly_report_build(
        period, on=ON, options=ReportOptions(signer_name="Nguyễn Văn A", date=ON)
    )
    assert report.header.signer_name == "Nguyễn Văn A" and report.header.date == ON
    assert report.document_count() == 0 and report.task_count() == 0
    assert "chưa ghi nhận văn bản" in " ".join(p for s in report.body for p in s.paragraphs)
