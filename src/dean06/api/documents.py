"""/api/documents: the register of documents (a unit: its own and the province-wide ones)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dean06.api.auth import acting_user
from dean06.api.common import Paging, PathId, found, month_filter
from dean06.api.schemas import ERRORS, DocumentOut
from dean06.api.schemas import DocumentFilters as DocumentQuery
from dean06.documents.api_selectors import document_get, documents_for_api
from dean06.documents.selectors import DocumentFilters

router = Router()


@router.get("", response={200: list[DocumentOut], **ERRORS}, summary="Sổ văn bản")
@paginate(Paging)
def document_list(request: HttpRequest, filters: Query[DocumentQuery]) -> Any:
    return documents_for_api(
        acting_user(request),
        month=month_filter(filters.period),
        filters=DocumentFilters(
            query=filters.q,
            group=filters.group,
            doc_type=filters.doc_type,
            year=filters.year,
            unit_id=filters.unit,
            plan_id=filters.plan,
        ),
    )


@router.get("/{document_id}", response={200: DocumentOut, **ERRORS}, summary="Một văn bản")
def document_detail(request: HttpRequest, document_id: PathId) -> Any:
    return found(document_get(acting_user(request), document_id), "Không tìm thấy văn bản.")
