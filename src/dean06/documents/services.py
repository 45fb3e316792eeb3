"""Writes to the documents register (Phụ lục I of the monthly report)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from dean06.core.services import Outcome, upsert_audited
from dean06.documents.models import DocumentRecord


@transaction.atomic
def document_record_import(
    *, number: str, period: Any, values: Mapping[str, Any], by: Any
) -> tuple[DocumentRecord, Outcome]:
    """The register's entry of document `number` for `period` made to hold `values` (validated,
    audited with before and after; nothing written when nothing differs)."""
    return upsert_audited(
        DocumentRecord,
        lookup={"number": number[:100], "period": period},
        values=values,
        action="documents.record",
        by=by,
    )
