"""Make the OCR-text fixtures: seed 001 rendered to a scanned PDF, OCR'd by tesseract WITHOUT
Vietnamese data (`-l eng`), the way old provincial scanning software gives plans.

python scripts/make_ocr_fixtures.py            # writes tests/data/ocr/001-eng-psm{6,4,3}.txt

Each fixture is the plain text of every page, pages separated by a form feed (tesseract's own
page separator). Needs LibreOffice (soffice), tesseract with the "eng" data and pypdfium2.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "ocr"
DPI = 300
PSMS = (6, 4, 3)
LIMIT = 100_000  # bytes per fixture: they are committed


def page_images(dpi: int = DPI) -> list[object]:
    """The scanned PDF of seed 001 (scripts/samples.py), rasterised again as a scan is read."""
    sys.path.insert(0, str(ROOT))
    from scripts import samples as render

    return render.rasterise(render.render_scanned_pdf(dpi=dpi), dpi=dpi)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--psm", type=int, nargs="+", default=list(PSMS))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    images = page_images()
    print(f"{len(images)} pages rendered in {time.perf_counter() - started:.1f}s")
    args.out.mkdir(parents=True, exist_ok=True)
    from scripts import samples

    for psm in args.psm:
        t0 = time.perf_counter()
        target = args.out / f"001-eng-psm{psm}.txt"
        target.write_text(samples.ocr_text(images, DPI, "eng", psm), encoding="utf-8")
        size = target.stat().st_size
        print(f"{target}: {size} bytes, {time.perf_counter() - t0:.1f}s")
        if size > LIMIT:
            print(f"  larger than {LIMIT} bytes", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
