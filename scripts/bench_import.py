"""Time and memory of the database side: init, import-plan, import-report, each in a fresh process.

python scripts/bench_import.py [-n 3]

Runs the `dean06` command on a throw-away SQLite data directory (or on DATABASE_URL when set) and
reports wall time (median of N) and the peak resident memory of the child process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

SEEDS = Path(str(resources.files("dean06") / "data" / "seeds"))
STEPS = [
    ("init", ["init", "--quiet"]),
    ("import-plan 000 (44 tasks)", ["import-plan", str(SEEDS / "000_29642a5544120c4a.txt")]),
    ("import-plan 000 again (no change)", ["import-plan", str(SEEDS / "000_29642a5544120c4a.txt")]),
    (
        "import-report 003 (30 docs, 50 tasks, 25 services)",
        ["import-report", str(SEEDS / "003_9912287c508b6ad0.txt"), "--period", "2024-07"],
    ),
    ("check-report 003 (no database)", ["check-report", str(SEEDS / "003_9912287c508b6ad0.txt")]),
]


# The child runs the command, then reports its own peak resident memory on stderr.
CHILD = (
    "import resource, sys\n"
    "from dean06.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=3)
    args = parser.parse_args()
    timings: dict[str, list[float]] = {name: [] for name, _ in STEPS}
    peaks: dict[str, float] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as data:
            env = dict(os.environ, DEAN06_DATA_DIR=data)
            for name, step in STEPS:
                elapsed, peak = _run(step, env)
                timings[name].append(elapsed)
                peaks[name] = max(peaks.get(name, 0.0), peak)
    print(f"{'step':52} {'median':>8} {'peak RSS':>10}")
    for name, _ in STEPS:
        print(f"{name:52} {statistics.median(timings[name]):7.2f}s {peaks[name]:7.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
