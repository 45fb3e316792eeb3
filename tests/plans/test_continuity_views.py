"""Where people see the links: `dean06 import-plan`, the plan page, and the carried-over read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dean06.accounts.roles import Role
from dean06.cli import main
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment, Plan, Task
from dean06.reference import seed_path
from dean06.tracking.selectors import carried_over
from dean06.tracking.services import ReportInput, period_get_or_create, progress_report_save
from dean06.tracking.status import TaskStatus
from scripts.continuity_2023 import SOURCE

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.once]

SEED_2024 = str(seed_path("000_29642a5544120c4a.txt"))


@pytest.fixture
def both_years(reference, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert main(["import-plan", str(SOURCE)]) == 0
    assert main(["import-plan", SEED_2024]) == 0
    return capsys.readouterr().out


def _report_done(task: Task, on: dt.date, make_user) -> None:
    assignment = Assignment.objects.filter(task=task, role="lead").first()
    officer = make_user(Role.UNIT_OFFICER, unit=assignment.unit)
    progress_report_save(
        assignment=assignment,
        period=period_get_or_create("month", on.year, on.month),
        data=ReportInput(
            state="done", progress="Đã hoàn thành", completed_on=on, late_reason="Báo cáo bổ sung"
        ),
        by=officer,
        submit=True,
    )


def test_import_plan_prints_the_links_and_what_is_left(both_years):
    out = both_years
    assert "Tiếp nối kế hoạch năm 2023 28/KH-UBND: 18/KH-UBND có 16 nhiệm vụ tiếp nối" in out
    assert "  A.6 tiếp nối III.2.1 (điểm 0,6" in out and "[mới]" in out
    assert "cần rà soát: gần bằng" in out  # a near tie is shown as such
    assert "Nhiệm vụ mới, không tiếp nối nhiệm vụ nào: II.3.1.1, II.3.1.2" in out
    assert "Nhiệm vụ của kế hoạch 28/KH-UBND không được tiếp nối:" in out
    assert "  III.1.6: Tham mưu tổ chức Hội nghị sơ kết 06 tháng" in out


def test_import_plan_again_prints_the_same_links_unchanged(both_years, capsys):
    assert main(["import-plan", SEED_2024]) == 0
    out = capsys.readouterr().out
    assert "(thay đổi lần này: 0)" in out and "[mới]" not in out
    assert main(["import-plan", SEED_2024, "--dry-run"]) == 0
    assert "(sẽ thay đổi lần này: 0)" in capsys.readouterr().out


def test_import_plan_without_a_plan_of_the_year_before_prints_no_links(reference, capsys):
    assert main(["import-plan", SEED_2024, "--dry-run"]) == 0
    assert "Tiếp nối" not in capsys.readouterr().out


def test_carried_over_lists_continuing_tasks_whose_earlier_task_is_not_done(
    both_years, make_user, settings
):
    plan = Plan.objects.get(number="18/KH-UBND")
    on = settings.DEMO_TODAY = dt.date(2024, 7, 10)
    rows = carried_over(plan, on)
    continuing = Task.objects.filter(plan=plan, continues__isnull=False)
    # Nobody reported on the 2023 tasks: every continued one was left unfinished.
    assert {r.task.code for r in rows} == set(continuing.values_list("code", flat=True))
    land = next(r for r in rows if r.task.code == "B.5.4")
    assert land.previous.code == "III.6.1" and land.verdict.status is TaskStatus.OVERDUE
    # Sở Tài nguyên và Môi trường reports III.6.1 done on 10/12/2023: no longer carried over.
    _report_done(land.previous, dt.date(2023, 12, 10), make_user)
    assert "B.5.4" not in {r.task.code for r in carried_over(plan, on)}
    assert len(carried_over(plan, on)) == len(rows) - 1


def test_the_plan_page_shows_links_carried_over_tasks_and_last_years_leftovers(
    both_years, client, make_user, settings
):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    plan = Plan.objects.get(number="18/KH-UBND")
    old = Task.objects.get(plan__number="28/KH-UBND", code="III.6.1")
    _report_done(old, dt.date(2023, 12, 10), make_user)
    client.force_login(make_user(Role.SECRETARIAT))
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="continuity-summary"' in page and "Kế hoạch năm trước" in page
    lgsp = page.split('data-code="A.6"')[1].split("</tr>")[0]
    assert "tiếp nối" in lgsp and "III.2.1" in lgsp and "28/KH-UBND" in lgsp
    assert "chuyển tiếp, chưa hoàn thành" in lgsp
    land = page.split('data-code="B.5.4"')[1].split("</tr>")[0]
    assert "III.6.1" in land and "chuyển tiếp, chưa hoàn thành" not in land  # done in 2023
    first = page.split('data-code="II.3.1.1"')[1].split("</tr>")[0]
    assert "tiếp nối" not in first
    leftovers = page.split('id="not-continued"')[1]
    assert "Nhiệm vụ năm 2023 không được tiếp nối (8)" in leftovers
    assert "Hội nghị sơ kết 06 tháng" in leftovers and "Sở Y tế" in leftovers
    # No internal keys on the page.
    assert "STTTT" not in page and "SO_BAN_NGANH" not in page


def test_last_years_plan_page_shows_where_each_task_went_on(both_years, client, make_user):
    client.force_login(make_user(Role.SECRETARIAT))
    old_plan = Plan.objects.get(number="28/KH-UBND")
    page = client.get(reverse("plan_detail", args=[old_plan.pk])).content.decode()
    assert "Kế hoạch năm sau" in page and "18/KH-UBND" in page
    row = page.split('data-code="III.2.1"')[1].split("</tr>")[0]
    assert "được tiếp nối ở" in row and "A.6" in row
    assert 'id="not-continued"' not in page


def test_a_unit_sees_only_its_own_leftovers(both_years, client, make_user):
    unit = Unit.objects.get(key="SYT")
    client.force_login(make_user(Role.UNIT_OFFICER, unit=unit))
    plan = Plan.objects.get(number="18/KH-UBND")
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    leftovers = page.split('id="not-continued"')[1]
    assert "Chỉ đạo 100% cơ sở khám bệnh" in leftovers  # Sở Y tế's own 2023 task
    assert "Hội nghị sơ kết" not in leftovers  # Công an tỉnh's


def test_a_tasks_history_spans_both_years(both_years, client, make_user, settings):
    settings.DEMO_TODAY = dt.date(2024, 7, 10)
    old = Task.objects.get(plan__number="28/KH-UBND", code="III.6.1")
    new = Task.objects.get(plan__number="18/KH-UBND", code="B.5.4")
    _report_done(old, dt.date(2023, 12, 10), make_user)
    client.force_login(make_user(Role.SECRETARIAT))
    page = client.get(reverse("task_detail", args=[new.pk])).content.decode()
    reports = page.split('id="reports"')[1].split("</section>")[0]
    assert "Báo cáo theo kỳ (1)" in reports and "Tháng 12/2023" in reports
    assert "nhiệm vụ III.6.1 của kế hoạch 28/KH-UBND" in reports
    # Another unit's officer does not see the earlier year's report either.
    client.force_login(make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="SYT")))
    page = client.get(reverse("task_detail", args=[new.pk]))
    assert page.status_code == 404 or "Tháng 12/2023" not in page.content.decode()
