"""Task status is derived from the deadline and the reports, never typed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dean06.tracking.status import (
    ReportFact,
    StagedTarget,
    TaskFacts,
    TaskStatus,
    Timeliness,
    assignment_status,
    four_counts,
    task_status,
)

D = dt.date
JULY = (D(2024, 6, 15), D(2024, 7, 14))
AUGUST = (D(2024, 7, 15), D(2024, 8, 14))


def report(period=JULY, state="in_progress", submitted=None, **more):
    return ReportFact(period[0], period[1], state, submitted_on=submitted or period[1], **more)


def test_no_report_and_a_far_deadline_is_not_started():
    verdict = assignment_status(TaskFacts(D(2024, 12, 31)), [], D(2024, 7, 10))
    assert verdict.status is TaskStatus.NOT_STARTED
    assert verdict.timeliness is Timeliness.IN_PROGRESS_WITHIN_TERM
    assert verdict.days_left == 174


def test_overdue_is_any_unfinished_task_past_its_date_reported_or_not():
    task = TaskFacts(D(2024, 6, 30))
    for reports in ([], [report(state="in_progress")]):
        verdict = assignment_status(task, reports, D(2024, 7, 10))
        assert verdict.status is TaskStatus.OVERDUE
        assert verdict.timeliness is Timeliness.OVERDUE and verdict.days_left == -10


def test_done_on_time_and_done_late_by_the_completion_day():
    task = TaskFacts(D(2024, 6, 30))
    on_time = assignment_status(
        task, [report(state="done", completed_on=D(2024, 6, 28))], D(2024, 7, 20)
    )
    assert on_time.status is TaskStatus.DONE and on_time.timeliness is Timeliness.DONE_ON_TIME
    late = assignment_status(
        task, [report(state="done", completed_on=D(2024, 7, 5))], D(2024, 7, 20)
    )
    assert late.status is TaskStatus.DONE and late.timeliness is Timeliness.DONE_LATE
    # Without a completion day, the day the report was sent counts.
    sent_late = assignment_status(
        task, [report(state="done", submitted=D(2024, 7, 12))], D(2024, 7, 20)
    )
    assert sent_late.timeliness is Timeliness.DONE_LATE


def test_due_soon_within_the_configured_days():
    task = TaskFacts(D(2024, 7, 15))
    assert assignment_status(task, [], D(2024, 7, 10)).status is TaskStatus.DUE_SOON
    assert (
        assignment_status(task, [], D(2024, 7, 10), due_soon_days=3).status
        is TaskStatus.NOT_STARTED
    )


def test_difficulties_in_the_last_report_put_the_task_at_risk():
    task = TaskFacts(D(2024, 12, 31))
    verdict = assignment_status(task, [report(has_difficulties=True)], D(2024, 7, 20))
    assert verdict.status is TaskStatus.AT_RISK
    # A later report without difficulties clears it.
    later = [report(has_difficulties=True), report(AUGUST)]
    assert assignment_status(task, later, D(2024, 8, 20)).status is TaskStatus.IN_PROGRESS


def test_a_report_not_yet_sent_on_the_day_does_not_count():
    task = TaskFacts(D(2024, 12, 31))
    sent_later = [report(state="done", submitted=D(2024, 7, 20))]
    assert assignment_status(task, sent_later, D(2024, 7, 14)).status is TaskStatus.NOT_STARTED
    assert assignment_status(task, sent_later, D(2024, 7, 21)).status is TaskStatus.DONE


def test_a_recurring_task_is_judged_per_period():
    task = TaskFacts(None, "recurring", is_recurring=True)
    assert assignment_status(task, [], D(2024, 7, 10)).status is TaskStatus.NOT_STARTED
    reported = [report(JULY, "recurring")]
    assert assignment_status(task, reported, D(2024, 7, 20)).status is TaskStatus.RECURRING
    # Two months later with nothing new: no longer on track this period.
    assert assignment_status(task, reported, D(2024, 9, 20)).status is TaskStatus.IN_PROGRESS
    assert assignment_status(task, reported, D(2024, 9, 20)).timeliness is (
        Timeliness.IN_PROGRESS_WITHIN_TERM
    )


def test_due_in_the_year_then_recurring():
    task = TaskFacts(D(2024, 12, 31), "year", is_recurring=True)
    assert assignment_status(task, [], D(2024, 12, 28)).status is TaskStatus.DUE_SOON
    after = assignment_status(
        task, [report((D(2024, 12, 15), D(2025, 1, 14)), "recurring")], D(2025, 1, 20)
    )
    assert after.status is TaskStatus.RECURRING
    assert after.timeliness is Timeliness.IN_PROGRESS_WITHIN_TERM


def test_on_request_waits_for_an_instruction():
    task = TaskFacts(None, "on_request")
    assert assignment_status(task, [], D(2024, 7, 10)).status is TaskStatus.ON_REQUEST


def test_a_staged_target_in_force_that_is_not_met_puts_the_task_at_risk():
    task = TaskFacts(
        D(2024, 12, 31),
        "year",
        targets=(StagedTarget(80, D(2024, 4, 1)), StagedTarget(100, D(2024, 10, 1))),
    )
    at_85 = [report(percent=85)]
    assert assignment_status(task, at_85, D(2024, 7, 20)).status is TaskStatus.IN_PROGRESS
    october = [report((D(2024, 9, 15), D(2024, 10, 14)), percent=85)]
    assert assignment_status(task, october, D(2024, 10, 20)).status is TaskStatus.AT_RISK


def test_a_task_is_done_when_every_lead_unit_is_done():
    task = TaskFacts(D(2024, 6, 30))
    one_done = [[report(state="done", completed_on=D(2024, 6, 20))], [report()]]
    assert task_status(task, one_done, D(2024, 6, 25)).status is TaskStatus.DUE_SOON
    assert task_status(task, one_done, D(2024, 7, 2)).status is TaskStatus.OVERDUE
    both = [one_done[0], [report(state="done", completed_on=D(2024, 7, 3))]]
    verdict = task_status(task, both, D(2024, 7, 20))
    assert verdict.status is TaskStatus.DONE and verdict.completed_on == D(2024, 7, 3)
    assert verdict.timeliness is Timeliness.DONE_LATE


def test_a_task_no_unit_leads_is_judged_on_its_deadline():
    assert task_status(TaskFacts(D(2024, 6, 30)), [], D(2024, 7, 1)).status is TaskStatus.OVERDUE


def test_the_four_counts_have_every_key():
    verdicts = [
        assignment_status(TaskFacts(D(2024, 6, 30)), [], D(2024, 7, 1)),
        assignment_status(TaskFacts(D(2024, 12, 31)), [], D(2024, 7, 1)),
    ]
    assert four_counts(verdicts) == {
        "done_on_time": 0,
        "done_late": 0,
        "in_progress_within_term": 1,
        "overdue": 1,
    }


dates = st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31))
states = st.sampled_from(["not_started", "in_progress", "done", "recurring"])


@given(
    due=st.none() | dates,
    recurring=st.booleans(),
    on=dates,
    facts=st.lists(st.tuples(dates, states, st.booleans()), max_size=4),
)
def test_status_and_timeliness_always_agree(due, recurring, on, facts):
    """Whatever the facts: done ⇔ a done timeliness; overdue status ⇔ overdue count."""
    task = TaskFacts(due, "date" if due else "recurring", is_recurring=recurring)
    reports = [
        ReportFact(end - dt.timedelta(days=30), end, state, has_difficulties=hard)
        for end, state, hard in facts
    ]
    verdict = assignment_status(task, reports, on)
    done = verdict.status is TaskStatus.DONE
    assert done == (verdict.timeliness in (Timeliness.DONE_ON_TIME, Timeliness.DONE_LATE))
    assert (verdict.status is TaskStatus.OVERDUE) == (verdict.timeliness is Timeliness.OVERDUE)
