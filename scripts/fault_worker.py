"""Fault run: the background worker is killed (SIGKILL) in the middle of reading a scanned plan.

    python scripts/fault_worker.py

A fresh data folder (SQLite, jobs in Huey's SQLite queue, `DEAN06_WORKER=external`, a dead
reading noticed after 1 minute); the 2024 plan rendered as a scanned PDF (LibreOffice, 300 dpi)
is uploaded and its reading enqueued; a worker (`dean06 manage run_huey`) starts reading it and
is killed with SIGKILL once the upload shows progress; a new worker is started. Expected: the new
worker's sweep puts the reading back in the queue (once) and reads it to the end; the audit shows
one requeue and one reading, the plan read once. Prints the timeline; exits 1 if not so.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))

ENQUEUE = r"""
from django.core.files.uploadedfile import SimpleUploadedFile
from dean06.plans.tasks import extract_upload
from dean06.plans.uploads import plan_upload_create
data = open(PATH, "rb").read()
upload = plan_upload_create(file=SimpleUploadedFile("ke-hoach-scan.pdf", data), by=None)
extract_upload(upload.pk)
print("UPLOAD", upload.pk)
"""

STATE = r"""
import json
from dean06.core.models import AuditEntry
from dean06.plans.models import PlanUpload
u = PlanUpload.objects.get(pk=PK)
actions = list(AuditEntry.objects.filter(object_type="plans.planupload", object_id=str(PK))
               .order_by("id").values_list("action", flat=True))
print("STATE " + json.dumps({"status": u.status, "done": u.progress_done,
                             "total": u.progress_total, "actions": actions,
                             "tasks": len((u.extracted or {}).get("tasks", []))}))
"""


def _shell(env: dict[str, str], code: str, tag: str) -> str:
    out = subprocess.run(
        [str(BIN / "dean06"), "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return next(line for line in out.splitlines() if line.startswith(tag))[len(tag) + 1 :]


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "dean06"), "manage", "run_huey", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> int:
    from samples import render_scanned_pdf

    start = time.monotonic()

    def say(message: str) -> None:
        print(f"{time.monotonic() - start:6.1f} s  {message}", flush=True)

    with tempfile.TemporaryDirectory(prefix="dean06-fault-worker-") as tmp:
        env = {
            **os.environ,
            "DEAN06_DATA_DIR": str(Path(tmp) / "data"),
            "DEAN06_WORKER": "external",
            "DEAN06_UPLOAD_STALE_MINUTES": "1",
        }
        for key in ("DATABASE_URL", "DEAN06_DEMO_TODAY", "DEAN06_REDIS_URL"):
            env.pop(key, None)
        subprocess.run([str(BIN / "dean06"), "init", "--quiet"], env=env, check=True)
        scan = Path(tmp) / "scan.pdf"
        scan.write_bytes(render_scanned_pdf())
        say(f"scanned plan rendered ({scan.stat().st_size // 1024} KB)")
        pk = int(_shell(env, ENQUEUE.replace("PATH", repr(str(scan))), "UPLOAD"))
        state_code = STATE.replace("PK", str(pk))

        def state() -> dict:
            return dict(json.loads(_shell(env, state_code, "STATE")))

        first = _worker(env)
        say(f"worker 1 started (pid {first.pid}); upload {pk} queued")
        while True:
            now = state()
            if now["status"] == "running" and now["done"] >= 1:
                break
            if time.monotonic() - start > 300:
                say(f"the reading never started: {now}")
                return 1
            time.sleep(0.5)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        say(f"worker 1 killed with SIGKILL mid-reading: page {now['done']}/{now['total']}")
        second = _worker(env)
        say(f"worker 2 started (pid {second.pid})")
        try:
            while True:
                now = state()
                if now["status"] in ("ready", "failed"):
                    break
                if time.monotonic() - start > 600:
                    say(f"not read again within 10 minutes: {now}")
                    return 1
                time.sleep(2)
        finally:
            second.send_signal(signal.SIGINT)
            second.wait(30)
        say(f"upload {now['status']}: {now['tasks']} tasks; audit: {', '.join(now['actions'])}")
        requeued = now["actions"].count("plans.upload.requeued")
        reads = now["actions"].count("plans.upload.read")
        ok = now["status"] == "ready" and requeued == 1 and reads == 1
        say("as expected: read again once, applied once" if ok else "NOT as expected")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
