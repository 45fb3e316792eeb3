"""The `dean06` command: help everywhere, clear one-line errors, init/createuser/load-reference."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dean06.accounts.models import User
from dean06.cli import build_parser, main

SUBCOMMANDS = ["init", "load-reference", "serve", "demo", "createuser", "manage"]


def _run(args: list[str], tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DEAN06_", "DATABASE_URL"))
    }
    full_env.setdefault("DEAN06_DATA_DIR", str(tmp_path / "data"))
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "dean06.cli", *args],
        env=full_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(capsys, name):
    with pytest.raises(SystemExit) as exit_info:
        main([name, "--help"])
    assert exit_info.value.code == 0
    assert "usage: dean06 " + name in capsys.readouterr().out


def test_registered_extra_commands_have_help(capsys):
    parser = build_parser()
    names = list(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for name in names:
        with pytest.raises(SystemExit):
            main([name, "--help"])
        assert capsys.readouterr().out


def test_unknown_subcommand_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err or "lựa chọn" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2


def test_unreachable_database_is_one_clear_line(tmp_path):
    result = _run(["init"], tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("dean06: lỗi: Không kết nối được cơ sở dữ liệu")
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_database_url_is_one_clear_line(tmp_path):
    result = _run(["init"], tmp_path, DATABASE_URL="nosuchdb://x")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_read_only_data_dir_is_one_clear_line(tmp_path):
    # /proc/1 exists and nobody, root included, can create a file in it.
    result = _run(["init"], tmp_path, DEAN06_DATA_DIR="/proc/1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "/proc/1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes")
def test_read_only_mode_data_dir_is_one_clear_line(tmp_path):
    data = tmp_path / "ro"
    data.mkdir()
    data.chmod(0o555)
    result = _run(["init"], tmp_path, DEAN06_DATA_DIR=str(data))
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_data_dir_under_a_file_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _run(["init"], tmp_path, DEAN06_DATA_DIR=str(blocker / "sub"))
    assert result.returncode == 1
    assert "Không tạo được thư mục dữ liệu" in result.stderr and "Traceback" not in result.stderr


def test_init_then_createuser_on_a_fresh_sqlite_data_dir(tmp_path):
    first = _run(["init"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "52 mới" in first.stdout
    again = _run(["init"], tmp_path)
    assert "52 không đổi" in again.stdout
    made = _run(
        ["createuser", "stp", "--role", "unit_officer", "--unit", "STP", "--password", "pw-123456"],
        tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert "Đã tạo tài khoản stp" in made.stdout
    bad_unit = _run(
        ["createuser", "x", "--role", "unit_officer", "--unit", "NOPE", "--password", "p"],
        tmp_path,
    )
    assert bad_unit.returncode == 2 and "NOPE" in bad_unit.stderr


def test_serve_refuses_an_uninitialised_database(tmp_path):
    result = _run(["serve", "--port", "1"], tmp_path)
    assert result.returncode == 1
    assert "dean06 init" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_in_process_createuser_without_unit_for_unit_role_fails_cleanly(capsys):
    code = main(["createuser", "u1", "--role", "unit_leader", "--password", "pw-123456"])
    assert code == 2
    assert "gắn với một đơn vị" in capsys.readouterr().err
    assert not User.objects.filter(username="u1").exists()


def test_manage_passes_through_to_django(tmp_path):
    result = _run(["manage", "check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_serve_on_a_busy_port_is_one_clear_line(tmp_path):
    import socket

    assert _run(["init", "--no-reference"], tmp_path).returncode == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run(["serve", "--port", str(port)], tmp_path, DEAN06_WORKER="inline")
    assert result.returncode == 1
    assert "Không mở được cổng" in result.stderr and "Traceback" not in result.stderr
