"""The long run of the property tests: `pytest tests/property` with the "long" hypothesis profile
(10,000 inputs a test), then, per test, how many inputs it ran, how long it took and how it ended,
and the same as a Markdown table for docs/benchmarks.md.

    nice -n 10 .venv/bin/python scripts/property_long.py [-k EXPR] [-n WORKERS] [--log FILE]

Inputs are counted from hypothesis's own statistics (`--hypothesis-show-statistics`): every test
case it generated and ran, passing or failing, in every phase; the explicit `@example`s come on
top. A test stops early when hypothesis has tried every input its strategy can give.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = "long"

_TEST = re.compile(r"^(tests/property/\S+::\S+):$")
_CASES = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid test cases")
_STOPPED = re.compile(r"^\s*- Stopped because (.+)$")


@dataclass
class Row:
    test: str
    inputs: int = 0
    invalid: int = 0
    seconds: float = 0.0
    outcome: str = "?"
    stopped: str = ""


def parse_statistics(output: str) -> dict[str, Row]:
    """Hypothesis's statistics block, by test id."""
    rows: dict[str, Row] = {}
    current: Row | None = None
    for line in output.splitlines():
        test = _TEST.match(line.strip())
        if test:
            current = rows.setdefault(test.group(1), Row(test.group(1)))
            continue
        if current is None:
            continue
        cases = _CASES.search(line)
        if cases:
            current.inputs += int(cases.group(1)) + int(cases.group(2))
            current.invalid += int(cases.group(3))
        stopped = _STOPPED.match(line)
        if stopped:
            current.stopped = stopped.group(1).strip()
    return rows


def parse_junit(path: Path, rows: dict[str, Row]) -> None:
    """Time and outcome of each test from pytest's JUnit report."""
    root = ET.parse(path).getroot()  # noqa: S314 (written by pytest just now)
    for case in root.iter("testcase"):
        module = case.get("classname", "").replace(".", "/") + ".py"
        test = f"{module}::{case.get('name')}"
        row = rows.setdefault(test, Row(test))
        row.seconds = float(case.get("time", "0"))
        if case.find("failure") is not None or case.find("error") is not None:
            row.outcome = "failed"
        elif case.find("skipped") is not None:
            row.outcome = "skipped"
        else:
            row.outcome = "passed"


def markdown(rows: list[Row], *, total: float, hypothesis: str, workers: int = 0) -> str:
    """The section of docs/benchmarks.md: the command, what was run, one row a test."""
    inputs = sum(r.inputs for r in rows)
    passed = sum(1 for r in rows if r.outcome == "passed")
    lines = [
        "## Property tests, long profile",
        "",
        f"`nice -n 10 python scripts/property_long.py{f' -n {workers}' if workers else ''}`",
        "",
        f"`pytest tests/property` with `HYPOTHESIS_PROFILE=long` (10,000 inputs a test), "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d}, Python {platform.python_version()}, hypothesis "
        f"{hypothesis}, {os.cpu_count()} cores: {passed}/{len(rows)} tests passed, "
        f"{inputs:,} inputs in {total / 60:.0f} min. Inputs are the test cases hypothesis "
        "generated and ran (its statistics); explicit examples come on top.",
        "",
        "| test | inputs | invalid | time (s) | result | stopped because |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        name = r.test.removeprefix("tests/property/")
        lines.append(
            f"| `{name}` | {r.inputs:,} | {r.invalid:,} | {r.seconds:,.1f} | {r.outcome} | "
            f"{r.stopped or '—'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="keyword", help="only the tests matching this expression")
    parser.add_argument("--log", type=Path, help="keep pytest's whole output in this file")
    parser.add_argument(
        "-n", dest="workers", type=int, default=0, help="pytest-xdist workers (0: none)"
    )
    args = parser.parse_args(argv)

    env = dict(os.environ, HYPOTHESIS_PROFILE=PROFILE)
    work = Path(tempfile.mkdtemp(prefix="dean06-property-"))
    # Its own data folder (test databases, uploads), unless one is given.
    env.setdefault("DEAN06_DATA_DIR", str(work / "data"))
    junit = work / "junit.xml"
    pytest_args = [
        "tests/property",
        "-q",
        "-p",
        "no:cacheprovider",
        "--hypothesis-show-statistics",
        f"--junitxml={junit}",
        *(["-k", args.keyword] if args.keyword else []),
        *(["-n", str(args.workers)] if args.workers else []),
    ]
    print("$ HYPOTHESIS_PROFILE=long python -m pytest " + shlex.join(pytest_args), flush=True)
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-m", "pytest", *pytest_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    total = time.monotonic() - started
    output = process.stdout + process.stderr
    if args.log:
        args.log.write_text(output, encoding="utf-8")
    rows = parse_statistics(output)
    if junit.exists():
        parse_junit(junit, rows)
    ordered = sorted(rows.values(), key=lambda r: r.test)

    # The failures (if any) as pytest reported them, then the counts.
    if process.returncode != 0:
        print(output[-20000:])
    for r in ordered:
        print(
            f"{r.outcome:7} {r.inputs:>7} inputs {r.invalid:>6} invalid {r.seconds:>9.1f} s  "
            f"{r.test}"
        )
    print(f"total: {sum(r.inputs for r in ordered)} inputs, {total:.0f} s")
    print()
    from hypothesis import __version__ as hypothesis_version

    print(markdown(ordered, total=total, hypothesis=hypothesis_version, workers=args.workers))
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
