"""Generating the consolidated report: build, lay out, keep (with what it was made from), audit."""

from __future__ import annotations

import datetime as dt
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile

from dean06.accounts.permissions import Action, can
from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import PermissionDeniedError
from dean06.core.files import atomic_with_files, remove_on_rollback
from dean06.reports.builder import ReportOptions, monthly_report_build
from dean06.reports.content import MonthlyReport
from dean06.reports.exporters.base import Exporter, ExportError
from dean06.reports.exporters.registry import exporter_for
from dean06.reports.models import GeneratedReport
from dean06.tracking.models import ReportingPeriod

# What the audit log keeps of a generated report (the snapshot is long, the file is a file).
AUDITED_FIELDS = ["period", "format", "filename", "size", "sha256", "data_sha256", "as_of"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def template_override_path(exporter: Exporter) -> Path | None:
    """Where an administrator puts a replacement template: DATA_DIR/templates/<name>."""
    if not exporter.template_name:
        return None
    return Path(settings.DATA_DIR) / "templates" / exporter.template_name


def report_template(exporter: Exporter) -> bytes | None:
    """The template a format is laid out on: the administrator's when there is one, otherwise
    the one shipped in dean06/reports/templates/ (None for a format without template)."""
    override = template_override_path(exporter)
    if override is None:
        return None
    if override.is_file():
        return override.read_bytes()
    shipped = resources.files("dean06.reports") / "templates" / str(exporter.template_name)
    return shipped.read_bytes() if shipped.is_file() else None


def report_filename(period: ReportingPeriod, fmt: str) -> str:
    """ "bao-cao-de-an-06-thang-07-2024.docx" (plain ASCII: safe in every mail client)."""
    return f"bao-cao-de-an-06-thang-{period.number:02d}-{period.year}.{fmt}"


def _check(by: Any, action: Action) -> None:
    # `by=None` is a command run by the operator on the server (as the other services accept).
    if by is not None and not can(by, action):
        raise PermissionDeniedError(f"Bạn không có quyền {action.label}.")


def report_generate(
    *,
    period: ReportingPeriod,
    fmt: str,
    by: Any,
    on: dt.date,
    options: ReportOptions | None = None,
) -> GeneratedReport:
    """Build the report of `period` from the data as it stands on `on`, write it as `fmt`, and
    keep the file with its snapshot (data and template) so it can be made again exactly."""
    _check(by, Action.GENERATE_REPORT)
    exporter = exporter_for(fmt)
    reason = exporter.missing()
    if reason:
        raise ExportError(reason)
    content = monthly_report_build(period, on=on, options=options)
    template = report_template(exporter)
    data = exporter.render(content, template=template)
    text = content.to_json()
    generated = GeneratedReport(
        period=period,
        format=exporter.format,
        snapshot=text,
        data_sha256=_sha(text.encode()),
        template_sha256=_sha(template) if template is not None else "",
        as_of=on,
        filename=report_filename(period, exporter.format),
        size=len(data),
        sha256=_sha(data),
        created_by=by if getattr(by, "pk", None) else None,
    )
    with atomic_with_files():
        generated.file.save(generated.filename, ContentFile(data), save=False)
        remove_on_rollback(generated.file.storage, generated.file.name)
        if template is not None:
            _keep_template(generated, template, Path(str(exporter.template_name)).suffix)
        generated.full_clean()
        generated.save()
        audit_record(
            action="reports.report.generated",
            actor=by,
            instance=generated,
            after=snapshot(generated, fields=AUDITED_FIELDS),
        )
    return generated


def _keep_template(generated: GeneratedReport, template: bytes, suffix: str) -> None:
    """One stored copy per distinct template (named by its fingerprint), shared by reports."""
    storage = generated.template_file.storage
    name = f"reports/templates/{generated.template_sha256}{suffix}"
    if storage.exists(name):
        generated.template_file.name = name
        return
    generated.template_file.save(Path(name).name, ContentFile(template), save=False)
    remove_on_rollback(storage, generated.template_file.name)


def report_reproduce(generated: GeneratedReport) -> bytes:
    """The file made again from what it was made from (its snapshot and its template), however
    the data has changed since."""
    content = MonthlyReport.from_json(generated.snapshot)
    template = None
    if generated.template_file:
        with generated.template_file.open("rb") as f:
            template = f.read()
    return exporter_for(generated.format).render(content, template=template)


def report_file(generated: GeneratedReport, by: Any) -> bytes:
    """The stored file of a generated report, for those who may see the province's reports."""
    _check(by, Action.VIEW_GENERATED_REPORTS)
    with generated.file.open("rb") as f:
        data: bytes = f.read()
    return data
