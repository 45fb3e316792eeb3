"""Writes to the documents register (Phụ lục I of the monthly report): documents imported from
reports, and those people add, correct and link to tasks on the register's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dean06.accounts.permissions import manages_province
from dean06.core import clock
from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from dean06.core.services import Outcome, upsert_audited
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from dean06.documents.selectors import can_create_document, can_write_document, duplicate_key

# The fields a person edits on the register's page; the rest (the raw date, the printed group,
# the source) come from imports.
EDITABLE_FIELDS: tuple[str, ...] = (
    "number",
    "doc_type",
    "date",
    "summary",
    "issuing_body",
    "issuer_unit",
    "group",
    "period",
    "plan",
)


class DocumentInvalidError(ApplicationError):
    """What a person entered cannot be kept; `extra["fields"]` says which field and why."""

    status_code = 422


class DocumentDuplicateError(ConflictError):
    """Another document of the register has the same number and issuer."""


class DocumentChangedError(ConflictError):
    """The document changed since the form was read (someone else saved it meanwhile)."""


@dataclass(frozen=True)
class DocumentInput:
    """What the register's form gives; `issuer_unit`, `period` and `plan` are records or None."""

    number: str
    summary: str
    doc_type: str = DocumentType.OTHER
    date: dt.date | None = None
    issuing_body: str = ""
    issuer_unit: Any = None
    group: str = DocumentGroup.OTHER
    period: Any = None
    plan: Any = None

    def values(self) -> dict[str, Any]:
        return {
            "number": " ".join(self.number.split()),
            "summary": self.summary.strip(),
            "doc_type": self.doc_type,
            "date": self.date,
            "issuing_body": " ".join(self.issuing_body.split()),
            "issuer_unit": self.issuer_unit,
            "group": self.group,
            "period": self.period,
            "plan": self.plan,
        }


def _snapshot(document: DocumentRecord) -> dict[str, Any]:
    data = snapshot(document) or {}
    data["tasks"] = sorted(data.get("tasks") or [])
    return data


def _unit_of(user: Any) -> Any:
    return getattr(user, "unit", None)


def _fit_to_writer(values: dict[str, Any], by: Any) -> dict[str, Any]:
    """A unit officer writes its own unit's documents: the issuer is its unit, the group the
    units' group, whatever the form sent."""
    if not manages_province(by):
        values["issuer_unit"] = _unit_of(by)
        values["group"] = DocumentGroup.UNIT
        if not values["issuing_body"] and values["issuer_unit"] is not None:
            values["issuing_body"] = values["issuer_unit"].name
    return values


