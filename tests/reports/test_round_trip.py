"""What dean06 writes, its own report reader reads back: the appendices of the Word and the
Excel report give the same documents, tasks and services as the report they were made from."""

from __future__ import annotations

from collections import Counter

import pytest

from dean06.ingest.report import extract_report
from dean06.reports.exporters.registry import exporter_for
from tests.reports.sample import seed_report


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_report_reads_back(fmt):
    report = seed_report()
    read = extract_report(exporter_for(fmt).render(report), filename=f"r.{fmt}")
    written = [(r.number, r.summary) for g in report.documents for r in g.rows]
    assert [(d.number, d.summary) for d in read.documents] == written
    assert Counter(d.group for d in read.documents) == {"I": 9, "II": 6, "III": 15}
    assert Counter(t.group for t in read.tasks) == {g.key: len(g.rows) for g in report.tasks}
    assert [(s.name, s.online_citizens, s.total) for s in read.services] == [
        (s.name, s.online_citizens, s.total) for s in report.services
    ]
