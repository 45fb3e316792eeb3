"""Background jobs of plans (Huey). Jobs take ids and call one service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from dean06.plans.uploads import plan_upload_extract


@db_task()  # type: ignore[untyped-decorator]
def extract_upload(upload_id: int) -> None:
    plan_upload_extract(upload_id=upload_id)
