"""The register's pages: the list (filters, search without diacritics, pages, HTMX partial),
adding and correcting a document with its tasks, errors beside their fields, and no unit
reading or changing another unit's documents."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.documents.models import DocumentGroup, DocumentRecord, DocumentType
from tests.browser.conftest import chromium_page, logged_in  # noqa: F401 - browser fixtures
from tests.factories import (
    AssignmentFactory,
    PeriodFactory,
    PlanFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/van-ban/"
NEW = "/van-ban/moi/"


def _doc(**values):
    data = {
        "number": "18/KH-UBND",
        "doc_type": DocumentType.PLAN,
        "date": dt.date(2024, 1, 23),
        "summary": "Kế hoạch triển khai Đề án 06 năm 2024",
        "issuing_body": "UBND tỉnh",
        "group": DocumentGroup.PROVINCE,
        "source": "import",
    }
    data.update(values)
    return DocumentRecord.objects.create(**data)


def _post(**values):
    data = {
        "number": "30/QĐ-UBND",
        "doc_type": DocumentType.DECISION,
        "date": "2024-05-02",
        "summary": "Quyết định kiện toàn Tổ công tác",
        "issuing_body": "UBND tỉnh",
        "group": DocumentGroup.PROVINCE,
        "issuer_unit": "",
        "period": "",
        "plan": "",
    }
    data.update(values)
    return data


def test_the_list_shows_the_register_and_finds_without_diacritics(client, make_user):
    _doc()
    _doc(number="7/KH-STP", summary="Kế hoạch số hóa hồ sơ hộ tịch", issuing_body="Sở Tư pháp")
    client.force_login(make_user(Role.SECRETARIAT))
    page = client.get(LIST).content.decode()
    assert 'data-number="18/KH-UBND"' in page and 'data-number="7/KH-STP"' in page
    assert "23/01/2024" in page and f'href="{NEW}"' in page
    found = client.get(LIST, {"q": "ho tich"}).content.decode()
    assert 'data-number="7/KH-STP"' in found and 'data-number="18/KH-UBND"' not in found


def test_filters_are_a_form_and_a_bad_value_is_an_error_beside_its_field(client, make_user):
    _doc()
    _doc(number="5/TB-TCT", group=DocumentGroup.WORKING_GROUP, doc_type=DocumentType.NOTICE)
    client.force_login(make_user(Role.SECRETARIAT))
    page = client.get(LIST, {"nhom": "working_group"}).content.decode()
    assert 'data-number="5/TB-TCT"' in page and 'data-number="18/KH-UBND"' not in page
    bad = client.get(LIST, {"nam": "abc", "loai": "KH"})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert 'data-field="nam"' in body  # the error beside the year
    assert 'data-number="18/KH-UBND"' in body and 'data-number="5/TB-TCT"' not in body


def test_htmx_gets_only_the_results_and_pages_keep_the_filters(client, make_user):
    for n in range(30):
        _doc(number=f"{n + 1}/TB-UBND", doc_type=DocumentType.NOTICE)
    client.force_login(make_user(Role.SECRETARIAT))
    partial = client.get(LIST, {"loai": "TB"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="document-results"' in partial
    assert "Văn bản (30)" in partial and "Trang 1/2" in partial
    assert "loai=TB&amp;trang=2" in partial
    second = client.get(LIST, {"loai": "TB", "trang": 2}).content.decode()
    assert "Trang 2/2" in second and second.count('data-number="') == 5


def test_empty_register_says_what_to_do_next(client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    page = client.get(LIST).content.decode()
    assert 'id="documents-empty"' in page and "thêm văn bản" in page
    filtered = client.get(LIST, {"q": "khong co"}).content.decode()
    assert "Không có văn bản nào khớp với bộ lọc" in filtered


def test_the_secretariat_adds_a_document_linked_to_tasks_of_a_plan(client, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    plan = PlanFactory()
    first, second = TaskFactory(plan=plan), TaskFactory(plan=plan)
    period = PeriodFactory()
    client.force_login(secretariat)
    form = client.get(NEW)
    assert form.status_code == 200 and 'id="no-task-choices"' in form.content.decode()
    # Choosing the plan without JavaScript shows its tasks, keeps what was typed, saves nothing.
    shown = client.post(NEW, _post(plan=plan.pk, chon_ke_hoach="1")).content.decode()
    assert first.content in shown and "Quyết định kiện toàn Tổ công tác" in shown
    assert not DocumentRecord.objects.exists()
    # With HTMX the task choices alone come back.
    partial = client.get(NEW, {"plan": plan.pk}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="task-choices"' in partial and second.content in partial and "<form" not in partial
    response = client.post(NEW, _post(plan=plan.pk, period=period.pk, tasks=[first.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    document = DocumentRecord.objects.get()
    assert list(document.tasks.all()) == [first] and document.period == period
    assert "Đã thêm văn bản 30/QĐ-UBND." in client.get(LIST).content.decode()
    entry = AuditEntry.objects.get(action="documents.record.created")
    assert entry.actor == secretariat and entry.after["tasks"] == [first.pk]


def test_errors_are_shown_beside_their_fields_and_nothing_is_saved(client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    response = client.post(NEW, _post(number="", summary="", date="31/02/2024"))
    body = response.content.decode()
    assert response.status_code == 422
    for field in ("number", "summary", "date"):
        assert f'data-field="{field}"' in body
    response = client.post(NEW, _post(group=DocumentGroup.UNIT))
    assert response.status_code == 422
    assert 'data-field="issuer_unit"' in response.content.decode()
    assert "cần chọn đơn vị ban hành" in response.content.decode()
    _doc(number="30/QĐ-UBND", issuing_body="UBND tỉnh")
    duplicate = client.post(NEW, _post())
    assert duplicate.status_code == 409 and 'data-field="number"' in duplicate.content.decode()
    assert DocumentRecord.objects.count() == 1


def test_the_secretariat_corrects_a_document_and_a_stale_form_is_refused(client, make_user):
    document = _doc(summary="Bản đầu")
    client.force_login(make_user(Role.SECRETARIAT))
    url = f"/van-ban/{document.pk}/"
    page = client.get(url).content.decode()
    assert "Bản đầu" in page and 'name="version"' in page
    from dean06.documents.services import document_version

    stale = document_version(document)
    ok = client.post(url, _post(number="18/KH-UBND", summary="Bản sửa", version=stale))
    assert ok.status_code == 302
    refused = client.post(url, _post(number="18/KH-UBND", summary="Bản cũ", version=stale))
    assert refused.status_code == 409 and 'id="form-error"' in refused.content.decode()
    document.refresh_from_db()
    assert document.summary == "Bản sửa"


def test_a_unit_officer_adds_and_edits_only_its_own_units_documents(client, make_user):
    unit, other = UnitFactory(), UnitFactory()
    officer = make_user(Role.UNIT_OFFICER, unit=unit)
    own_task = AssignmentFactory(unit=unit).task
    province = _doc()
    others = _doc(number="9/CV-SYT", group=DocumentGroup.UNIT, issuer_unit=other)
    client.force_login(officer)
    form = client.get(NEW).content.decode()
    assert 'name="issuer_unit"' not in form and 'name="group"' not in form and unit.name in form
    response = client.post(
        NEW,
        _post(number="3/KH-STP", group="province", plan=own_task.plan_id, tasks=[own_task.pk]),
    )
    assert response.status_code == 302
    mine = DocumentRecord.objects.get(number="3/KH-STP")
    assert mine.issuer_unit == unit and mine.group == DocumentGroup.UNIT
    listing = client.get(LIST).content.decode()
    assert f'href="/van-ban/{mine.pk}/"' in listing  # its own: editable
    assert f'href="/van-ban/{province.pk}/"' not in listing  # the province's: read only
    assert 'data-number="9/CV-SYT"' not in listing  # another unit's: not even listed
    assert client.get(f"/van-ban/{province.pk}/").status_code == 403
    assert client.post(f"/van-ban/{province.pk}/", _post()).status_code == 403
    assert client.get(f"/van-ban/{others.pk}/").status_code == 404
    assert client.post(f"/van-ban/{others.pk}/", _post()).status_code == 404
    # A task of another unit cannot be linked by forging the form.
    foreign = AssignmentFactory(unit=other).task
    forged = client.post(
        f"/van-ban/{mine.pk}/",
        _post(number="3/KH-STP", plan=foreign.plan_id, tasks=[foreign.pk]),
    )
    assert forged.status_code == 422 and 'data-field="tasks"' in forged.content.decode()
    assert list(mine.tasks.all()) == [own_task]


@pytest.mark.parametrize("role", [Role.UNIT_LEADER, Role.PROVINCIAL_LEADER])
def test_leaders_read_the_list_but_cannot_add_or_edit(client, make_user, role):
    document = _doc()
    client.force_login(make_user(role))
    page = client.get(LIST).content.decode()
    assert 'data-number="18/KH-UBND"' in page and f'href="{NEW}"' not in page
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _post()).status_code == 403
    assert client.get(f"/van-ban/{document.pk}/").status_code == 403


def _register(size):
    units = [UnitFactory() for _ in range(3)]
    period = PeriodFactory()
    tasks = [TaskFactory() for _ in range(3)]
    for n in range(size):
        document = _doc(
            number=f"{n + 1}/KH-X",
            issuer_unit=units[n % 3],
            group=DocumentGroup.UNIT,
            period=period,
            date=dt.date(2020 + n % 5, 1, 1),
        )
        document.tasks.set(tasks[: n % 3])


@pytest.mark.parametrize("size", [5, 60])
def test_the_list_reads_a_bounded_number_of_queries(
    client, make_user, django_assert_max_num_queries, size
):
    _register(size)
    client.force_login(make_user(Role.SECRETARIAT))
    # Session, user, menu, the filters' choices (3), the count, the page, the search: the same
    # whatever the register's size.
    with django_assert_max_num_queries(9):
        assert client.get(LIST, {"q": "ke hoach"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200
    document = DocumentRecord.objects.order_by("pk").last()
    with django_assert_max_num_queries(12):
        assert client.get(f"/van-ban/{document.pk}/").status_code == 200


# --- in a browser, on a phone -------------------------------------------------------------------

PHONE = {"width": 375, "height": 740}


@pytest.mark.browser
@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_register_fits_and_filters_update_in_place(logged_in, live_server):  # noqa: F811
    from playwright.sync_api import expect

    for n in range(30):
        _doc(number=f"{n + 1}/TB-UBND", doc_type=DocumentType.NOTICE, summary="Thông báo họp")
    _doc(number="7/KH-STP", summary="Kế hoạch số hóa hồ sơ hộ tịch", issuing_body="Sở Tư pháp")
    secretariat = UserFactory(role=Role.SECRETARIAT)
    page = logged_in(secretariat)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{LIST}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert "Trang 1/2" in page.inner_text("#document-results")
    # Typing a word without diacritics narrows the list in place (HTMX) and the address follows.
    page.fill("#id_q", "ho tich")
    expect(page.locator("#documents tbody tr")).to_have_count(1, timeout=10_000)
    assert "7/KH-STP" in page.inner_text("#documents")
    assert "q=ho%20tich" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    # The form fits too, and a missing summary is said beside its field.
    page.goto(f"{live_server.url}{NEW}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.fill("#id_number", "40/KH-UBND")
    page.click("#document-save")
    assert "Nhập trích yếu" in page.inner_text(".field-error[data-field='summary']") or (
        "bắt buộc" in page.inner_text(".field-error[data-field='summary']")
    )
