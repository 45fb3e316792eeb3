"""Who acts when nobody is signed in: a label set around a whole command (no Django import here,
so that the CLI can set it before Django starts)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MAX_LABEL = 200

# The CLI sets "dean06 import-plan (root)" for the whole command, so the writes of commands, the
# demo and imports say where they came from.
_actor_label: ContextVar[str] = ContextVar("dean06_audit_actor_label", default="")


@contextmanager
def audit_context(label: str) -> Iterator[None]:
    """Within the block, audit entries written without a signed-in user carry `label`."""
    token = _actor_label.set(label[:MAX_LABEL])
    try:
        yield
    finally:
        _actor_label.reset(token)


def current_label() -> str:
    return _actor_label.get()
