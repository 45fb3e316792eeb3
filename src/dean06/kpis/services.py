"""Writes to the service catalogue and to service figures."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from dean06.accounts.permissions import Action, can
from dean06.core.audit import audit_record, snapshot
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEntry
from dean06.core.services import LoadResult, upsert_audited
from dean06.ingest.text import fold
from dean06.kpis.entry import FIELD_LABELS, BatchResult, Issue, check_rows, check_values
from dean06.kpis.models import (
    Direction,
    Indicator,
    IndicatorValue,
    PublicService,
    ServiceCatalogue,
    ServiceReporter,
    ServiceStat,
    StatLevel,
    Target,
    TargetScope,
)
from dean06.kpis.selectors import (
    can_enter_figures,
    indicator_earlier_entries,
    indicator_target,
    previous_stats,
    province_totals,
    province_unit,
    stat_values,
)
from dean06.kpis.targets import (
    IndicatorEntry,
    IndicatorInputError,
    Status,
    check_entry,
    cumulate,
    indicator_status,
    indicator_value,
)
from dean06.kpis.totals import TOTAL_FIELDS
from dean06.orgs.models import Unit
from dean06.quality.builtin import PARTS_MATCH_TOTAL, check_parts_total
from dean06.quality.engine import RuleDef
from dean06.quality.models import RuleScope, ValidationRule
from dean06.quality.selectors import rules_for_scope, standing_explanations
from dean06.quality.services import FoundItem, SyncResult, findings_sync
from dean06.reference import SERVICES_CSV, reference_path
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.periods import period_label, previous_period
from dean06.tracking.services import period_get_or_create

if TYPE_CHECKING:  # openpyxl is imported only when a template is read
    from dean06.kpis.xlsx import ParsedUpload

PUBLIC_SECURITY = "Bộ Công an"
STAT_TYPE = "kpis.servicestat"
# Findings about the total of a service in a period (object id "<service id>-<period id>"): kept
# apart from the findings of the province's own row, which `findings_sync` brings up to date on
# its own.
TOTAL_TYPE = "kpis.servicetotal"


@transaction.atomic
def services_load_reference(*, path: Path | None = None, by: Any = None) -> LoadResult:
    """Install or update the 25 essential services. Re-running changes nothing."""
    result = LoadResult()
    with open(path or reference_path(SERVICES_CSV), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        code = f"DA06-{int(row['no']):02d}"
        values: dict[str, Any] = {
            "order": int(row["no"]),
            "name": row["name"].strip(),
            "full_name": (row.get("full_name") or row["name"]).strip(),
            "online_level": (row.get("online_level") or "").strip(),
            "province_body": (row.get("province_body") or "").strip(),
            "owner_ministry": (row.get("owner_ministry") or "").strip(),
            "owner_is_public_security": (row.get("owner_ministry") or "").strip()
            == PUBLIC_SECURITY,
            "is_linked_group": (row.get("linked_group") or "").strip().lower() == "yes",
            "catalogue": ServiceCatalogue.ESSENTIAL_25,
        }
        _, outcome = upsert_audited(
            PublicService, lookup={"code": code}, values=values, action="kpis.service", by=by
        )
        result.count(outcome)
    service_reporters_ensure_default(by=by)
    return result


# --- who reports which service ---------------------------------------------------------------

# From the start of Đề án 06 (Decision 06/QĐ-TTg, 06/01/2022), as the default targets.
REPORTERS_FROM = dt.date(2022, 1, 1)


def _unit_by_name() -> dict[str, Unit]:
    """Units by every name they go by (name, short name, aliases), folded."""
    found: dict[str, Unit] = {}
    for unit in Unit.objects.order_by("pk"):
        for name in (unit.name, unit.short_name, *(unit.aliases or [])):
            if name and isinstance(name, str):
                found.setdefault(fold(name), unit)
    return found


def body_unit(body: str, units: Mapping[str, Unit]) -> Unit | None:
    """The unit a `province_body` names: the whole text ("Sở Lao động - Thương binh và Xã hội"),
    else the first of the bodies it lists ("Sở Tư pháp - Công an tỉnh - BHXH": the lead of a
    linked procedure, the one that reports it; the others handle the same applications, so
    counting their figures too would count each application again)."""
    whole = units.get(fold(body))
    if whole is not None:
        return whole
    for piece in body.split(" - "):
        unit = units.get(fold(piece))
        if unit is not None:
            return unit
    return None


def service_reporter_check(reporter: ServiceReporter) -> None:
    """Refuse a reporter that would be counted twice: the province itself (its row is the
    total, never a part), or the same unit and level for the same service over overlapping
    dates. Raises Django's ValidationError (the admin shows it beside the field)."""
    errors: dict[str, str] = {}
    if reporter.unit_id is not None:
        province = province_unit(reporter.valid_from)
        if province is not None and province.pk == reporter.unit_id:
            errors["unit"] = (
                f"{province.name} nhập tổng của tỉnh, không phải một phần: "
                "chọn sở, ngành hoặc địa phương báo cáo phần của mình."
            )
    if reporter.service_id is not None and reporter.unit_id is not None and reporter.valid_from:
        clash = ServiceReporter.objects.filter(
            service_id=reporter.service_id, unit_id=reporter.unit_id, level=reporter.level
        ).exclude(pk=reporter.pk)
        if reporter.valid_to is not None:
            clash = clash.filter(valid_from__lte=reporter.valid_to)
        clash = clash.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=reporter.valid_from))
        if clash.exists():
            errors["valid_from"] = (
                "Đơn vị này đã được giao báo cáo dịch vụ này ở cấp này trong cùng khoảng thời gian."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_reporters_ensure_default(*, by: Any = None) -> LoadResult:
    """Give each essential service without any reporting unit its default one: the body
    responsible for it in the province (`province_body` of the reference list, see `body_unit`)
    reports its figures for the whole province (level "all"). A service an administrator has
    given reporting units is left as it is; a body the registry does not know gives none."""
    result = LoadResult()
    units = _unit_by_name()
    services = PublicService.objects.filter(catalogue=ServiceCatalogue.ESSENTIAL_25).exclude(
        province_body=""
    )
    for service in services.order_by("order"):
        if service.reporters.exists():
            result.unchanged += 1
            continue
        unit = body_unit(service.province_body, units)
        if unit is None:
            continue
        reporter = ServiceReporter(
            service=service,
            unit=unit,
            level=StatLevel.ALL,
            valid_from=REPORTERS_FROM,
            note=f"Cơ quan chủ trì tại tỉnh: {service.province_body}"[:255],
        )
        try:
            service_reporter_check(reporter)
        except ValidationError:
            continue
        reporter.full_clean()
        reporter.save()
        audit_record(
            action="kpis.servicereporter.created",
            actor=by,
            instance=reporter,
            after=snapshot(reporter),
            unit=unit,
        )
        result.created += 1
    return result


# --- targets ---------------------------------------------------------------------------------

# The targets of the province's plans for the 25 essential services.
DEFAULT_TARGETS: tuple[dict[str, Any], ...] = (
    {
        "scope": TargetScope.ALL_SERVICES,
        "value": Decimal(60),
        "valid_from": dt.date(2022, 1, 1),
        "valid_to": None,
        "source": "Tỷ lệ hồ sơ trực tuyến tối thiểu đối với 25 DVC thiết yếu",
    },
    {
        "scope": TargetScope.PUBLIC_SECURITY,
        "value": Decimal(100),
        "valid_from": dt.date(2022, 1, 1),
        "valid_to": None,
        "source": "DVC do Bộ Công an chủ trì: 100% hồ sơ trực tuyến",
    },
    {
        "scope": TargetScope.LINKED,
        "value": Decimal(80),
        "valid_from": dt.date(2024, 4, 1),
        "valid_to": dt.date(2024, 9, 30),
        "source": "Hai nhóm thủ tục liên thông: từ 80% từ quý II/2024",
    },
    {
        "scope": TargetScope.LINKED,
        "value": Decimal(100),
        "valid_from": dt.date(2024, 10, 1),
        "valid_to": None,
        "source": "Hai nhóm thủ tục liên thông: 100% từ quý IV/2024",
    },
)


@transaction.atomic
def targets_ensure_default(*, by: Any = None) -> LoadResult:
    """Install the default service targets once (60% all; 100% Ministry of Public Security
    services; the linked groups 80% from 1/4/2024 and 100% from 1/10/2024). Idempotent."""
    result = LoadResult()
    for values in DEFAULT_TARGETS:
        exists = Target.objects.filter(
            scope=values["scope"],
            service__isnull=True,
            indicator__isnull=True,
            valid_from=values["valid_from"],
            value=values["value"],
        ).exists()
        if exists:
            result.unchanged += 1
            continue
        target = Target(direction=Direction.HIGHER, **values)
        target.full_clean()
        target.save()
        audit_record(
            action="kpis.target.created", actor=by, instance=target, after=snapshot(target)
        )
        result.created += 1
    return result


@transaction.atomic
def target_create(
    *,
    scope: str,
    value: Decimal,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    direction: str = Direction.HIGHER,
    service: PublicService | None = None,
    indicator: Indicator | None = None,
    source: str = "",
    by: Any,
) -> Target:
    if not can(by, Action.SET_TARGETS):
        raise PermissionDeniedError("Chỉ Thường trực Tổ công tác được đặt chỉ tiêu.")
    target = Target(
        scope=scope,
        value=value,
        valid_from=valid_from,
        valid_to=valid_to,
        direction=direction,
        service=service,
        indicator=indicator,
        source=source,
    )
    _full_clean(target)
    target.save()
    audit_record(action="kpis.target.created", actor=by, instance=target, after=snapshot(target))
    return target


def _full_clean(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ApplicationError("; ".join(", ".join(v) for v in exc.message_dict.values())) from exc


# --- service figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A row someone else saved after the form was read: what this form holds and what is
    stored now, side by side, so the person decides instead of silently overwriting."""

    service_code: str
    service_name: str
    mine: dict[str, int | None]
    stored: dict[str, int | None]
    stored_version: int
    saved_by: str
    saved_at: dt.datetime | None

    @property
    def fields(self) -> list[str]:
        """The cells where the two differ."""
        return [f for f in self.mine if self.mine[f] != self.stored.get(f)]


@dataclass
class EntryOutcome:
    """What became of a batch of figures: saved, or refused with the issues that block it, or
    refused because someone else saved the same rows meanwhile (`conflicts`)."""

    saved: bool
    batch: BatchResult
    blocking: list[Issue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    period: ReportingPeriod | None = None
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.conflicts:
            names = ", ".join(c.service_name for c in self.conflicts[:3])
            more = f" và {len(self.conflicts) - 3} dịch vụ khác" if len(self.conflicts) > 3 else ""
            return (
                f"Chưa lưu: số liệu của {names}{more} vừa được người khác lưu trong lúc bạn "
                "sửa. Xem hai bản bên dưới, sửa lại nếu cần rồi lưu lần nữa."
            )
        if not self.saved:
            errors = sum(1 for i in self.blocking if i.is_error)
            warnings = len(self.blocking) - errors
            return (
                f"Chưa lưu: còn {errors} lỗi và {warnings} cảnh báo chưa có lý do chấp nhận. "
                "Sửa các ô được đánh dấu, hoặc nêu lý do cho từng cảnh báo."
            )
        return (
            f"Đã lưu số liệu: {self.created} dòng mới, {self.updated} dòng cập nhật, "
            f"{self.deleted} dòng xóa, {self.unchanged} dòng không đổi."
        )


def service_stats_check(
    *,
    unit: Unit,
    period: ReportingPeriod,
    level: str,
    rows: Sequence[tuple[str, Mapping[str, object]]],
) -> BatchResult:
    """Check a batch of figures against the rules and the previous period, saving nothing."""
    services = {s.code: s for s in PublicService.objects.filter(code__in=[c for c, _ in rows])}
    unknown = [c for c, _ in rows if c not in services]
    if unknown:
        raise ApplicationError(f"Không có dịch vụ công mã: {', '.join(unknown[:5])}.")
    previous: dict[str, dict[str, int | None]] = {}
    if period.pk is not None or period.start is not None:
        by_id = previous_stats(unit, period, level)
        previous = {s.service.code: stat_values(s) for s in by_id.values()}
    names = {code: s.name for code, s in services.items()}
    return check_rows(rows, rules_for_scope(RuleScope.SERVICE_STAT), previous, names=names)


def service_stats_save(
    *,
    unit: Unit,
    period: ReportingPeriod,
    level: str = StatLevel.ALL,
    rows: Sequence[tuple[str, Mapping[str, object]]],
    accepted: Mapping[str, str] | None = None,
    versions: Mapping[str, int] | None = None,
    by: Any,
    source: str = "web",
) -> EntryOutcome:
    """Check a unit's figures of a period and save them only if nothing blocks: no error, and
    every warning given a reason — now (`accepted`, by issue key) or earlier (a warning still
    explained or accepted). A unit's reason is an explanation the secretariat then accepts or
    returns; the secretariat's reason accepts. `rows` pairs a service code with its cells as
    typed ("1.234", 1234, ""); a row left blank removes the stored figures of that service.

    `versions` gives, per service code, the version of the stored row the form was read at (0:
    there was none). When any row has changed since, nothing is saved and the outcome lists the
    conflicts. Without `versions` (an uploaded file, an import) the last save wins, audited.

    A unit officer enters for its own unit only; the secretariat and administrators for any.
    """
    if not can_enter_figures(by, unit):
        raise PermissionDeniedError("Bạn không có quyền nhập số liệu cho đơn vị này.")
    if level not in StatLevel.values:
        raise ApplicationError(f"Cấp không hợp lệ: {level}.")
    if period.is_closed:
        raise ApplicationError(f"{period.label} đã khóa, không thể sửa số liệu.")
    accepted = {k: v for k, v in (accepted or {}).items() if (v or "").strip()}
    batch = service_stats_check(unit=unit, period=period, level=level, rows=rows)
    blocking = batch.blocking({**_standing_reasons(unit, period, level), **accepted})
    if blocking:
        return EntryOutcome(saved=False, batch=batch, blocking=blocking, period=period)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return _save_batch(unit, period, level, batch, accepted, versions, by, source)
        except IntegrityError:
            # Two first saves of the same empty row at once: the unique constraint lets one
            # in. The other is answered like any stale form (versions given), or, for a save
            # without versions, tried once more as an update of the row now there.
            if versions is not None or attempt == 2:
                return _conflict_outcome(unit, period, level, batch, versions or {})
    raise AssertionError("unreachable")  # pragma: no cover


def _standing_reasons(unit: Unit, period: ReportingPeriod, level: str) -> dict[str, str]:
    """Reasons already given for warnings on the stored figures, by issue key."""
    code_of = dict(
        ServiceStat.objects.filter(
            unit=unit,
            level=level,
            period__kind=period.kind,
            period__year=period.year,
            period__number=period.number,
        ).values_list("pk", "service__code")
    )
    found = standing_explanations(STAT_TYPE, code_of)
    return {
        f"{rule}:{code_of[int(object_id)]}:{column}": text
        for (object_id, rule, column), text in found.items()
    }


def _stored(unit: Unit, period: ReportingPeriod, level: str, *, lock: bool) -> dict[int, Any]:
    if period.pk is None:
        return {}
    # Ordered by its own key: the model's ordering joins the period, service and unit, which
    # FOR UPDATE would lock too (every unit's figures of the month would wait for each other).
    qs = ServiceStat.objects.filter(unit=unit, period=period, level=level).order_by("pk")
    return {s.service_id: s for s in (qs.select_for_update() if lock else qs)}


def _conflicts(
    batch: BatchResult,
    services: Mapping[str, PublicService],
    existing: Mapping[int, ServiceStat],
    versions: Mapping[str, int],
) -> list[Conflict]:
    """Rows of the form read at another version than the one stored now."""
    found = []
    for row in batch.rows:
        service = services[row.service_code]
        stat = existing.get(service.pk)
        current = stat.version if stat is not None else 0
        expected = versions.get(row.service_code)
        if expected is None or expected == current:
            continue
        last = (
            AuditEntry.objects.filter(object_type=STAT_TYPE, object_id=str(stat.pk))
            .select_related("actor")
            .first()
            if stat is not None
            else None
        )
        who = ""
        if last is not None:
            who = (last.actor.get_full_name() or last.actor.username) if last.actor else ""
        found.append(
            Conflict(
                service_code=service.code,
                service_name=service.name,
                mine=dict(row.values),
                stored=stat_values(stat),
                stored_version=current,
                saved_by=who,
                saved_at=last.at if last is not None else None,
            )
        )
    return found


def _conflict_outcome(
    unit: Unit,
    period: ReportingPeriod,
    level: str,
    batch: BatchResult,
    versions: Mapping[str, int],
) -> EntryOutcome:
    if period.pk is None:
        period = (
            ReportingPeriod.objects.filter(
                kind=period.kind, year=period.year, number=period.number
            ).first()
            or period
        )
    services = _services_of(batch)
    existing = _stored(unit, period, level, lock=False)
    # Every row of a racing first save counts as read at "no row yet".
    expected = {r.service_code: versions.get(r.service_code, 0) for r in batch.rows}
    conflicts = _conflicts(batch, services, existing, expected)
    return EntryOutcome(saved=False, batch=batch, period=period, conflicts=conflicts)


def _services_of(batch: BatchResult) -> dict[str, PublicService]:
    codes = [r.service_code for r in batch.rows]
    return {s.code: s for s in PublicService.objects.filter(code__in=codes)}


def _save_batch(
    unit: Unit,
    period: ReportingPeriod,
    level: str,
    batch: BatchResult,
    accepted: Mapping[str, str],
    versions: Mapping[str, int] | None,
    by: Any,
    source: str,
) -> EntryOutcome:
    if period.pk is None:
        period = period_get_or_create(period.kind, period.year, period.number, by=by)
    outcome = EntryOutcome(saved=True, batch=batch, period=period)
    services = _services_of(batch)
    # Locked until the end of the transaction: a concurrent save of the same rows waits here,
    # then sees the version this one wrote.
    existing = _stored(unit, period, level, lock=True)
    if versions is not None:
        conflicts = _conflicts(batch, services, existing, versions)
        if conflicts:
            return EntryOutcome(saved=False, batch=batch, period=period, conflicts=conflicts)
    for row in batch.rows:
        service = services[row.service_code]
        stat = existing.get(service.pk)
        if row.is_blank:
            if stat is not None:
                before = snapshot(stat)
                stat_id = stat.pk
                stat.delete()
                findings_sync(
                    object_type=STAT_TYPE,
                    object_id=stat_id,
                    items=[],
                    scope=RuleScope.SERVICE_STAT,
                    by=by,
                )
                audit_record(
                    action="kpis.stat.deleted",
                    actor=by,
                    object_type=STAT_TYPE,
                    object_id=stat_id,
                    object_repr=f"{service.name} · {unit} · {period}",
                    before=before,
                    unit=unit,
                )
                outcome.deleted += 1
            continue
        # One reason often covers several warnings of a row: keep each once.
        reasons = list(
            dict.fromkeys(accepted[i.key].strip() for i in row.issues if i.key in accepted)
        )
        if stat is None:
            stat = ServiceStat(service=service, unit=unit, period=period, level=level)
            before = None
        else:
            before = snapshot(stat)
            if stat_values(stat) == row.values and not reasons:
                outcome.unchanged += 1
                continue
        for name, value in row.values.items():
            setattr(stat, name, value)
        stat.source = source
        if reasons:
            stat.accepted_reason = "; ".join(reasons)
        if before is not None:
            stat.version += 1
        # The one constraint (a row per service, unit, period, level) is left to the database:
        # checked here it would race with a concurrent first save, which the caller answers as
        # a conflict when the insert fails.
        stat.full_clean(validate_unique=False, validate_constraints=False)
        stat.save()
        audit_record(
            action="kpis.stat.updated" if before else "kpis.stat.created",
            actor=by,
            instance=stat,
            before=before,
            after=snapshot(stat),
            unit=unit,
        )
        if before:
            outcome.updated += 1
        else:
            outcome.created += 1
        findings_sync(
            object_type=STAT_TYPE,
            object_id=stat.pk,
            items=[
                FoundItem(i.rule, i.severity, i.message, "+".join(i.fields), service.name, i.key)
                for i in row.issues
            ],
            scope=RuleScope.SERVICE_STAT,
            period=period,
            unit=unit,
            source="Nhập liệu" if source == "web" else "Tải lên tệp XLSX",
            reasons=accepted,
            by=by,
        )
    # The unit's rows are a part (or the province's total) of each service: compare again.
    service_totals_check(
        period=period,
        services=list(services.values()),
        by=by,
        source="Nhập liệu" if source == "web" else "Tải lên tệp XLSX",
    )
    return outcome


# --- the units' parts against the province's total ------------------------------------------


def _parts_rule() -> RuleDef | None:
    """The rule in force, as an administrator left it; the built-in one while it is not
    installed yet (an installation from before it, until `dean06 init`); None when switched
    off."""
    for rule in rules_for_scope(RuleScope.SERVICE_STAT):
        if rule.code == PARTS_MATCH_TOTAL.code:
            return rule
    if ValidationRule.objects.filter(code=PARTS_MATCH_TOTAL.code).exists():
        return None
    return PARTS_MATCH_TOTAL


def service_totals_check(
    *,
    period: ReportingPeriod,
    services: Sequence[PublicService] | None = None,
    by: Any,
    source: str,
) -> SyncResult:
    """Compare, for each service (every one by default), the parts the units entered with the
    province's total of the period, and bring the stored findings up to date: a warning per
    column where they disagree. Parts below the total while some expected unit has not reported
    are incomplete, not wrong: no warning (the overview says who is missing). Call inside the
    transaction of the change that was checked."""
    result = SyncResult()
    if period.pk is None:
        return result
    province = province_unit(period.end)
    if province is None:
        return result
    chosen = list(services) if services is not None else list(PublicService.objects.all())
    # Saves of parts of the same service wait for each other here, so that each compares with
    # what the other saved.
    list(
        ServiceStat.objects.select_for_update()
        .filter(unit=province, period=period, level=StatLevel.ALL, service__in=chosen)
        .order_by("service_id")
        .values_list("pk", flat=True)
    )
    rule = _parts_rule()
    totals = province_totals([period], services=chosen)
    for service in chosen:
        total = totals.get((service.pk, period.pk))
        items = []
        if (
            rule is not None
            and total is not None
            and total.province is not None
            and total.parts is not None
        ):
            found = check_parts_total(
                rule,
                total=total.province,
                parts=total.parts,
                complete=total.complete,
                fields=TOTAL_FIELDS,
                labels=FIELD_LABELS,
                service=service.name,
                units=len(total.part_units),
                ref=service.name,
            )
            items = [
                FoundItem(
                    f.rule,
                    f.severity,
                    f.message,
                    f.column or "",
                    service.name,
                    f"{f.rule}:{service.code}:{f.column}",
                )
                for f in found
            ]
        result.add(
            findings_sync(
                object_type=TOTAL_TYPE,
                object_id=f"{service.pk}-{period.pk}",
                items=items,
                scope=RuleScope.SERVICE_STAT,
                period=period,
                unit=province,
                source=source,
                by=by,
            )
        )
    return result


# --- indicators ------------------------------------------------------------------------------


@transaction.atomic
def indicator_ensure(
    *,
    code: str,
    name: str,
    kind: str,
    by: Any,
    unit_label: str = "",
    direction: str = Direction.HIGHER,
    cumulative: bool = False,
    aggregation: str = "sum",
    reporting_units: Sequence[Unit] = (),
) -> Indicator:
    """Create or update an indicator and the units that report on it (idempotent, audited:
    the list of reporting units is recorded by key, before and after)."""
    if by is not None and not can(by, Action.SET_TARGETS):
        raise PermissionDeniedError("Chỉ Thường trực Tổ công tác được đặt chỉ tiêu.")
    values = {
        "name": name,
        "kind": kind,
        "unit_label": unit_label,
        "direction": direction,
        "cumulative": cumulative,
        "aggregation": aggregation,
        "active": True,
    }
    indicator, _ = upsert_audited(
        Indicator, lookup={"code": code}, values=values, action="kpis.indicator", by=by
    )
    before = sorted(indicator.reporting_units.values_list("key", flat=True))
    after = sorted(u.key for u in reporting_units)
    if before != after:
        indicator.reporting_units.set(reporting_units)
        audit_record(
            action="kpis.indicator.reporting_units_changed",
            actor=by,
            instance=indicator,
            before={"reporting_units": before},
            after={"reporting_units": after},
        )
    return indicator


# Indicator values are stored with 14 digits, 2 after the point.
INDICATOR_LIMIT = Decimal(10) ** 12


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ApplicationError(f"«{str(value)[:30]}» không phải là số.") from exc
    # Decimal reads "NaN" and "Infinity" too, and "1e400" (finite, caught by the limit below).
    if not number.is_finite():
        raise ApplicationError(f"«{str(value)[:30]}» không phải là số.")
    if abs(number) >= INDICATOR_LIMIT:
        raise ApplicationError(f"«{str(value)[:30]}» quá lớn (tối đa 12 chữ số phần nguyên).")
    return number


@transaction.atomic
def indicator_value_save(
    *,
    indicator: Indicator,
    unit: Unit,
    period: ReportingPeriod,
    numerator: Any = None,
    denominator: Any = None,
    value: Any = None,
    flag: bool | None = None,
    cause: str = "",
    by: Any,
) -> IndicatorValue:
    """Save what a unit reports on an indicator for a period. Refuses a numerator above its
    denominator, and a missed target without its cause."""
    if not can_enter_figures(by, unit):
        raise PermissionDeniedError("Bạn không có quyền nhập số liệu cho đơn vị này.")
    if (
        indicator.reporting_units.exists()
        and not indicator.reporting_units.filter(pk=unit.pk).exists()
    ):
        raise ApplicationError("Đơn vị không thuộc danh sách báo cáo chỉ tiêu này.")
    if period.is_closed:
        raise ApplicationError(f"{period.label} đã khóa, không thể sửa số liệu.")
    entry = IndicatorEntry(
        numerator=_decimal(numerator),
        denominator=_decimal(denominator),
        value=_decimal(value),
        flag=flag,
    )
    try:
        check_entry(indicator.kind, entry)
    except IndicatorInputError as exc:
        raise ApplicationError(exc.message, extra={"field": exc.field}) from exc
    if period.pk is None:
        period = period_get_or_create(period.kind, period.year, period.number, by=by)
    judged = entry
    if indicator.cumulative and period.kind == "month":
        earlier = indicator_earlier_entries(indicator, unit, period)
        judged = cumulate(indicator.kind, [*earlier, entry])
    target = indicator_target(indicator, period)
    status = indicator_status(
        indicator.kind,
        indicator_value(indicator.kind, judged),
        target.value if target else None,
        target.direction if target else indicator.direction,
    )
    if status is Status.NOT_MET and not cause.strip():
        raise ApplicationError(
            "Chỉ tiêu chưa đạt: cần nêu nguyên nhân chưa đạt.", extra={"field": "cause"}
        )
    record = IndicatorValue.objects.filter(indicator=indicator, unit=unit, period=period).first()
    before = snapshot(record)
    if record is None:
        record = IndicatorValue(indicator=indicator, unit=unit, period=period)
    record.numerator, record.denominator = entry.numerator, entry.denominator
    record.value, record.flag = entry.value, entry.flag
    record.cause_if_missed = cause.strip() if status is Status.NOT_MET else ""
    _full_clean(record)
    record.save()
    audit_record(
        action="kpis.indicator_value.updated" if before else "kpis.indicator_value.created",
        actor=by,
        instance=record,
        before=before,
        after=snapshot(record),
        unit=unit,
    )
    return record


# --- rules over a whole period ------------------------------------------------------------------


@dataclass
class RunResult:
    records: int = 0
    sync: SyncResult = field(default_factory=SyncResult)

    def __str__(self) -> str:
        s = self.sync
        return (
            f"Đã kiểm tra {self.records} dòng số liệu: {s.created} phát hiện mới, "
            f"{s.updated} phát hiện còn tồn tại, {s.fixed} phát hiện đã được khắc phục."
        )


@transaction.atomic
def rules_run_for_period(period: ReportingPeriod, by: Any) -> RunResult:
    """Run the service-figure rules over every figure stored for a period (on demand), and
    bring the stored findings up to date. It lives here, not in `quality`, because `kpis`
    sits above `quality` in the layer contract: the rules know nothing of service figures."""
    if by is not None and not can(by, Action.RUN_RULES):
        raise PermissionDeniedError("Chỉ Thường trực Tổ công tác được chạy kiểm tra cả kỳ.")
    rules = rules_for_scope(RuleScope.SERVICE_STAT)
    stats = list(ServiceStat.objects.filter(period=period).select_related("service", "unit"))
    span = previous_period(period.kind, period.year, period.number)
    previous = {
        (s.service_id, s.unit_id, s.level): s
        for s in ServiceStat.objects.filter(
            period__kind=span.kind, period__year=span.year, period__number=span.number
        )
    }
    result = RunResult(records=len(stats))
    for stat in stats:
        before = previous.get((stat.service_id, stat.unit_id, stat.level))
        issues = check_values(
            stat.service.code,
            stat_values(stat),
            rules,
            stat_values(before) if before else None,
            name=stat.service.name,
            share_reported=stat.share_reported,
        )
        result.sync.add(
            findings_sync(
                object_type=STAT_TYPE,
                object_id=stat.pk,
                items=[
                    FoundItem(
                        i.rule, i.severity, i.message, "+".join(i.fields), stat.service.name, i.key
                    )
                    for i in issues
                ],
                scope=RuleScope.SERVICE_STAT,
                period=period,
                unit=stat.unit,
                source="Kiểm tra theo kỳ",
                by=by,
            )
        )
    result.sync.add(service_totals_check(period=period, by=by, source="Kiểm tra theo kỳ"))
    audit_record(
        action="quality.rules.run",
        actor=by,
        instance=period,
        note=str(result),
        after={
            "records": result.records,
            "created": result.sync.created,
            "updated": result.sync.updated,
            "fixed": result.sync.fixed,
        },
    )
    return result


# --- XLSX upload -----------------------------------------------------------------------------


@dataclass
class UploadOutcome:
    """An uploaded template: what it held (with cell references) and what became of it."""

    parsed: ParsedUpload
    outcome: EntryOutcome

    def cells_of(self, issue: Issue) -> list[str]:
        return [self.parsed.cell(issue.service_code, f) for f in issue.fields]


def service_stats_upload(
    *,
    unit: Unit,
    period: ReportingPeriod,
    level: str = StatLevel.ALL,
    data: bytes,
    accepted: Mapping[str, str] | None = None,
    by: Any,
) -> UploadOutcome:
    """Read a filled XLSX template and save its figures like the grid does: nothing is saved
    while a cell has an error or a warning has no reason. The template must be the one of this
    unit, period and level."""
    if not can_enter_figures(by, unit):
        raise PermissionDeniedError("Bạn không có quyền nhập số liệu cho đơn vị này.")
    from dean06.kpis.xlsx import TemplateError, parse_template

    known = set(PublicService.objects.values_list("code", flat=True))
    try:
        parsed = parse_template(data, known_codes=known)
    except TemplateError as exc:
        raise ApplicationError(str(exc)) from exc
    wanted = (unit.key, period.kind, period.year, period.number, level)
    found = (
        parsed.unit_key,
        parsed.period_kind,
        parsed.period_year,
        parsed.period_number,
        parsed.level,
    )
    if found != wanted:
        other = Unit.objects.filter(key=parsed.unit_key).first()
        label = period_label(parsed.period_kind, parsed.period_year, parsed.period_number)
        raise ApplicationError(
            f"Biểu mẫu này dành cho {other.name if other else parsed.unit_key}, {label}, "
            f"cấp «{StatLevel(parsed.level).label if parsed.level in StatLevel.values else ''}»;"
            f" không phải cho {unit.name}, {period.label}. Hãy tải đúng biểu mẫu."
        )
    outcome = service_stats_save(
        unit=unit,
        period=period,
        level=level,
        rows=parsed.rows,
        accepted=accepted,
        by=by,
        source="xlsx",
    )
    return UploadOutcome(parsed=parsed, outcome=outcome)


# --- figures read from a monthly report ---------------------------------------------------------


@transaction.atomic
def service_stat_import(
    *,
    service: PublicService,
    unit: Unit,
    period: ReportingPeriod,
    values: Mapping[str, Any],
    by: Any,
    level: str = StatLevel.ALL,
) -> tuple[ServiceStat, str]:
    """A service's figures as a monthly report (Phụ lục III) gives them: created, or updated where
    a value differs (the version goes up, so a grid opened before refuses to overwrite them).
    Returns the record and "created", "updated" or "unchanged"; each write audited."""
    lookup = {"service": service, "unit": unit, "period": period, "level": level}
    stat = ServiceStat.objects.select_for_update().filter(**lookup).order_by("pk").first()
    if stat is not None and any(getattr(stat, k) != v for k, v in values.items()):
        values = {**values, "version": stat.version + 1}
    return upsert_audited(
        ServiceStat,
        lookup=lookup,
        values=values,
        action="kpis.stat",
        by=by,
        unit=unit,
        instance=stat,
    )
