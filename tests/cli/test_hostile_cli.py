"""The document commands on hostile files and under a busy database: one Vietnamese line on
stderr, exit 2, no traceback, nothing written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dean06.cli import main
from dean06.core.models import AuditEntry
from dean06.plans.models import Plan
from dean06.reference import seed_path
from tests.ingest.test_hostile_files import (
    DOCUMENT,
    SHEET,
    XXE,
    blank_pdf,
    bomb,
    many_members,
    member,
    png_header,
    rebuild,
    small_docx,
    small_xlsx,
    with_doctype,
)

SEED_PLAN = seed_path("001_33c018715ba11eff.txt")
SEED_REPORT = seed_path("003_9912287c508b6ad0.txt")
COMMANDS = {
    "extract": [],
    "check-report": [],
    "import-plan": [],
    "import-report": ["--period", "2024-07"],
}
# The installed command, as people run it (`python -m dean06.cli` loads cli.py twice, as
# __main__ and as dean06.cli, and the two CommandError classes do not catch each other).
DEAN06 = str(Path(sys.executable).with_name("dean06"))
BUSY = "Cơ sở dữ liệu đang bận hoặc một lần nhập khác đang chạy; thử lại sau."


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """One file of each hostile kind, written once for the module."""
    folder = tmp_path_factory.mktemp("hostile")
    docx = small_docx()
    files = {
        "docx-bomb.docx": bomb(docx, DOCUMENT),
        "xlsx-bomb.xlsx": bomb(small_xlsx(), SHEET),
        "crowded.docx": many_members(docx),
        "xxe.docx": rebuild(docx, replace={DOCUMENT: with_doctype(member(docx, DOCUMENT), XXE)}),
        "huge.txt": b"a\n" * (1024 * 1024),
        "pages.pdf": blank_pdf(201),
        "pixels.png": png_header(20000, 20000),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def _one_line_exit_2(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dean06: lỗi: ")
    return lines[0]


FILES = ["docx-bomb.docx", "xlsx-bomb.xlsx", "crowded.docx", "xxe.docx", "huge.txt"]
EXPECTED = {
    "docx-bomb.docx": "quá lớn khi giải nén",
    "xlsx-bomb.xlsx": "quá lớn khi giải nén",
    "crowded.docx": "quá nhiều thành phần",
    "xxe.docx": "DOCTYPE",
    "huge.txt": "giới hạn 1 MB",
    "pages.pdf": "quá nhiều trang",
    "pixels.png": "Ảnh quá lớn",
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_extract_refuses_each_hostile_file_in_one_line(hostile, capsys, name):
    err = _one_line_exit_2(main(["extract", str(hostile[name])]), capsys.readouterr().err)
    assert EXPECTED[name] in err


@pytest.mark.parametrize("name", FILES)
def test_check_report_refuses_each_hostile_file_in_one_line(hostile, capsys, name):
    err = _one_line_exit_2(main(["check-report", str(hostile[name])]), capsys.readouterr().err)
    # Reports are read in every format: the same limits refuse them as they refuse a plan.
    assert (EXPECTED[name] if name != "huge.txt" else "Tệp báo cáo quá lớn") in err


@pytest.mark.once  # refused before any database work: not run again on PostgreSQL
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", FILES)
def test_import_plan_refuses_each_hostile_file_and_writes_nothing(reference, hostile, capsys, name):
    audit = AuditEntry.objects.count()
    err = _one_line_exit_2(main(["import-plan", str(hostile[name])]), capsys.readouterr().err)
    assert EXPECTED[name] in err
    assert not Plan.objects.exists() and AuditEntry.objects.count() == audit


@pytest.mark.once  # refused before any database work: not run again on PostgreSQL
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", FILES)
def test_import_report_refuses_each_hostile_file_and_writes_nothing(
    reference, hostile, capsys, name
):
    audit = AuditEntry.objects.count()
    code = main(["import-report", str(hostile[name]), "--period", "2024-07"])
    _one_line_exit_2(code, capsys.readouterr().err)
    assert AuditEntry.objects.count() == audit


@pytest.mark.django_db(transaction=True)
def test_import_report_with_a_30_digit_figure_is_one_line_and_writes_nothing(
    reference, tmp_path, capsys
):
    text = SEED_REPORT.read_text(encoding="utf-8")
    row = "2\tCấp lại, đổi thẻ CCCD\t802\t0\t802"
    assert row in text
    report = tmp_path / "bao-cao.txt"
    report.write_text(
        text.replace(row, "2\tCấp lại, đổi thẻ CCCD\t" + "9" * 30 + "\t0\t" + "9" * 30),
        encoding="utf-8",
    )
    audit = AuditEntry.objects.count()
    code = main(["import-report", str(report), "--period", "2024-07"])
    err = _one_line_exit_2(code, capsys.readouterr().err)
    assert "Số liệu không hợp lệ, chưa ghi gì" in err
    assert AuditEntry.objects.count() == audit


def test_a_file_over_every_limit_is_not_read(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 40_000)
    for kind in ("TEXT", "HTML", "OFFICE", "PDF", "IMAGE"):
        monkeypatch.setenv(f"DEAN06_MAX_{kind}_MB", "0.01")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    for command, extra in COMMANDS.items():
        if command.startswith("import"):
            continue  # the same _read_input; these need a database
        err = _one_line_exit_2(main([command, str(big), *extra]), capsys.readouterr().err)
        assert "Tệp quá lớn: 40 KB" in err


# --- as separate processes ------------------------------------------------------------------------


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))}
    env["DEAN06_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def _start(
    args: list[str], env: dict[str, str], cwd: Path, *, stdin: bool = False
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [DEAN06, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        text=True,
    )


def _init(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    data = tmp_path / "data"
    env = _env(data)
    result = subprocess.run(
        [DEAN06, "init", "--quiet"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return data / "dean06.sqlite3", env


def test_stdin_over_every_limit_is_one_line(tmp_path):
    limits = {
        f"DEAN06_MAX_{kind}_MB": "0.01" for kind in ("TEXT", "HTML", "OFFICE", "PDF", "IMAGE")
    }
    process = _start(["extract", "-"], _env(tmp_path / "data", **limits), tmp_path, stdin=True)
    _, err = process.communicate("x" * 40_000, timeout=120)
    err = _one_line_exit_2(process.returncode, err)
    assert "Tệp quá lớn" in err


def _count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(sql).fetchone()[0])


@pytest.mark.slow
def test_imports_while_another_writer_holds_the_database_are_one_line(tmp_path):
    """A write lock held from here, as a running import holds it: both imports wait out SQLite's
    busy timeout (20 s by default, 3 s here), then say so in one line, and nothing is written."""
    database, env = _init(tmp_path)
    env = {**env, "DEAN06_SQLITE_BUSY_SECONDS": "3"}
    lock = sqlite3.connect(database, isolation_level=None, timeout=1)
    lock.execute("BEGIN IMMEDIATE")
    try:
        plan = _start(["import-plan", str(SEED_PLAN)], env, tmp_path)
        report = _start(["import-report", str(SEED_REPORT), "--period", "2024-07"], env, tmp_path)
        results = [process.communicate(timeout=120) for process in (plan, report)]
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    for process, (_, err) in zip((plan, report), results, strict=True):
        line = _one_line_exit_2(process.returncode, err)
        assert BUSY in line and "database is locked" in line
    assert _count(database, "SELECT COUNT(*) FROM plans_plan") == 0
    assert _count(database, "SELECT COUNT(*) FROM tracking_progressreport") == 0


@pytest.mark.slow
def test_two_imports_of_the_same_plan_at_once_never_print_a_traceback(tmp_path):
    database, env = _init(tmp_path)
    runs = [_start(["import-plan", str(SEED_PLAN)], env, tmp_path) for _ in range(2)]
    runs += [
        _start(["import-report", str(SEED_REPORT), "--period", "2024-07"], env, tmp_path)
        for _ in range(2)
    ]
    for process in runs:
        _, err = process.communicate(timeout=180)
        assert "Traceback" not in err
        if process.returncode != 0:
            line = _one_line_exit_2(process.returncode, err)
            assert BUSY in line
    # (A report read first also records 18/KH-UBND, as a dateless directive: kind "other".)
    plan = "plans_plan.number = '18/KH-UBND' AND plans_plan.kind = 'plan'"
    assert _count(database, f"SELECT COUNT(*) FROM plans_plan WHERE {plan}") == 1  # noqa: S608
    tasks = "SELECT COUNT(*) FROM plans_task JOIN plans_plan ON plans_plan.id = plans_task.plan_id"
    assert _count(database, f"{tasks} WHERE {plan}") == 39
