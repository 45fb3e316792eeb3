"""The task list and the unit reads: search without diacritics (as `fold` matches), every filter,
paging, what a unit sees, the status of a year of reports as `verdicts_for_tasks` gives it, and a
number of queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dean06.accounts.roles import Role
from dean06.ingest.text import fold
from dean06.plans.models import Assignment, PlanSection
from dean06.reference import seed_path
from dean06.tracking import lists
from dean06.tracking.lists import TaskFilters, search_pattern, task_list, task_verdicts
from dean06.tracking.models import ProgressReport, ReportStatus
from dean06.tracking.selectors import verdicts_for_tasks
from dean06.tracking.services import period_get_or_create
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory

ON = dt.date(2024, 7, 10)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


# --- search without diacritics (no database) ------------------------------------------------------


def test_a_query_without_diacritics_finds_the_unit_with_them():
    pattern = search_pattern("so thong tin")
    assert pattern is not None
    assert pattern.search("Sở Thông tin và Truyền thông chủ trì")
    assert pattern.search("SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    assert not pattern.search("Sở Tư pháp")


def test_a_query_with_diacritics_d_punctuation_and_decomposed_text():
    assert search_pattern("Đề án 06").search("thực hiện de an 06/CP")  # type: ignore[union-attr]
    assert search_pattern("dan cu").search("Cơ sở dữ liệu quốc gia về dân cư")  # type: ignore[union-attr]
    assert search_pattern("b.1").search("B.1.3")  # type: ignore[union-attr]
    assert search_pattern("b 1").search("B.1.3")  # type: ignore[union-attr]
    decomposed = "Sơ\u0309 Tho\u0302\u0300ng tin"  # "Sở Thồng tin" written as letters + marks
    assert search_pattern("so thong tin").search(decomposed)  # type: ignore[union-attr]
    assert search_pattern("") is None and search_pattern(" !!! ") is None


def test_the_pattern_finds_exactly_what_folding_both_sides_finds():
    """Over every line of the shipped seed documents, for phrases taken from them and words
    that are not there: the pattern matches a line if and only if fold(query) is in fold(line)."""
    lines = [
        line
        for path in sorted(seed_path("x").parent.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rng = random.Random(6)  # noqa: S311 — test data
    queries = ["so thong tin", "du lieu", "khong co gi", "vneid", "ubnd", "06/cp", "quy ii"]
    for line in rng.sample(lines, 25):
        words = fold(line).split()
        if len(words) >= 3:
            start = rng.randrange(len(words) - 2)
            queries.append(" ".join(words[start : start + rng.choice((1, 2, 3))]))
    folded = [fold(line) for line in lines]
    for query in queries:
        pattern = search_pattern(query)
        assert pattern is not None
        key = fold(query)
        for line, line_folded in zip(lines, folded, strict=True):
            assert bool(pattern.search(line)) == (key in line_folded), (query, line)


# --- the task list --------------------------------------------------------------------------------


@pytest.fixture
def province(db, settings):
    """Two plans (2024 with groups A, A.1, B; 2023), three units, four tasks:
    t1 A.1.1 led by the ICT department (justice coordinates), due 31/03/2024: overdue;
    t2 A.1.2 (group A.1) led by justice (ICT coordinates), due 31/12/2024: not started;
    t3 B.1 led by a district, due 15/07/2024: due soon;
    t4 A.1 of 2023 led by justice, due 31/12/2023: overdue."""
    settings.DEMO_TODAY = ON
    ict = UnitFactory(
        key="STTTT",
        name="Sở Thông tin và Truyền thông",
        short_name="Sở TT&TT",
        aliases=["STTTT"],
    )
    justice = UnitFactory(key="STP", name="Sở Tư pháp")
    district = UnitFactory(
        key="HYT", name="UBND huyện Yên Thế", level="district", kind="people_committee"
    )
    plan24 = PlanFactory(number="18/KH-UBND", year=2024, date=dt.date(2024, 1, 23))
    plan23 = PlanFactory(number="28/KH-UBND", year=2023, date=dt.date(2023, 2, 1))
    group_a = PlanSection.objects.create(plan=plan24, code="A", title="Nhóm A", order=1)
    group_a1 = PlanSection.objects.create(
        plan=plan24, code="A.1", title="Nhóm A.1", parent=group_a, order=2
    )
    group_b = PlanSection.objects.create(plan=plan24, code="B", title="Nhóm B", order=3)
    t1 = TaskFactory(
        plan=plan24,
        section=group_a,
        code="A.1.1",
        order=1,
        content="Rà soát, làm sạch dữ liệu dân cư",
        due_date=dt.date(2024, 3, 31),
        deadline_kind="quarter",
    )
    t2 = TaskFactory(
        plan=plan24,
        section=group_a1,
        code="A.1.2",
        order=2,
        content="Số hóa hồ sơ hộ tịch",
        due_date=dt.date(2024, 12, 31),
        deadline_kind="year",
    )
    t3 = TaskFactory(
        plan=plan24,
        section=group_b,
        code="B.1",
        order=3,
        content="Tuyên truyền về Đề án 06",
        due_date=dt.date(2024, 7, 15),
        deadline_kind="date",
    )
    t4 = TaskFactory(
        plan=plan23,
        code="A.1",
        order=1,
        content="Kết nối Cơ sở dữ liệu quốc gia về dân cư",
        due_date=dt.date(2023, 12, 31),
        deadline_kind="year",
    )
    AssignmentFactory(task=t1, unit=ict, role="lead")
    AssignmentFactory(task=t1, unit=justice, role="coordinating")
    AssignmentFactory(task=t2, unit=justice, role="lead")
    AssignmentFactory(task=t2, unit=ict, role="coordinating")
    AssignmentFactory(task=t3, unit=district, role="lead")
    AssignmentFactory(task=t4, unit=justice, role="lead")
    return {
        "ict": ict,
        "justice": justice,
        "district": district,
        "plan24": plan24,
        "plan23": plan23,
        "t1": t1,
        "t2": t2,
        "t3": t3,
        "t4": t4,
    }


def _codes(user, **filters):
    result = task_list(user, ON, TaskFilters(**filters), per_page=100)
    return [f"{row.task.plan.year}:{row.task.code}" for row in result.page.object_list]


def test_search_covers_code_content_and_unit_names_without_diacritics(province, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    assert _codes(secretariat, q="so thong tin") == ["2024:A.1.1", "2024:A.1.2"]
    assert _codes(secretariat, q="stttt") == ["2024:A.1.1", "2024:A.1.2"]  # an alias
    assert _codes(secretariat, q="DỮ LIỆU") == ["2024:A.1.1", "2023:A.1"]
    assert _codes(secretariat, q="du lieu dan cu") == ["2024:A.1.1"]  # a phrase, in order
    assert _codes(secretariat, q="a.1.2") == ["2024:A.1.2"]
    assert _codes(secretariat, q="yen the") == ["2024:B.1"]
    assert _codes(secretariat, q="khong co nhiem vu nay") == []


def test_every_filter(province, make_user):
    s = make_user(Role.SECRETARIAT)
    everything = ["2024:A.1.1", "2024:A.1.2", "2024:B.1", "2023:A.1"]
    assert _codes(s) == everything  # newest plan first, then the plan's order
    assert _codes(s, status="overdue") == ["2024:A.1.1", "2023:A.1"]
    assert _codes(s, status="due_soon") == ["2024:B.1"]
    assert _codes(s, status="not_started") == ["2024:A.1.2"]
    assert _codes(s, timeliness="overdue") == ["2024:A.1.1", "2023:A.1"]
    assert _codes(s, plan_id=province["plan23"].pk) == ["2023:A.1"]
    assert _codes(s, year=2024) == everything[:3]
    assert _codes(s, section="A") == ["2024:A.1.1", "2024:A.1.2"]  # A.1 is inside A
    assert _codes(s, section="A.1") == ["2024:A.1.2"]
    assert _codes(s, unit_id=province["ict"].pk) == ["2024:A.1.1", "2024:A.1.2"]
    assert _codes(s, unit_id=province["ict"].pk, role="lead") == ["2024:A.1.1"]
    assert _codes(s, unit_id=province["ict"].pk, role="coordinating") == ["2024:A.1.2"]
    assert _codes(s, unit_id=province["justice"].pk, role="lead", status="overdue") == ["2023:A.1"]
    assert _codes(s, q="du lieu", year=2023, status="overdue") == ["2023:A.1"]


def test_the_list_counts_by_status_over_all_pages(province, make_user):
    result = task_list(make_user(Role.SECRETARIAT), ON, TaskFilters(), with_counts=True)
    assert result.total == 4
    assert result.by_status["overdue"] == 2 and result.by_status["due_soon"] == 1
    assert sum(result.by_status.values()) == 4
    overdue = next(r for r in result.page.object_list if r.task.code == "A.1.1")
    assert overdue.days_overdue == (ON - dt.date(2024, 3, 31)).days
    assert overdue.leads == ["Sở Thông tin và Truyền thông"]
    assert overdue.coordinating == ["Sở Tư pháp"]
    not_due = next(r for r in result.page.object_list if r.task.code == "A.1.2")
    assert not_due.days_overdue is None


def test_a_unit_sees_only_the_tasks_it_is_assigned(province, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=province["justice"])
    # Led or coordinated by the unit; never the district's task.
    assert _codes(officer) == ["2024:A.1.1", "2024:A.1.2", "2023:A.1"]
    # Its role alone narrows to its own assignments.
    assert _codes(officer, role="lead") == ["2024:A.1.2", "2023:A.1"]
    assert _codes(officer, role="coordinating") == ["2024:A.1.1"]
    # Naming another unit shows only the tasks the two share.
    assert _codes(officer, unit_id=province["district"].pk) == []
    assert _codes(officer, q="yen the") == []
    assert lists.filter_units(officer) == [province["justice"]]


def test_thirty_a_page(province, make_user):
    plan = province["plan24"]
    for n in range(40):
        TaskFactory(plan=plan, code=f"C.{n:02d}", order=10 + n)
    user = make_user(Role.SECRETARIAT)
    first = task_list(user, ON, TaskFilters())
    assert first.total == 44 and len(first.page.object_list) == 30
    assert first.page.has_next() and first.page.paginator.num_pages == 2
    second = task_list(user, ON, TaskFilters(), page="2")
    assert len(second.page.object_list) == 14
    assert task_list(user, ON, TaskFilters(), page="abc").page.number == 1
    assert task_list(user, ON, TaskFilters(), page="99").page.number == 2
    seen = {r.task.pk for r in first.page.object_list} | {r.task.pk for r in second.page}
    assert len(seen) == 44


def _grow(province, n):
    """`n` more tasks, each with a lead and a coordinating unit and a stated report."""
    period = period_get_or_create("month", 2024, 6)
    for _ in range(n):
        task = TaskFactory(plan=province["plan24"], due_date=dt.date(2024, 9, 30))
        unit = UnitFactory()
        lead = AssignmentFactory(task=task, unit=unit, role="lead")
        AssignmentFactory(task=task, unit=province["justice"], role="coordinating")
        ProgressReport.objects.create(
            assignment=lead,
            period=period,
            status=ReportStatus.APPROVED,
            state="in_progress",
            submitted_at=dt.datetime(2024, 6, 10, 9, tzinfo=ZONE),
        )


def _queries(user, filters):
    with CaptureQueriesContext(connection) as captured:
        task_list(user, ON, filters, with_counts=True)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_tasks(province, make_user):
    secretariat = make_user(Role.SECRETARIAT)
    officer = make_user(Role.UNIT_OFFICER, unit=province["justice"])
    cases = [
        (secretariat, TaskFilters()),
        (secretariat, TaskFilters(q="du lieu", status="overdue")),
        (officer, TaskFilters(role="coordinating")),
    ]
    _grow(province, 3)
    small = [_queries(user, filters) for user, filters in cases]
    _grow(province, 45)
    assert [_queries(user, filters) for user, filters in cases] == small
    assert max(small) <= 10


# --- the status of many reports at once -----------------------------------------------------------


def test_task_verdicts_agree_with_verdicts_for_tasks(cycle):
    """Random reports over nine months on every lead assignment of the 2024 plan — sent on time,
    late, imported, accepted without a sending time, done, with difficulties, with a share of a
    staged target — judged on days before, during and after them."""
    rng = random.Random(9)  # noqa: S311 — test data
    periods = [period_get_or_create("month", 2024, m) for m in range(1, 10)]
    leads = list(
        Assignment.objects.filter(role="lead", task__plan__number="18/KH-UBND").select_related(
            "task"
        )
    )
    for assignment in leads:
        for period in rng.sample(periods, rng.randrange(0, 6)):
            sent = dt.datetime.combine(
                period.due_date + dt.timedelta(days=rng.randrange(-10, 20)),
                dt.time(rng.randrange(0, 24), 30),
                tzinfo=ZONE,
            )
            accepted = rng.random() < 0.2
            ProgressReport.objects.create(
                assignment=assignment,
                period=period,
                status=rng.choice(
                    [ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED] * 3
                    + [ReportStatus.DRAFT, ReportStatus.RETURNED]
                ),
                state=rng.choice(["", "not_started", "in_progress", "in_progress", "done"]),
                source=rng.choice(["web", "web", "import"]),
                submitted_at=None if accepted else sent,
                accepted_at=sent if accepted else None,
                completed_on=rng.choice([None, period.end - dt.timedelta(days=3)]),
                percent_complete=rng.choice([None, 40, 90]),
                difficulties=rng.choice(["", "", "  ", "Thiếu kinh phí"]),
            )
    tasks = [a.task for a in leads]
    for task in tasks[:5]:
        task.targets = [{"value": 80, "start": "2024-04-01"}]
    seen = set()
    for on in (
        dt.date(2024, 2, 1),
        dt.date(2024, 5, 15),
        dt.date(2024, 7, 10),
        dt.date(2024, 7, 16),
        dt.date(2024, 10, 1),
        dt.date(2025, 3, 1),
    ):
        verdicts = task_verdicts(tasks, on)
        assert verdicts == verdicts_for_tasks(tasks, on), on
        seen |= {v.status for v in verdicts.values()}
    assert len(seen) >= 6  # the data reaches most statuses


# --- units ----------------------------------------------------------------------------------------


def test_units_searched_without_diacritics_by_level_and_current(province, make_user):
    secretariat = make_user(Role.SECRETARIAT)

    def names(**kwargs):
        return [r.unit.name for r in lists.unit_list(secretariat, ON, **kwargs).object_list]

    assert names(q="tu phap") == ["Sở Tư pháp"]
    assert names(q="sở tt&tt") == ["Sở Thông tin và Truyền thông"]
    assert names(level="district") == ["UBND huyện Yên Thế"]
    justice = province["justice"]
    justice.valid_to = dt.date(2024, 6, 30)
    justice.save()
    assert "Sở Tư pháp" not in names(current_only=True)
    assert "Sở Tư pháp" in names()
    row = next(r for r in lists.unit_list(secretariat, ON).object_list if r.unit == justice)
    assert (row.lead_count, row.coordinating_count) == (2, 1)


def test_a_unit_role_reads_only_its_own_unit(province, make_user):
    officer = make_user(Role.UNIT_OFFICER, unit=province["justice"])
    assert [r.unit for r in lists.unit_list(officer, ON).object_list] == [province["justice"]]
    assert lists.unit_get_visible(officer, province["justice"].pk) == province["justice"]
    assert lists.unit_get_visible(officer, province["ict"].pk) is None
    assert lists.unit_get_visible(make_user(Role.PROVINCIAL_LEADER), province["ict"].pk)


def test_a_units_reports_by_period_on_time_late_missing(province, make_user):
    """ICT leads t1 (plan of 23/01/2024): June's report sent late, July's on time, May's
    never; on 20/07/2024 the page shows the months up to July's."""
    on = dt.date(2024, 7, 20)
    may, june, july = (period_get_or_create("month", 2024, m) for m in (5, 6, 7))
    lead = Assignment.objects.get(task=province["t1"], role="lead")
    for period, day in ((june, dt.date(2024, 6, 20)), (july, dt.date(2024, 7, 12))):
        ProgressReport.objects.create(
            assignment=lead,
            period=period,
            status=ReportStatus.ACCEPTED,
            state="in_progress",
            submitted_at=dt.datetime.combine(day, dt.time(9), tzinfo=ZONE),
        )
    cells = {
        c.period.number: c.cell
        for c in lists.unit_periods(make_user(Role.SECRETARIAT), province["ict"], on)
    }
    assert (cells[7].on_time, cells[7].late, cells[7].missing) == (1, 0, 0)
    assert (cells[6].on_time, cells[6].late, cells[6].missing) == (0, 1, 0)
    assert cells[6].max_days_late == 5
    assert (cells[5].expected, cells[5].missing) == (1, 1)
    assert may.pk and 8 not in cells  # August was never opened


def test_a_plan_without_a_year_counts_in_the_year_it_was_issued(province, make_user):
    undated = PlanFactory(number="5/KH-BCĐ", year=None, date=dt.date(2022, 5, 4))
    TaskFactory(plan=undated, code="X.1")
    secretariat = make_user(Role.SECRETARIAT)
    assert _codes(secretariat, year=2022) == ["None:X.1"]
    assert lists.plan_years(lists.filter_plans(secretariat)) == [2024, 2023, 2022]
