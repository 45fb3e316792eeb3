"""Writes to reporting periods (the dates come from `tracking.periods`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dean06.core.audit import audit_record, snapshot
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.periods import PeriodSpan, period_span


def period_unsaved(kind: str, year: int, number: int) -> ReportingPeriod:
    """The period as it would be stored, without storing it (for pages that only read)."""
    existing = ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()
    return existing or _from_span(period_span(kind, year, number))


def _from_span(span: PeriodSpan) -> ReportingPeriod:
    return ReportingPeriod(
        kind=span.kind,
        year=span.year,
        number=span.number,
        start=span.start,
        end=span.end,
        due_date=span.due_date,
        label=span.label,
    )


@transaction.atomic
def period_get_or_create(kind: str, year: int, number: int, *, by: Any = None) -> ReportingPeriod:
    """The stored period, created with its Decree 09/2019 dates the first time it is needed."""
    existing = ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()
    if existing is not None:
        return existing
    period = _from_span(period_span(kind, year, number))
    period.full_clean()
    period.save()
    audit_record(
        action="tracking.period.created", actor=by, instance=period, after=snapshot(period)
    )
    return period
