"""Rules stored in the database: installed once, edited by administrators with the engine's
checks, run over a period on demand; findings stored, fixed and accepted with a reason."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from dean06.core.exceptions import ApplicationError, PermissionDeniedError
from dean06.core.models import AuditEntry
from dean06.kpis.entry import RULE_FIELD_NAMES
from dean06.kpis.models import ServiceStat
from dean06.kpis.services import rules_run_for_period, service_stats_save
from dean06.orgs.models import Unit
from dean06.quality.builtin import BUILTIN_RULES
from dean06.quality.models import Finding, FindingStatus, ValidationRule
from dean06.quality.selectors import findings_visible_to, rules_for_scope
from dean06.quality.services import (
    SERVICE_RULE_NAMES,
    finding_accept,
    rule_create,
    rule_update,
    rules_ensure_builtin,
)
from tests.factories import PeriodFactory, ServiceStatFactory

pytestmark = pytest.mark.django_db


def test_builtin_rules_are_installed_once_and_edits_survive(make_user):
    assert rules_ensure_builtin().created == len(BUILTIN_RULES)
    rule = ValidationRule.objects.get(code="svc.outlier")
    assert rule.builtin and rule.params == {"factor": 3.0} and rule.severity == "warning"
    rule_update(rule=rule, data={"params": {"factor": 5}}, by=make_user(Role.ADMIN))
    assert rules_ensure_builtin().created == 0
    assert ValidationRule.objects.get(code="svc.outlier").params == {"factor": 5}
    assert ValidationRule.objects.count() == len(BUILTIN_RULES)


def test_the_names_rules_may_use_match_what_entry_fills():
    assert set(SERVICE_RULE_NAMES) == set(RULE_FIELD_NAMES)


def test_admin_creates_an_expression_rule_that_then_runs(make_user):
    admin = make_user(Role.ADMIN)
    rules_ensure_builtin()
    rule_create(
        data={
            "code": "svc.staff_sum",
            "name": "Nhân lực theo cấp không vượt tổng",
            "scope": "service_stat",
            "left": "staff_province + staff_district + staff_commune",
            "operator": "<=",
            "right": "staff_total",
            "severity": "warning",
            "message": "Nhân lực các cấp ({left}) lớn hơn tổng số ({right}).",
        },
        by=admin,
    )
    assert AuditEntry.objects.filter(action="quality.rule.created", actor=admin).exists()
    assert "svc.staff_sum" in {r.code for r in rules_for_scope("service_stat")}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("__import__('os')", "total"),
        ("online_citizens.real", "total"),
        ("nonexistent_field", "total"),
        ("online_citizens ** 2", "total"),
        ("", "total"),
    ],
)
def test_bad_expressions_are_refused_with_a_vietnamese_message(make_user, left, right):
    with pytest.raises(ApplicationError) as info:
        rule_create(
            data={
                "code": "svc.bad",
                "name": "x",
                "scope": "service_stat",
                "left": left,
                "operator": "<=",
                "right": right,
                "message": "m",
            },
            by=make_user(Role.ADMIN),
        )
    assert info.value.message
    assert not ValidationRule.objects.filter(code="svc.bad").exists()


def test_bad_operator_is_refused(make_user):
    with pytest.raises(ApplicationError):
        rule_create(
            data={
                "code": "svc.op",
                "name": "x",
                "scope": "service_stat",
                "left": "total",
                "operator": "=<",
                "right": "1",
                "message": "m",
            },
            by=make_user(Role.ADMIN),
        )


def test_only_administrators_edit_rules(make_user):
    rules_ensure_builtin()
    rule = ValidationRule.objects.get(code="svc.online_le_total")
    with pytest.raises(PermissionDeniedError):
        rule_update(rule=rule, data={"active": False}, by=make_user(Role.SECRETARIAT))
    assert ValidationRule.objects.get(pk=rule.pk).active


def test_deactivated_rule_no_longer_blocks_entry(reference, make_user):
    rules_ensure_builtin()
    admin = make_user(Role.ADMIN)
    rule_update(
        rule=ValidationRule.objects.get(code="svc.resolved_le_total"),
        data={"active": False},
        by=admin,
    )
    unit = Unit.objects.get(key="STP")
    outcome = service_stats_save(
        unit=unit,
        period=PeriodFactory(),
        rows=[("DA06-09", {"total_received": "10", "on_time": "9", "overdue": "9"})],
        by=admin,
    )
    assert outcome.saved


def test_run_for_period_finds_fixes_and_keeps_accepted(reference, make_user):
    rules_ensure_builtin()
    secretariat = make_user(Role.SECRETARIAT)
    period = PeriodFactory()
    unit = Unit.objects.get(key="STP")
    # As imported from a report: the share printed contradicts the counts (seed 003, row 9).
    bad_share = ServiceStatFactory(
        unit=unit,
        period=period,
        service_code="DA06-09",
        online_citizens=1755,
        online_businesses=0,
        total_received=1869,
        share_reported="88.73",
    )
    good = ServiceStatFactory(
        unit=unit,
        period=period,
        service_code="DA06-10",
        online_citizens=676,
        online_businesses=0,
        total_received=749,
        share_reported="90.25",
    )
    result = rules_run_for_period(period, secretariat)
    assert result.records == 2 and result.sync.created == 1
    finding = Finding.objects.get()
    assert finding.rule_code == "svc.share_matches" and finding.object_id == str(bad_share.pk)
    assert finding.status == FindingStatus.OPEN and "88,73" in finding.message
    assert finding.period == period and finding.unit == unit
    assert str(good.pk) not in set(Finding.objects.values_list("object_id", flat=True))
    # Running again changes nothing; fixing the figure fixes the finding.
    assert rules_run_for_period(period, secretariat).sync.created == 0
    ServiceStat.objects.filter(pk=bad_share.pk).update(share_reported="93.90")
    assert rules_run_for_period(period, secretariat).sync.fixed == 1
    assert Finding.objects.get().status == FindingStatus.FIXED
    assert AuditEntry.objects.filter(action="quality.rules.run").count() == 3


def test_only_the_secretariat_runs_a_period(make_user):
    with pytest.raises(PermissionDeniedError):
        rules_run_for_period(PeriodFactory(), make_user(Role.PROVINCIAL_LEADER))


def test_accepting_a_warning_needs_a_reason_and_errors_cannot_be_accepted(make_user):
    unit_a = make_user(Role.UNIT_OFFICER).unit
    warning = Finding.objects.create(
        rule_code="svc.outlier", severity="warning", message="m", scope="service_stat", unit=unit_a
    )
    error = Finding.objects.create(
        rule_code="svc.online_le_total",
        severity="error",
        message="m",
        scope="service_stat",
        unit=unit_a,
    )
    officer = make_user(Role.UNIT_OFFICER, unit=unit_a)
    secretariat = make_user(Role.SECRETARIAT)
    with pytest.raises(ApplicationError):
        finding_accept(finding=warning, reason="  ", by=secretariat)
    with pytest.raises(ApplicationError):
        finding_accept(finding=error, reason="vì", by=secretariat)
    other_officer = make_user(Role.UNIT_OFFICER)
    # Not the unit's own act: the officer who entered the figures cannot accept them.
    for who in (other_officer, officer):
        with pytest.raises(PermissionDeniedError):
            finding_accept(finding=warning, reason="vì", by=who)
    finding_accept(finding=warning, reason="Số liệu đúng, do mở rộng dịch vụ", by=secretariat)
    warning.refresh_from_db()
    assert warning.status == FindingStatus.ACCEPTED and warning.accepted_by == secretariat
    entry = AuditEntry.objects.get(action="quality.finding.accepted")
    assert entry.before["status"] == "open" and entry.after["status"] == "accepted"
    # A unit sees only its own findings.
    assert list(findings_visible_to(other_officer)) == []
    assert list(findings_visible_to(officer)) == [error, warning] or set(
        findings_visible_to(officer)
    ) == {error, warning}
