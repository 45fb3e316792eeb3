"""Background jobs of the imports (Huey). Jobs take ids and call one service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from dean06.imports.uploads import pending_extract


@db_task()  # type: ignore[untyped-decorator]
def read_report(token: str) -> None:
    """Read an uploaded monthly report (`token` names the kept file) for its preview."""
    pending_extract(token=token)
