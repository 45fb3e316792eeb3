#!/usr/bin/env python3
"""Set up and run dean06 from a fresh clone with nothing but Python 3.11+.

    python3 dev.py demo    create .venv, install, load demo data, serve on http://127.0.0.1:8000
    python3 dev.py test    create .venv, install with test tools, run the whole test suite

Extra arguments are passed on (`python3 dev.py test -k cli`, `python3 dev.py demo --port 8080`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 — run by any python3, checked here
        sys.exit("dean06 cần Python 3.11 trở lên (dean06 needs Python 3.11+).")
    if not PYTHON.exists():
        print("Tạo môi trường ảo .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Cài đặt các gói cần thiết (lần đầu mất vài phút) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    target = f".[{extras}]" if extras else "."
    subprocess.run([*pip, "install", "-e", target], check=True, cwd=ROOT)
    stamp.write_text(digest)


def _run(command: list[str], env: dict[str, str] | None = None) -> int:
    """Run the command in the project's folder. On POSIX this process becomes it (exec): the
    server or the test run gets the signals sent to `dev.py` (stopping `dev.py demo` stops the
    server; a server left behind would hold the port) and its exit code is this one's."""
    env = dict(os.environ if env is None else env)
    if os.name != "posix":
        return subprocess.call(command, cwd=ROOT, env=env)
    os.chdir(ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, env)  # noqa: S606 — the venv's own program, no shell


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "demo":
        _ensure_venv("")
        return _run([str(BIN / "dean06"), "demo", *rest])
    _ensure_venv("dev")
    env = dict(os.environ)
    env.setdefault("DEAN06_DATA_DIR", str(ROOT / "var" / "test"))
    # One worker per core (pytest-xdist) unless told otherwise (`-n 0` runs in one process); idle
    # workers take tests queued on a busy one, so one long OCR test does not hold the run back.
    workers = (
        []
        if any(a == "-n" or a.startswith("-n") for a in rest)
        else ["-n", "auto", "--dist", "worksteal"]
    )
    return _run([str(PYTHON), "-m", "pytest", *workers, *rest], env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
