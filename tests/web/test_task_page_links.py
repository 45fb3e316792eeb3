"""The task page links each unit to its page, shows the task's group in the plan and the
responsibility as the plan wrote it, and leads back to the task list; "late" is said of a task
only when it is overdue; the completeness grid links each unit to its page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from tests.factories import AssignmentFactory, TaskFactory

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]


def _task_page(client, cycle):
    return client.get(f"/nhiem-vu/{cycle['assignment'].task.pk}/").content.decode()


def test_the_task_page_links_every_unit_for_the_province(cycle, client):
    client.force_login(cycle["secretariat"])
    body = _task_page(client, cycle)
    task = cycle["assignment"].task
    assignments = list(task.assignments.select_related("unit"))
    assert len(assignments) > 2
    for assignment in assignments:
        link = f'<a href="/don-vi/{assignment.unit_id}/">{assignment.unit.name}</a>'
        assert link in body, assignment.unit.name


def test_a_unit_sees_its_own_unit_linked_and_the_others_as_names(cycle, client):
    client.force_login(cycle["officer"])
    body = _task_page(client, cycle)
    own = cycle["unit"]
    assert f'<a href="/don-vi/{own.pk}/">{own.name}</a>' in body
    other = Unit.objects.get(key="STP")  # a coordinating unit of B.1.3
    assert other.name in body and f'href="/don-vi/{other.pk}/"' not in body


def test_the_task_page_shows_its_group_the_plans_phrases_and_a_way_back(cycle, client):
    client.force_login(cycle["secretariat"])
    body = _task_page(client, cycle)
    section = cycle["assignment"].task.section
    assert section is not None and section.parent is not None
    group = re.search(r'<p class="small" id="task-section">(.*?)</p>', body, re.S)
    assert group, body
    assert section.code in group.group(1) and section.parent.code in group.group(1)
    phrases = re.search(r'id="task-phrases">(.*?)</p>', body, re.S)
    assert phrases and "Các sở, ngành" in phrases.group(1)
    assert "Sở Thông tin và Truyền thông" in phrases.group(1)
    # The collective phrase once, not once per unit it fanned out into.
    assert phrases.group(1).count("Các sở, ngành") == 1
    assert '<a href="/nhiem-vu/" id="back-to-tasks">' in body


def test_late_is_said_only_of_an_overdue_task(cycle, client, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    unit = cycle["unit"]
    due = dt.date(2024, 6, 30)
    overdue = TaskFactory(due_date=due, deadline_kind="date")
    recurring = TaskFactory(
        plan=overdue.plan, due_date=due, deadline_kind="date", is_recurring=True
    )
    for task in (overdue, recurring):
        AssignmentFactory(task=task, unit=unit)
    client.force_login(cycle["secretariat"])
    late = client.get(f"/nhiem-vu/{overdue.pk}/").content.decode()
    assert "trễ 10 ngày" in late
    ongoing = client.get(f"/nhiem-vu/{recurring.pk}/").content.decode()
    # Past its first date a recurring task is judged per period: not late.
    assert "trễ" not in ongoing and 'class="small error overdue"' not in ongoing
    client.force_login(cycle["officer"])
    owed = client.get("/bao-cao/").content.decode()
    overdue_card = re.search(rf'data-code="{overdue.code}".*?</li>', owed, re.S)
    recurring_card = re.search(rf'data-code="{recurring.code}".*?</li>', owed, re.S)
    assert overdue_card and "trễ 10 ngày" in overdue_card.group(0)
    assert recurring_card and "trễ" not in recurring_card.group(0)


def test_the_completeness_grid_links_each_unit(cycle, client, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 20)
    client.force_login(cycle["secretariat"])
    body = client.get("/bao-cao/tinh-hinh/?ky=2024-07").content.decode()
    rows = re.findall(r'<tr data-unit="([^"]+)"><th class="sticky" scope="row">(.*?)</th>', body)
    assert len(rows) > 2
    units = {u.key: u for u in Unit.objects.filter(key__in=[key for key, _ in rows])}
    for key, cell in rows:
        assert cell == f'<a href="/don-vi/{units[key].pk}/">{units[key].name}</a>'
    client.force_login(cycle["officer"])
    own = client.get("/bao-cao/tinh-hinh/?ky=2024-07").content.decode()
    assert f'<a href="/don-vi/{cycle["unit"].pk}/">' in own
    assert client.get(f"/don-vi/{cycle['unit'].pk}/").status_code == 200


def test_a_unit_role_is_linked_to_a_page_it_may_open(cycle, client, make_user):
    leader = make_user(Role.UNIT_LEADER, unit=cycle["unit"])
    client.force_login(leader)
    body = _task_page(client, cycle)
    linked = set(re.findall(r'href="/don-vi/(\d+)/"', body))
    assert linked == {str(cycle["unit"].pk)}
    for unit_id in linked:
        assert client.get(f"/don-vi/{unit_id}/").status_code == 200
