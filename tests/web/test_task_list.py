"""The task list page (/nhiem-vu/): search without diacritics over the 2024 plan, the dashboard's
filter parameters, paging, errors beside the field, HTMX fragments, what a unit sees, and a number
of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from dean06.accounts.roles import Role
from dean06.ingest.text import fold
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, Plan, Task
from dean06.tracking.models import ProgressReport, ReportStatus
from dean06.tracking.services import period_get_or_create
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-task="(\d+)" data-code="([^"]*)" data-status="([a-z_]+)"')


def _rows(body):
    return [(int(pk), code, status) for pk, code, status in ROW.findall(body)]


def _all_rows(client, query):
    """Every row over every page of the list."""
    rows, page = [], 1
    while True:
        body = client.get(f"/nhiem-vu/?{query}&trang={page}").content.decode()
        rows += _rows(body)
        if f"trang={page + 1}" not in body:
            return rows
        page += 1


def _field(body, name):
    """The block of one filter field (its label, input and error)."""
    start = body.index(f'<div class="field-{name}')
    return body[start : body.index("</div>", start)]


def test_so_thong_tin_finds_the_tasks_of_so_thong_tin_va_truyen_thong(cycle, client):
    client.force_login(cycle["secretariat"])
    found = {pk for pk, _, _ in _all_rows(client, "q=so+thong+tin")}
    ict = Unit.objects.get(key="STTTT")
    expected = {
        t.pk
        for t in Task.objects.all()
        if "so thong tin" in fold(t.content) or t.assignments.filter(unit=ict).exists()
    }
    assert cycle["assignment"].task_id in found  # B.1.3, led by the Sở TT&TT
    assert found == expected
    assert len(found) < Task.objects.count()  # the search narrows
    body = client.get("/nhiem-vu/?q=so+thong+tin").content.decode()
    assert f"{len(expected)} nhiệm vụ khớp điều kiện lọc" in body
    assert f'href="/nhiem-vu/{cycle["assignment"].task_id}/"' in "".join(
        client.get(f"/nhiem-vu/?q=so+thong+tin&trang={n}").content.decode() for n in (1, 2)
    )


def test_a_collective_is_found_by_its_name(cycle, client):
    client.force_login(cycle["secretariat"])
    found = {pk for pk, _, _ in _all_rows(client, "q=cac+so+ban+nganh")}
    via_group = set(
        Assignment.objects.filter(via_group__name="Các sở, ban, ngành").values_list(
            "task_id", flat=True
        )
    )
    assert via_group and via_group <= found


def test_each_row_links_to_the_task_page_with_status_leads_due_date_and_days_overdue(cycle, client):
    client.force_login(cycle["secretariat"])
    body = client.get("/nhiem-vu/?q=B.1.3").content.decode()
    task = cycle["assignment"].task
    row = body[body.index(f'<tr data-task="{task.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/nhiem-vu/{task.pk}/"' in row
    assert 'class="badge status-overdue">Quá hạn<' in row
    assert "Sở Thông tin và Truyền thông" in row
    assert task.due_date.strftime("%d/%m/%Y") in row
    assert f"{(dt.date(2024, 7, 10) - task.due_date).days} ngày" in row


def test_the_dashboards_parameters_filter_the_list(cycle, client):
    client.force_login(cycle["secretariat"])
    plan = Plan.objects.get(number="18/KH-UBND")
    ict = cycle["unit"]
    overdue = _rows(client.get("/nhiem-vu/?status=overdue").content.decode())
    assert overdue and {s for _, _, s in overdue} == {"overdue"}
    led = _all_rows(client, f"unit={ict.pk}&role=lead")
    assert {pk for pk, _, _ in led} == set(
        Assignment.objects.filter(unit=ict, role="lead").values_list("task_id", flat=True)
    )
    coordinated = _all_rows(client, f"unit={ict.pk}&role=coordinating")
    assert {pk for pk, _, _ in coordinated} == set(
        Assignment.objects.filter(unit=ict, role="coordinating").values_list("task_id", flat=True)
    )
    group_b = _all_rows(client, f"plan={plan.pk}&year=2024&section=B")
    assert group_b and all(code.startswith("B") for _, code, _ in group_b)
    b1 = _all_rows(client, "section=B.1")
    assert b1 and all(code.startswith("B.1.") for _, code, _ in b1)
    done_on_time = _rows(client.get("/nhiem-vu/?timeliness=done_on_time").content.decode())
    assert done_on_time == []
    # Every parameter at once keeps its value in the form.
    body = client.get(
        f"/nhiem-vu/?q=du+lieu&status=overdue&timeliness=overdue&plan={plan.pk}&year=2024"
        f"&section=B&unit={ict.pk}&role=lead"
    ).content.decode()
    assert f'<option value="{plan.pk}" selected>' in body
    assert f'<option value="{ict.pk}" selected>' in body
    assert '<option value="overdue" selected>' in body
    assert 'value="du lieu"' in body


CHIP = re.compile(r'<a class="chip status-([a-z_]+)[^"]*"[^>]* href="([^"]+)"[^>]*><b>(\d+)</b>')


def test_each_count_by_status_is_the_length_of_the_list_it_opens(cycle, client):
    client.force_login(cycle["secretariat"])
    ict = cycle["unit"]
    body = client.get(f"/nhiem-vu/?unit={ict.pk}&status=overdue").content.decode()
    chips = CHIP.findall(body)
    # The other statuses are counted too, to switch from one to another.
    assert {"overdue", "not_started"} <= {status for status, _, _ in chips}
    assert 'class="chip status-overdue current" aria-current="true"' in body
    for status, href, count in chips:
        listed = client.get(href.replace("&amp;", "&")).content.decode()
        assert f"{count} nhiệm vụ khớp điều kiện lọc" in listed, status
        assert {s for _, _, s in _rows(listed)} == {status}


def test_a_bad_value_is_an_error_beside_its_field_and_the_rest_still_filters(cycle, client):
    client.force_login(cycle["secretariat"])
    response = client.get("/nhiem-vu/?status=bogus&plan=abc&section=B%3Bdrop&q=so+thong+tin")
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("status", "plan", "section"):
        assert 'class="error small"' in _field(body, name), name
    assert 'class="error small"' not in _field(body, "q")
    assert "khớp điều kiện lọc" in body  # the search still applies
    assert "Traceback" not in body


def test_thirty_a_page_with_links_that_keep_the_filters(db, client, make_user, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    plan = PlanFactory()
    for n in range(65):
        TaskFactory(plan=plan, code=f"A.{n:02d}", order=n, content=f"Số hóa hồ sơ {n}")
    client.force_login(make_user(Role.SECRETARIAT))
    first = client.get("/nhiem-vu/?q=so+hoa").content.decode()
    assert len(_rows(first)) == 30 and "trang 1/3" in first
    assert 'href="/nhiem-vu/?q=so+hoa&amp;trang=2"' in first
    third = client.get("/nhiem-vu/?q=so+hoa&trang=3").content.decode()
    assert len(_rows(third)) == 5
    assert 'href="/nhiem-vu/?q=so+hoa&amp;trang=2"' in third
    assert len(_rows(client.get("/nhiem-vu/?q=so+hoa&trang=xyz").content.decode())) == 30


def test_htmx_gets_the_results_alone_and_plain_get_the_whole_page(cycle, client):
    client.force_login(cycle["secretariat"])
    page = client.get("/nhiem-vu/?status=overdue")
    body = page.content.decode()
    assert "<html" in body and 'hx-get="/nhiem-vu/"' in body and 'hx-push-url="true"' in body
    assert 'method="get" action="/nhiem-vu/"' in body  # works without JavaScript
    fragment = client.get("/nhiem-vu/?status=overdue", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert '<section class="card" id="task-results">' in text
    assert "<html" not in text and _rows(text) == _rows(body)
    # The count, for screen readers, into the live region that stays on the page.
    assert 'id="task-count" class="sr-only" aria-live="polite"' in body
    assert '<p id="task-count" hx-swap-oob="innerHTML">' in text
    assert "HX-Request" in fragment.headers["Vary"]
    # Choosing a plan sends its groups again (the select of groups is outside the results).
    plan = Plan.objects.get(number="18/KH-UBND")
    chosen = client.get(
        f"/nhiem-vu/?plan={plan.pk}",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/nhiem-vu/"},
    ).content.decode()
    assert '<div id="field-section" hx-swap-oob="innerHTML">' in chosen
    assert "B.1. " in chosen  # the plan's groups with their titles
    assert 'id="field-section"' not in text  # the plan did not change
    restore = client.get(
        "/nhiem-vu/?status=overdue",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_a_unit_sees_only_tasks_its_unit_is_assigned(cycle, client):
    officer = cycle["officer"]
    ict = cycle["unit"]
    client.force_login(officer)
    shown = {pk for pk, _, _ in _all_rows(client, "")}
    assert shown == set(Assignment.objects.filter(unit=ict).values_list("task_id", flat=True))
    # Another unit's id is not a choice: an error beside the field, and still only its tasks.
    justice = Unit.objects.get(key="STP")
    body = client.get(f"/nhiem-vu/?unit={justice.pk}").content.decode()
    assert 'class="error small"' in _field(body, "unit")
    assert {pk for pk, _, _ in _rows(body)} <= shown
    assert f'<option value="{justice.pk}"' not in body
    # Its role alone narrows to its own assignments.
    led = {pk for pk, _, _ in _all_rows(client, "role=lead")}
    assert led == set(
        Assignment.objects.filter(unit=ict, role="lead").values_list("task_id", flat=True)
    )
    # A task of another unit only is not on the list, even searched for by its code.
    other = Task.objects.exclude(assignments__unit=ict).first()
    assert other is not None
    searched = _rows(client.get(f"/nhiem-vu/?q={other.code}").content.decode())
    assert other.pk not in {pk for pk, _, _ in searched}


def test_an_empty_list_says_what_to_do(db, client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    assert "Nhập một kế hoạch" in client.get("/nhiem-vu/").content.decode()
    assert "xem tất cả nhiệm vụ" in client.get("/nhiem-vu/?q=khong+co").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/nhiem-vu/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# --- queries --------------------------------------------------------------------------------------


def _province(n):
    """A plan of `n` tasks, each led by its own unit with a stated report and coordinated by a
    shared unit."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    shared = UnitFactory(key="SHARED", name="Sở Tư pháp")
    plan = PlanFactory(number="1/KH-UBND")
    period = period_get_or_create("month", 2024, 6)
    for i in range(n):
        task = TaskFactory(plan=plan, code=f"T.{i}", due_date=dt.date(2024, 3 + i % 9, 28))
        lead = AssignmentFactory(task=task, unit=UnitFactory(), role="lead")
        AssignmentFactory(task=task, unit=shared, role="coordinating")
        ProgressReport.objects.create(
            assignment=lead,
            period=period,
            status=ReportStatus.APPROVED,
            state="in_progress",
            submitted_at=dt.datetime(2024, 6, 12, 9, tzinfo=zone),
        )
    return shared


URLS = ["/nhiem-vu/", "/nhiem-vu/?q=tu+phap&status=overdue", "/nhiem-vu/?trang=2"]


@pytest.mark.parametrize("size", [4, 45])
def test_the_list_takes_the_same_queries_for_few_and_many_tasks(
    size, client, make_user, settings, django_assert_max_num_queries
):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    shared = _province(size)
    client.force_login(make_user(Role.SECRETARIAT))
    for url in URLS:
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
    client.force_login(make_user(Role.UNIT_OFFICER, unit=shared))
    with django_assert_max_num_queries(16):
        body = client.get("/nhiem-vu/?role=coordinating").content.decode()
    assert len(_rows(body)) == min(size, 30)
