"""`dev.py` hands the process over to what it runs: stopping `python3 dev.py demo` stops the
server (a server left behind holds the port), and `dev.py test` exits with pytest's code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(os.name != "posix", reason="exec is POSIX; elsewhere a child runs")


def _through_dev(script: str) -> subprocess.Popen[str]:
    code = f"import dev; dev._run(['/bin/sh', '-c', {script!r}])"
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def test_the_command_runs_as_the_dev_process_itself():
    process = _through_dev("echo $$; pwd")
    out, _ = process.communicate(timeout=30)
    pid, folder = out.split()
    assert int(pid) == process.pid
    assert Path(folder) == ROOT


def test_the_exit_code_is_the_commands():
    process = _through_dev("exit 5")
    process.communicate(timeout=30)
    assert process.returncode == 5
