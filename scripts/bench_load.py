"""The load of the 15th: every unit submits its monthly reports at once — through the real submit
path, on PostgreSQL, at increasing arrival rates (open loop), beside a bare Django view doing one
insert on the same database in the same run.

    python scripts/bench_load.py [--rates 10 20 40 80] [--bare-rates 50 100 200 400]
                                 [--seconds 8] [--procs 1 2] [--units 200 --tasks 1000]
                                 [--redis] [--fault] [--fault-rate 40]

Loopback only (127.0.0.1). Needs PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres): a
database `dean06_load` is made afresh. For each number of application processes (waitress, 8
threads each; the generator spreads requests over their ports), for each rate: requests are sent
at fixed times whatever the answers (open loop), each its own unit officer's session, each a new
(task, month) report sent with "Gửi báo cáo"; latency counts from the planned send time. After
each step the database is checked: every 302 answer is one submitted report, none duplicated,
nothing submitted that was answered with an error. A path's rates stop rising after the first
rate it does not hold (p95 < 200 ms, no error, nothing lost): the next would only queue longer.
Each step submits a month of its own (2025-01, 2025-02, ... into 2026).

--fault restarts PostgreSQL a third into a step at --fault-rate, after the sweeps, with the most
processes: the errors while it is down are counted, every acknowledged report must be stored
once, and the step after it must run clean without restarting the application.
Prints Markdown tables for docs/benchmarks.md and the generator's own share of the two cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB = "dean06_load"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
GOAL_P95_MS = 200.0

# A settings module adding the bare view: one INSERT, no session, no form, no template.
BARE_SITE = """
from dean06.settings import *  # noqa: F403

ROOT_URLCONF = "bench_load_site"
"""
BARE_URLS = """
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from dean06.core.models import AuditEntry


@login_not_required
@csrf_exempt
def insert(request):
    note = request.POST.get("n", "")
    AuditEntry.objects.create(action="bench.insert", object_type="bench", note=note)
    return HttpResponse(status=204)


urlpatterns = [path("bench/insert/", insert), path("", include("dean06.urls"))]
"""

# Run in `dean06 manage shell`: officers with sessions, a plan of lead assignments, the months.
SETUP = r"""
import json, secrets
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.plans.models import Assignment
from dean06.synthetic import generate_province
from dean06.tracking.services import period_get_or_create

generate_province(units=UNITS, tasks=TASKS, months=1, end_year=2024, end_month=12)
out = {}
for a in Assignment.objects.filter(role="lead").select_related("unit"):
    out.setdefault(a.unit_id, {"assignments": []})["assignments"].append(a.pk)
users = []
for unit_id in out:
    user = User(username=f"load{unit_id}", role=Role.UNIT_OFFICER, unit_id=unit_id)
    user.set_unusable_password()
    users.append(user)
User.objects.bulk_create(users)
for user in User.objects.filter(username__startswith="load"):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out[user.unit_id]["session"] = session.session_key
for year in (2025, 2026):
    for month in range(1, 13):
        period_get_or_create("month", year, month)
