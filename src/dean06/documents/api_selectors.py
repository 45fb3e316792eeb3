"""Reads of the documents register for the REST API (`dean06.api.documents`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dean06.documents.models import DocumentRecord
from dean06.documents.selectors import DocumentFilters, documents_search, documents_visible_to


def documents_for_api(
    user: Any,
    *,
    month: tuple[int, int] | None = None,
    filters: DocumentFilters,
) -> QuerySet[DocumentRecord]:
    qs = documents_search(user, filters)
    if month is not None:
        qs = qs.filter(period__kind="month", period__year=month[0], period__number=month[1])
    return qs


def document_get(user: Any, document_id: int) -> DocumentRecord | None:
    return documents_visible_to(user).filter(pk=document_id).first()
