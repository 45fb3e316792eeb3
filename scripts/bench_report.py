"""How fast the consolidated report is made, as whole processes (Django's start-up included).

    python scripts/bench_report.py [--runs 3] [--skip-synthetic]

1. A data folder with the 2024 plan and the July 2024 report of the seeds (imported once).
2. `dean06 report --period 2024-07 --out r.docx`, best of N runs, against a bare script in which
   python-docx writes the same tables from precomputed rows (the report's snapshot, read from a
   JSON file): the goal is within 1.5× of it.
3. A synthetic province ten times Bắc Giang's size (`dean06 generate-province --units 600
   --tasks 500 --months 24`): `dean06 report` for its last month, .docx and .xlsx (goal < 10 s).

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEEDS = ROOT / "src" / "dean06" / "data" / "seeds"

# The same document laid out by the exporter alone, from the snapshot, without Django or the
# database: python-docx writing the same tables with the same formatting.
EXPORTER = r"""
import sys
from pathlib import Path
from dean06.reports.content import MonthlyReport
from dean06.reports.exporters.docx import DocxExporter
report = MonthlyReport.from_json(Path(sys.argv[1]).read_text(encoding="utf-8"))
Path(sys.argv[2]).write_bytes(DocxExporter().render(report))
"""

BARE = r"""
import json, sys
import docx
data = json.load(open(sys.argv[1], encoding="utf-8"))
document = docx.Document()
for group in data["documents"]:
    table = document.add_table(rows=1, cols=6)
    for row in group["rows"]:
        cells = table.add_row().cells
        values = [row["stt"], row["number"], row["doc_type"], row["date_raw"], row["summary"],
                  row["note"]]
        for cell, value in zip(cells, values):
            cell.text = str(value)
for group in data["tasks"]:
    table = document.add_table(rows=1, cols=6)
    for row in group["rows"]:
        cells = table.add_row().cells
        values = [row["stt"], row["content"], row["assigning_document"], row["lead_unit"],
                  row["timeframe"], row["result"]]
        for cell, value in zip(cells, values):
            cell.text = str(value)
table = document.add_table(rows=1, cols=12)
for row in data["services"]:
    cells = table.add_row().cells
    values = [row["stt"], row["name"], row["online_citizens"], row["online_businesses"],
              row["total"], row["share"], row["on_time"], row["overdue"], row["staff_total"],
              row["staff_province"], row["staff_district"], row["staff_commune"]]
    for cell, value in zip(cells, values):
        cell.text = "" if value is None else str(value)
for name in ("submissions", "findings"):
    table = document.add_table(rows=1, cols=4)
    for row in data[name]:
        cells = table.add_row().cells
        for cell, value in zip(cells, list(row.values())[:4]):
            cell.text = "" if value is None else str(value)
document.save(sys.argv[2])
"""


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _best(args: list[str], env: dict[str, str], runs: int) -> float:
    return min(_run(args, env) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    dean06 = str(BIN / "dean06")
    rows: list[tuple[str, float]] = []
    ratios: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="dean06-bench-report-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "DEAN06_DATA_DIR": str(folder / "seed")}
        subprocess.run([dean06, "init", "--quiet"], env=env, check=True, capture_output=True)
        for cmd in (
            ["import-plan", str(SEEDS / "000_29642a5544120c4a.txt")],
            ["import-report", str(SEEDS / "003_9912287c508b6ad0.txt"), "--period", "2024-07"],
        ):
            subprocess.run([dean06, *cmd], env=env, check=True, capture_output=True)
        out = folder / "r.docx"
        report = [dean06, "report", "--period", "2024-07", "--on", "2024-08-05", "--out", str(out)]
        ours = _best(report, env, args.runs)
        snapshot = folder / "snapshot.json"
        dump = (
            "from dean06.reports.models import GeneratedReport as G;"
            f"open({str(snapshot)!r}, 'w', encoding='utf-8').write(G.objects.last().snapshot)"
        )
        subprocess.run([dean06, "manage", "shell", "-c", dump], env=env, check=True)
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE, encoding="utf-8")
        bare = _best(
            [sys.executable, str(bare_script), str(snapshot), str(folder / "bare.docx")],
            env,
            args.runs,
        )
        exporter_script = folder / "exporter.py"
        exporter_script.write_text(EXPORTER, encoding="utf-8")
        alone = _best(
            [sys.executable, str(exporter_script), str(snapshot), str(folder / "alone.docx")],
            env,
            args.runs,
        )
        rows += [
            ("July 2024 (30 documents, 50 tasks, 25 services): `dean06 report` .docx", ours),
            ("the same tables, cell text only, by a bare python-docx script", bare),
            ("the same document laid out by the exporter alone from the snapshot", alone),
        ]
        ratios = [
            ("ratio to the bare script (goal ≤ 1.5)", ours / bare),
            ("ratio to the exporter alone", ours / alone),
        ]
        if not args.skip_synthetic:
            env = {**os.environ, "DEAN06_DATA_DIR": str(folder / "synthetic")}
            subprocess.run([dean06, "init", "--quiet"], env=env, check=True, capture_output=True)
            made = subprocess.run(
                [
                    dean06,
                    "generate-province",
                    "--units",
                    "600",
                    "--tasks",
                    "500",
                    "--months",
                    "24",
                    "--until",
                    "2024-07",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            print(made.stdout.strip())
            for fmt in ("docx", "xlsx"):
                cmd = [
                    dean06,
                    "report",
                    "--period",
                    "2024-07",
                    "--on",
                    "2024-08-05",
                    "--out",
                    str(folder / f"s.{fmt}"),
                ]
                took = _best(cmd, env, args.runs)
                rows.append(
                    (f"synthetic 600 units × 500 tasks × 24 months: .{fmt} (goal < 10 s)", took)
                )
    print(f"| measure | best of {args.runs} |")
    print("| --- | ---: |")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} s |")
    for name, ratio in ratios:
        print(f"| {name} | {ratio:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
