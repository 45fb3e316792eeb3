"""Seed 001's appendix as PDFs that other programs make, scored against gold 001.

- `browser`: the HTML render printed by headless Chromium (rows cut by page breaks with no
  rule drawn where the page cuts them; merged cells running over the break).
- `searchable`: the LibreOffice PDF scanned at 200 dpi and made searchable by tesseract
  (`tesseract ... pdf`: a picture of each page under an invisible OCR text layer), as scanner
  software does.
- `attached-scan`: the LibreOffice PDF with its first two pages as typed and the rest (the
  appendix table) scanned at 200 dpi: a typed letter with its signed appendix scanned and
  attached.

Usage: python scripts/pdf_producers.py [--out DIR] [--only browser searchable attached-scan] [-v]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from scripts import samples  # noqa: E402 (after the path is set)

GOLD = ROOT / "tests" / "data" / "gold" / "001.json"
CHROMIUM = "/usr/bin/chromium"
DPI = 200


def browser_pdf(out: Path) -> Path:
    html = out / "001.html"
    html.write_bytes(samples.render_html())
    path = out / "browser.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={path}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


def searchable_pdf(out: Path) -> Path:
    pages = samples.pdftoppm_pages(samples.render_pdf(), dpi=DPI)
    listing = out / "pages.txt"
    names = []
    for i, image in enumerate(pages):
        name = out / f"page-{i:02d}.png"
        image.save(name, dpi=(DPI, DPI))  # type: ignore[attr-defined]
        names.append(str(name))
    listing.write_text("\n".join(names) + "\n", encoding="utf-8")
    subprocess.run(
        ["tesseract", str(listing), str(out / "searchable"), "-l", "vie", "pdf"],
        check=True,
        capture_output=True,
        timeout=1800,
    )
    return out / "searchable.pdf"


def attached_scan_pdf(out: Path) -> Path:
    import io

    import pypdfium2 as pdfium

    typed = samples.render_pdf()
    pages = samples.pdftoppm_pages(typed, dpi=DPI)[2:]
    scanned = pdfium.PdfDocument(samples.images_to_pdf(pages, dpi=DPI))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(typed), [0, 1])
    mixed.import_pages(scanned, list(range(len(scanned))))
    data = io.BytesIO()
    mixed.save(data)
    path = out / "attached-scan.pdf"
    path.write_bytes(data.getvalue())
    return path


MAKERS = {"browser": browser_pdf, "searchable": searchable_pdf, "attached-scan": attached_scan_pdf}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--only", nargs="+", choices=list(MAKERS), default=list(MAKERS))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="dean06-producers-"))
    out.mkdir(parents=True, exist_ok=True)
    paths = [MAKERS[name](out) for name in args.only]
    from scripts import score_extraction

    pairs = [f"{path}:{GOLD}" for path in paths]
    return score_extraction.main([*(["-v"] if args.verbose else []), *pairs])


if __name__ == "__main__":
    sys.exit(main())
