"""The layer contracts of pyproject.toml hold: ingest is pure, web/API sit above the domain apps."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    # import-linter is a dev dependency, installed by the test command: missing is a failure.
    assert Path(lint).exists(), "import-linter is not installed (pip install -e '.[dev]')"
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
