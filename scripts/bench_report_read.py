"""Time reading the July 2024 monthly report (seed 003) in each form `scripts/samples.py` renders.

python scripts/bench_report_read.py            # text, docx, xlsx, pdf, doc (LibreOffice)
python scripts/bench_report_read.py --scan     # and the 200 dpi scan (about a minute)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dean06.ingest.report import extract_report  # noqa: E402
from dean06.reference import seed_path  # noqa: E402
from scripts import samples as render  # noqa: E402

SEED_REPORT = "003_9912287c508b6ad0.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="runs per form (median)")
    parser.add_argument("--scan", action="store_true", help="also the 200 dpi scan (slow)")
    args = parser.parse_args()
    forms: dict[str, Callable[[], bytes]] = {
        "text": lambda: seed_path(SEED_REPORT).read_bytes(),
        "docx": render.render_report_docx,
        "xlsx": render.render_report_xlsx,
    }
    if render.soffice_missing_reason() is None:
        forms |= {"pdf": render.render_report_pdf, "doc": render.render_report_doc}
    if args.scan:
        forms["scan"] = render.render_report_scan
    print("| form | size | documents / tasks / services | median |")
    print("| --- | ---: | --- | ---: |")
    for name, make in forms.items():
        data = make()
        times = []
        for _ in range(1 if name == "scan" else args.n):
            start = time.perf_counter()
            report = extract_report(data)
            times.append(time.perf_counter() - start)
        counts = f"{len(report.documents)} / {len(report.tasks)} / {len(report.services)}"
        print(f"| {name} | {len(data) // 1024} KB | {counts} | {statistics.median(times):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
