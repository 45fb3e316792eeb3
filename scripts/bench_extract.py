"""Time extract() on each plan seed: median of N runs (registry loaded once, as a server would).

python scripts/bench_extract.py [-n 7] [FILE ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

from dean06.ingest import UnitRegistry, extract

SEEDS = ("000_29642a5544120c4a.txt", "001_33c018715ba11eff.txt", "002_6f41b110d532d470.txt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("-n", "--runs", type=int, default=7)
    args = parser.parse_args(argv)
    seeds = Path(str(resources.files("dean06") / "data" / "seeds"))
    files = args.files or [seeds / name for name in SEEDS]
    registry = UnitRegistry.default()
    print(f"{'input':34} {'tasks':>5} {'median':>9} {'min':>9} {'max':>9}")
    for path in files:
        data = path.read_bytes()
        times = []
        tasks = 0
        for _ in range(max(1, args.runs)):
            start = time.perf_counter()
            plan = extract(data, registry, filename=path.name)
            times.append(time.perf_counter() - start)
            tasks = len(plan.tasks)
        print(
            f"{path.name[:34]:34} {tasks:>5} {statistics.median(times) * 1000:>7.0f}ms "
            f"{min(times) * 1000:>7.0f}ms {max(times) * 1000:>7.0f}ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
