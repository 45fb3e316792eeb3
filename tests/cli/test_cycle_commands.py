"""`dean06 periods` and `dean06 status`: the published JSON shapes (other tools read them)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dean06.cli import main


def test_periods_of_a_year_as_json(capsys):
    assert main(["periods", "--year", "2024", "--format", "json"]) == 0
    periods = json.loads(capsys.readouterr().out)
    assert len(periods) == 12 + 4 + 2 + 1
    july = next(p for p in periods if p["kind"] == "month" and p["number"] == 7)
    assert july == {
        "kind": "month",
        "year": 2024,
        "number": 7,
        "start": "2024-06-15",
        "end": "2024-07-14",
        "due_date": "2024-07-15",
        "label": "Tháng 7/2024",
    }
    q1 = next(p for p in periods if p["kind"] == "quarter" and p["number"] == 1)
    assert (q1["start"], q1["end"], q1["label"]) == ("2023-12-15", "2024-03-14", "Quý I/2024")
    year = next(p for p in periods if p["kind"] == "year")
    assert (year["start"], year["end"]) == ("2023-12-15", "2024-12-14")


def test_periods_as_a_table(capsys):
    assert main(["periods", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "Tháng 1/2025" in out and "15/12/2024" in out and "6 tháng đầu năm 2025" in out


def test_a_bad_year_is_one_line(capsys):
    assert main(["periods", "--year", "99999"]) == 2
    assert "Năm không hợp lệ" in capsys.readouterr().err


@pytest.mark.django_db
def test_status_as_json_has_the_four_counts_and_each_tasks_lead_units(cycle, capsys):
    from dean06.tracking.services import ReportInput, progress_report_save

    progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=ReportInput(state="done", completed_on=dt.date(2024, 3, 20), progress="Xong"),
        by=cycle["officer"],
        submit=True,
    )
    code = main(["status", "--on", "2024-07-12", "--plan", "18/KH-UBND", "--format", "json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["counts"]) >= {
        "done_on_time",
        "done_late",
        "in_progress_within_term",
        "overdue",
    }
    assert data["counts"]["done_on_time"] == 1
    b13 = next(t for t in data["tasks"] if t["code"] == "B.1.3")
    assert b13["status"] == "done" and b13["lead_units"] == ["STTTT"]
    a1 = next(t for t in data["tasks"] if t["code"] == "A.1")
    assert a1["status"] == "overdue" and a1["lead_units"] == ["CAT"]
    assert sum(
        data["counts"][k]
        for k in ("done_on_time", "done_late", "in_progress_within_term", "overdue")
    ) == len(data["tasks"])


@pytest.mark.django_db
def test_status_of_an_unknown_plan_is_one_line(reference, capsys):
    assert main(["status", "--plan", "99/KH-XYZ"]) == 2
    assert "Không có kế hoạch «99/KH-XYZ»" in capsys.readouterr().err
