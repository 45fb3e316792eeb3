"""Every page but login needs a signed-in user; each role sees what it may, no unit another's."""

from __future__ import annotations

import pytest

from dean06.accounts.roles import Role
from dean06.plans.models import AssignmentRole
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory


def test_login_page_is_vietnamese_and_open(client, db):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body
    assert '<html lang="vi">' in body


@pytest.mark.parametrize("path", ["/", "/quan-tri/"])
def test_pages_redirect_anonymous_users_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/") or "login" in response["Location"]


def test_wrong_password_shows_a_vietnamese_error(client, make_user):
    user = make_user(Role.SECRETARIAT)
    response = client.post("/dang-nhap/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_login_then_home(client, make_user):
    user = make_user(Role.SECRETARIAT)
    response = client.post(
        "/dang-nhap/", {"username": user.username, "password": "secret-pass-123"}, follow=True
    )
    assert response.status_code == 200
    assert "Tổng quan" in response.content.decode()


@pytest.fixture
def two_units_with_tasks(db):
    plan = PlanFactory(number="18/KH-UBND")
    own, other = UnitFactory(key="OWN"), UnitFactory(key="OTHER")
    own_task = TaskFactory(plan=plan, code="A.1", content="Việc của đơn vị mình")
    other_task = TaskFactory(plan=plan, code="A.2", content="Việc của đơn vị khác")
    AssignmentFactory(task=own_task, unit=own, role=AssignmentRole.LEAD)
    AssignmentFactory(task=other_task, unit=other, role=AssignmentRole.LEAD)
    lonely = PlanFactory(number="99/KH-UBND")
    TaskFactory(plan=lonely, code="A.1", content="Kế hoạch không giao cho đơn vị mình")
    return own, other


def test_unit_officer_sees_only_own_units_tasks_and_plans(login, make_user, two_units_with_tasks):
    own, _ = two_units_with_tasks
    body = login(make_user(Role.UNIT_OFFICER, unit=own)).get("/").content.decode()
    assert "Việc của đơn vị mình" in body
    assert "Việc của đơn vị khác" not in body
    assert "18/KH-UBND" in body and "99/KH-UBND" not in body


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.PROVINCIAL_LEADER, Role.ADMIN])
def test_province_roles_see_every_plan(login, make_user, two_units_with_tasks, role):
    client = login(make_user(role))
    body = client.get("/ke-hoach/").content.decode()
    assert "18/KH-UBND" in body and "99/KH-UBND" in body
    tasks = client.get("/nhiem-vu/")
    assert tasks.context["result"].total == 3


def test_only_administrators_reach_the_admin(login, make_user):
    assert login(make_user(Role.SECRETARIAT)).get("/quan-tri/").status_code == 302
    assert (
        login(make_user(Role.ADMIN, is_staff=True, is_superuser=True)).get("/quan-tri/").status_code
        == 200
    )