print("LOAD-SETUP " + json.dumps(list(out.values())))
"""

CHECK = r"""
import json
from django.db.models import Count
from dean06.tracking.models import ProgressReport
qs = ProgressReport.objects.filter(period__kind="month", period__year=YEAR, period__number=MONTH)
dupes = qs.values("assignment_id").annotate(n=Count("id")).filter(n__gt=1).count()
sent = qs.filter(status__in=("submitted", "approved")).count()
print("LOAD-CHECK " + json.dumps({"submitted": sent, "all": qs.count(), "duplicates": dupes}))
"""


@dataclass
class Step:
    target: str
    procs: int
    rate: float
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    ok: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    check: dict[str, int] = field(default_factory=dict)

    def p95(self) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return statistics.quantiles(self.latencies, n=20)[-1]

    def held(self) -> bool:
        return not self.errors and self.p95() < GOAL_P95_MS and self.lost_or_doubled() == 0

    def lost_or_doubled(self) -> int:
        if not self.check:
            return 0
        return abs(self.check["submitted"] - self.ok) + self.check["duplicates"]


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def _manage_shell(env: dict[str, str], code: str, tag: str) -> object:
    out = subprocess.run(
        [str(BIN / "dean06"), "manage", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith(tag))
    return json.loads(line[len(tag) + 1 :])


def _start(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "python"),
            "-m",
            "waitress",
            "--host=127.0.0.1",
            f"--port={port}",
            "--threads=8",
            "--ident=dean06",
            "dean06.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    end = time.monotonic() + 60
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"waitress did not answer on port {port}")


class Generator:
    """Open loop: request i is due at start + i / rate, sent by a pool thread then; each pool
    thread keeps one connection per port."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.local = threading.local()

    def _conn(self, port: int) -> http.client.HTTPConnection:
        conns = getattr(self.local, "conns", None)
        if conns is None:
            conns = self.local.conns = {}
        if port not in conns:
            conns[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return conns[port]

    def _post(self, port: int, path: str, body: str, cookie: str) -> int:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        for attempt in (1, 2):
            conn = self._conn(port)
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                return response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conns.pop(port, None)
                if attempt == 2:
                    raise
        return 0

    def run(self, step: Step, requests: list[tuple[str, str, str]], seconds: float) -> None:
        count = int(step.rate * seconds)
        lock = threading.Lock()
        start = time.perf_counter() + 0.2
        cpu0 = sum(os.times()[:2])

        def fire(i: int) -> None:
            due = start + i / step.rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            path, body, cookie = requests[i]
            port = self.ports[i % len(self.ports)]
            try:
                status = self._post(port, path, body, cookie)
                outcome = "ok" if status in (204, 302) else f"HTTP {status}"
            except Exception as exc:  # every failure is counted, none stops the run
                outcome = type(exc).__name__
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                step.sent += 1
                step.latencies.append(elapsed)
                if outcome == "ok":
                    step.ok += 1
                else:
                    step.errors[outcome] = step.errors.get(outcome, 0) + 1

        with ThreadPoolExecutor(max_workers=min(256, max(16, int(step.rate)))) as pool:
            list(pool.map(fire, range(count)))
        step.wall = time.perf_counter() - start
        step.cpu = sum(os.times()[:2]) - cpu0


def _month(index: int) -> tuple[int, int]:
    """The reporting month of the index-th step: 1 is January 2025, 13 January 2026."""
    return 2025 + (index - 1) // 12, (index - 1) % 12 + 1


def _submit_requests(units: list[dict], index: int, count: int) -> list[tuple[str, str, str]]:
    """`count` submissions of the index-th month, spread over the units, one per assignment."""
    year, month = _month(index)
    pairs = [(u, a) for u in units for a in u["assignments"]]
    if count > len(pairs):
        raise SystemExit(f"{count} requests need more assignments than {len(pairs)}: --tasks")
    out = []
    for unit, assignment in pairs[:count]:
        csrf = secrets.token_hex(16)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "state": "in_progress",
                "percent_complete": "50",
                "progress": "Đã triển khai trong kỳ; số liệu kèm theo.",
                # The months measured are past their due day: the reason a late report needs.
                "late_reason": "Chờ số liệu của cấp xã.",
                "action": "submit",
            }
        )
        cookie = f"sessionid={unit['session']}; csrftoken={csrf}"
        out.append((f"/bao-cao/{assignment}/{year}/{month}/", body, cookie))
    return out


