"""The dashboard page: who may open it, what it shows as text (the charts' numbers are in tables
too), where each figure leads, filters with errors beside their field, a bounded number of
queries whatever the data size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.accounts.roles import Role
from dean06.web.views.dashboard import dashboard_page
from tests.dashboard.conftest import build_province
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

URL = "/bang-dieu-khien/"


@pytest.mark.parametrize("role", [Role.PROVINCIAL_LEADER, Role.SECRETARIAT, Role.ADMIN])
def test_province_roles_open_the_dashboard(role, client, make_user, on_demo_day):
    build_province(3, 12)
    client.force_login(make_user(role))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "quá hạn" in body and "đúng hạn" in body and "Xếp hạng" in body
    assert 'data-rank="3/3"' in body and ">3/3<" in body


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.UNIT_LEADER])
def test_unit_roles_are_refused(role, client, make_user, on_demo_day):
    world = build_province(3, 12)
    client.force_login(make_user(role, unit=world["units"][0]))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}?unit={world['units'][0].pk}").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_dashboard_page_is_what_the_home_page_calls(rf, make_user, on_demo_day):
    build_province(2, 4)
    request = rf.get("/")
    request.user = make_user(Role.PROVINCIAL_LEADER)
    response = dashboard_page(request)
    assert response.status_code == 200 and b'id="dashboard-body"' in response.content


def test_every_figure_links_to_the_list_behind_it(client, make_user, on_demo_day, reference):
    world = build_province(3, 12, figures=True)
    client.force_login(make_user(Role.PROVINCIAL_LEADER))
    plan = world["plan"].pk
    body = client.get(URL).content.decode()
    # Counts by status, the four counts, the overdue list.
    assert 'href="/nhiem-vu/?status=overdue"' in body
    assert 'href="/nhiem-vu/?status=done"' in body
    assert 'href="/nhiem-vu/?timeliness=overdue"' in body
    # Groups of the plan, with their counts by status.
    assert f'href="/nhiem-vu/?plan={plan}&amp;section=A"' in body
    assert f'href="/nhiem-vu/?status=overdue&amp;plan={plan}&amp;section=A"' in body
    # The scorecard: the unit's page, its reports of the period, its tasks.
    unit = world["units"][0]
    assert f'href="/don-vi/{unit.pk}/"' in body
    assert f'href="/bao-cao/tinh-hinh/{unit.pk}/2024/7/"' in body
    assert f'href="/nhiem-vu/?unit={unit.pk}&amp;role=lead&amp;status=overdue"' in body
    # Completeness and services, and the PNG charts kept.
    assert 'href="/bao-cao/tinh-hinh/?ky=2024-07"' in body
    assert 'href="/so-lieu/?ky=2024-07"' in body
    assert 'href="/so-lieu/bieu-do/2024/7.png?tai=1"' in body
    assert "/so-lieu/bieu-do/dich-vu/" in body and "Tải ảnh PNG" in body
    # A filtered dashboard links to the same filtered lists.
    filtered = client.get(f"{URL}?plan={plan}&section=B&unit={unit.pk}").content.decode()
    assert (
        f'href="/nhiem-vu/?status=overdue&amp;plan={plan}&amp;section=B&amp;unit={unit.pk}'
        '&amp;role=lead"' in filtered
    )
    assert f'href="/so-lieu/?ky=2024-07&amp;don_vi={unit.pk}"' in filtered


def test_numbers_are_in_the_page_as_text_and_for_the_charts(client, make_user, on_demo_day):
    build_province(3, 12)
    client.force_login(make_user(Role.PROVINCIAL_LEADER))
    body = client.get(URL).content.decode()
    row = body[body.index('data-status="overdue"') :]
    assert row[: row.index("</tr>")].count(">3<") == 1
    assert 'id="status-data" type="application/json"' in body
    assert 'id="spark-data" type="application/json"' in body or "dịch vụ" in body
    assert 'id="completeness-data" type="application/json"' in body
    assert "dean06/vendor/chart-4.6.2.umd.min.js" in body and "dean06/dashboard.js" in body
    assert "T.0" in body and "101 ngày" in body  # overdue since 31/03/2024
    assert "Hạn gửi báo cáo tháng 7/2024" in body and "còn <b>5</b> ngày" in body


def test_bad_filters_are_shown_beside_their_field(client, make_user, on_demo_day):
    build_province(2, 4)
    client.force_login(make_user(Role.SECRETARIAT))
    response = client.get(f"{URL}?period=2024-13&plan=99999&year=1999")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_period-error"' in body and "Kỳ số 13" in body
    assert 'id="id_plan-error"' in body and 'id="id_year-error"' in body
    assert "Tháng 7/2024" in body  # drawn for the month reported on today


def test_a_plan_of_another_year_is_an_error_on_the_year(client, make_user, on_demo_day):
    world = build_province(2, 4)
    PlanFactory(year=2023, date=dt.date(2023, 2, 1))
    client.force_login(make_user(Role.SECRETARIAT))
    body = client.get(f"{URL}?plan={world['plan'].pk}&year=2023").content.decode()
    assert 'id="id_year-error"' in body and "không thuộc năm 2023" in body


def test_the_filters_are_a_plain_form_that_htmx_may_enhance(client, make_user, on_demo_day):
    build_province(2, 4)
    client.force_login(make_user(Role.PROVINCIAL_LEADER))
    body = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    form = body[body.index('id="dashboard-filters"') - 200 :]
    form = form[: form.index("</form>")]
    assert 'method="get"' in form and 'action="/bang-dieu-khien/"' in form
    assert 'hx-target="#dashboard-body"' in form and 'hx-push-url="true"' in form
    for name in ("period", "year", "plan", "section", "unit"):
        assert f'name="{name}"' in form and f'for="id_{name}"' in form


def _page_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_a_small_or_a_big_province(
    client, make_user, on_demo_day, reference, django_assert_max_num_queries
):
    client.force_login(make_user(Role.PROVINCIAL_LEADER))
    build_province(2, 4, figures=True)
    small = _page_queries(client)
    build_province(20, 120, figures=True)
    big = _page_queries(client)
    assert big == small
    cache.clear()
    with django_assert_max_num_queries(35):
        client.get(URL)


def test_an_empty_province_says_what_to_do_next(client, make_user, on_demo_day):
    client.force_login(make_user(Role.PROVINCIAL_LEADER))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không có nhiệm vụ nào trong phạm vi đã chọn" in body and 'href="/ke-hoach/"' in body
    assert "Không có nhiệm vụ nào quá hạn" in body
    assert "Chưa có đơn vị nào được giao chủ trì" in body
    assert "Chưa có danh mục dịch vụ công thiết yếu" in body
