"""Server time and query count of the cycle's main pages on a synthetic province.

python scripts/bench_cycle.py [-n 9] [--sizes 10x10x3 60x50x12]

For each size (units x tasks x months) a fresh SQLite data folder (or the database of DATABASE_URL,
which must be empty) is set up, `generate-province` fills it, and the pages are requested in
process with Django's test client: the unit officer's first page (its tasks, what is owed), the
completeness grid over the months (secretariat), and the task list of the plan via
`dean06 status`'s selector. Reports the median time of N requests and the number of queries —
which must not grow with the data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(size: str) -> tuple[int, int, int]:
    units, tasks, months = (int(x) for x in size.split("x"))
    return units, tasks, months


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=9)
    parser.add_argument("--sizes", nargs="+", default=["10x10x3", "60x50x12"])
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            rows.append(_measure(size, Path(folder), args.n))
    print("| size (units × tasks × months) | reports | page | median | queries |")
    print("| --- | ---: | --- | ---: | ---: |")
    for size, reports, page, median, queries in (r for group in rows for r in group):
        print(f"| {size} | {reports} | {page} | {median:.0f} ms | {queries} |")
    return 0


def _measure(size: str, folder: Path, n: int) -> list[tuple[str, int, str, float, int]]:
    # A fresh process state per size: settings are read once per process, so run each size in a
    # child of this script.
    import subprocess

    env = dict(
        os.environ,
        DEAN06_DATA_DIR=str(folder),
        DEAN06_DEMO_TODAY="2024-12-10",
        DEAN06_ALLOWED_HOSTS="testserver",
    )
    out = subprocess.run(
        [sys.executable, __file__, "--child", size, str(n)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = []
    for line in out.splitlines():
        page, reports, median, queries = line.split("\t")
        result.append((size.replace("x", " × "), int(reports), page, float(median), int(queries)))
    return result


def _child(size: str, n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dean06.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dean06 import bootstrap
    from dean06.accounts.services import user_create
    from dean06.plans.models import Assignment
    from dean06.synthetic import generate_province
    from dean06.tracking.models import ProgressReport

    for _ in bootstrap.initialise():
        pass
    units, tasks, months = _setup(size)
    generate_province(units=units, tasks=tasks, months=months, end_year=2024, end_month=12)
    busiest = (
        Assignment.objects.filter(role="lead", unit__key__startswith="SYN")
        .values_list("unit_id", flat=True)
        .order_by("unit_id")
    )
    unit_id = max(set(busiest), key=list(busiest).count)
    from dean06.orgs.models import Unit

    password = "bench-Pass-2024!"  # noqa: S105 — a throw-away database
    officer = user_create(
        username="bench.officer",
        password=password,
        role="unit_officer",
        unit=Unit.objects.get(pk=unit_id),
    )
    secretariat = user_create(username="bench.secretariat", password=password, role="secretariat")
    leader = user_create(username="bench.leader", password=password, role="provincial_leader")
    client = Client()
    # (name, user, url, cold): a cold page is measured with the cache emptied before each request.
    pages = [
        ("unit officer's first page", officer, "/", False),
        (
            f"completeness grid, {months} months",
            secretariat,
            f"/bao-cao/tinh-hinh/?so_ky={months}",
            False,
        ),
        ("a unit's tasks (secretariat)", secretariat, f"/bao-cao/?don_vi={unit_id}", False),
        ("secretariat's first page (to do)", secretariat, "/", False),
        ("leader's first page: the dashboard, cache empty", leader, "/", True),
        ("leader's first page: the dashboard, cached", leader, "/", False),
        ("task list, search without diacritics", secretariat, "/nhiem-vu/?q=trien+khai", False),
        ("task list, overdue", secretariat, "/nhiem-vu/?status=overdue", False),
        ("a unit's page", secretariat, f"/don-vi/{unit_id}/", False),
        ("documents register", secretariat, "/van-ban/", False),
        ("data health", secretariat, "/suc-khoe-du-lieu/", False),
    ]
    reports = ProgressReport.objects.count()
    from django.core.cache import cache

    for name, user, url, cold in pages:
        client.force_login(user)
        client.get(url)  # warm
        times = []
        for _ in range(n):
            if cold:
                cache.clear()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name}\t{reports}\t{statistics.median(times)}\t{len(queries)}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "src"))
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