def _validate(document: DocumentRecord) -> None:
    errors: dict[str, str] = {}
    if not document.number:
        errors["number"] = "Nhập số, ký hiệu văn bản."
    if not document.summary:
        errors["summary"] = "Nhập trích yếu văn bản."
    if document.date is not None and document.date > clock.today():
        errors["date"] = (
            f"Ngày ban hành {document.date:%d/%m/%Y} ở sau hôm nay "
            f"({clock.today():%d/%m/%Y}): kiểm tra lại."
        )
    if document.group == DocumentGroup.UNIT and document.issuer_unit_id is None:
        errors["issuer_unit"] = "Văn bản của sở, ngành, địa phương cần chọn đơn vị ban hành."
    try:
        document.full_clean(exclude=["issuer_unit", "period", "plan", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise DocumentInvalidError(" ".join(errors.values()), extra={"fields": errors})


def _check_duplicate(document: DocumentRecord) -> None:
    """The same number from the same issuer is the same document: refuse a second entry."""
    key = duplicate_key(document.number, document.issuer_unit_id, document.issuing_body)
    same_issuer = DocumentRecord.objects.exclude(pk=document.pk).filter(
        issuer_unit_id=document.issuer_unit_id
    )
    for pk, number, body, date in same_issuer.values_list("pk", "number", "issuing_body", "date"):
        if duplicate_key(number, document.issuer_unit_id, body) == key:
            when = f" ngày {date:%d/%m/%Y}" if date else ""
            raise DocumentDuplicateError(
                f"Văn bản số {document.number}{when} của cơ quan này đã có trong sổ.",
                extra={"fields": {"number": "Số, ký hiệu này đã có trong sổ."}, "other": pk},
            )


@transaction.atomic
def document_create(
    *, data: DocumentInput, by: Any, tasks: Iterable[Any] | None = None
) -> DocumentRecord:
    """A document added to the register by a person, linked to `tasks` when given: validated,
    all or nothing, one audit entry holding its values and tasks."""
    if not can_create_document(by):
        raise PermissionDeniedError("Bạn không có quyền thêm văn bản vào sổ.")
    values = _fit_to_writer(data.values(), by)
    document = DocumentRecord(**values, source="web")
    _validate(document)
    _check_duplicate(document)
    wanted = _tasks_allowed(tasks, by) if tasks is not None else []
    document.save()
    if wanted:
        document.tasks.set(wanted)
    audit_record(
        action="documents.record.created",
        actor=by,
        instance=document,
        after=_snapshot(document),
        unit=document.issuer_unit,
    )
    return document


def document_version(document: DocumentRecord) -> str:
    """What a form carries back to prove it was read at the stored state: `updated_at`, which
    every writer changes (the report import included), so no version column is needed."""
    return document.updated_at.isoformat() if document.updated_at else ""


def _locked_for_writing(document: DocumentRecord, by: Any, version: str | None) -> DocumentRecord:
    document = DocumentRecord.objects.select_for_update().get(pk=document.pk)
    if not can_write_document(by, document):
        raise PermissionDeniedError("Bạn chỉ sửa được văn bản của đơn vị mình.")
    if version is not None and version != document_version(document):
        raise DocumentChangedError(
            "Văn bản này vừa được người khác sửa trong lúc bạn sửa. "
            "Mở lại trang để xem bản đã lưu, rồi sửa lại.",
        )
    return document


@transaction.atomic
def document_update(
    *,
    document: DocumentRecord,
    data: DocumentInput,
    by: Any,
    version: str | None = None,
    tasks: Iterable[Any] | None = None,
) -> DocumentRecord:
    """The document corrected by a person and, when `tasks` are given, linked to exactly them:
    validated, all or nothing, one audit entry with before and after (nothing written when
    nothing differs). A form read before someone else's save (`version` differs) is refused."""
    document = _locked_for_writing(document, by, version)
    values = _fit_to_writer(data.values(), by)
    before = _snapshot(document)
    changed = [f for f, v in values.items() if getattr(document, f) != v]
    wanted = _tasks_allowed(tasks, by) if tasks is not None else before["tasks"]
    if not changed and wanted == before["tasks"]:
        return document
    for field in changed:
        setattr(document, field, values[field])
    _validate(document)
    if {"number", "issuer_unit", "issuing_body"} & set(changed):
        _check_duplicate(document)
    _save(document, before=before, tasks=wanted, by=by)
    return document


@transaction.atomic
def document_link_tasks(
    *, document: DocumentRecord, tasks: Iterable[Any], by: Any, version: str | None = None
) -> bool:
    """The document linked to exactly `tasks` (audited with before and after); whether anything
    changed. A unit officer links only tasks given to its unit."""
    document = _locked_for_writing(document, by, version)
    before = _snapshot(document)
    wanted = _tasks_allowed(tasks, by)
    if wanted == before["tasks"]:
        return False
    _save(document, before=before, tasks=wanted, by=by)
    return True


def _tasks_allowed(tasks: Iterable[Any], by: Any) -> list[int]:
    """The ids of `tasks`, sorted; a unit officer may name only tasks given to its unit."""
    wanted = sorted({t.pk for t in tasks})
    if wanted and not manages_province(by):
        # `documents` sits beside `plans` in the layers and does not import it: the task model
        # is reached through the relation.
        task_model = DocumentRecord.tasks.field.related_model
        own = set(
            task_model._default_manager.filter(  # type: ignore[union-attr]
                pk__in=wanted, assignments__unit_id=getattr(by, "unit_id", None)
            ).values_list("pk", flat=True)
        )
        if set(wanted) - own:
            raise DocumentInvalidError(
                "Chỉ liên kết được với nhiệm vụ giao cho đơn vị mình.",
                extra={"fields": {"tasks": "Chỉ chọn nhiệm vụ giao cho đơn vị mình."}},
            )
    return wanted


def _save(document: DocumentRecord, *, before: dict[str, Any], tasks: list[int], by: Any) -> None:
    # Saved even when only the tasks changed: `updated_at` moves, so forms read before are stale.
    document.save()
    if tasks != before["tasks"]:
        document.tasks.set(tasks)
    audit_record(
        action="documents.record.updated",
        actor=by,
        instance=document,
        before=before,
        after=_snapshot(document),
        unit=document.issuer_unit,
    )


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
