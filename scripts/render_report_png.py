"""Render the consolidated monthly report to PNG pages, to look at it (developer script).

    .venv/bin/python scripts/render_report_png.py [REPORT.docx] [--out FOLDER] [--dpi 80]

Without a .docx it writes the sample report of the tests (the seed's July 2024 appendices:
tests.reports.sample.seed_report()) with the Word exporter. The .docx is converted to PDF by
LibreOffice (the PDF exporter's conversion), then each page to PNG by pdftoppm; the folder is
printed with the time each step took.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", type=Path, help="a .docx to render (default: sample)")
    parser.add_argument("--out", type=Path, help="folder for the PNG pages (default: a temp one)")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))

    from dean06.ingest.tools import require_pdftoppm, require_soffice, soffice_convert

    out = args.out or Path(tempfile.mkdtemp(prefix="dean06-report-png-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.docx is None:
        from dean06.reports.exporters.registry import exporter_for
        from tests.reports.sample import seed_report

        report = seed_report()
        started = time.perf_counter()
        word = exporter_for("docx").render(report)
        print(f"docx: {time.perf_counter() - started:.2f} s, {len(word)} bytes")
        (out / "report.docx").write_bytes(word)
    else:
        word = args.docx.read_bytes()
    started = time.perf_counter()
    pdf = soffice_convert(
        require_soffice(), word, suffix="docx", target="pdf:writer_pdf_Export", timeout=300
    )
    if pdf is None:
        print("LibreOffice did not convert the file", file=sys.stderr)
        return 1
    print(f"pdf (LibreOffice): {time.perf_counter() - started:.2f} s, {len(pdf)} bytes")
    (out / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [
            require_pdftoppm(),
            "-png",
            "-r",
            str(args.dpi),
            str(out / "report.pdf"),
            str(out / "page"),
        ],
        check=True,
        timeout=300,
    )
    pages = sorted(out.glob("page*.png"))
    print(f"{len(pages)} pages in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
