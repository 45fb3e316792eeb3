"""The 2023 plan of the seeds' province as OCR'd text, and how well its tasks are matched to 2024's.

python scripts/continuity_2023.py make-fixture   # tests/data/plans/2023-kh-source.txt → -ocr.txt
python scripts/continuity_2023.py bench          # precision / recall against the hand-made gold

`make-fixture` types the plan (tests/data/plans/2023-kh-source.txt) into a Word file, prints it to
PDF with LibreOffice, rasterises it at 300 dpi as a scanner would and reads it with tesseract
WITHOUT Vietnamese data (`-l eng`): the form the seeds' README describes for the 2023 plan. Needs
soffice, tesseract with "eng" data and pypdfium2.

`bench` imports seed 000 (2024) and the OCR fixture (2023) into a throw-away SQLite database the
way `dean06 import-plan` does, then scores the `continues` links against the gold written by hand
in tests/data/plans/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "plans"
SOURCE = DATA / "2023-kh-source.txt"
FIXTURE = DATA / "2023-kh-ocr.txt"
GOLD = DATA / "README.md"
SEED_2024 = "000_29642a5544120c4a.txt"
DPI = 300


# --- the fixture --------------------------------------------------------------------------------


def render_docx(source: str) -> bytes:
    """The typed plan: two-column letterhead, headings, dash paragraphs, a landscape appendix.

    Lines: "a<TAB>b" a letterhead row; "# " a centred bold line; "## "/"### " bold headings;
    "|a|b|..." table rows (the first is the header); "@pagebreak" a landscape section.
    """
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side, size in (("left", 3.0), ("right", 2.0), ("top", 2.0), ("bottom", 2.0)):
        setattr(section, f"{side}_margin", Cm(size))
    normal = word.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    letterhead = None
    table = None
    for line in source.splitlines():
        if "\t" in line:
            if letterhead is None:
                letterhead = word.add_table(rows=0, cols=2)
            cells = letterhead.add_row().cells
            for cell, text in zip(cells, line.split("\t"), strict=True):
                cell.paragraphs[0].add_run(text).bold = not text.startswith(("Số", "Bắc Giang"))
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            continue
        letterhead = None
        if line == "@pagebreak":
            section = word.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
            continue
        if line.startswith("|"):
            cells_text = line[1:].split("|")
            if table is None:
                table = word.add_table(rows=0, cols=len(cells_text))
                table.style = "Table Grid"
                table.autofit = False
                widths = (Cm(1.2), Cm(10.0), Cm(5.5), Cm(3.3), Cm(3.5), Cm(2.5))
                for column, width in zip(table.columns, widths, strict=True):
                    column.width = width
            row = table.add_row()
            for cell, text, width in zip(row.cells, cells_text, widths, strict=True):
                cell.width = width
                cell.paragraphs[0].add_run(text).bold = len(table.rows) == 1
            continue
        para = word.add_paragraph()
        if line.startswith("#"):
            level, _, text = line.partition(" ")
            para.add_run(text).bold = True
            if level == "#":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            para.add_run(line)
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            para.paragraph_format.first_line_indent = Cm(1.0)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def make_fixture(psm: int) -> int:
    sys.path.insert(0, str(ROOT))
    from scripts import samples

    started = time.perf_counter()
    pdf = samples.docx_to_pdf(render_docx(SOURCE.read_text(encoding="utf-8")))
    images = samples.rasterise(pdf, dpi=DPI)
    text = samples.ocr_text(images, DPI, "eng", psm)
    FIXTURE.write_text(text, encoding="utf-8")
    print(
        f"{FIXTURE.relative_to(ROOT)}: {len(images)} pages, psm {psm}, "
        f"{time.perf_counter() - started:.1f}s"
    )
    return 0


# --- the gold and the score ---------------------------------------------------------------------


@dataclass(frozen=True)
class GoldItem:
    """A task of the 2023 plan as typed (`III.u.k`, `PL.n`) and the 2024 task continuing it."""

    id: str
    text: str
    continued_by: str | None


def gold_items() -> list[GoldItem]:
    """The typed plan's tasks (tests/data/plans/2023-kh-source.txt) with the gold of README.md."""
    gold: dict[str, str | None] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"(III\.\d+\.\d+|PL\.\d+)", cells[0]):
            gold[cells[0]] = None if cells[2] in ("—", "-", "") else cells[2]
    items = []
    roman = unit = ""
    count = 0
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"## ([IVX]+)\.", line):
            roman = m.group(1)
        elif m := re.match(r"### (\d+)\.", line):
            unit, count = m.group(1), 0
        elif line.startswith("- ") and roman == "III":
            count += 1
            items.append(f"III.{unit}.{count}|{line[2:]}")
        elif m := re.match(r"\|(\d+)\|([^|]+)\|", line):
            items.append(f"PL.{m.group(1)}|{m.group(2)}")
    out = [
        GoldItem(id=key, text=text, continued_by=gold[key])
        for key, text in (item.split("|", 1) for item in items)
    ]
    missing = set(gold) ^ {i.id for i in out}
    if missing:
        raise ValueError(f"gold and source disagree on {sorted(missing)}")
    return out


