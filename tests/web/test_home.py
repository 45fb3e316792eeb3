"""The first page of each role says what to do next, with one click to act: every link it gives
opens for that user; a unit never sees another unit's rows; the unit's task list is filtered,
paged and made of links; the pages cost the same queries whatever the data size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.accounts.roles import Role
from dean06.notifications.services import notify_report_returned
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, AssignmentRole
from dean06.plans.uploads import plan_upload_create, plan_upload_extract
from dean06.quality.models import Finding, FindingStatus
from dean06.reference import seed_path
from dean06.tracking.models import ProgressReport, ReportStatus
from dean06.tracking.services import (
    ReportInput,
    period_get_or_create,
    progress_report_return,
    progress_report_save,
)
from tests.conftest import CYCLE_PLAN
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _send(cycle, assignment=None, by=None):
    return progress_report_save(
        assignment=assignment or cycle["assignment"],
        period=cycle["period"],
        data=ReportInput(state="in_progress", progress="Đã triển khai"),
        by=by or cycle["officer"],
        submit=True,
    )


def _section(body: str, section_id: str) -> str:
    start = body.index(f'id="{section_id}"')
    end = body.find("</section>", start)
    return body[start:end]


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"]*)"', html)]


def _opens(client, links):
    """Every link answers 200 for the signed-in user."""
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link


# --- the secretariat and administrators -----------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ADMIN])
def test_the_secretariats_first_page_lists_what_waits_with_one_click_to_act(
    cycle, client, make_user, settings, role
):
    report = _send(cycle)  # no leader account: it waits for the secretariat
    assert report.status == ReportStatus.APPROVED
    settings.DEMO_TODAY = dt.date(2024, 7, 20)  # July's report day has passed
    upload = plan_upload_create(
        file=SimpleUploadedFile("ke-hoach-moi.txt", seed_path(CYCLE_PLAN).read_bytes()),
        by=cycle["secretariat"],
    )
    plan_upload_extract(upload_id=upload.pk)
    Finding.objects.create(
        rule_code="R1",
        severity="warning",
        message="Số hồ sơ trực tuyến tăng bất thường",
        scope="service_stat",
        unit=cycle["unit"],
        period=cycle["period"],
        status=FindingStatus.EXPLAINED,
        explanation="Do mở thêm dịch vụ",
    )
    user = cycle["secretariat"] if role == Role.SECRETARIAT else make_user(role)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Việc cần làm</h1>" in body

    waiting = _section(body, "cho-tiep-nhan")
    assert "Báo cáo chờ tiếp nhận (1)" in waiting and "Sở Thông tin và Truyền thông" in waiting
    form_url = f"/bao-cao/{cycle['assignment'].pk}/2024/7/"
    assert form_url in _links(waiting) and "/bao-cao/cho-xu-ly/" in _links(waiting)
    # One click: the report form opens with the accept button.
    assert 'id="accept-report"' in client.get(form_url).content.decode()

    late = _section(body, "don-vi-cham")
    assert "Đơn vị chậm báo cáo tháng 7/2024" in late and "còn thiếu" in late
    assert any(link.startswith("/bao-cao/tinh-hinh/") for link in _links(late))

    overdue = _section(body, "qua-han")
    assert "Nhiệm vụ quá hạn" in overdue and "quá hạn" in overdue and "Chủ trì:" in overdue
    assert "/nhiem-vu/?status=overdue" in _links(overdue)

    findings = _section(body, "giai-trinh")
    assert "Do mở thêm dịch vụ" in findings and "/kiem-tra/?trang_thai=cho" in _links(findings)

    uploads = _section(body, "ke-hoach-cho-ra-soat")
    assert "ke-hoach-moi.txt" in uploads and f"/ke-hoach/nhap/{upload.pk}/" in _links(uploads)

    _opens(
        client,
        [
            link
            for section in (waiting, late, overdue, findings, uploads)
            for link in _links(section)
            if not link.startswith("/nhiem-vu/?")  # the task list is another page's (h3)
        ],
    )
    for link in _links(overdue):
        if re.fullmatch(r"/nhiem-vu/\d+/", link):
            assert client.get(link).status_code == 200


def test_the_secretariats_empty_page_says_what_to_do(reference, client, make_user, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    client.force_login(make_user(Role.SECRETARIAT))
    body = client.get("/").content.decode()
    assert "Không có báo cáo nào chờ tiếp nhận" in body
    assert "Chưa có kỳ báo cáo nào đến hạn" in body
    assert "Không có nhiệm vụ nào quá hạn" in body
    assert "Chưa có kế hoạch nào." in body and 'href="/ke-hoach/nhap/"' in body


def test_the_provincial_leaders_first_page_is_the_dashboard(cycle, client, make_user):
    client.force_login(make_user(Role.PROVINCIAL_LEADER))
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bảng điều khiển Đề án 06" in body and "Việc cần làm</h1>" not in body


# --- a unit --------------------------------------------------------------------------------------


def test_the_officers_first_page_owed_returned_figures_and_notices(cycle, client, make_user):
    other = next(
        a
        for a in Assignment.objects.filter(unit=cycle["unit"], role="lead").select_related("task")
        if a.task.code != "B.1.3"
    )
    returned = _send(cycle, other)
    progress_report_return(report=returned, by=cycle["secretariat"], comment="Bổ sung số liệu")
    notify_report_returned(report_id=returned.pk)
    client.force_login(cycle["officer"])
    body = client.get("/").content.decode()
    assert "Việc của đơn vị: Sở Thông tin và Truyền thông" in body

    back = _section(body, "bi-tra-lai")
    returned_url = f"/bao-cao/{other.pk}/2024/7/"
    assert "Lý do trả lại: Bổ sung số liệu" in back and "Sửa và gửi lại" in back
    assert returned_url in _links(back)

    owed = _section(body, "owed")
    assert "Cần báo cáo tháng 7/2024" in owed
    assert f"/bao-cao/{cycle['assignment'].pk}/2024/7/" in _links(owed)
    assert "Báo cáo tháng 7/2024" in owed  # the button

    figures = _section(body, "so-lieu")
    grid = f"/so-lieu/2024/6/don-vi/{cycle['unit'].pk}/"
    assert "Số liệu dịch vụ công tháng 6/2024" in figures and grid in _links(figures)

    notices = _section(body, "thong-bao")
    assert "Thông báo chưa đọc (1)" in notices and "/thong-bao/" in _links(notices)

    _opens(client, [link for s in (back, owed, figures, notices) for link in _links(s)])
    # The returned report's form opens editable.
    assert 'id="report-form"' in client.get(returned_url).content.decode()


def test_a_unit_never_sees_another_units_rows(cycle, client, make_user):
    returned = _send(cycle)
    progress_report_return(report=returned, by=cycle["secretariat"], comment="Thiếu số liệu")
    stp = Unit.objects.get(key="STP")
    client.force_login(make_user(Role.UNIT_OFFICER, unit=stp))
    body = client.get("/").content.decode()
    assert "Việc của đơn vị: Sở Tư pháp" in body
    assert "Thiếu số liệu" not in body
    own = set(Assignment.objects.filter(unit=stp).values_list("pk", flat=True))
    for assignment_id in re.findall(r'href="/bao-cao/(\d+)/\d{4}/\d+/"', body):
        assert int(assignment_id) in own
    # Nor on its task list, whatever unit it asks for.
    tasks = client.get(f"/bao-cao/?don_vi={cycle['unit'].pk}").content.decode()
    assert "Nhiệm vụ của đơn vị: Sở Tư pháp" in tasks
    for assignment_id in re.findall(r'href="/bao-cao/(\d+)/\d{4}/\d+/"', tasks):
        assert int(assignment_id) in own


def test_the_unit_leader_sees_reports_to_approve_first(cycle, client, make_user):
    leader = make_user(Role.UNIT_LEADER, unit=cycle["unit"])
    report = _send(cycle)
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(leader)
    body = client.get("/").content.decode()
    approve = _section(body, "cho-duyet")
    assert body.index('id="cho-duyet"') < body.index('id="owed"')
    url = f"/bao-cao/{cycle['assignment'].pk}/2024/7/"
    assert "Báo cáo chờ lãnh đạo đơn vị duyệt (1)" in approve and url in _links(approve)
    page = client.get(url)
    assert page.status_code == 200 and 'id="approve-report"' in page.content.decode()
    # The leader does not write: the owed rows open the form without the "report" button.
    assert "Báo cáo tháng 7/2024</a>" not in _section(body, "owed")


def test_a_unit_without_tasks_is_told_why_nothing_is_owed(reference, client, make_user):
    client.force_login(make_user(Role.UNIT_OFFICER, unit=UnitFactory()))
    body = client.get("/").content.decode()
    assert "Đơn vị không chủ trì nhiệm vụ nào nên không phải báo cáo tiến độ." in body
    tasks = client.get("/bao-cao/").content.decode()
    assert "Đơn vị chưa được giao nhiệm vụ nào." in tasks


def test_an_account_without_a_role_is_told_what_to_ask_for(db, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role="", unit=None))
    body = client.get("/").content.decode()
    assert "chưa được gán vai trò hay đơn vị" in body


# --- the unit's task list ------------------------------------------------------------------------


@pytest.fixture
def many_tasks(db, make_user, settings):
    """A unit with 30 lead tasks (A.1 overdue, the others due at the end of the year) and 3
    coordinating ones, on 10/07/2024."""
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    unit = UnitFactory(name="Sở Thử nghiệm lớn")
    plan = PlanFactory(number="7/KH-UBND")
    for i in range(1, 31):
        task = TaskFactory(
            plan=plan,
            code=f"A.{i}",
            order=i,
            content="Đánh giá dữ liệu dân cư" if i == 7 else f"Nhiệm vụ số {i}",
            due_date=dt.date(2024, 3, 31) if i == 1 else dt.date(2024, 12, 31),
            deadline_kind="date",
        )
        AssignmentFactory(task=task, unit=unit, role=AssignmentRole.LEAD)
    for i in range(1, 4):
        task = TaskFactory(plan=plan, code=f"C.{i}", order=100 + i, content=f"Phối hợp {i}")
        AssignmentFactory(task=task, unit=unit, role=AssignmentRole.COORDINATING)
    period_get_or_create("month", 2024, 7)
    return {"unit": unit, "officer": make_user(Role.UNIT_OFFICER, unit=unit)}


def _codes(body: str) -> list[str]:
    return re.findall(r'<li class="task-card[^"]*" data-code="([^"]+)"', body)


def test_the_task_list_pages_25_cards_each_a_link(many_tasks, client):
    client.force_login(many_tasks["officer"])
    first = client.get("/bao-cao/").content.decode()
    codes = _codes(first)
    assert len(codes) == 25 and codes[0] == "A.1"  # overdue and owed first
    assert "Trang 1/2" in first and "trang=2" in first
    second = client.get("/bao-cao/?trang=2").content.decode()
    assert len(_codes(second)) == 8 and set(_codes(second)) >= {"C.1", "C.2", "C.3"}
    # Each card links to its task page and its report form, and both open.
    assignment = Assignment.objects.get(task__code="A.1", unit=many_tasks["unit"])
    links = _links(first)
    assert f"/nhiem-vu/{assignment.task_id}/" in links
    assert f"/bao-cao/{assignment.pk}/2024/7/" in links
    _opens(client, [f"/nhiem-vu/{assignment.task_id}/", f"/bao-cao/{assignment.pk}/2024/7/"])
    # A page past the end shows the last one, never an error.
    assert client.get("/bao-cao/?trang=99").status_code == 200


def test_the_task_list_filters(many_tasks, client):
    client.force_login(many_tasks["officer"])
    get = lambda query: _codes(client.get(f"/bao-cao/?{query}").content.decode())  # noqa: E731
    assert get("trang_thai=overdue") == ["A.1"]
    assert get("vai_tro=coordinating") == ["C.1", "C.2", "C.3"]
    assert len(get("can_bao_cao=on")) == 25  # the first page of 30 owed
    assert "C.1" not in get("can_bao_cao=on&trang=2")
    assert get("q=DANH GIA du lieu") == ["A.7"]
    body = client.get("/bao-cao/?q=khong+co+gi").content.decode()
    assert _codes(body) == [] and "Không có nhiệm vụ nào khớp bộ lọc" in body
    # A sent report takes the task off the "needs report" list.
    assignment = Assignment.objects.get(task__code="A.2", unit=many_tasks["unit"])
    progress_report_save(
        assignment=assignment,
        period=period_get_or_create("month", 2024, 7),
        data=ReportInput(state="in_progress", progress="Đã làm"),
        by=many_tasks["officer"],
        submit=True,
    )
    assert "A.2" not in get("can_bao_cao=on") + get("can_bao_cao=on&trang=2")


def test_a_bad_filter_shows_its_error_beside_the_field(many_tasks, client):
    client.force_login(many_tasks["officer"])
    response = client.get("/bao-cao/?ky=2024-13&trang_thai=bogus")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_ky-error"' in body and "Kỳ số 13 không có" in body
    assert 'id="id_trang_thai-error"' in body
    assert len(_codes(body)) == 25  # the bad filters are left out


def test_a_province_role_picks_the_unit(many_tasks, client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    empty = client.get("/bao-cao/").content.decode()
    assert "Chọn một đơn vị" in empty and _codes(empty) == []
    body = client.get(f"/bao-cao/?don_vi={many_tasks['unit'].pk}").content.decode()
    assert "Nhiệm vụ của đơn vị: Sở Thử nghiệm lớn" in body and len(_codes(body)) == 25
    bad = client.get("/bao-cao/?don_vi=999999")
    assert bad.status_code == 200 and 'id="id_don_vi-error"' in bad.content.decode()


def test_the_completeness_grid_shows_a_bad_filter_beside_its_field(cycle, client):
    client.force_login(cycle["secretariat"])
    response = client.get("/bao-cao/tinh-hinh/?so_ky=99&ky=2024-07")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_so_ky-error"' in body and "Từ 1 đến 24 kỳ." in body
    assert 'data-unit="STTTT"' in body


def test_a_decision_with_a_bad_version_is_not_an_error_page(cycle, client):
    report = _send(cycle)
    client.force_login(cycle["secretariat"])
    response = client.post(
        f"/bao-cao/phieu/{report.pk}/tiep-nhan/", {"version": "abc", "comment": "Tốt"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


# --- the cost of the pages -----------------------------------------------------------------------


def _province(units, tasks, months):
    from dean06.synthetic import generate_province

    generate_province(units=units, tasks=tasks, months=months, end_year=2024, end_month=7)
    ids = list(
        ProgressReport.objects.filter(period__year=2024, period__number=7)
        .order_by("id")
        .values_list("id", flat=True)
    )
    ProgressReport.objects.filter(pk__in=ids[::3]).update(status=ReportStatus.APPROVED)
    ProgressReport.objects.filter(pk__in=ids[1::3]).update(status=ReportStatus.RETURNED)
    ProgressReport.objects.filter(pk__in=ids[2::5]).update(status=ReportStatus.SUBMITTED)


@pytest.mark.parametrize("size", [(3, 3, 2), (40, 60, 7)])
def test_the_first_pages_cost_the_same_queries_whatever_the_data(
    reference, make_user, client, settings, django_assert_max_num_queries, size
):
    settings.DEMO_TODAY = dt.date(2024, 7, 20)
    _province(*size)
    lead = Assignment.objects.filter(role="lead").order_by("-id").first()
    users = {
        "secretariat": (make_user(Role.SECRETARIAT), 25),
        "officer": (make_user(Role.UNIT_OFFICER, unit=lead.unit), 18),
        "leader": (make_user(Role.UNIT_LEADER, unit=lead.unit), 16),
    }
    for user, bound in users.values():
        client.force_login(user)
        client.get("/")  # sessions and periods settle
        with django_assert_max_num_queries(bound):
            assert client.get("/").status_code == 200
    client.force_login(users["officer"][0])
    client.get("/bao-cao/")
    with django_assert_max_num_queries(14):
        assert client.get("/bao-cao/?can_bao_cao=on&q=du+lieu").status_code == 200
