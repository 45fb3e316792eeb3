"""Score extract() on the held-out documents: Markdown tables per document and per kind.

python scripts/bench_heldout.py            # every gold file of tests/data/heldout/gold
python scripts/bench_heldout.py -v         # also how many of each kind of error, per document

The held-out set is for measuring only: nobody tunes a reader on it (tests/data/heldout/README.md).
Tasks are matched to the gold by their words (dean06.ingest.scoring), so a task counts as found only
when its text is there; extracted tasks that match no gold task lower the precision.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dean06.ingest import ExtractedPlan, IngestError, UnitRegistry, extract
from dean06.ingest.scoring import Score, score, total

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "data" / "heldout"
KINDS = ("web-text", "docx", "pdf", "xlsx", "scan", "ocr-text")


@dataclass
class Row:
    name: str
    kind: str
    result: Score
    seconds: float
    error: str = ""


def gold_files(folder: Path) -> list[Path]:
    return sorted((folder / "gold").glob("*.json"))


def run(gold_path: Path, folder: Path, registry: UnitRegistry) -> Row:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    source = folder / gold["input"]
    start = time.perf_counter()
    try:
        plan = extract(source, registry)
    except IngestError as exc:
        result = score_nothing(gold)
        return Row(source.name, gold["kind"], result, time.perf_counter() - start, str(exc))
    seconds = time.perf_counter() - start
    return Row(source.name, gold["kind"], score(plan, gold), seconds)


def score_nothing(gold: dict[str, object]) -> Score:
    """A document the reader refused: every gold task missing."""
    return score(ExtractedPlan(), gold)


def pct(value: float) -> str:
    return f"{value:.0%}"


def table(title: str, rows: Sequence[tuple[str, str, Score, float]]) -> list[str]:
    head = (
        "| document | kind | found / gold | extracted | precision | recall | lead | "
        "coordinating | due date | recurring | content | time |"
    )
    lines = [f"### {title}", "", head, "|" + " --- |" * 12]
    for name, kind, s, seconds in rows:
        precision = pct(s.precision) if s.extracted else "–"
        lines.append(
            f"| {name} | {kind} | {s.found} / {s.tasks} | {s.extracted} | {precision} | "
            f"{pct(s.recall)} | {pct(s.accuracy('lead'))} | {pct(s.accuracy('coordinating'))} | "
            f"{pct(s.accuracy('due_date'))} | {pct(s.accuracy('recurring'))} | "
            f"{pct(s.accuracy('content'))} | {seconds:.1f} s |"
        )
    return lines


def found_table(rows: list[Row]) -> list[str]:
    """Field accuracy over the found tasks only: how good a task is once the reader finds it."""
    lines = [
        "### Fields of the found tasks",
        "",
        "| document | found | lead | coordinating | due date | recurring | content | code |",
        "|" + " --- |" * 8,
    ]
    for row in rows:
        s = row.result
        names = ("lead", "coordinating", "due_date", "recurring", "content", "code")
        # Nothing found: nothing to judge.
        cells = " | ".join(pct(s.accuracy_found(n)) if s.found else "–" for n in names)
        lines.append(f"| {row.name} | {s.found} | {cells} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=HELDOUT, help="held-out folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="count errors by kind")
    args = parser.parse_args(argv)
    registry = UnitRegistry.default()
    started = time.perf_counter()
    rows = [run(g, args.folder, registry) for g in gold_files(args.folder)]
    per_doc: list[tuple[str, str, Score, float]] = [
        (r.name, r.kind, r.result, r.seconds) for r in rows
    ]
    everything = total(r.result for r in rows)
    per_doc.append(("**all**", "", everything, sum(r.seconds for r in rows)))
    by_kind: list[tuple[str, str, Score, float]] = []
    for kind in [*KINDS, *sorted({r.kind for r in rows} - set(KINDS))]:
        mine = [r for r in rows if r.kind == kind]
        if mine:
            by_kind.append(
                (
                    f"{len(mine)} document(s)",
                    kind,
                    total(r.result for r in mine),
                    sum(r.seconds for r in mine),
                )
            )
    out = table("Per document (fields over all gold tasks; a task not found is wrong)", per_doc)
    out += ["", *table("Per kind (tasks summed over the documents of the kind)", by_kind)]
    out += ["", *found_table(rows)]
    for row in rows:
        if row.error:
            out.append(f"\n{row.name}: refused: {row.error}")
    if args.verbose:
        out.append("")
        for row in rows:
            kinds = Counter(e.rsplit(": ", 1)[1] for e in row.result.errors)
            detail = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
            out.append(
                f"- {row.name}: missing {len(row.result.missing)}, extra {len(row.result.extra)}"
                + (f", wrong {detail}" if detail else "")
            )
    out.append(f"\nTotal time {time.perf_counter() - started:.1f} s.")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