def align(read: dict[str, str], items: list[GoldItem]) -> dict[str, str]:
    """Which typed task each task read is (read code → gold id), by their folded text: the read
    text may be OCR'd, cut to its first line or carry a neighbouring cell's words."""
    from rapidfuzz import fuzz

    from dean06.ingest.text import fold

    out: dict[str, str] = {}
    for code, content in read.items():
        scored = [(fuzz.partial_ratio(fold(content)[:80], fold(i.text)), i.id) for i in items]
        best, key = max(scored)
        if best >= 75 and key not in out.values():
            out[code] = key
    return out


@dataclass
class Score:
    tasks_read: int
    gold_links: int  # links in the gold
    readable: int  # gold links whose 2023 task was read
    found: list[tuple[str, str]] = field(default_factory=list)  # (2024, gold id)
    wrong: list[tuple[str, str]] = field(default_factory=list)  # (2024, read code)
    missed: list[tuple[str, str]] = field(default_factory=list)  # (gold id, 2024)
    flagged: set[str] = field(default_factory=set)  # 2024 codes of links flagged as near ties

    @property
    def links(self) -> int:
        return len(self.found) + len(self.wrong)

    @property
    def precision(self) -> float:
        return len(self.found) / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return len(self.found) / self.gold_links if self.gold_links else 1.0

    @property
    def recall_readable(self) -> float:
        return len(self.found) / self.readable if self.readable else 1.0


def score(links: dict[str, str], read: dict[str, str], flagged: set[str] | None = None) -> Score:
    """Score `links` (2024 code → code of the 2023 task read) against the gold; `read` maps each
    2023 task read to its content."""
    items = gold_items()
    by_id = {i.id: i for i in items}
    aligned = align(read, items)
    result = Score(
        tasks_read=len(read),
        gold_links=sum(1 for i in items if i.continued_by),
        readable=sum(1 for key in aligned.values() if by_id[key].continued_by),
        flagged=set(flagged or ()),
    )
    for new, old in sorted(links.items()):
        key = aligned.get(old)
        if key is not None and by_id[key].continued_by == new:
            result.found.append((new, key))
        else:
            result.wrong.append((new, old))
    found = {key for _, key in result.found}
    result.missed = [
        (key, by_id[key].continued_by or "")
        for key in aligned.values()
        if by_id[key].continued_by and key not in found
    ]
    return result


# --- the benchmark ------------------------------------------------------------------------------

# What a reviewer types on the review page when the reading lost the letterhead.
REVIEWED_NUMBER = "28/KH-UBND"
REVIEWED_DATE = dt.date(2023, 2, 15)
REVIEWED_ISSUER = "UBND tỉnh Bắc Giang"