def _bare_requests(count: int) -> list[tuple[str, str, str]]:
    return [("/bench/insert/", f"n={i}", "") for i in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[10, 20, 40, 80])
    parser.add_argument(
        "--bare-rates", type=float, nargs="+", help="the bare view's rates (default: --rates)"
    )
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--redis", action="store_true", help="queue and cache in Redis")
    parser.add_argument("--fault", action="store_true", help="restart PostgreSQL mid-step")
    parser.add_argument("--fault-rate", type=float, default=40)
    args = parser.parse_args()
    bare_rates = args.bare_rates or args.rates

    _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB}")
    with tempfile.TemporaryDirectory(prefix="dean06-load-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "bench_load_settings.py").write_text(BARE_SITE)
        (site / "bench_load_site.py").write_text(BARE_URLS)
        env = {
            **os.environ,
            "DEAN06_DATA_DIR": str(Path(tmp) / "data"),
            "DATABASE_URL": DB_URL,
            "DEAN06_ALLOWED_HOSTS": "127.0.0.1",
            "DEAN06_WORKER": "embedded",
            "DJANGO_SETTINGS_MODULE": "bench_load_settings",
            "PYTHONPATH": str(site),
        }
        env.pop("DEAN06_DEMO_TODAY", None)
        if args.redis:
            env["DEAN06_REDIS_URL"] = "redis://127.0.0.1:6379/0"
        subprocess.run([str(BIN / "dean06"), "init", "--quiet"], env=env, check=True)
        setup = SETUP.replace("UNITS", str(args.units)).replace("TASKS", str(args.tasks))
        units = _manage_shell(env, setup, "LOAD-SETUP")
        assert isinstance(units, list)
        steps: list[Step] = []

        def submit_step(
            generator: Generator, target: str, procs: int, rate: float, fault: bool = False
        ) -> Step:
            # Each step sends the reports of a month of its own: none exists before it.
            month = 1 + sum(1 for s in steps if s.target.startswith("submit path"))
            step = Step(target, procs, rate)
            if fault:
                threading.Timer(args.seconds / 3, _restart_postgres).start()
            generator.run(
                step, _submit_requests(units, month, int(rate * args.seconds)), args.seconds
            )
            year, number = _month(month)
            check = CHECK.replace("YEAR", str(year)).replace("MONTH", str(number))
            step.check = _manage_shell(env, check, "LOAD-CHECK")  # type: ignore[assignment]
            steps.append(step)
            print(_line(step), file=sys.stderr, flush=True)
            return step

        for procs in args.procs:
            ports = [18700 + i for i in range(procs)]
            servers = [_start(env, port) for port in ports]
            try:
                generator = Generator(ports)
                for rate in bare_rates:
                    bare = Step("bare insert", procs, rate)
                    generator.run(bare, _bare_requests(int(rate * args.seconds)), args.seconds)
                    steps.append(bare)
                    print(_line(bare), file=sys.stderr, flush=True)
                    if not bare.held():
                        break
                for rate in args.rates:
                    if not submit_step(generator, "submit path", procs, rate).held():
                        break
                if args.fault and procs == args.procs[-1]:
                    rate = args.fault_rate
                    submit_step(
                        generator, "submit path, PostgreSQL restarted", procs, rate, fault=True
                    )
                    submit_step(generator, "submit path, after the restart", procs, rate)
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(10)
    _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _print(steps)
    return 0


def _restart_postgres() -> None:
    subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=False, capture_output=True)


def _line(step: Step) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(step.errors.items())) or "0"
    check = step.check
    verified = f"{check['submitted']} stored, {check['duplicates']} duplicated" if check else "—"
    share = 100 * step.cpu / (step.wall * 2) if step.wall else 0
    return (
        f"| {step.target} | {step.procs} | {step.rate:g}/s | {step.sent / step.wall:.1f}/s | "
        f"{statistics.median(step.latencies):.0f} ms | {step.p95():.0f} ms | {errors} | "
        f"{step.ok} | {verified} | {share:.0f}% |"
    )


def _print(steps: list[Step]) -> None:
    print(
        "| path | processes | arrival rate | achieved | median | p95 | errors | 2xx/302 | "
        "in the database | generator's share of 2 cores |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |")
    for step in steps:
        print(_line(step))
    print()
    for procs in sorted({s.procs for s in steps}):
        best: dict[str, float] = {}
        for target in ("bare insert", "submit path"):
            held = [s.rate for s in steps if s.procs == procs and s.target == target and s.held()]
            best[target] = max(held) if held else 0
            print(
                f"- {procs} process(es), {target}: highest rate held (p95 < 200 ms, 0 errors, "
                f"nothing lost or duplicated) {best[target]:g}/s"
            )
        if best["bare insert"]:
            ratio = 100 * best["submit path"] / best["bare insert"]
            print(f"- {procs} process(es): the submit path holds {ratio:.0f}% of the floor")
    for step in steps:
        if step.target.startswith("submit path,"):
            print(f"- {step.target}: {step.lost_or_doubled()} acknowledged reports lost or doubled")


if __name__ == "__main__":
    raise SystemExit(main())
