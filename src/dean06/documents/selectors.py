"""Reads of the documents register, scoped to the acting user: the list with its filters and its
search, and who may write which document.

Search folds in Python (`dean06.ingest.text.fold`) rather than in a stored folded column: the
register is written by several paths (the report import through `upsert_audited`, the admin,
the synthetic province's `bulk_create`), and a derived column that one of them forgets would
silently hide documents from the search. The register grows by tens of documents a month, so
reading the number, summary and issuer of the visible ones and folding them is one query and a
few milliseconds per thousand documents; the page then fetches only the rows it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from dean06.accounts.permissions import Action, can, manages_province
from dean06.documents.models import DocumentGroup, DocumentRecord
from dean06.ingest.text import fold

# Who may write documents. The secretariat and administrators write every document; a unit
# officer writes its own unit's. Closest existing action until a documents action exists
# (`Action.ENTER_FIGURES`: managers anywhere, a unit officer for its own unit).
WRITE_ACTION = Action.EDIT_DOCUMENTS

# Documents every unit reads: the centre's, the province's and the working group's.
PROVINCE_WIDE_GROUPS: tuple[str, ...] = (
    DocumentGroup.CENTRAL,
    DocumentGroup.PROVINCE,
    DocumentGroup.WORKING_GROUP,
)


def documents_visible_to(user: Any) -> QuerySet[DocumentRecord]:
    """Province-wide roles see the whole register; a unit role sees its own unit's documents and
    the province-wide ones (the centre's, the province's, the working group's)."""
    if not getattr(user, "is_authenticated", False):
        return DocumentRecord.objects.none()
    qs = DocumentRecord.objects.select_related("issuer_unit", "period", "plan")
    if can(user, Action.VIEW_PROVINCE):
        return qs
    own = Q(issuer_unit_id=user.unit_id) if getattr(user, "unit_id", None) else Q(pk__in=[])
    return qs.filter(own | Q(group__in=PROVINCE_WIDE_GROUPS))


def can_create_document(user: Any) -> bool:
    """The secretariat and administrators; a unit officer, for its own unit."""
    return can(user, WRITE_ACTION) or can(user, WRITE_ACTION, getattr(user, "unit_id", None))


def can_write_document(user: Any, document: DocumentRecord) -> bool:
    """The secretariat and administrators change every document; a unit officer its own unit's
    (those its unit issued), never the province's."""
    if manages_province(user):
        return True
    return document.issuer_unit_id is not None and can(user, WRITE_ACTION, document.issuer_unit_id)


@dataclass(frozen=True)
class DocumentFilters:
    """What the register's list is narrowed to; empty values do not narrow."""

    query: str = ""
    group: str = ""
    doc_type: str = ""
    period_id: int | None = None
    year: int | None = None
    unit_id: int | None = None
    plan_id: int | None = None


def search_key(number: str, summary: str, issuer: str) -> str:
    """What the search matches: number, summary and issuer, folded (no diacritics, no case)."""
    return fold(f"{number} {summary} {issuer}")


def duplicate_key(number: str, issuer_unit_id: int | None, issuing_body: str) -> tuple[str, str]:
    """Two entries with this key are the same document: the same number, folded, from the same
    issuer (the unit when it is known, else the issuing body as printed, folded)."""
    issuer = f"unit:{issuer_unit_id}" if issuer_unit_id else fold(issuing_body)
    return (fold(number), issuer)


def _matches(words: list[str], key: str) -> bool:
    return all(word in key for word in words)


def documents_search(user: Any, filters: DocumentFilters) -> QuerySet[DocumentRecord]:
    """The documents `user` may see, narrowed by `filters`; the search finds every word of the
    query in the number, the summary or the issuer, typed with or without diacritics."""
    qs = documents_visible_to(user)
    if filters.group:
        qs = qs.filter(group=filters.group)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.period_id is not None:
        qs = qs.filter(period_id=filters.period_id)
    if filters.year is not None:
        qs = qs.filter(date__year=filters.year)
    if filters.unit_id is not None:
        qs = qs.filter(issuer_unit_id=filters.unit_id)
    if filters.plan_id is not None:
        qs = qs.filter(plan_id=filters.plan_id)
    words = fold(filters.query).split()
    if words:
        rows = qs.values_list("pk", "number", "summary", "issuing_body", "issuer_unit__name")
        found = [
            pk
            for pk, number, summary, body, unit_name in rows
            if _matches(words, search_key(number, summary, f"{body} {unit_name or ''}"))
        ]
        qs = qs.filter(pk__in=found)
    return qs.order_by("-date", "number", "pk")


@dataclass(frozen=True)
class FilterChoices:
    """The values the register's filters offer: only those the user's documents hold."""

    periods: list[tuple[int, str]]
    years: list[int]
    units: list[tuple[int, str]]


def document_filter_choices(user: Any) -> FilterChoices:
    """Periods, years and issuing units found among the documents `user` sees (three queries)."""
    visible = documents_visible_to(user).order_by()
    periods = (
        visible.filter(period__isnull=False)
        .values_list("period_id", "period__label", "period__year", "period__number")
        .distinct()
    )
    units = (
        visible.filter(issuer_unit__isnull=False)
        .values_list("issuer_unit_id", "issuer_unit__name")
        .distinct()
    )
    return FilterChoices(
        periods=[
            (pk, label)
            for pk, label, _, _ in sorted(set(periods), key=lambda p: (-p[2], -p[3], p[1]))
        ],
        years=sorted({d.year for d in visible.dates("date", "year")}, reverse=True),
        units=sorted(set(units), key=lambda u: fold(u[1])),
    )


def document_for_edit(user: Any, document_id: int) -> DocumentRecord | None:
    """The document with its linked tasks, if `user` may see it (None otherwise)."""
    return documents_visible_to(user).prefetch_related("tasks__plan").filter(pk=document_id).first()
