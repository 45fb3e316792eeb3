"""Time the OCR-text reader on each fixture of tests/data/ocr: best of N runs, seconds per file
(registry loaded once, as a server would), with the CPU time (best of N: a measure that other
processes on the machine disturb less) and the unit resolver's work per file (calls of
UnitResolver.resolve and .split in the first run).

python scripts/bench_ocrtext.py [-n 3] [--profile] [FILE ...]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from dean06.ingest import UnitRegistry, extract
from dean06.ingest.units import UnitResolver

ROOT = Path(__file__).resolve().parent.parent
OCR = ROOT / "tests" / "data" / "ocr"
FIXTURES = (
    "plan2024-vie-psm3.txt",
    "plan2024-eng-psm3.txt",
    "001-eng-psm3.txt",
    "001-eng-psm4.txt",
    "001-eng-psm6.txt",
    "lamdong-cchc-vie-psm3.txt",
    "lamdong-cchc-eng-psm3.txt",
)


class _Counting:
    """Counts UnitResolver.resolve/split calls while installed."""

    def __init__(self) -> None:
        self.resolve = 0
        self.split = 0
        self._orig = (UnitResolver.resolve, UnitResolver.split)

    def __enter__(self) -> _Counting:
        resolve, split = self._orig
        counter = self

        def counted_resolve(resolver: UnitResolver, *args: object, **kwargs: object) -> object:
            counter.resolve += 1
            return resolve(resolver, *args, **kwargs)  # type: ignore[arg-type]

        def counted_split(resolver: UnitResolver, *args: object, **kwargs: object) -> object:
            counter.split += 1
            return split(resolver, *args, **kwargs)  # type: ignore[arg-type]

        UnitResolver.resolve = counted_resolve  # type: ignore[method-assign,assignment]
        UnitResolver.split = counted_split  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        UnitResolver.resolve, UnitResolver.split = self._orig  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the slowest file")
    args = parser.parse_args(argv)
    files = args.files or [OCR / name for name in FIXTURES]
    registry = UnitRegistry.default()
    print(f"{'input':30} {'tasks':>5} {'best s':>8} {'cpu s':>7} {'resolve':>8} {'split':>6}")
    slowest: tuple[float, Path] = (0.0, files[0])
    for path in files:
        data = path.read_bytes()
        best = float("inf")
        cpu = float("inf")
        tasks = 0
        with _Counting() as counts:
            plan = extract(data, registry, filename=path.name)
        tasks = len(plan.tasks)
        for _ in range(max(1, args.runs)):
            start, start_cpu = time.perf_counter(), time.process_time()
            extract(data, registry, filename=path.name)
            best = min(best, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        slowest = max(slowest, (best, path))
        print(
            f"{path.name[:30]:30} {tasks:>5} {best:>8.2f} {cpu:>7.2f} "
            f"{counts.resolve:>8} {counts.split:>6}"
        )
    if args.profile:
        path = slowest[1]
        print(f"\nprofile of {path.name}")
        profiler = cProfile.Profile()
        profiler.enable()
        extract(path.read_bytes(), registry, filename=path.name)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
