"""Who reports which figure: one total per service and period (the province's total when it
exists, else the sum of the units' parts, never both), and a warning when complete parts do not
add up to the province's total."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import ServiceReporter, ServiceStat
from dean06.kpis.selectors import province_unit, service_results, service_share_series
from dean06.kpis.services import (
    TOTAL_TYPE,
    rules_run_for_period,
    service_reporters_ensure_default,
    service_stats_save,
    targets_ensure_default,
)
from dean06.kpis.totals import (
    Basis,
    Reporter,
    StatRow,
    one_total,
    unit_share,
)
from dean06.orgs.models import Unit
from dean06.quality.builtin import PARTS_MATCH_TOTAL, check_parts_total, parts_disagreement
from dean06.quality.models import Finding, FindingStatus, ValidationRule
from dean06.quality.services import rules_ensure_builtin
from dean06.tracking.models import ReportingPeriod
from dean06.tracking.services import period_unsaved
from tests.factories import PeriodFactory, ServiceStatFactory

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = pytest.mark.once

BIRTH = "DA06-09"  # Đăng ký khai sinh; the Sở Tư pháp reports it
FIELDS = ("online_citizens", "online_businesses", "total_received")


def _values(online: int | None, total: int | None) -> dict[str, int | None]:
    return {"online_citizens": online, "online_businesses": 0, "total_received": total}


# --- the rule, without a database ----------------------------------------------------------------


def test_a_units_share_is_its_all_row_else_its_levels_added_never_both():
    whole = StatRow(7, "all", _values(90, 100))
    district = StatRow(7, "district", _values(50, 60))
    commune = StatRow(7, "commune", _values(30, 40))
    assert unit_share([district, commune]) == _values(80, 100)
    assert unit_share([whole, district, commune]) == _values(90, 100)


def test_the_one_total_is_the_provinces_total_never_added_to_the_parts():
    rows = [
        StatRow(1, "all", _values(1755, 1869)),  # the province
        StatRow(5, "all", _values(1000, 1200)),  # a department's part
        StatRow(6, "district", _values(300, 400)),  # a district's part, by level
        StatRow(6, "commune", _values(100, 200)),
    ]
    total = one_total(rows, province_id=1)
    assert total.basis is Basis.PROVINCE and total.label == "Tổng của tỉnh"
    assert (total.online, total.total_received) == (1755, 1869)
    assert (total.parts_online, total.parts_total) == (1400, 1800)
    assert total.part_units == (5, 6) and total.units == 1
    without_province = one_total(rows[1:], province_id=1)
    assert without_province.basis is Basis.PARTS
    assert without_province.label == "Cộng các đơn vị (2)"
    assert (without_province.online, without_province.total_received) == (1400, 1800)


def test_parts_are_complete_when_every_expected_unit_has_reported():
    rows = [StatRow(1, "all", _values(10, 20)), StatRow(5, "all", _values(8, 15))]
    expected = [Reporter(5, "all", "Sở Tư pháp"), Reporter(6, "district", "UBND huyện A")]
    waiting = one_total(rows, province_id=1, reporters=expected)
    assert not waiting.complete and waiting.missing_names == ["UBND huyện A"]
    assert waiting.agreement == "incomplete" and waiting.disagreements == []
    rows.append(StatRow(6, "district", _values(2, 5)))
    done = one_total(rows, province_id=1, reporters=expected)
    assert done.complete and done.agreement == "match"
    # The province is never one of its own parts, even if someone lists it.
    listed = one_total(rows, province_id=1, reporters=[*expected, Reporter(1, "all", "UBND tỉnh")])
    assert listed.complete


def test_parts_above_the_total_always_disagree_below_only_once_complete():
    total, parts = _values(100, 200), _values(120, 150)
    # Online above the total: wrong however many units are still to report.
    assert parts_disagreement(total, parts, complete=False, fields=FIELDS) == [
        ("online_citizens", 100.0, 120.0)
    ]
    assert parts_disagreement(total, parts, complete=True, fields=FIELDS) == [
        ("online_citizens", 100.0, 120.0),
        ("total_received", 200.0, 150.0),
    ]
    # Below the total while some unit is still to report: incomplete, no finding.
    below = check_parts_total(
        PARTS_MATCH_TOTAL,
        total=_values(1755, 1869),
        parts=_values(1000, 1200),
        complete=False,
        fields=FIELDS,
    )
    assert below == []


def test_the_mismatch_message_names_the_service_and_both_numbers():
    (finding,) = check_parts_total(
        PARTS_MATCH_TOTAL,
        total=_values(1755, 1869),
        parts=_values(1755, 1200),
        complete=True,
        fields=FIELDS,
        labels={"total_received": "Tổng số tiếp nhận"},
        service="Đăng ký khai sinh",
        units=2,
    )
    assert finding.severity == "warning" and finding.column == "total_received"
    assert finding.message == (
        "Đăng ký khai sinh, cột «Tổng số tiếp nhận»: tổng của tỉnh là 1.869 nhưng cộng số liệu "
        "của 2 đơn vị được 1.200 (lệch 669)."
    )


# --- with the database ---------------------------------------------------------------------------


@pytest.fixture
def units(reference):
    rules_ensure_builtin()
    targets_ensure_default()
    return (
        Unit.objects.get(key="UBND_TINH"),
        Unit.objects.get(key="STP"),
        Unit.objects.get(key="SYT"),
    )


def _stat(unit, online, total, *, level="all", period=None):
    return ServiceStatFactory(
        unit=unit,
        period=period or PeriodFactory(),
        service_code=BIRTH,
        level=level,
        online_citizens=online,
        online_businesses=0,
        total_received=total,
    )


def _row(online, total):
    return (BIRTH, {"online_citizens": online, "online_businesses": "0", "total_received": total})


@pytest.mark.django_db
def test_the_overview_counts_the_provinces_total_once_with_the_parts_beside(
    units, make_user, login
):
    province, justice, _ = units
    _stat(province, 1755, 1869)
    _stat(justice, 1000, 1200)
    period = ReportingPeriod.objects.get()
    rows = {r.service.code: r for r in service_results(make_user(Role.SECRETARIAT), period)}
    birth = rows[BIRTH]
    assert (birth.online, birth.total, birth.share) == (1755, 1869, Decimal("93.90"))
    assert birth.figures.basis is Basis.PROVINCE and birth.units == 1
    assert birth.figures.parts_total == 1200

    body = login(make_user(Role.PROVINCIAL_LEADER)).get("/so-lieu/?ky=2024-07").content.decode()
    assert ">1.869<" in body and ">3.069<" not in body
    assert "Tổng của tỉnh" in body and "Cộng các đơn vị (1): 1.000 / 1.200" in body
    assert 'data-agreement="mismatch"' in body and "Lệch với tổng của tỉnh" in body


@pytest.mark.django_db
def test_without_the_provinces_total_the_parts_add_up_each_unit_once(units, make_user, login):
    _, justice, health = units
    period = PeriodFactory()
    _stat(justice, 600, 700, period=period)
    _stat(justice, 400, 500, level="district", period=period)  # inside its "all" row
    _stat(health, 100, 300, period=period)
    rows = {r.service.code: r for r in service_results(make_user(Role.SECRETARIAT), period)}
    assert (rows[BIRTH].online, rows[BIRTH].total) == (700, 1000)
    assert rows[BIRTH].figures.label == "Cộng các đơn vị (2)" and rows[BIRTH].units == 2
    body = login(make_user(Role.SECRETARIAT)).get("/so-lieu/?ky=2024-07").content.decode()
    assert "Cộng các đơn vị (2)" in body and ">1.000<" in body


@pytest.mark.django_db
def test_a_unit_officer_sees_its_own_figures_not_the_provinces_total(units, make_user):
    province, justice, _ = units
    _stat(province, 1755, 1869)
    _stat(justice, 1000, 1200)
    period = ReportingPeriod.objects.get()
    officer = make_user(Role.UNIT_OFFICER, unit=justice)
    mine = {r.service.code: r for r in service_results(officer, period)}[BIRTH]
    assert (mine.online, mine.total) == (1000, 1200)
    assert mine.figures.basis is Basis.UNIT and mine.figures.parts is None
    # A province role choosing the province's unit sees its total; choosing a unit, that unit's.
    leader = make_user(Role.PROVINCIAL_LEADER)
    chosen = {r.service.code: r for r in service_results(leader, period, unit=province)}
    assert chosen[BIRTH].total == 1869 and chosen[BIRTH].figures.basis is Basis.PROVINCE
    chosen = {r.service.code: r for r in service_results(leader, period, unit=justice)}
    assert chosen[BIRTH].total == 1200 and chosen[BIRTH].figures.basis is Basis.UNIT


@pytest.mark.django_db
def test_the_province_is_found_by_kind_and_level_not_by_its_key(units, make_user):
    province, justice, _ = units
    Unit.objects.filter(pk=province.pk).update(key="UBND_TINH_BG")
    assert province_unit(dt.date(2024, 7, 14)) == province
    _stat(province, 1755, 1869)
    _stat(justice, 1000, 1200)
    period = ReportingPeriod.objects.get()
    rows = {r.service.code: r for r in service_results(make_user(Role.SECRETARIAT), period)}
    assert rows[BIRTH].total == 1869


@pytest.mark.django_db
def test_the_chart_series_uses_the_same_one_total(units, make_user, login):
    province, justice, _ = units
    _stat(province, 1755, 1869)
    _stat(justice, 0, 1200)
    secretariat = make_user(Role.SECRETARIAT)
    service = ServiceStat.objects.first().service
    points = service_share_series(secretariat, service, year=2024, month=7, months=2)
    assert [(p.label, p.share) for p in points] == [("6/2024", None), ("7/2024", Decimal("93.90"))]
    chart = login(secretariat).get(f"/so-lieu/bieu-do/dich-vu/{service.pk}.png?ky=2024-07")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_each_service_gets_the_body_responsible_in_the_province_as_its_reporter(units):
    reporters = {r.service.code: r for r in ServiceReporter.objects.select_related("service")}
    assert len(reporters) == 25
    assert reporters[BIRTH].unit.key == "STP" and reporters[BIRTH].level == "all"
    assert reporters["DA06-01"].unit.key == "CAT"
    assert reporters["DA06-15"].unit.key == "STP"  # the lead of a linked procedure
    assert reporters["DA06-23"].unit.key == "SLDTBXH"  # a name with a dash in it
    assert reporters["DA06-24"].unit.key == "DIENLUC"
    assert AuditEntry.objects.filter(action="kpis.servicereporter.created").count() == 25
    # Again: nothing changes; a service an administrator re-assigned keeps its units.
    ServiceReporter.objects.filter(service__code=BIRTH).update(unit=units[2])
    assert service_reporters_ensure_default().created == 0
    assert ServiceReporter.objects.get(service__code=BIRTH).unit == units[2]


@pytest.mark.django_db
def test_parts_not_adding_up_to_the_total_leave_a_warning_until_they_do(units, make_user):
    province, justice, _ = units
    _stat(province, 1755, 1869)
    officer = make_user(Role.UNIT_OFFICER, unit=justice)
    period = period_unsaved("month", 2024, 7)
    saved = service_stats_save(unit=justice, period=period, rows=[_row("1000", "1200")], by=officer)
    assert saved.saved
    found = Finding.objects.get(rule_code="svc.parts_match_total", column="total_received")
    assert found.severity == "warning" and found.status == FindingStatus.OPEN
    assert found.object_type == TOTAL_TYPE and found.unit == province
    assert "Đăng ký khai sinh" in found.message and "1.869" in found.message
    assert "1.200" in found.message and "DA06" not in found.message
    # The province's own row keeps its own findings: the two are not mixed up.
    assert not Finding.objects.filter(object_type="kpis.servicestat", rule_code=found.rule_code)

    outcome = service_stats_save(
        unit=justice,
        period=ReportingPeriod.objects.get(),
        rows=[_row("1755", "1869")],
        versions={BIRTH: 1},
        by=officer,
    )
    assert outcome.saved
    assert set(
        Finding.objects.filter(rule_code="svc.parts_match_total").values_list("status", flat=True)
    ) == {FindingStatus.FIXED}


@pytest.mark.django_db
def test_incomplete_parts_below_the_total_are_said_so_not_called_a_mismatch(
    units, make_user, login
):
    province, justice, health = units
    _stat(province, 1755, 1869)
    period = ReportingPeriod.objects.get()
    ServiceReporter.objects.create(
        service=ServiceStat.objects.get().service,
        unit=health,
        level="district",
        valid_from=dt.date(2024, 1, 1),
    )
    officer = make_user(Role.UNIT_OFFICER, unit=justice)
    service_stats_save(unit=justice, period=period, rows=[_row("1000", "1200")], by=officer)
    assert not Finding.objects.filter(rule_code="svc.parts_match_total").exists()
    body = login(make_user(Role.SECRETARIAT)).get("/so-lieu/?ky=2024-07").content.decode()
    assert 'data-agreement="incomplete"' in body
    assert "Chưa đủ đơn vị để đối chiếu: Sở Y tế chưa nhập." in body
    # Parts already above the total are wrong however many units are still to come.
    service_stats_save(
        unit=justice, period=period, rows=[_row("1900", "2000")], versions={BIRTH: 1}, by=officer
    )
    assert (
        Finding.objects.filter(rule_code="svc.parts_match_total", status=FindingStatus.OPEN).count()
        == 2
    )


@pytest.mark.django_db
def test_the_run_over_a_period_compares_the_parts_with_the_total(units, make_user):
    province, justice, _ = units
    _stat(province, 1755, 1869)
    _stat(justice, 1000, 1200)  # stored without going through the grid
    period = ReportingPeriod.objects.get()
    assert not Finding.objects.exists()
    result = rules_run_for_period(period, make_user(Role.SECRETARIAT))
    assert result.sync.created == 2  # online by citizens and the total received
    assert set(Finding.objects.values_list("rule_code", flat=True)) == {"svc.parts_match_total"}
    # Switched off by an administrator, the rule finds nothing more: its findings are fixed.
    ValidationRule.objects.filter(code="svc.parts_match_total").update(active=False)
    rules_run_for_period(period, make_user(Role.SECRETARIAT))
    assert not Finding.objects.exclude(status=FindingStatus.FIXED).exists()


@pytest.mark.django_db
def test_an_installation_from_before_the_rule_still_checks_until_it_is_installed(units, make_user):
    ValidationRule.objects.filter(code="svc.parts_match_total").delete()
    province, justice, _ = units
    _stat(province, 1755, 1869)
    _stat(justice, 1000, 1200)
    rules_run_for_period(ReportingPeriod.objects.get(), make_user(Role.SECRETARIAT))
    assert Finding.objects.filter(rule_code="svc.parts_match_total").count() == 2


@pytest.mark.django_db
def test_administrators_assign_reporters_but_never_the_province_itself(units, make_user, login):
    province, _, health = units
    client = login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    service = ServiceReporter.objects.get(service__code=BIRTH).service
    data = {
        "service": service.pk,
        "unit": province.pk,
        "level": "all",
        "valid_from": "2024-01-01",
        "note": "",
    }
    page = client.post("/quan-tri/kpis/servicereporter/add/", data)
    assert page.status_code == 200
    assert "nhập tổng của tỉnh, không phải một phần" in page.content.decode()
    response = client.post("/quan-tri/kpis/servicereporter/add/", {**data, "unit": health.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.filter(action="kpis.servicereporter.created").latest("id")
    assert entry.after["unit"] == health.pk and entry.actor is not None
    # The same unit and level again over the same dates would count it twice.
    again = client.post("/quan-tri/kpis/servicereporter/add/", {**data, "unit": health.pk})
    assert again.status_code == 200 and "trong cùng khoảng thời gian" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parts_saved_at_the_same_moment_are_compared_together(units, make_user):
    """Two units save their parts at once, each in its own connection. Each alone is below the
    total and incomplete; together they are complete and still below it. The later save waits
    for the earlier one and compares both: the warning is found, once per column."""
    province, justice, health = units
    _stat(province, 1755, 1869)
    period = ReportingPeriod.objects.get()
    service = ServiceStat.objects.get().service
    ServiceReporter.objects.create(
        service=service, unit=health, level="all", valid_from=dt.date(2024, 1, 1)
    )
    people = [(justice, make_user(Role.UNIT_OFFICER, unit=justice), "1000", "1200")]
    people.append((health, make_user(Role.UNIT_OFFICER, unit=health), "500", "600"))
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def save(unit, person, online, total):
        try:
            barrier.wait(timeout=10)
            outcome = service_stats_save(
                unit=unit, period=period, rows=[_row(online, total)], by=person
            )
            assert outcome.saved
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=p) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    found = Finding.objects.filter(rule_code="svc.parts_match_total", status=FindingStatus.OPEN)
    assert sorted(found.values_list("column", flat=True)) == [
        "online_citizens",
        "total_received",
    ]
    assert "cộng số liệu của 2 đơn vị được 1.800" in found.get(column="total_received").message
