"""Today and now, as the application sees them.

Production uses the real clock. The demo and the tests may fix the day (`DEAN06_DEMO_TODAY`,
read into `settings.DEMO_TODAY`) so that the demo's first pages show the July 2024 cycle: what is
due, late and waiting. `dean06 serve` refuses to start with it set: a province never runs on a
fixed day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    fixed: dt.date | None = getattr(settings, "DEMO_TODAY", None)
    return fixed if fixed is not None else timezone.localdate()


def now() -> dt.datetime:
    """The current moment; on a fixed day, that day at the current time of day."""
    fixed: dt.date | None = getattr(settings, "DEMO_TODAY", None)
    current = timezone.localtime()
    if fixed is None:
        return current
    return current.replace(year=fixed.year, month=fixed.month, day=fixed.day)
