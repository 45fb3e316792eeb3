"""Every endpoint × every role: who reads what, who writes, and nobody without credentials."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from tests.api.conftest import MONTH, World, bearer

pytestmark = pytest.mark.django_db

PROVINCE = (Role.ADMIN, Role.SECRETARIAT, Role.PROVINCIAL_LEADER)
UNIT_A = (Role.UNIT_OFFICER, Role.UNIT_LEADER)
ALL_ROLES = (*PROVINCE, *UNIT_A)


def reads(w: World) -> dict[str, tuple[str, str]]:
    """Each GET endpoint: (path for unit A's data, path for unit B's data)."""
    a, b = "A", "B"
    return {
        "units": ("/api/units", "/api/units"),
        "unit": (f"/api/units/{w.units[a].pk}", f"/api/units/{w.units[b].pk}"),
        "plans": ("/api/plans", "/api/plans"),
        "plan": (f"/api/plans/{w.plan.pk}", f"/api/plans/{w.plan.pk}"),
        "tasks": ("/api/tasks", "/api/tasks"),
        "task": (f"/api/tasks/{w.tasks[a].pk}", f"/api/tasks/{w.tasks[b].pk}"),
        "assignments": ("/api/assignments", "/api/assignments"),
        "assignment": (
            f"/api/assignments/{w.assignments[a].pk}",
            f"/api/assignments/{w.assignments[b].pk}",
        ),
        "periods": ("/api/periods", "/api/periods"),
        "period": (f"/api/periods/{w.period.pk}", f"/api/periods/{w.period.pk}"),
        "reports": (
            f"/api/progress-reports?period={MONTH}",
            f"/api/progress-reports?period={MONTH}",
        ),
        "report": (
            f"/api/progress-reports/{w.reports[a].pk}",
            f"/api/progress-reports/{w.reports[b].pk}",
        ),
        "documents": ("/api/documents", "/api/documents"),
        "document": (
            f"/api/documents/{w.documents[a].pk}",
            f"/api/documents/{w.documents[b].pk}",
        ),
        "services": ("/api/services", "/api/services"),
        "figures": (
            f"/api/service-figures?period={MONTH}",
            f"/api/service-figures?period={MONTH}",
        ),
        "findings": ("/api/findings", "/api/findings"),
        "finding": (f"/api/findings/{w.findings[a].pk}", f"/api/findings/{w.findings[b].pk}"),
        "generated": ("/api/generated-reports", "/api/generated-reports"),
        "generated_one": (
            f"/api/generated-reports/{w.generated.pk}",
            f"/api/generated-reports/{w.generated.pk}",
        ),
        "generated_file": (
            f"/api/generated-reports/{w.generated.pk}/file",
            f"/api/generated-reports/{w.generated.pk}/file",
        ),
        "export_tasks": (
            f"/api/exports/tasks?period={MONTH}",
            f"/api/exports/tasks?period={MONTH}",
        ),
        "export_progress": (
            f"/api/exports/progress?period={MONTH}",
            f"/api/exports/progress?period={MONTH}",
        ),
        "export_figures": (
            f"/api/exports/service-figures?period={MONTH}",
            f"/api/exports/service-figures?period={MONTH}",
        ),
    }


# Endpoints only province-wide roles may read at all (a unit role: 403).
PROVINCE_ONLY = {"generated", "generated_one", "generated_file"}
# Detail endpoints where unit B's record is hidden from unit A (404, its existence not told).
B_HIDDEN = {"unit", "task", "assignment", "report", "document", "finding"}
# Lists: unit B's rows must not appear for unit A. (name, what B's row shows)
LIST_B_MARKERS = {
    "units": "Sở B",
    "tasks": "Nhiệm vụ B",
    "assignments": "Sở B",
    "reports": "Tiến độ của B",
    "documents": "Văn bản của B",
    "figures": "Sở B",
    "findings": "Cảnh báo của B",
    "export_tasks": "Nhiệm vụ B",
    "export_progress": "Tiến độ của B",
    "export_figures": "Sở B",
}


def test_nobody_signed_in_gets_401_json_everywhere(world, client):
    for name, (path, _) in reads(world).items():
        response = client.get(path)
        assert response.status_code == 401, name
        assert response["Content-Type"].startswith("application/json"), name
        assert "đăng nhập" in response.json()["detail"], name
    response = client.post("/api/progress-reports", {}, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("role", PROVINCE)
@pytest.mark.parametrize("via", ["session", "token"])
def test_province_roles_read_every_endpoint_both_units(world, client, role, via):
    headers = bearer(world.token(role)) if via == "token" else {}
    if via == "session":
        client.force_login(world.users[role])
    for name, (path_a, path_b) in reads(world).items():
        for path in {path_a, path_b}:
            response = client.get(path, **headers)
            assert response.status_code == 200, (name, path, response.content[:300])
        if name in LIST_B_MARKERS:
            assert LIST_B_MARKERS[name] in response.content.decode(), name


@pytest.mark.parametrize("role", UNIT_A)
@pytest.mark.parametrize("via", ["session", "token"])
def test_unit_roles_read_their_unit_only(world, client, role, via):
    headers = bearer(world.token(role)) if via == "token" else {}
    if via == "session":
        client.force_login(world.users[role])
    for name, (path_a, path_b) in reads(world).items():
        response = client.get(path_a, **headers)
        if name in PROVINCE_ONLY:
            assert response.status_code == 403, name
            assert response.json()["detail"].startswith("Bạn không có quyền"), name
            continue
        assert response.status_code == 200, (name, response.content[:300])
        if name in LIST_B_MARKERS:
            assert LIST_B_MARKERS[name] not in response.content.decode(), name
        if name in B_HIDDEN:
            hidden = client.get(path_b, **headers)
            assert hidden.status_code == 404, name
            assert hidden.json()["detail"].startswith("Không tìm thấy"), name


def _submission(world, unit="A"):
    return {
        "assignment_id": world.assignments[unit].pk,
        "period": "2024-08",
        "state": "in_progress",
        "percent_complete": 40,
        "progress": "Đã rà soát 120 thủ tục",
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADMIN, 403),
        (Role.SECRETARIAT, 403),
        (Role.PROVINCIAL_LEADER, 403),
        (Role.UNIT_LEADER, 403),
        (Role.UNIT_OFFICER, 201),
    ],
)
def test_only_the_units_officer_submits_with_a_write_token(world, client, role, expected):
    headers = bearer(world.token(role, "write"))
    response = client.post(
        "/api/progress-reports", _submission(world), content_type="application/json", **headers
    )
    assert response.status_code == expected, response.content[:300]
    if expected == 403:
        assert response.json()["detail"]


def test_a_unit_officer_cannot_submit_for_another_unit(world, client):
    headers = bearer(world.token(Role.UNIT_OFFICER, "write"))
    response = client.post(
        "/api/progress-reports",
        _submission(world, unit="B"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    assert not world.assignments["B"].progress_reports.filter(period__number=8).exists()


def test_a_read_token_cannot_write(world, client):
    headers = bearer(world.token(Role.UNIT_OFFICER, "read"))
    response = client.post(
        "/api/progress-reports", _submission(world), content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert "chỉ có quyền đọc" in response.json()["detail"]
    assert not world.assignments["A"].progress_reports.filter(period__number=8).exists()


def test_a_session_write_needs_the_csrf_token(world, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users[Role.UNIT_OFFICER])
    refused = browser.post(
        "/api/progress-reports", _submission(world), content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get("/api/units")  # any page sets the cookie; take the token as a page script would
    page = browser.get("/")
    token = page.cookies.get("csrftoken") or browser.cookies.get("csrftoken")
    assert token is not None
    accepted = browser.post(
        "/api/progress-reports",
        _submission(world),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token.value,
    )
    assert accepted.status_code == 201, accepted.content[:300]
