"""`dean06 extract` resolves units against the database's registry (as `import-plan` does) when
a database is set up, and against the shipped file when none is; one line says which."""

from __future__ import annotations

import json

import pytest

from dean06.cli import main
from tests.factories import UnitFactory

PLAN = "\n".join(
    [
        "| STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành |",
        "|---|---|---|---|",
        "| 1 | Xây dựng kho dữ liệu số của tỉnh | Trung tâm Dữ liệu số tỉnh | Quý III Năm 2026 |",
        "| 2 | Rà soát thủ tục hành chính | Sở Tư pháp | 6/2026 |",
    ]
)


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "ke-hoach.md"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_without_a_database_extract_uses_the_shipped_registry_and_says_so(
    tmp_path, monkeypatch, capsys, plan_file
):
    monkeypatch.setenv("DEAN06_DATA_DIR", str(tmp_path / "no-data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["extract", str(plan_file)]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert "danh mục kèm phần mềm" in first and "chưa có cơ sở dữ liệu" in first
    assert not (tmp_path / "no-data").exists()  # reading a plan creates no database


@pytest.mark.django_db
def test_with_a_database_extract_uses_its_registry_like_import_plan(
    reference, tmp_path, monkeypatch, capsys, plan_file
):
    UnitFactory(key="TTDLS", name="Trung tâm Dữ liệu số tỉnh")
    monkeypatch.setenv("DEAN06_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "dean06.sqlite3").touch()
    assert main(["extract", str(plan_file), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "danh mục trong cơ sở dữ liệu" in captured.err
    tasks = json.loads(captured.out)["tasks"]
    assert [u["unit_key"] for t in tasks for u in t["lead_units"]] == ["TTDLS", "STP"]
    assert tasks[0]["deadline"]["due_date"] == "2026-09-30"
