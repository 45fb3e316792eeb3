"""The administrators' screens: every list and add page opens, searches and filters find what
they should, unit roles are kept out, changes are audited, and the lists' queries do not grow
with the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.orgs.models import Unit, UnitLevel
from dean06.quality.services import rules_ensure_builtin
from dean06.tracking.services import period_get_or_create
from tests.core.adminforms import form_data
from tests.factories import UnitFactory, UnitGroupFactory

OUR_APPS = ("accounts", "orgs", "kpis", "plans", "quality", "tracking", "documents", "core")


def _admin_models() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.app_label, model._meta.model_name or "")
        for model in admin.site._registry
        if model._meta.app_label in OUR_APPS
    )


@pytest.fixture
def admin_client(login, make_user):
    user = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    return login(user), user


def test_the_screens_the_job_needs_are_registered():
    names = set(_admin_models())
    for needed in [
        ("accounts", "user"),
        ("orgs", "unit"),
        ("orgs", "unitgroup"),
        ("kpis", "publicservice"),
        ("kpis", "servicereporter"),
        ("kpis", "target"),
        ("kpis", "indicator"),
        ("quality", "validationrule"),
        ("tracking", "reportingperiod"),
    ]:
        assert needed in names


@pytest.mark.parametrize(("app", "model"), _admin_models())
def test_every_changelist_and_add_page_opens_for_the_administrator(admin_client, app, model):
    client, _ = admin_client
    listing = client.get(f"/quan-tri/{app}/{model}/", follow=True)
    assert listing.status_code == 200
    assert "Traceback" not in listing.content.decode()
    searched = client.get(f"/quan-tri/{app}/{model}/", {"q": "Sở"}, follow=True)
    assert searched.status_code == 200
    add = client.get(f"/quan-tri/{app}/{model}/add/", follow=True)
    # Read-only logs and periods made by the application cannot be added by hand.
    assert add.status_code in (200, 403)


def test_admin_index_lists_the_catalogues_in_vietnamese(admin_client):
    client, _ = admin_client
    body = client.get("/quan-tri/").content.decode()
    for label in ("Tài khoản", "Đơn vị", "Nhóm đơn vị", "Kỳ báo cáo", "Quy tắc kiểm tra"):
        assert label.lower() in body.lower()


def test_a_unit_officer_is_sent_to_sign_in_and_a_staff_officer_is_refused(login, make_user):
    officer = make_user(Role.UNIT_OFFICER)
    client = login(officer)
    response = client.get("/quan-tri/orgs/unit/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]
    assert client.get("/quan-tri/accounts/user/").status_code == 302
    # Even marked as staff by mistake, a unit role has no right on the catalogues.
    staff_officer = make_user(Role.UNIT_OFFICER, is_staff=True)
    client = login(staff_officer)
    assert client.get("/quan-tri/orgs/unit/").status_code == 403
    assert client.get("/quan-tri/accounts/user/add/").status_code == 403


def test_users_are_found_by_their_unit_and_filtered_by_role(admin_client, make_user):
    client, _ = admin_client
    unit = UnitFactory(name="Sở Tư pháp Thử")
    make_user(Role.UNIT_OFFICER, unit=unit, username="canbo_tuphap")
    make_user(Role.SECRETARIAT, username="thuongtruc")
    found = client.get("/quan-tri/accounts/user/", {"q": "Tư pháp Thử"}).content.decode()
    assert "canbo_tuphap" in found and "thuongtruc" not in found
    filtered = client.get("/quan-tri/accounts/user/", {"role__exact": Role.SECRETARIAT})
    body = filtered.content.decode()
    assert "thuongtruc" in body and "canbo_tuphap" not in body


def test_unit_autocomplete_answers_for_the_user_form(admin_client):
    client, _ = admin_client
    UnitFactory(name="Ủy ban nhân dân huyện Thử")
    response = client.get(
        "/quan-tri/autocomplete/",
        {
            "term": "huyện Thử",
            "app_label": "accounts",
            "model_name": "user",
            "field_name": "unit",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Ủy ban nhân dân huyện Thử"]


def test_units_are_filtered_by_validity_and_level(admin_client):
    client, _ = admin_client
    new = UnitFactory(name="Sở Mới Hợp nhất", valid_from=dt.date(2020, 1, 1))
    UnitFactory(
        name="Sở Cũ Đã nhập",
        valid_from=dt.date(2010, 1, 1),
        valid_to=dt.date(2020, 12, 31),
        replaced_by=new,
    )
    UnitFactory(name="Xã Thử", level=UnitLevel.COMMUNE)

    def listed(**query: str) -> set[str]:
        response = client.get("/quan-tri/orgs/unit/", query)
        return {unit.name for unit in response.context["cl"].result_list}

    assert listed(hieu_luc="het") == {"Sở Cũ Đã nhập"}
    assert {"Sở Mới Hợp nhất", "Xã Thử"} <= listed(hieu_luc="con")
    assert "Sở Cũ Đã nhập" not in listed(hieu_luc="con")
    assert listed(hieu_luc="thay") == {"Sở Cũ Đã nhập"}
    assert listed(level__exact="commune") == {"Xã Thử"}
    # The successor's page lists the unit it replaced.
    page = client.get(f"/quan-tri/orgs/unit/{new.pk}/change/").content.decode()
    assert "Sở Cũ Đã nhập" in page


def test_ending_a_unit_with_a_successor_is_audited(admin_client):
    client, admin_user = admin_client
    old = UnitFactory(name="Sở Sắp nhập")
    successor = UnitFactory(name="Sở Sau hợp nhất")
    url = f"/quan-tri/orgs/unit/{old.pk}/change/"
    data = form_data(client.get(url))
    data.update(valid_to="2025-06-30", replaced_by=str(successor.pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    old.refresh_from_db()
    assert old.valid_to == dt.date(2025, 6, 30) and old.replaced_by == successor
    entry = AuditEntry.objects.filter(action="orgs.unit.updated").latest("id")
    assert entry.actor == admin_user
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2025-06-30"
    assert entry.after["replaced_by"] == successor.pk


def test_a_bad_validity_range_is_refused_beside_the_field(admin_client):
    client, _ = admin_client
    unit = UnitFactory(valid_from=dt.date(2024, 1, 1))
    url = f"/quan-tri/orgs/unit/{unit.pk}/change/"
    data = form_data(client.get(url))
    data.update(valid_to="2023-01-01")
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    unit.refresh_from_db()
    assert unit.valid_to is None
    assert not AuditEntry.objects.filter(action="orgs.unit.updated").exists()


def test_unit_groups_show_and_search_their_members(admin_client):
    client, _ = admin_client
    member = UnitFactory(name="Công an tỉnh Thử")
    group = UnitGroupFactory(name="Các lực lượng Thử")
    group.members.set([member])
    UnitGroupFactory(name="Nhóm khác")
    body = client.get("/quan-tri/orgs/unitgroup/", {"q": "Công an tỉnh Thử"}).content.decode()
    assert "Các lực lượng Thử" in body and "Nhóm khác" not in body


def test_a_period_deadline_and_lock_are_changed_and_audited(admin_client):
    client, admin_user = admin_client
    period = period_get_or_create("month", 2024, 7, by=admin_user)
    url = f"/quan-tri/tracking/reportingperiod/{period.pk}/change/"
    data = form_data(client.get(url))
    data.update(due_date="2024-07-20", is_closed="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    period.refresh_from_db()
    assert period.due_date == dt.date(2024, 7, 20) and period.is_closed
    entry = AuditEntry.objects.filter(action="tracking.reportingperiod.updated").latest("id")
    assert entry.after["due_date"] == "2024-07-20" and entry.after["is_closed"] is True
    assert client.get("/quan-tri/tracking/reportingperiod/add/").status_code == 403


def test_rules_in_the_admin_lead_to_the_checked_rule_pages(admin_client):
    client, _ = admin_client
    rules_ensure_builtin()
    listing = client.get("/quan-tri/quality/validationrule/")
    assert listing.status_code == 302 and listing["Location"] == "/kiem-tra/quy-tac/"
    assert client.get("/quan-tri/quality/validationrule/add/")["Location"] == (
        "/kiem-tra/quy-tac/moi/"
    )


@pytest.mark.parametrize("path", ["/quan-tri/orgs/unit/", "/quan-tri/accounts/user/"])
def test_admin_lists_do_not_grow_queries_with_rows(
    admin_client, make_user, django_assert_max_num_queries, path
):
    client, _ = admin_client

    def grow(n: int) -> None:
        for _ in range(n):
            parent = UnitFactory()
            unit = UnitFactory(parent=parent, replaced_by=parent)
            make_user(Role.UNIT_OFFICER, unit=unit)

    grow(2)
    with django_assert_max_num_queries(14):
        assert client.get(path).status_code == 200
    grow(20)
    assert Unit.objects.count() > 40
    with django_assert_max_num_queries(14):
        assert client.get(path).status_code == 200
