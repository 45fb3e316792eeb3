"""OCR text of the 2024 plan's appendix in other table layouts: development material for the
OCR-text reader that is not the one layout it was first built on.

python scripts/ocr_variants.py make [--lang vie eng] [--layout NAME ...]   # writes OUT/*.txt
python scripts/ocr_variants.py score [-v]                                  # scores OUT/*.txt

Seed 001's rows (39 tasks, gold `tests/data/gold/001.json`) are printed as a Word table in each
layout below — other header words, the columns in another order, a product, note or monitoring
column besides the five usual ones — then LibreOffice → PDF → pdftoppm 200 dpi grey → tesseract
(default page segmentation, psm 3), page by page, pages joined by a form feed: what an office gets
from its scanner's OCR. Header wordings are those of Vietnamese plan appendices in general (the
column roles of `dean06.ingest.layout.tables`), not of any one held-out document.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

OUT = Path(tempfile.gettempdir()) / "dean06-ocr-variants"
GOLD = ROOT / "tests" / "data" / "gold" / "001.json"
DPI = 200

# Each layout: (header text, what the column holds, width in cm). Roles: stt, content, lead,
# coord, deadline (the seed's five cells), product and monitor (filled with a general phrase),
# note (empty).
Column = tuple[str, str, float]
LAYOUTS: dict[str, tuple[Column, ...]] = {
    "words": (
        ("TT", "stt", 1.2),
        ("Công việc", "content", 11.5),
        ("Đơn vị thực hiện", "lead", 4.6),
        ("Đơn vị phối hợp", "coord", 4.6),
        ("Thời hạn", "deadline", 4.6),
    ),
    "note": (
        ("STT", "stt", 1.2),
        ("Nhiệm vụ", "content", 10.0),
        ("Cơ quan chủ trì", "lead", 4.0),
        ("Cơ quan phối hợp", "coord", 4.0),
        ("Thời gian hoàn thành", "deadline", 3.8),
        ("Ghi chú", "note", 3.0),
    ),
    "time-first": (
        ("STT", "stt", 1.2),
        ("Nội dung", "content", 11.0),
        ("Thời gian thực hiện", "deadline", 4.0),
        ("Đơn vị chủ trì", "lead", 4.8),
        ("Đơn vị phối hợp", "coord", 5.0),
    ),
    "product-column": (
        ("STT", "stt", 1.2),
        ("Nhiệm vụ", "content", 9.5),
        ("Sản phẩm", "product", 4.0),
        ("Cơ quan chủ trì", "lead", 4.2),
        ("Cơ quan phối hợp", "coord", 4.2),
        ("Thời gian hoàn thành", "deadline", 3.6),
    ),
    "product": (
        ("STT", "stt", 1.0),
        ("Nhiệm vụ", "content", 8.5),
        ("Sản phẩm", "product", 4.0),
        ("Thời gian hoàn thành", "deadline", 3.2),
        ("Chủ trì thực hiện", "lead", 3.6),
        ("Phối hợp thực hiện", "coord", 3.6),
        ("Theo dõi, đôn đốc", "monitor", 2.8),
    ),
}
# Layouts whose group rows are numbered in Roman numerals ("I. NHÓM ...") instead of letters.
ROMAN_GROUPS = {"roman"}
# Layouts whose number cells are centred vertically (the number stands beside the middle of
# the task's text, as many provinces print it).
CENTRED_NUMBERS = {"centred"}
LAYOUTS["roman"] = (
    ("STT", "stt", 1.2),
    ("Nội dung, nhiệm vụ cụ thể", "content", 11.5),
    ("Đơn vị chủ trì", "lead", 4.6),
    ("Đơn vị phối hợp", "coord", 4.6),
    ("Thời gian hoàn thành", "deadline", 4.6),
)
LAYOUTS["centred"] = LAYOUTS["roman"]
FILLERS = {
    "product": "Báo cáo kết quả thực hiện",
    "monitor": "Công an tỉnh",
    "note": "",
}
SEED_ROLES = ("stt", "content", "lead", "coord", "deadline")


def _roman_group(cell: object) -> object:
    """A group row's cell with its letter as a Roman numeral ("B. NHÓM ..." → "II. NHÓM ...")."""
    from scripts import samples

    paragraphs = list(cell.paragraphs)  # type: ignore[attr-defined]
    text, item = paragraphs[0]
    if len(text) > 2 and text[1] == "." and text[0] in "ABCDEFGH":
        text = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")["ABCDEFGH".index(text[0])] + text[
            1:
        ]
    return samples.SeedCell(paragraphs=[(text, item), *paragraphs[1:]], bold=cell.bold)  # type: ignore[attr-defined]


