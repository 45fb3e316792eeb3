"""Write the rendered test documents (DOCX, XLSX, HTML, PDF, scans) of seed 001 to a folder.

python scripts/render_samples.py [OUT_DIR]     # default: ./samples; PDFs need LibreOffice

The renders are those the reader tests build (scripts/samples.py): use them for benchmarks
(scripts/score_extraction.py FILE:tests/data/gold/001.json) and for looking at by hand.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import samples as render  # noqa: E402


def samples(with_pdf: bool) -> dict[str, Callable[[], bytes]]:
    out: dict[str, Callable[[], bytes]] = {
        "plan-001.docx": lambda: render.render_docx("mark"),
        "plan-001-header-typed.docx": lambda: render.render_docx("physical"),
        "plan-001.xlsx": render.render_xlsx,
        "plan-001.html": render.render_html,
        "encrypted.pdf": render.encrypted_pdf,
    }
    if with_pdf:
        out |= {
            "plan-001.pdf": lambda: render.render_pdf("mark"),
            "plan-001-header-typed.pdf": lambda: render.render_pdf("physical"),
            "plan-001-scanned.pdf": render.render_scanned_pdf,
            "plan-001-scan-page3.png": lambda: render.render_scanned_png(2),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="samples", help="folder to write to")
    args = parser.parse_args(argv)
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    reason = render.soffice_missing_reason()
    if reason:
        print(f"skipping the PDF renders: {reason}")
    for name, make in samples(with_pdf=reason is None).items():
        start = time.perf_counter()
        data = make()
        (folder / name).write_bytes(data)
        took = time.perf_counter() - start
        print(f"{folder / name}  {len(data):>9,} bytes  {took:5.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
