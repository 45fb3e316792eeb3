"""Findings and rules pages: who may run, accept and edit."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from dean06.quality.models import Finding, FindingStatus, ValidationRule
from dean06.quality.services import rules_ensure_builtin
from tests.factories import PeriodFactory, ServiceStatFactory

pytestmark = pytest.mark.django_db


def test_secretariat_runs_rules_for_a_period_and_sees_findings(reference, make_user, login):
    rules_ensure_builtin()
    ServiceStatFactory(
        period=PeriodFactory(),
        service_code="DA06-09",
        online_citizens=1755,
        online_businesses=0,
        total_received=1869,
        share_reported="88.73",
    )
    client = login(make_user(Role.SECRETARIAT))
    response = client.post("/kiem-tra/chay/", {"ky": "2024-07"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "svc.share_matches" in page and "88,73" in page
    assert Finding.objects.count() == 1


def test_provincial_leader_cannot_run(make_user, login):
    response = login(make_user(Role.PROVINCIAL_LEADER)).post("/kiem-tra/chay/", {"ky": "2024-07"})
    assert response.status_code == 403


def test_accepting_another_units_finding_is_not_found(make_user, login):
    officer = make_user(Role.UNIT_OFFICER)
    foreign = Finding.objects.create(
        rule_code="svc.outlier",
        severity="warning",
        message="m",
        scope="service_stat",
        unit=make_user(Role.UNIT_OFFICER).unit,
    )
    response = login(officer).post(f"/kiem-tra/phat-hien/{foreign.pk}/chap-nhan/", {"reason": "x"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == FindingStatus.OPEN


def test_officer_accepts_own_warning(make_user, login):
    officer = make_user(Role.UNIT_OFFICER)
    warning = Finding.objects.create(
        rule_code="svc.outlier",
        severity="warning",
        message="m",
        scope="service_stat",
        unit=officer.unit,
    )
    response = login(officer).post(
        f"/kiem-tra/phat-hien/{warning.pk}/chap-nhan/", {"reason": "Đúng thực tế"}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == FindingStatus.ACCEPTED and warning.reason == "Đúng thực tế"


def test_only_administrators_reach_the_rules_pages(make_user, login):
    assert login(make_user(Role.SECRETARIAT)).get("/kiem-tra/quy-tac/").status_code == 403


def test_admin_creates_a_rule_and_a_bad_expression_is_refused(make_user, login):
    rules_ensure_builtin()
    client = login(make_user(Role.ADMIN))
    assert "svc.online_le_total" in client.get("/kiem-tra/quy-tac/").content.decode()
    form = {
        "code": "svc.custom",
        "scope": "service_stat",
        "name": "Thử",
        "left": "online_citizens",
        "operator": "<=",
        "right": "total",
        "severity": "warning",
        "importance": "low",
        "message": "Thông báo",
        "tolerance": "0",
        "active": "on",
        "missing": "skip_if_any_missing",
    }
    bad = client.post("/kiem-tra/quy-tac/moi/", {**form, "left": "open('x')"})
    assert bad.status_code == 422 and 'id="rule-error"' in bad.content.decode()
    assert not ValidationRule.objects.filter(code="svc.custom").exists()
    assert client.post("/kiem-tra/quy-tac/moi/", form).status_code == 302
    rule = ValidationRule.objects.get(code="svc.custom")
    assert rule.severity == "warning" and rule.right == "total"
    special = ValidationRule.objects.get(code="svc.outlier")
    edit = client.post(
        f"/kiem-tra/quy-tac/{special.pk}/",
        {
            "name": special.name,
            "severity": "warning",
            "importance": "medium",
            "message": special.message,
            "factor": "4",
            "active": "on",
        },
    )
    assert edit.status_code == 302
    special.refresh_from_db()
    assert special.params == {"factor": 4.0} and special.left == ""


@pytest.mark.parametrize(
    "target",
    ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_accepting_never_redirects_off_site(make_user, login, target):
    manager = make_user(Role.SECRETARIAT)
    warning = Finding.objects.create(
        rule_code="svc.outlier", severity="warning", message="m", scope="service_stat"
    )
    response = login(manager).post(
        f"/kiem-tra/phat-hien/{warning.pk}/chap-nhan/", {"reason": "Đúng", "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/kiem-tra/"


def test_accepting_returns_to_the_page_it_came_from(make_user, login):
    manager = make_user(Role.SECRETARIAT)
    warning = Finding.objects.create(
        rule_code="svc.outlier", severity="warning", message="m", scope="service_stat"
    )
    back = "/kiem-tra/?ky=2024-07&trang_thai="
    response = login(manager).post(
        f"/kiem-tra/phat-hien/{warning.pk}/chap-nhan/", {"reason": "Đúng", "next": back}
    )
    assert response["Location"] == back
