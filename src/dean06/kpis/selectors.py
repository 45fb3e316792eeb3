"""Reads of services, figures, targets and indicators, scoped to what the acting user may see.

Who may enter figures lives here too: a unit officer for its own unit, the secretariat and
administrators for any unit; everyone else reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from dean06.accounts.permissions import Action, can
from dean06.core.exceptions import NotFoundError
from dean06.kpis.entry import COUNT_FIELDS, FIELD_LABELS, BatchResult, Issue
from dean06.kpis.models import (
    Indicator,
    IndicatorValue,
    PublicService,
    ServiceReporter,
    ServiceStat,
    StatLevel,
    Target,
    TargetScope,
)
from dean06.kpis.shares import format_count, format_share, online_share
from dean06.kpis.targets import (
    AggregateResult,
    IndicatorEntry,
    ServiceInfo,
    ServiceResult,
    Status,
    TargetDef,
    aggregate,
    service_result,
    target_for,
)
from dean06.kpis.totals import (
    NO_FIGURES,
    TOTAL_FIELDS,
    Reporter,
    ServiceTotal,
    StatRow,
    one_total,
    single_unit_total,
)
from dean06.orgs.models import Unit, UnitKind, UnitLevel
from dean06.orgs.selectors import units_visible_to
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.periods import period_span, previous_period, recent_months


def can_enter_figures(user: Any, unit: Unit) -> bool:
    return can(user, Action.ENTER_FIGURES, unit)


def entry_units(user: Any) -> QuerySet[Unit]:
    """The units a user may enter figures for."""
    if can(user, Action.ENTER_FIGURES):
        return Unit.objects.all()
    if getattr(user, "unit_id", None) and can(user, Action.ENTER_FIGURES, user.unit_id):
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


def unit_get_visible(user: Any, unit_id: int) -> Unit:
    """The unit if the user may see it; NotFoundError otherwise (another unit's id is not
    confirmed to exist)."""
    unit = units_visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFoundError("Không tìm thấy đơn vị.")
    return unit


def services_active() -> QuerySet[PublicService]:
    return PublicService.objects.filter(active=True).order_by("catalogue", "order", "code")


def service_info(service: PublicService) -> ServiceInfo:
    return ServiceInfo(
        code=service.code,
        is_public_security=service.owner_is_public_security,
        is_linked_group=service.is_linked_group,
    )


def target_defs(*, scopes: Iterable[str] | None = None) -> list[TargetDef]:
    qs = Target.objects.select_related("service", "indicator")
    if scopes is not None:
        qs = qs.filter(scope__in=list(scopes))
    return [
        TargetDef(
            scope=t.scope,
            value=t.value,
            valid_from=t.valid_from,
            valid_to=t.valid_to,
            direction=t.direction,
            service_code=t.service.code if t.service else None,
            indicator_code=t.indicator.code if t.indicator else None,
            source=t.source,
        )
        for t in qs
    ]


def service_target_defs() -> list[TargetDef]:
    return target_defs(scopes=[s for s in TargetScope.values if s != TargetScope.INDICATOR])


def stats_for_unit(
    unit: Unit, period: ReportingPeriod | None, level: str
) -> dict[int, ServiceStat]:
    """The unit's figures of a period by service id (nothing for an unsaved period)."""
    if period is None or period.pk is None:
        return {}
    qs = ServiceStat.objects.filter(unit=unit, period=period, level=level)
    return {s.service_id: s for s in qs}


def stat_values(stat: ServiceStat | None) -> dict[str, int | None]:
    if stat is None:
        return dict.fromkeys(COUNT_FIELDS)
    return {f: getattr(stat, f) for f in COUNT_FIELDS}


def previous_stats(unit: Unit, period: ReportingPeriod, level: str) -> dict[int, ServiceStat]:
    """The unit's figures of the period before (same kind), by service id."""
    span = previous_period(period.kind, period.year, period.number)
    qs = ServiceStat.objects.filter(
        unit=unit,
        level=level,
        period__kind=span.kind,
        period__year=span.year,
        period__number=span.number,
    )
    return {s.service_id: s for s in qs}


