"""Recording changes: every service calls `audit_record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict

from dean06.core.actor import MAX_LABEL, audit_context, current_label
from dean06.core.models import AuditEntry

__all__ = [
    "action_label",
    "audit_context",
    "audit_created_many",
    "audit_record",
    "is_secret",
    "object_label",
    "redact",
    "snapshot",
]

# The one list of what the audit log never keeps: passwords (their hashes included) and anything
# named like a token, secret, hash or key. The log is read by more people than the accounts
# table, and a hash copied there would outlive every password change. `snapshot` leaves such
# fields out; `audit_record` drops such keys from whatever before/after it is given.
SECRET_NAME = re.compile(
    r"^(password\d*|passwd|pwd)$|token|secret|hash|api_?key|private_?key", re.IGNORECASE
)


def is_secret(name: str) -> bool:
    """Whether a field or key of this name must never be written to the audit log."""
    return bool(SECRET_NAME.search(name))


def snapshot(
    instance: models.Model | None, *, fields: list[str] | None = None
) -> dict[str, Any] | None:
    """The field values of a record as JSON-safe data (None for no record), secrets left out."""
    if instance is None:
        return None
    data = model_to_dict(instance, fields=fields)
    for field in instance._meta.concrete_fields:
        if field.name in data or (fields and field.name not in fields):
            continue
        data[field.name] = field.value_from_object(instance)
    return {k: _jsonable(v) for k, v in data.items() if not is_secret(k)}


def redact(value: Any) -> Any:
    """`value` with every key named like a secret removed, at any depth."""
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items() if not is_secret(str(k))}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def audit_record(
    *,
    action: str,
    actor: Any,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Any = None,
    note: str = "",
    actor_label: str | None = None,
) -> AuditEntry:
    """Write one entry. A signed-in `actor` is the actor; otherwise `actor_label`, or the label of
    the surrounding `audit_context`, says who or what made the change."""
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id if object_id is not None else instance.pk
        object_repr = object_repr or str(instance)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = "" if actor_obj is not None else (actor_label or current_label())
    return AuditEntry.objects.create(
        action=action,
        actor=actor_obj,
        actor_label=label[:MAX_LABEL],
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:300],
        unit=unit,
        before=redact(before),
        after=redact(after),
        note=note,
    )


def audit_created_many(
    *, action: str, actor: Any, instances: list[models.Model], unit_of: Any = None
) -> None:
    """One `<action>` entry per new record, written in one statement: for imports that create
    hundreds of records at once (a plan's assignments), each still recorded with its values."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = "" if actor_obj is not None else current_label()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action=action,
            actor=actor_obj,
            actor_label=label[:MAX_LABEL],
            object_type=instance._meta.label_lower,
            object_id=str(instance.pk),
            object_repr=str(instance)[:300],
            unit=unit_of(instance) if unit_of else None,
            after=redact(snapshot(instance)),
        )
        for instance in instances
    )


# --- what an action code means, in words ------------------------------------------------------

# Short object names some services use in their action codes, and the model each stands for.
OBJECT_ALIASES: dict[str, str] = {
    "documents.record": "documents.documentrecord",
    "kpis.service": "kpis.publicservice",
    "kpis.stat": "kpis.servicestat",
    "kpis.indicator_value": "kpis.indicatorvalue",
    "orgs.group": "orgs.unitgroup",
    "plans.section": "plans.plansection",
    "plans.upload": "plans.planupload",
    "reports.report": "reports.generatedreport",
    "quality.rule": "quality.validationrule",
    "quality.rules": "quality.validationrule",
    "tracking.period": "tracking.reportingperiod",
    "tracking.report": "tracking.progressreport",
}
# Objects that are no model.
OBJECT_NAMES: dict[str, str] = {
    "imports.report": "báo cáo tháng",
    "accounts.lockout": "khóa đăng nhập",
}
VERBS: dict[str, str] = {
    "created": "tạo mới",
    "updated": "sửa",
    "deleted": "xóa",
    "imported": "nhập từ báo cáo",
    "accepted": "chấp nhận",
    "explained": "đơn vị giải trình",
    "submitted": "gửi",
    "approved": "lãnh đạo đơn vị duyệt",
    "correction_started": "mở bản sửa",
    "returned": "trả lại",
    "fixed": "đã được khắc phục",
    "reopened": "mở lại",
    "retried": "đọc lại",
    "stalled": "bị dừng giữa chừng",
    "saved": "lưu",
    "run": "chạy kiểm tra",
    "password_changed": "đổi mật khẩu",
    "reporting_units_changed": "đổi đơn vị báo cáo",
    "source_changed": "đổi tệp gốc",
    "sent": "đã gửi",
    "send_failed": "gửi không được",
    "unaddressed": "không có người nhận",
    "read": "đã đọc",
    "read_failed": "đọc không được",
    "generated": "lập",
    "unlocked": "mở khóa",
    "revoked": "thu hồi",
    "requeued": "đọc lại tự động",
    "signed_in": "đăng nhập",
    "sign_in_refused": "từ chối đăng nhập",
}


def object_label(object_type: str) -> str:
    """ "kpis.stat" or "kpis.servicestat" → "Số liệu dịch vụ công": the kind of record an entry
    (or an action code) concerns, in words."""
    from django.apps import apps

    name = OBJECT_NAMES.get(object_type)
    if name is None:
        try:
            model = apps.get_model(OBJECT_ALIASES.get(object_type, object_type))
            name = str(model._meta.verbose_name)
        except (LookupError, ValueError):
            name = "Đối tượng khác"
    return f"{name[:1].upper()}{name[1:]}"


def action_label(action: str) -> str:
    """ "kpis.stat.updated" → "Số liệu dịch vụ công: sửa" — what administrators read in the log
    instead of the code."""
    target, _, verb = action.rpartition(".")
    return f"{object_label(target)}: {VERBS.get(verb, 'thay đổi')}"
