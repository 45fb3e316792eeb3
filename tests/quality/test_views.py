"""Findings and rules pages: who may run, accept and edit."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
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
    response = login(officer).post(f"/kiem-tra/phat-hien/{foreign.pk}/giai-trinh/", {"text": "x"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == FindingStatus.OPEN


def _warning(unit):
    return Finding.objects.create(
        rule_code="svc.outlier", severity="warning", message="m", scope="service_stat", unit=unit
    )


def test_the_unit_explains_and_the_secretariat_returns_then_accepts(make_user, login, client):
    """Who enters is not who approves: the officer explains a warning on its unit's figures, the
    secretariat returns the explanation with a comment, the officer explains again, the
    secretariat accepts. The officer can never accept, and every step is audited."""
    officer = make_user(Role.UNIT_OFFICER)
    warning = _warning(officer.unit)
    url = f"/kiem-tra/phat-hien/{warning.pk}/"
    as_officer = login(officer)
    assert as_officer.post(url + "chap-nhan/", {"text": "Đúng thực tế"}).status_code == 403
    page = as_officer.get("/kiem-tra/").content.decode()
    assert "Gửi giải trình" in page and "Chấp nhận</button>" not in page
    assert (
        as_officer.post(url + "giai-trinh/", {"text": "Mở thêm điểm tiếp nhận"}).status_code == 302
    )
    warning.refresh_from_db()
    assert warning.status == FindingStatus.EXPLAINED
    assert warning.explanation == "Mở thêm điểm tiếp nhận" and warning.explained_by == officer

    secretariat = make_user(Role.SECRETARIAT)
    client.force_login(secretariat)
    page = client.get("/kiem-tra/").content.decode()  # opens on what waits for the secretariat
    assert "Mở thêm điểm tiếp nhận" in page and "Trả lại</button>" in page
    client.post(url + "tra-lai/", {"text": ""})  # a return needs its comment
    warning.refresh_from_db()
    assert warning.status == FindingStatus.EXPLAINED
    client.post(url + "tra-lai/", {"text": "Gửi kèm số liệu của điểm tiếp nhận mới"})
    warning.refresh_from_db()
    assert warning.status == FindingStatus.RETURNED
    assert warning.review_comment == "Gửi kèm số liệu của điểm tiếp nhận mới"

    client.force_login(officer)
    page = client.get("/kiem-tra/").content.decode()  # opens on what the unit must handle
    assert "Gửi kèm số liệu của điểm tiếp nhận mới" in page
    client.post(url + "giai-trinh/", {"text": "Điểm mới tiếp nhận 90 hồ sơ (kèm bảng)"})
    client.force_login(secretariat)
    client.post(url + "chap-nhan/", {"text": ""})  # accepted as explained
    warning.refresh_from_db()
    assert warning.status == FindingStatus.ACCEPTED and warning.accepted_by == secretariat
    assert warning.reason == "Điểm mới tiếp nhận 90 hồ sơ (kèm bảng)"
    actions = list(
        AuditEntry.objects.filter(object_type="quality.finding")
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert [a for a, _ in actions] == [
        "quality.finding.explained",
        "quality.finding.returned",
        "quality.finding.explained",
        "quality.finding.accepted",
    ]
    assert [u for _, u in actions] == [
        officer.username,
        secretariat.username,
        officer.username,
        secretariat.username,
    ]


@pytest.mark.parametrize(
    ("role", "explain", "accept"),
    [
        (Role.UNIT_OFFICER, 302, 403),
        (Role.UNIT_LEADER, 403, 403),
        (Role.PROVINCIAL_LEADER, 403, 403),
        (Role.SECRETARIAT, 403, 302),
        (Role.ADMIN, 403, 302),
    ],
)
def test_who_may_explain_and_who_may_accept(make_user, login, role, explain, accept):
    unit = make_user(Role.UNIT_OFFICER).unit
    user = make_user(role, unit=unit if role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) else None)
    client = login(user)
    warning = _warning(unit)
    url = f"/kiem-tra/phat-hien/{warning.pk}/"
    assert client.post(url + "giai-trinh/", {"text": "Vì"}).status_code == explain
    assert client.post(url + "chap-nhan/", {"text": "Vì"}).status_code == accept


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
        f"/kiem-tra/phat-hien/{warning.pk}/chap-nhan/", {"text": "Đúng", "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/kiem-tra/"


def test_accepting_returns_to_the_page_it_came_from(make_user, login):
    manager = make_user(Role.SECRETARIAT)
    warning = Finding.objects.create(
        rule_code="svc.outlier", severity="warning", message="m", scope="service_stat"
    )
    back = "/kiem-tra/?ky=2024-07&trang_thai="
    response = login(manager).post(
        f"/kiem-tra/phat-hien/{warning.pk}/chap-nhan/", {"text": "Đúng", "next": back}
    )
    assert response["Location"] == back
