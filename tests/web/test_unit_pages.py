"""The unit pages (/don-vi/): the list searched without diacritics, by level, 30 a page; a unit's
page with its lead and coordinating tasks (each count opening the list behind it), its reports by
period, its service figures and validity; a unit role reaches its own unit only; a number of
queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment
from dean06.tracking.services import ReportInput, progress_report_save
from tests.web.test_task_list import _province

pytestmark = pytest.mark.django_db

UNIT_ROW = re.compile(r'<tr data-unit="([^"]+)">')
CHIP = re.compile(r'<a class="chip status-([a-z_]+)" href="([^"]+)"><b>(\d+)</b>')


def test_the_list_is_searched_without_diacritics_by_level_and_paged(reference, client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    body = client.get("/don-vi/?q=tu+phap").content.decode()
    assert UNIT_ROW.findall(body) == ["STP"]
    justice = Unit.objects.get(key="STP")
    assert f'href="/don-vi/{justice.pk}/"' in body
    assert UNIT_ROW.findall(client.get("/don-vi/?q=sttt").content.decode()) == ["STTTT"]
    districts = UNIT_ROW.findall(client.get("/don-vi/?level=district").content.decode())
    assert districts and set(districts) == set(
        Unit.objects.filter(level="district").values_list("key", flat=True)
    )
    first = client.get("/don-vi/").content.decode()
    second = client.get("/don-vi/?trang=2").content.decode()
    total = Unit.objects.count()
    assert total > 30 and len(UNIT_ROW.findall(first)) == 30
    assert len(UNIT_ROW.findall(second)) == total - 30
    assert not set(UNIT_ROW.findall(first)) & set(UNIT_ROW.findall(second))
    bad = client.get("/don-vi/?level=galaxy")
    assert bad.status_code == 200 and 'class="error small"' in bad.content.decode()
    assert "xem tất cả đơn vị" in client.get("/don-vi/?q=khong+co+don+vi").content.decode()


def test_a_unit_role_reaches_its_own_unit_only(cycle, client):
    client.force_login(cycle["officer"])
    own = cycle["unit"]
    listed = client.get("/don-vi/")
    assert listed.status_code == 302 and listed["Location"] == f"/don-vi/{own.pk}/"
    assert client.get(f"/don-vi/{own.pk}/").status_code == 200
    other = Unit.objects.get(key="STP")
    assert client.get(f"/don-vi/{other.pk}/").status_code == 404
    assert client.get("/don-vi/999999/").status_code == 404


def test_a_units_page_lists_its_tasks_and_each_count_opens_the_list_behind_it(cycle, client):
    client.force_login(cycle["secretariat"])
    ict = cycle["unit"]
    body = client.get(f"/don-vi/{ict.pk}/").content.decode()
    lead_section = body[body.index('id="lead-tasks"') : body.index('id="coordinating-tasks"')]
    led = Assignment.objects.filter(unit=ict, role="lead").count()
    assert f"Nhiệm vụ chủ trì ({led})" in lead_section
    b13 = cycle["assignment"].task
    assert f'href="/nhiem-vu/{b13.pk}/"' in lead_section or led > 10
    chips = CHIP.findall(lead_section)
    assert chips and sum(int(n) for _, _, n in chips) == led
    for status, href, count in chips:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert f"{count} nhiệm vụ khớp điều kiện lọc" in listed, status
    coordinating = body[body.index('id="coordinating-tasks"') : body.index('id="unit-reports"')]
    assert (
        f"Nhiệm vụ phối hợp ({Assignment.objects.filter(unit=ict, role='coordinating').count()})"
        in coordinating
    )
    assert f'href="/nhiem-vu/?unit={ict.pk}&amp;role=lead"' in body
    # Its service figures, its report page.
    assert f'href="/so-lieu/?don_vi={ict.pk}"' in body
    assert f'href="/bao-cao/?don_vi={ict.pk}"' in body


def test_a_units_page_shows_its_reports_by_period(cycle, client, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    progress_report_save(
        assignment=cycle["assignment"],
        period=cycle["period"],
        data=ReportInput(state="in_progress", progress="Đã rà soát"),
        by=cycle["officer"],
        submit=True,
    )
    settings.DEMO_TODAY = dt.date(2024, 7, 20)  # July's reports are now due
    client.force_login(cycle["secretariat"])
    ict = cycle["unit"]
    body = client.get(f"/don-vi/{ict.pk}/").content.decode()
    row = body[body.index('<tr data-period="2024-7"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    expected, on_time, late, missing = cells[:4]
    assert on_time == "1" and late == "0"
    assert int(expected) == 1 + int(re.sub(r"<[^>]+>", "", missing))
    assert f'href="/bao-cao/tinh-hinh/{ict.pk}/2024/7/"' in row


def test_a_units_validity_and_replacement(reference, client, make_user):
    old = Unit.objects.get(key="STTTT")
    new = Unit.objects.get(key="STP")
    old.valid_from = dt.date(2008, 4, 1)
    old.valid_to = dt.date(2025, 2, 28)
    old.replaced_by = new
    old.save()
    client.force_login(make_user(Role.SECRETARIAT))
    body = client.get(f"/don-vi/{old.pk}/").content.decode()
    assert "từ 01/04/2008 đến 28/02/2025" in body
    assert f'<a href="/don-vi/{new.pk}/">Sở Tư pháp</a>' in body
    assert f'<a href="/don-vi/{old.pk}/">' in client.get(f"/don-vi/{new.pk}/").content.decode()
    listed = client.get("/don-vi/?q=thong+tin").content.decode()
    assert "28/02/2025" in listed


def test_a_unit_without_tasks_or_reports_says_so(reference, client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    unit = Unit.objects.get(key="STP")
    body = client.get(f"/don-vi/{unit.pk}/").content.decode()
    assert "Đơn vị chưa được giao chủ trì nhiệm vụ nào." in body
    assert "Chưa có kỳ báo cáo nào" in body


@pytest.mark.parametrize("size", [4, 45])
def test_unit_pages_take_the_same_queries_for_few_and_many_tasks(
    size, client, make_user, settings, django_assert_max_num_queries
):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    shared = _province(size)
    client.force_login(make_user(Role.SECRETARIAT))
    with django_assert_max_num_queries(6):
        assert client.get("/don-vi/?q=so").status_code == 200
    with django_assert_max_num_queries(18):
        body = client.get(f"/don-vi/{shared.pk}/").content.decode()
    assert f"Nhiệm vụ phối hợp ({size})" in body
    client.force_login(make_user(Role.UNIT_OFFICER, unit=shared))
    with django_assert_max_num_queries(18):
        assert client.get(f"/don-vi/{shared.pk}/").status_code == 200
