"""Background jobs of plans (Huey). Jobs take ids and call one service."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from dean06.plans.uploads import plan_upload_extract, plan_uploads_requeue_stalled


@db_task()  # type: ignore[untyped-decorator]
def extract_upload(upload_id: int) -> None:
    plan_upload_extract(upload_id=upload_id)


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def requeue_stalled_uploads() -> None:
    """A reading whose worker died mid-job is read again (once), by a live worker."""
    for upload_id in plan_uploads_requeue_stalled():
        transaction.on_commit(partial(extract_upload, upload_id))