def render_layout(
    columns: tuple[Column, ...], *, roman: bool = False, centred: bool = False
) -> bytes:
    """Seed 001's appendix as a Word table in this layout (group rows merged across; their
    letters as Roman numerals when `roman`)."""
    from docx.shared import Cm

    from scripts import samples

    word = samples.landscape_document(12)
    bullet = word.styles["List Bullet"]
    for line in samples.preamble():
        para = word.add_paragraph()
        para.add_run(line).bold = not line.startswith("(")
    table = word.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Cm(w) for _, _, w in columns]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in samples.clean_rows():
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        if row.kind == "header":
            for cell, (name, _, _) in zip(cells, columns, strict=True):
                cell.paragraphs[0].add_run(name).bold = True
            samples._mark_header(table.rows[-1])
        elif row.kind == "group":
            group = _roman_group(row.cells[0]) if roman else row.cells[0]
            samples._add_cell_paragraphs(cells[0].merge(cells[-1]), group, bullet)
        elif row.kind == "subgroup":
            samples._add_cell_paragraphs(cells[0], row.cells[0], bullet)
            samples._add_cell_paragraphs(cells[1].merge(cells[-1]), row.cells[1], bullet)
        else:
            if centred:
                from docx.enum.table import WD_ALIGN_VERTICAL

                cells[0].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
            for cell, (_, role, _) in zip(cells, columns, strict=True):
                if role in SEED_ROLES:
                    seed = row.cells[SEED_ROLES.index(role)]
                else:
                    seed = samples.SeedCell(paragraphs=[(FILLERS[role], False)])
                samples._add_cell_paragraphs(cell, seed, bullet)
    import io

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def ocr_pages(pdf: bytes, lang: str) -> str:
    from scripts import samples

    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, image in enumerate(samples.pdftoppm_pages(pdf, dpi=DPI)):
            path = Path(tmp) / f"p{i}.png"
            image.save(path, dpi=(DPI, DPI))  # type: ignore[attr-defined]
            result = subprocess.run(
                ["tesseract", str(path), "-", "-l", lang],
                check=True,
                capture_output=True,
                timeout=600,
            )
            pages.append(result.stdout.decode("utf-8", errors="replace").rstrip("\n\f") + "\n")
    return "\f".join(pages)


def make(out: Path, layouts: list[str], langs: list[str]) -> None:
    from scripts import samples

    out.mkdir(parents=True, exist_ok=True)
    for name in layouts:
        started = time.perf_counter()
        word = render_layout(
            LAYOUTS[name], roman=name in ROMAN_GROUPS, centred=name in CENTRED_NUMBERS
        )
        pdf = samples.docx_to_pdf(word)
        for lang in langs:
            target = out / f"{name}-{lang}-psm3.txt"
            target.write_text(ocr_pages(pdf, lang), encoding="utf-8")
        print(f"{name}: {time.perf_counter() - started:.1f}s", flush=True)


def score(out: Path, verbose: bool) -> int:
    files = sorted(out.glob("*.txt"))
    if not files:
        print(f"no OCR texts in {out}: run `make` first", file=sys.stderr)
        return 1
    argv = [f"{f}:{GOLD}" for f in files]
    from scripts import score_extraction

    return score_extraction.main([*(["-v"] if verbose else []), *argv])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_make = sub.add_parser("make")
    p_make.add_argument("--lang", nargs="+", default=["vie", "eng"])
    p_make.add_argument("--layout", nargs="+", default=list(LAYOUTS), choices=list(LAYOUTS))
    p_make.add_argument("--out", type=Path, default=OUT)
    p_score = sub.add_parser("score")
    p_score.add_argument("-v", "--verbose", action="store_true")
    p_score.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.command == "make":
        make(args.out, args.layout, args.lang)
        return 0
    return score(args.out, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
