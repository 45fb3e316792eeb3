"""The audit log in the administrators' screens: each filter (who, unit, object, dates, action)
narrows the list to the right entries, only administrators see it, nobody can change it, and its
page costs the same few queries however long the log is."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission

from dean06.accounts.roles import Role
from dean06.core.audit import audit_record
from dean06.core.models import AuditEntry
from tests.factories import PlanFactory, UnitFactory

URL = "/quan-tri/core/auditentry/"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(entry: AuditEntry, when: dt.datetime) -> AuditEntry:
    """`at` is set on creation; the tests place entries in time afterwards."""
    AuditEntry.objects.filter(pk=entry.pk).update(at=when)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def admin_client(login, make_user):
    user = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    return login(user)


@pytest.fixture
def log(make_user):
    """A small log: two units' officers, the secretariat, a command; plans and units as
    objects; entries on both sides of a day's end in Vietnam's time."""
    north, south = UnitFactory(name="Sở Bắc"), UnitFactory(name="Sở Nam")
    north_officer = make_user(Role.UNIT_OFFICER, unit=north, first_name="Văn", last_name="An")
    south_officer = make_user(Role.UNIT_OFFICER, unit=south)
    secretariat = make_user(Role.SECRETARIAT)
    plan, other_plan = PlanFactory(), PlanFactory()
    e = {
        # the north's officer changes a plan (the entry names no unit)
        "north_plan": audit_record(action="plans.plan.updated", actor=north_officer, instance=plan),
        # the secretariat changes the south's record (the entry's unit is the south)
        "south_by_secretariat": audit_record(
            action="orgs.unit.updated", actor=secretariat, instance=south, unit=south
        ),
        # the south's own officer, on the south's record
        "south_by_south": audit_record(
            action="orgs.unit.updated", actor=south_officer, instance=south, unit=south
        ),
        # a command, no one signed in, on the other plan
        "command": audit_record(
            action="plans.plan.created",
            actor=None,
            instance=other_plan,
            actor_label="dean06 import-plan (root)",
        ),
        # the secretariat on the first plan again
        "plan_again": audit_record(action="plans.plan.updated", actor=secretariat, instance=plan),
    }
    _at(e["north_plan"], dt.datetime(2024, 7, 14, 23, 30, tzinfo=VN))  # 16:30 UTC, the 14th
    _at(e["south_by_secretariat"], dt.datetime(2024, 7, 15, 0, 30, tzinfo=VN))  # 17:30 UTC, 14th
    _at(e["south_by_south"], dt.datetime(2024, 6, 15, 9, 0, tzinfo=VN))
    _at(e["command"], dt.datetime(2024, 5, 2, 8, 0, tzinfo=VN))
    _at(e["plan_again"], dt.datetime(2024, 7, 20, 10, 0, tzinfo=VN))
    return {
        "entries": e,
        "north": north,
        "south": south,
        "north_officer": north_officer,
        "south_officer": south_officer,
        "secretariat": secretariat,
        "plan": plan,
        "other_plan": other_plan,
    }


def _listed(client, **query: str) -> set[int]:
    response = client.get(URL, query)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return {entry.pk for entry in response.context["cl"].queryset}


def _ids(log, *names: str) -> set[int]:
    return {log["entries"][n].pk for n in names}


def test_unfiltered_the_whole_log_is_listed(admin_client, log):
    assert _listed(admin_client) == _ids(log, *log["entries"])


def test_filter_by_who_acted(admin_client, log):
    assert _listed(admin_client, nguoi_thuc_hien=str(log["secretariat"].pk)) == _ids(
        log, "south_by_secretariat", "plan_again"
    )
    assert _listed(admin_client, nguoi_thuc_hien=str(log["north_officer"].pk)) == _ids(
        log, "north_plan"
    )
    assert _listed(admin_client, nguoi_thuc_hien="khong") == _ids(log, "command")


def test_the_people_offered_are_those_in_the_log(admin_client, log, make_user):
    bystander = make_user(Role.SECRETARIAT, username="bystander")
    page = admin_client.get(URL).content.decode()
    select = re.search(r'<select id="id_filter_nguoi_thuc_hien".*?</select>', page, re.S)
    assert select is not None
    assert f'value="{log["north_officer"].pk}"' in select.group(0)
    assert "— Văn An" in select.group(0)  # the full name beside the account
    assert f'value="{bystander.pk}"' not in select.group(0)


def test_filter_by_unit_takes_its_records_and_its_people(admin_client, log):
    """The south: the entries about its record (whoever acted) and those its officer made."""
    assert _listed(admin_client, don_vi=str(log["south"].pk)) == _ids(
        log, "south_by_secretariat", "south_by_south"
    )
    # The north's record was never touched: its part is what its officer did.
    assert _listed(admin_client, don_vi=str(log["north"].pk)) == _ids(log, "north_plan")


def test_the_units_offered_are_those_in_the_log(admin_client, log):
    idle = UnitFactory(name="Sở Không Liên Quan")
    page = admin_client.get(URL).content.decode()
    select = re.search(r'<select id="id_filter_don_vi".*?</select>', page, re.S)
    assert select is not None
    assert "Sở Bắc" in select.group(0) and "Sở Nam" in select.group(0)
    assert str(idle.pk) not in re.findall(r'value="(\d+)"', select.group(0))


def test_filter_by_kind_of_object_and_by_one_object(admin_client, log):
    assert _listed(admin_client, loai_doi_tuong="plans.plan") == _ids(
        log, "north_plan", "command", "plan_again"
    )
    assert _listed(
        admin_client, loai_doi_tuong="plans.plan", ma_doi_tuong=str(log["plan"].pk)
    ) == _ids(log, "north_plan", "plan_again")
    assert _listed(admin_client, loai_doi_tuong="orgs.unit") == _ids(
        log, "south_by_secretariat", "south_by_south"
    )


def test_each_row_links_to_its_objects_history(admin_client, log):
    page = admin_client.get(URL).content.decode()
    link = f'href="?loai_doi_tuong=plans.plan&amp;ma_doi_tuong={log["plan"].pk}"'
    assert link in page
    assert _listed(
        admin_client, loai_doi_tuong="plans.plan", ma_doi_tuong=str(log["plan"].pk)
    ) == _ids(log, "north_plan", "plan_again")


def test_filter_by_dates_in_vietnam_time_both_days_included(admin_client, log):
    # 23:30 on the 14th in Vietnam is still the 14th (16:30 UTC); 00:30 on the 15th is not.
    assert _listed(admin_client, tu_ngay="2024-06-15", den_ngay="2024-07-14") == _ids(
        log, "north_plan", "south_by_south"
    )
    assert _listed(admin_client, tu_ngay="2024-07-15") == _ids(
        log, "south_by_secretariat", "plan_again"
    )
    assert _listed(admin_client, den_ngay="2024-05-31") == _ids(log, "command")


def test_the_date_hierarchy_narrows_too(admin_client, log):
    assert _listed(admin_client, at__year="2024", at__month="7") == _ids(
        log, "north_plan", "south_by_secretariat", "plan_again"
    )


def test_filter_by_action(admin_client, log):
    assert _listed(admin_client, hanh_dong="orgs.unit.updated") == _ids(
        log, "south_by_secretariat", "south_by_south"
    )


def test_filters_combine_and_the_form_keeps_the_others(admin_client, log):
    query = {"don_vi": str(log["south"].pk), "nguoi_thuc_hien": str(log["secretariat"].pk)}
    assert _listed(admin_client, **query) == _ids(log, "south_by_secretariat")
    page = admin_client.get(URL, query).content.decode()
    # The units' form carries the chosen person along, and the reverse.
    assert f'<input type="hidden" name="nguoi_thuc_hien" value="{log["secretariat"].pk}">' in page
    assert f'<input type="hidden" name="don_vi" value="{log["south"].pk}">' in page


@pytest.mark.parametrize(
    "query",
    [{"tu_ngay": "14/07/2024"}, {"nguoi_thuc_hien": "abc"}, {"don_vi": "x"}],
)
def test_a_malformed_filter_is_refused_not_an_error_page(admin_client, log, query):
    response = admin_client.get(URL, query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_only_administrators_see_the_log(client, login, make_user, log):
    assert client.get(URL).status_code == 302  # not signed in: to the sign-in page
    officer = make_user(Role.UNIT_OFFICER)
    response = login(officer).get(URL)
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]
    # Staff but not an administrator: the secretariat's group holds no right to the log.
    secretariat = make_user(Role.SECRETARIAT, is_staff=True)
    assert login(secretariat).get(URL).status_code == 403
    assert login(secretariat).get(f"{URL}{log['entries']['command'].pk}/change/").status_code == 403
    # An administrator that is not a superuser reads it through the role's permission.
    reader = make_user(Role.ADMIN, is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    assert login(reader).get(URL).status_code == 200


def test_nobody_can_add_change_or_delete_entries_not_even_a_superuser(admin_client, log):
    entry = log["entries"]["north_plan"]
    before = AuditEntry.objects.values().get(pk=entry.pk)
    assert admin_client.get(f"{URL}add/").status_code == 403
    page = admin_client.get(f"{URL}{entry.pk}/change/")
    assert page.status_code == 200  # read-only view
    assert 'name="_save"' not in page.content.decode()
    posted = admin_client.post(
        f"{URL}{entry.pk}/change/", {"action": "x.y.deleted", "object_repr": "sửa trộm"}
    )
    assert posted.status_code == 403
    assert admin_client.get(f"{URL}{entry.pk}/delete/").status_code == 403
    assert admin_client.post(f"{URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = admin_client.get(URL)
    assert "delete_selected" not in listing.content.decode()
    bulk = admin_client.post(
        URL, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.values().get(pk=entry.pk) == before
    assert AuditEntry.objects.count() == len(log["entries"])


def test_the_list_costs_the_same_queries_with_200_entries(
    admin_client, make_user, django_assert_max_num_queries
):
    def grow(n: int) -> None:
        for i in range(n):
            unit = UnitFactory()
            user = make_user(Role.UNIT_OFFICER, unit=unit)
            audit_record(
                action="plans.plan.updated" if i % 2 else "orgs.unit.updated",
                actor=user,
                instance=PlanFactory() if i % 2 else unit,
                unit=unit,
            )

    grow(20)
    with django_assert_max_num_queries(16) as few:
        assert admin_client.get(URL, {"o": "-1"}).status_code == 200
    grow(180)
    assert AuditEntry.objects.count() >= 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = admin_client.get(URL)
        assert page.status_code == 200
    # Every row shows its actor and unit, read in the one query of the page.
    assert len(page.context["cl"].result_list) == 100
    with django_assert_max_num_queries(len(few.captured_queries)):
        filtered = admin_client.get(URL, {"tu_ngay": "2000-01-01", "loai_doi_tuong": "orgs.unit"})
        assert filtered.status_code == 200
