"""`dean06 extract` and `dean06 import-plan`: the published JSON shape, previews, clean errors."""

from __future__ import annotations

import json

import pytest

from dean06.cli import main
from dean06.core.models import AuditEntry
from dean06.plans.models import Plan, Task
from dean06.reference import seed_path
from scripts.samples import encrypted_pdf, render_docx

SEED_001 = seed_path("001_33c018715ba11eff.txt")


def test_extract_json_has_the_published_shape(capsys):
    assert main(["extract", str(SEED_001), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"number", "date", "issuer", "title", "year"} <= set(data["plan"])
    assert data["plan"]["number"] == "18/KH-UBND" and data["plan"]["date"] == "2024-01-23"
    section = data["sections"][1]
    assert {"code", "title", "declared_count", "found_count"} <= set(section)
    assert (section["code"], section["declared_count"], section["found_count"]) == ("B", 32, 33)
    task = data["tasks"][0]
    assert {
        "code",
        "section",
        "content",
        "lead_units",
        "coordinating_units",
        "deadline",
        "source",
    } <= set(task)
    assert {"name", "unit_key", "collective", "raw", "confidence"} <= set(task["lead_units"][0])
    assert {"raw", "kind", "due_date", "start_date", "recurring", "quota", "targets"} <= set(
        task["deadline"]
    )
    assert task["deadline"]["due_date"] == "2024-01-31"
    assert {"page", "line"} <= set(task["source"])
    warning = data["warnings"][0]
    assert {"code", "section", "task", "message"} <= set(warning)


def test_extract_table_shows_tasks_and_warnings(capsys):
    assert main(["extract", str(SEED_001)]) == 0
    out = capsys.readouterr().out
    assert "B.2.16" in out and "count_mismatch" in out and "Tổng: 39 nhiệm vụ" in out


def test_extract_reads_a_word_file_by_content_not_name(tmp_path, capsys):
    disguised = tmp_path / "ke-hoach.bin"
    disguised.write_bytes(render_docx())
    assert main(["extract", str(disguised), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["tasks"]) == 39


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", b"", "rỗng"),
        ("x.pdf", b"%PDF-1.7\n%broken", "PDF"),
        ("x.docx", b"PK\x03\x04 not really a zip", ""),
        ("x.bin", bytes(range(256)) * 4, ""),
    ],
)
def test_unreadable_files_give_one_line_and_exit_2(tmp_path, capsys, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dean06: lỗi:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert words in err


def test_encrypted_pdf_says_so(tmp_path, capsys):
    path = tmp_path / "mat.pdf"
    path.write_bytes(encrypted_pdf())
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert "mật khẩu" in err.lower() and "Traceback" not in err


def test_missing_file(capsys):
    assert main(["extract", "/no/such/file.docx"]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_import_plan_dry_run_then_save_then_idempotent(reference, capsys):
    assert main(["import-plan", str(SEED_001), "--dry-run"]) == 0
    assert "Sẽ tạo kế hoạch: 39 nhiệm vụ mới" in capsys.readouterr().out
    assert not Plan.objects.exists()
    assert main(["import-plan", str(SEED_001)]) == 0
    assert "Đã tạo kế hoạch: 39 nhiệm vụ mới" in capsys.readouterr().out
    assert Task.objects.count() == 39
    audit = AuditEntry.objects.count()
    assert main(["import-plan", str(SEED_001)]) == 0
    assert "không thay đổi gì" in capsys.readouterr().out
    assert AuditEntry.objects.count() == audit


@pytest.mark.django_db(transaction=True)
def test_import_plan_of_an_unreadable_file_writes_nothing(reference, tmp_path, capsys):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    audit = AuditEntry.objects.count()
    assert main(["import-plan", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not Plan.objects.exists() and AuditEntry.objects.count() == audit
