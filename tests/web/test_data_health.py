"""The data-health page: each kind of problem shows, each item links to the page where it is
fixed, unit roles and provincial leaders are refused, and the page reads a bounded number of
queries whatever the size of the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dean06.accounts.roles import Role
from dean06.dashboard.health import data_health
from dean06.documents.models import DocumentGroup, DocumentRecord
from dean06.plans.models import PlanUpload, UploadStatus
from dean06.quality.models import Finding, FindingStatus, RuleScope
from tests.browser.conftest import chromium_page, logged_in  # noqa: F401 - browser fixtures
from tests.factories import (
    AssignmentFactory,
    PeriodFactory,
    PlanFactory,
    ServiceStatFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/suc-khoe-du-lieu/"


def _problems(suffix="", *, period=None, unit=None, service_code="DA06-09"):
    """One problem of each kind (and, beside each, a record that is fine)."""
    period = period or PeriodFactory()
    unit = unit or UnitFactory()
    conflict = Finding.objects.create(
        rule_code="svc.parts_match_total",
        severity="warning",
        scope=RuleScope.SERVICE_STAT,
        message=f"Tổng của tỉnh khác tổng các đơn vị{suffix}",
        period=period,
        unit=unit,
    )
    # Accepted, or of another rule: not a conflict left to resolve.
    Finding.objects.create(
        rule_code="svc.parts_match_total",
        severity="warning",
        scope=RuleScope.SERVICE_STAT,
        message="Đã chấp nhận",
        status=FindingStatus.ACCEPTED,
        period=period,
    )
    Finding.objects.create(
        rule_code="svc.outlier",
        severity="warning",
        scope=RuleScope.SERVICE_STAT,
        message="Biến động",
        period=period,
    )
    plan = PlanFactory()
    twin_a = TaskFactory(plan=plan, content=f"Rà soát, số hóa hồ sơ hộ tịch{suffix}")
    twin_b = TaskFactory(plan=plan, content=f"rà soát số hoá hồ sơ hộ tịch{suffix}.")
    TaskFactory(content=f"Rà soát, số hóa hồ sơ hộ tịch{suffix}")  # another plan: not a twin
    for task in (twin_a, twin_b):
        AssignmentFactory(task=task, unit=unit)
    no_lead = TaskFactory(plan=plan, content=f"Nhiệm vụ chưa giao{suffix}")
    AssignmentFactory(task=no_lead, unit=unit, role="coordinating")
    documents = [
        DocumentRecord.objects.create(
            number=f"12/KH-STTTT{suffix}",
            summary="Kế hoạch",
            issuer_unit=unit,
            group=DocumentGroup.UNIT,
            period=p,
        )
        for p in (period, None)
    ]
    DocumentRecord.objects.create(number=f"12/KH-STTTT{suffix}", summary="Khác", issuing_body="X")
    unsourced = ServiceStatFactory(unit=unit, period=period, source="", service_code=service_code)
    ServiceStatFactory(unit=UnitFactory(), period=period, source="web")
    failed = PlanUpload.objects.create(
        file="uploads/a.txt",
        filename=f"ke-hoach{suffix}.pdf",
        status=UploadStatus.FAILED,
        error="Không đọc được tệp",
    )
    PlanUpload.objects.create(file="uploads/b.txt", filename="xong.pdf", status=UploadStatus.SAVED)
    review = PlanFactory(needs_review=True)
    tasks_review = PlanFactory()
    TaskFactory(plan=tasks_review, needs_review=True)
    return {
        "conflict": conflict,
        "twins": {twin_a, twin_b},
        "no_lead": no_lead,
        "documents": set(documents),
        "unsourced": unsourced,
        "failed": failed,
        "plans": {review, tasks_review},
        "period": period,
        "unit": unit,
    }


def test_each_kind_of_problem_is_found_and_nothing_else(reference, make_user):
    found = _problems()
    health = data_health(make_user(Role.SECRETARIAT))
    assert health.conflicts.items == [found["conflict"]]
    assert [set(g.records) for g in health.duplicate_tasks.items] == [found["twins"]]
    assert [set(g.records) for g in health.duplicate_documents.items] == [found["documents"]]
    assert health.unsourced_figures.items == [found["unsourced"]]
    assert found["no_lead"] in health.tasks_without_lead.items
    assert not found["twins"] & set(health.tasks_without_lead.items)
    assert health.unread_uploads.items == [found["failed"]]
    assert set(health.plans_to_review.items) == found["plans"]


def test_the_page_shows_each_problem_with_a_link_that_works(reference, client, make_user):
    found = _problems()
    client.force_login(make_user(Role.SECRETARIAT))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    period, unit = found["period"], found["unit"]
    expected = [
        f"/so-lieu/{period.year}/{period.number}/don-vi/{unit.pk}/",
        f"#phat-hien-{found['conflict'].pk}",
        *(f"/nhiem-vu/{t.pk}/" for t in found["twins"]),
        f"/nhiem-vu/{found['no_lead'].pk}/",
        *(f"/van-ban/{d.pk}/" for d in found["documents"]),
        f"/so-lieu/{period.year}/{period.number}/don-vi/{unit.pk}/?cap=all",
        f"/ke-hoach/nhap/{found['failed'].pk}/",
        *(f"/ke-hoach/{p.pk}/" for p in found["plans"]),
    ]
    for link in expected:
        assert link.replace("&", "&amp;") in page, link
    for section in (
        "conflicts",
        "duplicate-tasks",
        "duplicate-documents",
        "unsourced-figures",
        "tasks-without-lead",
        "unread-plans",
        "plans-to-review",
    ):
        assert f'id="{section}"' in page
    # Every link of the page's items opens.
    links = set(re.findall(r'href="(/(?:so-lieu|nhiem-vu|van-ban|ke-hoach|kiem-tra)/[^"#]*)', page))
    assert len(links) >= 8
    for link in sorted(links):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_healthy_data_says_so(client, make_user):
    client.force_login(make_user(Role.ADMIN))
    page = client.get(URL).content.decode()
    assert 'id="all-healthy"' in page and "Mọi nhiệm vụ đều có đơn vị chủ trì." in page


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.UNIT_LEADER, Role.PROVINCIAL_LEADER])
def test_only_the_secretariat_and_administrators_open_it(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("copies", [1, 8])
def test_the_page_reads_a_bounded_number_of_queries(
    reference, client, make_user, django_assert_max_num_queries, copies
):
    period, unit = PeriodFactory(), UnitFactory()
    for n in range(copies):
        _problems(f" {n}", period=period, unit=unit, service_code=f"DA06-{n + 1:02d}")
    client.force_login(make_user(Role.SECRETARIAT))
    with django_assert_max_num_queries(14):
        page = client.get(URL).content.decode()
    assert page.count('data-kind="conflict"') == copies


def test_lists_are_cut_at_the_limit_and_say_how_many_more(reference, make_user, monkeypatch):
    from dean06.dashboard import health

    monkeypatch.setattr(health, "LIMIT", 2)
    period = PeriodFactory()
    for n in range(3):
        TaskFactory(content=f"Không ai chủ trì {n}")
        Finding.objects.create(
            rule_code="svc.share_matches",
            severity="error",
            scope=RuleScope.SERVICE_STAT,
            message=f"Tỷ lệ lệch {n}",
            period=period,
            created_at=dt.datetime(2024, 7, 1, tzinfo=dt.UTC),
        )
    result = data_health(make_user(Role.SECRETARIAT))
    assert len(result.conflicts.items) == 2 and result.conflicts.more == 1
    assert len(result.tasks_without_lead.items) == 2 and result.tasks_without_lead.total == 3


PHONE = {"width": 375, "height": 740}


@pytest.mark.browser
@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_page_fits(reference, logged_in, live_server):  # noqa: F811
    _problems()
    page = logged_in(UserFactory(role=Role.SECRETARIAT))
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{URL}")
    assert page.locator("[data-kind]").count() >= 7
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