def extracted_2023(path: Path) -> Any:
    """The 2023 plan as read, with the number, date and issuer a reviewer types when the reading
    lost them (the OCR'd letterhead)."""
    import dataclasses

    from dean06.ingest import extract
    from dean06.ingest.model import UnitRegistry

    extracted = extract(path.read_bytes(), UnitRegistry.default(), filename=path.name)
    meta = extracted.plan
    # Each field the reading lost is typed by the reviewer; what it read is kept.
    meta = dataclasses.replace(
        meta,
        number=meta.number or REVIEWED_NUMBER,
        date=meta.date or REVIEWED_DATE,
        year=meta.year or REVIEWED_DATE.year,
        issuer=meta.issuer or REVIEWED_ISSUER,
    )
    return dataclasses.replace(extracted, plan=meta)


def measure(path: Path) -> Score:
    """Import seed 000 and the 2023 plan read from `path` into the current database, score the
    links the import made, and take the 2023 plan out again."""
    from dean06.ingest import extract
    from dean06.orgs.selectors import unit_registry
    from dean06.plans.models import Plan, Task
    from dean06.plans.services import plan_import
    from dean06.reference import seed_path

    seed = seed_path(SEED_2024)
    if not Plan.objects.filter(number="18/KH-UBND").exists():
        data = seed.read_bytes()
        plan_import(extracted=extract(data, unit_registry(), filename=seed.name), by=None)
    result = plan_import(extracted=extracted_2023(path), by=None, source_name=path.name)
    old_plan = result.plan
    assert old_plan is not None
    flagged = {link.task.code for r in result.continuity for link in r.matched if link.review}
    links = dict(
        Task.objects.filter(plan__number="18/KH-UBND", continues__plan=old_plan).values_list(
            "code", "continues__code"
        )
    )
    read = dict(old_plan.tasks.values_list("code", "content"))
    outcome = score(links, read, flagged)
    old_plan.delete()  # a throw-away database: the next input starts from 2024 alone
    return outcome


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def bench() -> int:
    with tempfile.TemporaryDirectory() as data:
        os.environ["DEAN06_DATA_DIR"] = data
        from dean06.cli import main as dean06

        with contextlib.redirect_stdout(io.StringIO()):
            dean06(["init", "--quiet"])
        rows = [
            ("typed text (2023-kh-source.txt)", SOURCE),
            ("OCR text (2023-kh-ocr.txt)", FIXTURE),
        ]
        started = time.perf_counter()
        scores = [(name, measure(path)) for name, path in rows]
        elapsed = time.perf_counter() - started
    print(
        "| 2023 plan read from | tasks read | gold links | of them read | links made "
        "| right | wrong | precision | recall | recall of those read | near ties |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, s in scores:
        print(
            f"| {name} | {s.tasks_read} | {s.gold_links} | {s.readable} | {s.links} "
            f"| {len(s.found)} | {len(s.wrong)} | {_percent(s.precision)} | {_percent(s.recall)} "
            f"| {_percent(s.recall_readable)} | {len(s.flagged)} |"
        )
    for name, s in scores:
        print(f"\n{name}:")
        wrong = [f"{n} → {o}" + (" (flagged)" if n in s.flagged else "") for n, o in s.wrong]
        print("  wrong: " + (", ".join(wrong) or "none"))
        print("  missed: " + (", ".join(f"{k} (→ {n})" for k, n in s.missed) or "none"))
    print(f"\n{elapsed:.1f}s for both imports and scores")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make-fixture", help="render and OCR the 2023 plan")
    make.add_argument("--psm", type=int, default=4)
    sub.add_parser("bench", help="score the links against the gold")
    args = parser.parse_args(argv)
    if args.command == "make-fixture":
        return make_fixture(args.psm)
    return bench()


if __name__ == "__main__":
    sys.exit(main())