# --- the one total of a service ----------------------------------------------------------------

# The key the report importer gives the province's People's Committee: only a tie-breaker when a
# registry holds more than one People's Committee at province level.
PROVINCE_UNIT_KEY = "UBND_TINH"


def _province_candidates() -> list[Unit]:
    return list(
        Unit.objects.filter(kind=UnitKind.PEOPLE_COMMITTEE, level=UnitLevel.PROVINCE).order_by("pk")
    )


def _choose_province(candidates: Sequence[Unit], day: dt.date | None) -> Unit | None:
    """The province's People's Committee among the candidates: the one valid on the day, at
    the top of the tree (no parent), then the importer's key, then the oldest."""
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda u: (
            day is not None and not u.is_valid_on(day),
            u.parent_id is not None,
            u.key != PROVINCE_UNIT_KEY,
            u.pk,
        ),
    )


def province_unit(on: dt.date | None = None) -> Unit | None:
    """The unit whose "all" rows are the province's totals: the People's Committee of the
    province (kind and level, not a hard-coded key), as it was on the day given."""
    return _choose_province(_province_candidates(), on)


def _reporters_in_force(
    periods: Sequence[ReportingPeriod], services: Iterable[PublicService] | None
) -> dict[tuple[int, int], list[Reporter]]:
    """The units expected to report each service in each period, by (service id, period id):
    those in force at the period's end (as targets are), whose unit exists on that day."""
    if not periods:
        return {}
    first = min(p.end for p in periods)
    last = max(p.end for p in periods)
    qs = ServiceReporter.objects.filter(valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    if services is not None:
        qs = qs.filter(service__in=list(services))
    out: dict[tuple[int, int], list[Reporter]] = defaultdict(list)
    for reporter in qs.select_related("unit").order_by("unit__name", "level"):
        for period in periods:
            in_force = reporter.valid_from <= period.end and (
                reporter.valid_to is None or period.end <= reporter.valid_to
            )
            if in_force and reporter.unit.is_valid_on(period.end):
                out[(reporter.service_id, period.pk)].append(
                    Reporter(reporter.unit_id, reporter.level, reporter.unit.name)
                )
    return out


def _stat_rows(
    periods: Sequence[ReportingPeriod],
    units: QuerySet[Unit] | None,
    services: Iterable[PublicService] | None,
) -> dict[tuple[int, int], list[StatRow]]:
    qs = ServiceStat.objects.filter(period__in=list(periods))
    if units is not None:
        qs = qs.filter(unit__in=units)
    if services is not None:
        qs = qs.filter(service__in=list(services))
    out: dict[tuple[int, int], list[StatRow]] = defaultdict(list)
    for r in qs.values("service_id", "period_id", "unit_id", "level", *TOTAL_FIELDS):
        values = {name: r[name] for name in TOTAL_FIELDS}
        out[(r["service_id"], r["period_id"])].append(StatRow(r["unit_id"], r["level"], values))
    return out


def province_totals(
    periods: Sequence[ReportingPeriod], *, services: Iterable[PublicService] | None = None
) -> dict[tuple[int, int], ServiceTotal]:
    """The one total of each service in each (stored) period over every unit, by (service id,
    period id): the province's total when it exists, otherwise the sum of the units' parts,
    with the expected reporters and who among them has not reported yet. Not scoped: the
    callers are `service_totals` (scoped) and the rules."""
    saved = [p for p in periods if p.pk is not None]
    if not saved:
        return {}
    if services is not None:
        services = list(services)
    rows = _stat_rows(saved, None, services)
    reporters = _reporters_in_force(saved, services)
    candidates = _province_candidates()
    provinces = {p.pk: _choose_province(candidates, p.end) for p in saved}
    out = {}
    for (service_id, period_id), service_rows in rows.items():
        province = provinces[period_id]
        out[(service_id, period_id)] = one_total(
            service_rows,
            province_id=province.pk if province else None,
            reporters=reporters.get((service_id, period_id), []),
        )
    return out


def service_totals(
    user: Any,
    periods: Sequence[ReportingPeriod],
    *,
    services: Iterable[PublicService] | None = None,
    unit: Unit | None = None,
) -> dict[tuple[int, int], ServiceTotal]:
    """The total of each service in each period that the user may see, by (service id, period
    id): for province-wide roles the province's one total (`province_totals`); for a unit's
    officer, or with one unit chosen, that unit's own figures."""
    if unit is None and getattr(user, "sees_whole_province", False):
        return province_totals(periods, services=services)
    saved = [p for p in periods if p.pk is not None]
    if not saved:
        return {}
    units = units_visible_to(user)
    if unit is not None:
        units = units.filter(pk=unit.pk)
    chosen = unit or units.first()
    if chosen is None:
        return {}
    rows = _stat_rows(saved, units.filter(pk=chosen.pk), services)
    candidates = _province_candidates()
    ends = {p.pk: p.end for p in saved}
    out = {}
    for (service_id, period_id), service_rows in rows.items():
        province = _choose_province(candidates, ends[period_id])
        is_province = province is not None and province.pk == chosen.pk
        out[(service_id, period_id)] = single_unit_total(service_rows, is_province=is_province)
    return out


@dataclass(frozen=True)
class ServiceRow:
    """One service in one period: its one total over what the user sees (never the province's
    total and the units' parts added together), the share, the target and the result."""

    service: PublicService
    online: int | None
    total: int | None
    share: Decimal | None
    result: ServiceResult
    units: int
    figures: ServiceTotal = NO_FIGURES

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def share_text(self) -> str:
        return format_share(self.share)


def service_results(
    user: Any, period: ReportingPeriod, *, unit: Unit | None = None
) -> list[ServiceRow]:
    """Each active service in a period: its one total (`service_totals`) over what the user
    sees (or one unit), the share, the target in force at the period's end and met / not met /
    no data."""
    totals = service_totals(user, [period], unit=unit)
    targets = service_target_defs()
    out = []
    for service in services_active():
        figures = totals.get((service.pk, period.pk), NO_FIGURES) if period.pk else NO_FIGURES
        share = figures.share
        out.append(
            ServiceRow(
                service=service,
                online=figures.online,
                total=figures.total_received,
                share=share,
                result=service_result(service_info(service), share, targets, period.end),
                units=figures.units,
                figures=figures,
            )
        )
    return out


@dataclass(frozen=True)
class SharePoint:
    label: str
    share: Decimal | None
    target: Decimal | None


def service_share_series(
    user: Any, service: PublicService, *, year: int, month: int, months: int = 12
) -> list[SharePoint]:
    """The service's monthly share (of the same one total as `service_results`) and its
    target, oldest first."""
    wanted = recent_months(year, month, months)
    periods = {
        (p.year, p.number): p
        for p in ReportingPeriod.objects.filter(kind="month", year__in={y for y, _ in wanted})
    }
    shown = [periods[w] for w in wanted if w in periods]
    totals = service_totals(user, shown, services=[service])
    targets = service_target_defs()
    info = service_info(service)
    out = []
    for y, m in wanted:
        span = period_span("month", y, m)
        period = periods.get((y, m))
        figures = totals.get((service.pk, period.pk), NO_FIGURES) if period else NO_FIGURES
        target = target_for(info, targets, span.end)
        out.append(SharePoint(f"{m}/{y}", figures.share, target.value if target else None))
    return out


# --- indicators -----------------------------------------------------------------------------


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    qs = Indicator.objects.filter(active=True).prefetch_related("reporting_units")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.sees_whole_province:
        return qs
    return qs.filter(reporting_units=user.unit_id).distinct()


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator in one period, over the units the user sees that report on it."""

    indicator: Indicator
    target: TargetDef | None
    result: AggregateResult

    @property
    def value_text(self) -> str:
        value = self.result.value
        if value is None:
            return "—"
        if self.indicator.kind == "ratio" or (
            self.indicator.kind == "boolean" and self.indicator.aggregation == "average"
        ):
            return format_share(value)
        return format_count(value) if value == value.to_integral_value() else str(value)

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "—"
        if self.indicator.kind == "ratio":
            return self.target.label
        sign = "≥" if self.target.direction == "higher" else "≤"
        return f"{sign} {format_count(self.target.value)}"


def indicator_results(user: Any, period: ReportingPeriod) -> list[IndicatorRow]:
    """Each indicator the user sees, combined over its reporting units (those the user sees;
    every visible unit when the indicator names none) as the indicator says, against the target
    in force at the end of the period. Three queries whatever the number of indicators."""
    indicators = list(indicators_visible_to(user))
    visible = set(units_visible_to(user).values_list("pk", flat=True))
    stored: dict[tuple[int, int], IndicatorValue] = {}
    if period.pk is not None:
        stored = {
            (v.indicator_id, v.unit_id): v
            for v in IndicatorValue.objects.filter(
                period=period, indicator__in=indicators, unit__in=visible
            )
        }
    targets = target_defs(scopes=[TargetScope.INDICATOR])
    rows = []
    for indicator in indicators:
        expected = [u.pk for u in indicator.reporting_units.all() if u.pk in visible] or sorted(
            {unit for (ind, unit) in stored if ind == indicator.pk}
        )
        entries = [
            indicator_entry(stored[(indicator.pk, u)]) if (indicator.pk, u) in stored else None
            for u in expected
        ]
        in_force = [
            t for t in targets if t.indicator_code == indicator.code and t.in_force(period.end)
        ]
        target = max(in_force, key=lambda t: t.valid_from) if in_force else None
        result = aggregate(
            indicator.kind,
            indicator.aggregation,
            entries,
            target.value if target else None,
            target.direction if target else indicator.direction,
        )
        rows.append(IndicatorRow(indicator=indicator, target=target, result=result))
    return rows


def latest_month_with_figures(user: Any) -> tuple[int, int] | None:
    """The latest month for which the user sees service figures (year, month), if any."""
    period = (
        ReportingPeriod.objects.filter(kind="month", service_stats__unit__in=units_visible_to(user))
        .order_by("-year", "-number")
        .values_list("year", "number")
        .first()
    )
    return (period[0], period[1]) if period else None


def latest_month_with_indicator_values(user: Any) -> tuple[int, int] | None:
    """The latest month for which the user sees indicator values (year, month), if any."""
    value = (
        IndicatorValue.objects.filter(
            period__kind="month",
            unit__in=units_visible_to(user),
            indicator__in=indicators_visible_to(user),
        )
        .order_by("-period__year", "-period__number")
        .values_list("period__year", "period__number")
        .first()
    )
    return (value[0], value[1]) if value else None


def indicator_entry(value: IndicatorValue | None) -> IndicatorEntry:
    if value is None:
        return IndicatorEntry()
    return IndicatorEntry(
        numerator=value.numerator, denominator=value.denominator, value=value.value, flag=value.flag
    )


def indicator_value_get(
    indicator: Indicator, unit: Unit, period: ReportingPeriod | None
) -> IndicatorValue | None:
    if period is None or period.pk is None:
        return None
    return IndicatorValue.objects.filter(indicator=indicator, unit=unit, period=period).first()


def indicator_previous_value(
    indicator: Indicator, unit: Unit, period: ReportingPeriod
) -> IndicatorValue | None:
    span = previous_period(period.kind, period.year, period.number)
    return IndicatorValue.objects.filter(
        indicator=indicator,
        unit=unit,
        period__kind=span.kind,
        period__year=span.year,
        period__number=span.number,
    ).first()


def indicator_target(indicator: Indicator, period: ReportingPeriod) -> TargetDef | None:
    """The indicator's target in force at the period's end (the latest to take effect)."""
    candidates = [
        t
        for t in target_defs(scopes=[TargetScope.INDICATOR])
        if t.indicator_code == indicator.code and t.in_force(period.end)
    ]
    return max(candidates, key=lambda t: t.valid_from) if candidates else None


def indicator_earlier_entries(
    indicator: Indicator, unit: Unit, period: ReportingPeriod
) -> list[IndicatorEntry]:
    """The unit's monthly entries from January up to the month before (for cumulative ones)."""
    values = IndicatorValue.objects.filter(
        indicator=indicator,
        unit=unit,
        period__kind="month",
        period__year=period.year,
        period__number__lt=period.number,
    ).order_by("period__number")
    return [indicator_entry(v) for v in values]


def service_stats_template(user: Any, unit: Unit, period: ReportingPeriod, level: str) -> bytes:
    """The XLSX template of a unit and period, pre-filled with what is stored (the caller has
    checked that the user sees the unit)."""
    from dean06.kpis.xlsx import TemplateMeta, TemplateService, build_template

    services = list(services_active())
    by_id = {s.pk: s for s in services}
    current = {
        by_id[k].code: stat_values(v)
        for k, v in stats_for_unit(unit, period, level).items()
        if k in by_id
    }
    previous: dict[str, dict[str, int | None]] = {}
    if period.start is not None:
        previous = {
            by_id[k].code: stat_values(v)
            for k, v in previous_stats(unit, period, level).items()
            if k in by_id
        }
    meta = TemplateMeta(
        unit_key=unit.key,
        unit_name=unit.name,
        period_kind=period.kind,
        period_year=period.year,
        period_number=period.number,
        period_label=period.label,
        level=level,
        level_label=StatLevel(level).label,
    )
    return build_template(
        meta,
        [TemplateService(s.code, s.order, s.name) for s in services],
        current=current,
        previous=previous,
    )


# --- the entry grid ----------------------------------------------------------------------------


@dataclass
class GridCell:
    field: str
    value: str
    errors: list[str]
    warnings: list[str]
    ref: str = ""

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    @property
    def css(self) -> str:
        return "has-error" if self.errors else ("has-warning" if self.warnings else "")


@dataclass
class GridRow:
    service: PublicService
    cells: list[GridCell]
    share: Decimal | None
    previous_online: int | None
    previous_total: int | None
    previous_share: Decimal | None
    issues: list[Issue]
    # The version of the stored row this grid shows (0: none yet), sent back on save.
    version: int = 0

    @property
    def share_text(self) -> str:
        return "" if self.share is None else format_share(self.share)

    @property
    def previous_share_text(self) -> str:
        return "" if self.previous_share is None else format_share(self.previous_share)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def entry_grid(
    unit: Unit,
    period: ReportingPeriod,
    level: str,
    *,
    batch: BatchResult | None = None,
    raw: Mapping[str, Mapping[str, object]] | None = None,
    cell_refs: Mapping[tuple[str, str], str] | None = None,
) -> list[GridRow]:
    """The rows of the entry grid: stored figures, or what was just typed/uploaded (`raw`) with
    the issues found in it; the previous period beside them. Each row carries the version of
    what is stored now, so that a save after a conflict is a deliberate overwrite."""
    stored = stats_for_unit(unit, period, level)
    before = previous_stats(unit, period, level) if period.start else {}
    rows = []
    for service in services_active():
        result = batch.row(service.code) if batch else None
        typed = (raw or {}).get(service.code)
        current = stat_values(stored.get(service.pk))
        cells = []
        for name in COUNT_FIELDS:
            issues = result.cell_issues(name) if result else []
            value = typed.get(name) if typed is not None else current[name]
            cells.append(
                GridCell(
                    field=name,
                    value=_shown(value),
                    errors=[i.message for i in issues if i.is_error],
                    warnings=[i.message for i in issues if not i.is_error],
                    ref=(cell_refs or {}).get((service.code, name), ""),
                )
            )
        previous = stat_values(before.get(service.pk))
        share = (
            result.share
            if result
            else online_share(
                current["online_citizens"], current["online_businesses"], current["total_received"]
            )
        )
        rows.append(
            GridRow(
                service=service,
                cells=cells,
                share=share,
                previous_online=None
                if previous["online_citizens"] is None and previous["online_businesses"] is None
                else (previous["online_citizens"] or 0) + (previous["online_businesses"] or 0),
                previous_total=previous["total_received"],
                previous_share=online_share(
                    previous["online_citizens"],
                    previous["online_businesses"],
                    previous["total_received"],
                ),
                issues=result.issues if result else [],
                version=stored[service.pk].version if service.pk in stored else 0,
            )
        )
    return rows
