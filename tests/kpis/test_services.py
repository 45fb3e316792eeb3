"""Saving service figures: checked, saved only when nothing blocks, scoped to the unit, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dean06.accounts.roles import Role
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEntry
from dean06.kpis.models import IndicatorKind, ServiceStat, Target
from dean06.kpis.selectors import service_results
from dean06.kpis.services import (
    indicator_value_save,
    service_stats_save,
    target_create,
    targets_ensure_default,
)
from dean06.kpis.targets import Status
from dean06.orgs.models import Unit
from dean06.quality.models import Finding, FindingStatus
from dean06.quality.services import rules_ensure_builtin
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.services import period_get_or_create, period_unsaved
from tests.factories import IndicatorFactory, PeriodFactory, ServiceStatFactory

pytestmark = pytest.mark.django_db

JUSTICE_BIRTH = "DA06-09"
RESIDENCE = "DA06-03"


@pytest.fixture
def setup(reference):
    rules_ensure_builtin()
    targets_ensure_default()
    return Unit.objects.get(key="STP")


def _row(code, online, total, **more):
    return (
        code,
        {"online_citizens": online, "online_businesses": "0", "total_received": total, **more},
    )


def test_officer_saves_own_units_figures_with_audit(setup, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    period = period_unsaved("month", 2024, 7)
    outcome = service_stats_save(
        unit=setup, period=period, rows=[_row(JUSTICE_BIRTH, "1.755", "1869")], by=officer
    )
    assert outcome.saved and outcome.created == 1
    stat = ServiceStat.objects.get(unit=setup, service__code=JUSTICE_BIRTH)
    assert (stat.online_citizens, stat.total_received) == (1755, 1869)
    assert stat.period.label == "Tháng 7/2024" and stat.period.start == dt.date(2024, 6, 15)
    entry = AuditEntry.objects.get(action="kpis.stat.created")
    assert entry.actor == officer and entry.after["total_received"] == 1869
    assert entry.before is None and entry.unit == setup

    outcome = service_stats_save(
        unit=setup, period=period, rows=[_row(JUSTICE_BIRTH, "1800", "1869")], by=officer
    )
    assert outcome.updated == 1
    update = AuditEntry.objects.get(action="kpis.stat.updated")
    assert update.before["online_citizens"] == 1755 and update.after["online_citizens"] == 1800


def test_nothing_is_saved_while_one_row_has_an_error(setup, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    outcome = service_stats_save(
        unit=setup,
        period=period_unsaved("month", 2024, 7),
        rows=[_row(JUSTICE_BIRTH, "10", "20"), _row(RESIDENCE, "30", "20")],
        by=officer,
    )
    assert not outcome.saved
    assert [i.rule for i in outcome.blocking] == ["svc.online_le_total"]
    assert ServiceStat.objects.count() == 0
    assert not ReportingPeriod.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="kpis.stat").exists()


def test_an_error_cannot_be_accepted_with_a_reason(setup, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    period = period_unsaved("month", 2024, 7)
    first = service_stats_save(
        unit=setup, period=period, rows=[_row(RESIDENCE, "30", "20")], by=officer
    )
    key = first.blocking[0].key
    again = service_stats_save(
        unit=setup,
        period=period,
        rows=[_row(RESIDENCE, "30", "20")],
        accepted={key: "vì"},
        by=officer,
    )
    assert not again.saved and ServiceStat.objects.count() == 0


def test_outlier_warning_saves_with_the_units_explanation_for_the_secretariat(setup, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    service_stats_save(
        unit=setup,
        period=period_unsaved("month", 2024, 6),
        rows=[_row(JUSTICE_BIRTH, "10", "10")],
        by=officer,
    )
    july = period_unsaved("month", 2024, 7)
    refused = service_stats_save(
        unit=setup, period=july, rows=[_row(JUSTICE_BIRTH, "100", "100")], by=officer
    )
    assert not refused.saved
    assert {i.rule for i in refused.blocking} == {"svc.outlier"}
    reasons = {i.key: "Cao điểm đăng ký đầu năm học" for i in refused.blocking}
    saved = service_stats_save(
        unit=setup,
        period=july,
        rows=[_row(JUSTICE_BIRTH, "100", "100")],
        accepted=reasons,
        by=officer,
    )
    assert saved.saved
    stat = ServiceStat.objects.get(period__number=7)
    assert stat.accepted_reason == "Cao điểm đăng ký đầu năm học"
    findings = Finding.objects.filter(object_id=str(stat.pk))
    assert findings.count() == 2
    # The unit explained; accepting is the secretariat's act.
    assert {f.status for f in findings} == {FindingStatus.EXPLAINED}
    assert all(f.explained_by == officer and f.unit == setup for f in findings)
    assert all(f.explanation == "Cao điểm đăng ký đầu năm học" for f in findings)
    assert all(f.accepted_by is None for f in findings)
    # Saving the same figures again does not ask for the explanation a second time.
    again = service_stats_save(
        unit=setup, period=july, rows=[_row(JUSTICE_BIRTH, "100", "100")], by=officer
    )
    assert again.saved and again.unchanged == 1


def test_a_reason_given_by_the_secretariat_accepts_the_warning(setup, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    june, july = period_unsaved("month", 2024, 6), period_unsaved("month", 2024, 7)
    service_stats_save(
        unit=setup, period=june, rows=[_row(JUSTICE_BIRTH, "10", "10")], by=secretariat
    )
    refused = service_stats_save(
        unit=setup, period=july, rows=[_row(JUSTICE_BIRTH, "100", "100")], by=secretariat
    )
    reasons = {i.key: "Đã đối chiếu với hệ thống một cửa" for i in refused.blocking}
    service_stats_save(
        unit=setup,
        period=july,
        rows=[_row(JUSTICE_BIRTH, "100", "100")],
        accepted=reasons,
        by=secretariat,
    )
    findings = Finding.objects.filter(period__number=7)
    assert {f.status for f in findings} == {FindingStatus.ACCEPTED}
    assert all(f.accepted_by == secretariat for f in findings)


def test_officer_cannot_save_another_units_figures(setup, make_user):
    other = Unit.objects.get(key="SYT")
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    with pytest.raises(PermissionDeniedError):
        service_stats_save(
            unit=other,
            period=period_unsaved("month", 2024, 7),
            rows=[_row(JUSTICE_BIRTH, "1", "2")],
            by=officer,
        )
    assert ServiceStat.objects.count() == 0


@pytest.mark.parametrize("role", [Role.PROVINCIAL_LEADER, Role.UNIT_LEADER])
def test_readers_cannot_save(setup, make_user, role):
    user = make_user(role, unit=setup if role == Role.UNIT_LEADER else None)
    with pytest.raises(PermissionDeniedError):
        service_stats_save(
            unit=setup,
            period=period_unsaved("month", 2024, 7),
            rows=[_row(JUSTICE_BIRTH, "1", "2")],
            by=user,
        )


def test_secretariat_may_enter_for_any_unit_and_blank_row_removes(setup, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    period = period_unsaved("month", 2024, 7)
    service_stats_save(
        unit=setup, period=period, rows=[_row(JUSTICE_BIRTH, "5", "10")], by=secretariat
    )
    outcome = service_stats_save(
        unit=setup, period=period, rows=[(JUSTICE_BIRTH, {})], by=secretariat
    )
    assert outcome.deleted == 1 and ServiceStat.objects.count() == 0
    assert AuditEntry.objects.filter(action="kpis.stat.deleted").count() == 1


def test_closed_period_refuses_changes(setup, make_user):
    period = period_get_or_create("month", 2024, 7)
    period.is_closed = True
    period.save()
    with pytest.raises(ApplicationError):
        service_stats_save(
            unit=setup,
            period=period,
            rows=[_row(JUSTICE_BIRTH, "5", "10")],
            by=make_user(Role.SECRETARIAT),
        )


def test_period_get_or_create_is_idempotent_and_audited(db):
    first = period_get_or_create("quarter", 2024, 2)
    assert period_get_or_create("quarter", 2024, 2) == first
    assert (first.start, first.end, first.label) == (
        dt.date(2024, 3, 15),
        dt.date(2024, 6, 14),
        "Quý II/2024",
    )
    assert AuditEntry.objects.filter(action="tracking.period.created").count() == 1


def test_default_targets_are_installed_once(reference):
    Target.objects.all().delete()  # `reference` (dean06 init) installed them already
    assert targets_ensure_default().created == 4
    assert targets_ensure_default().created == 0
    assert Target.objects.count() == 4


def test_met_not_met_no_data_per_service(setup, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    period = period_unsaved("month", 2024, 7)
    service_stats_save(
        unit=setup,
        period=period,
        rows=[
            _row(JUSTICE_BIRTH, "1755", "1869"),  # 93.90% ≥ 60%
            _row(RESIDENCE, "7227", "7258"),  # 99.57% < 100% (public security)
            _row("DA06-15", "70", "100"),  # 70% < 80% (linked group, from Q2/2024)
        ],
        by=secretariat,
    )
    period = ReportingPeriod.objects.get()
    rows = {r.service.code: r for r in service_results(secretariat, period)}
    assert rows[JUSTICE_BIRTH].status is Status.MET and rows[JUSTICE_BIRTH].share == Decimal(
        "93.90"
    )
    assert rows[RESIDENCE].status is Status.NOT_MET and rows[RESIDENCE].result.target.value == 100
    assert rows["DA06-15"].status is Status.NOT_MET and rows["DA06-15"].result.target.value == 80
    assert rows["DA06-20"].status is Status.NO_DATA
    assert len(rows) == 25


def test_service_results_are_scoped_to_the_users_unit(setup, make_user):
    other = Unit.objects.get(key="SYT")
    period = PeriodFactory()
    ServiceStatFactory(
        unit=setup, period=period, service_code=JUSTICE_BIRTH, online_citizens=10, total_received=10
    )
    ServiceStatFactory(
        unit=other, period=period, service_code=JUSTICE_BIRTH, online_citizens=0, total_received=10
    )
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    mine = {r.service.code: r for r in service_results(officer, period)}
    assert mine[JUSTICE_BIRTH].share == Decimal("100.00")
    everyone = {
        r.service.code: r for r in service_results(make_user(Role.PROVINCIAL_LEADER), period)
    }
    assert everyone[JUSTICE_BIRTH].share == Decimal("50.00") and everyone[JUSTICE_BIRTH].units == 2


def test_indicator_refuses_numerator_above_denominator_and_asks_for_cause(setup, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    indicator = IndicatorFactory(kind=IndicatorKind.RATIO)
    indicator.reporting_units.add(setup)
    target_create(
        scope="indicator",
        indicator=indicator,
        value=Decimal(90),
        valid_from=dt.date(2024, 1, 1),
        by=make_user(Role.SECRETARIAT),
    )
    period = period_unsaved("month", 2024, 7)
    with pytest.raises(ApplicationError) as info:
        indicator_value_save(
            indicator=indicator,
            unit=setup,
            period=period,
            numerator="11",
            denominator="10",
            by=officer,
        )
    assert info.value.extra["field"] == "numerator"
    with pytest.raises(ApplicationError) as info:
        indicator_value_save(
            indicator=indicator,
            unit=setup,
            period=period,
            numerator="5",
            denominator="10",
            by=officer,
        )
    assert info.value.extra["field"] == "cause"
    value = indicator_value_save(
        indicator=indicator,
        unit=setup,
        period=period,
        numerator="5",
        denominator="10",
        cause="Thiếu thiết bị",
        by=officer,
    )
    assert value.cause_if_missed == "Thiếu thiết bị"
    met = indicator_value_save(
        indicator=indicator, unit=setup, period=period, numerator="9", denominator="10", by=officer
    )
    assert met.cause_if_missed == ""
    assert AuditEntry.objects.filter(action__startswith="kpis.indicator_value").count() == 2


def test_cumulative_indicator_is_judged_from_january(setup, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=setup)
    indicator = IndicatorFactory(kind=IndicatorKind.COUNT, cumulative=True)
    target_create(
        scope="indicator",
        indicator=indicator,
        value=Decimal(10),
        valid_from=dt.date(2024, 1, 1),
        by=make_user(Role.SECRETARIAT),
    )
    indicator_value_save(
        indicator=indicator,
        unit=setup,
        period=period_unsaved("month", 2024, 1),
        value="6",
        cause="Mới bắt đầu",
        by=officer,
    )
    # 6 + 4 = 10 reaches the target: no cause needed in February.
    february = indicator_value_save(
        indicator=indicator,
        unit=setup,
        period=period_unsaved("month", 2024, 2),
        value="4",
        by=officer,
    )
    assert february.value == 4 and february.cause_if_missed == ""


def test_indicator_only_for_its_reporting_units(setup, make_user):
    other = Unit.objects.get(key="SYT")
    indicator = IndicatorFactory(kind=IndicatorKind.BOOLEAN)
    indicator.reporting_units.add(other)
    with pytest.raises(ApplicationError):
        indicator_value_save(
            indicator=indicator,
            unit=setup,
            period=period_unsaved("month", 2024, 7),
            flag=True,
            by=make_user(Role.UNIT_OFFICER, unit=setup),
        )
