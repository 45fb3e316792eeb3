"""The menu of each role: only what the role may open, grouped, every link resolving."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dean06.accounts.roles import Role
from dean06.web.context import nav_entries

pytestmark = pytest.mark.django_db


def _names(user) -> list[str]:
    names = []
    for entry in nav_entries(user):
        names += [n for n, _ in entry.children] if entry.is_group else [entry.url_name]
    return names


def test_each_role_sees_its_own_menu(make_user):
    officer = _names(make_user(Role.UNIT_OFFICER))
    leader = _names(make_user(Role.PROVINCIAL_LEADER))
    secretariat = _names(make_user(Role.SECRETARIAT))
    admin = _names(make_user(Role.ADMIN))

    assert "data_health" not in officer and "plan_import" not in officer
    assert "completeness" not in officer and "admin:index" not in officer
    assert {"home", "task_list", "document_list", "kpis_index"} <= set(officer)

    assert "completeness" in leader and "report_list" in leader
    assert "plan_import" not in leader and "data_health" not in leader

    assert {"dashboard", "data_health", "plan_import", "report_import_start"} <= set(secretariat)
    assert "admin:index" not in secretariat and "quality_rules" not in secretariat
    assert {"admin:index", "quality_rules"} <= set(admin)
    for names in (officer, leader, secretariat, admin):
        for name in names:
            reverse(name)


def test_the_menu_groups_open_without_script(make_user, login):
    client = login(make_user(Role.SECRETARIAT))
    html = client.get(reverse("plan_list")).content.decode()
    assert '<details class="nav-group"><summary>Công việc</summary>' in html
    assert f'href="{reverse("data_health")}"' in html
