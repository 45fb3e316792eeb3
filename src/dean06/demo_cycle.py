"""The demo's monthly cycle: months of progress reports as units really send them — most on
time, some late with a reason, some returned by the secretariat and sent again, some missing —
and the July 2024 cycle under way on the demo's day (10/07/2024): drafts, reports waiting for a
leader or for the secretariat, one returned, many not sent yet.

Everything goes through the services with the clock set to the day each step happened, so the
audit log, versions, lateness and statuses are exactly what real use would leave."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

from django.test.utils import override_settings

from dean06.accounts.models import User
from dean06.accounts.roles import Role
from dean06.accounts.services import user_create
from dean06.orgs.models import Unit
from dean06.plans.models import Assignment
from dean06.tracking.models import ProgressReport, ProgressState, ReportStatus
from dean06.tracking.services import (
    ReportInput,
    period_get_or_create,
    progress_report_accept,
    progress_report_approve,
    progress_report_return,
    progress_report_save,
)

PLAN_NUMBER = "18/KH-UBND"
# Units whose focal officers report in the demo (with STTTT and STP, the demo accounts' units);
# the other units of the plan report nothing, as some always do.
REPORTING_UNITS = (
    "STTTT", "STP", "CAT", "VP_UBND", "SNV", "STC", "SYT", "SLDTBXH", "SGDDT", "H_TPBG",
    "H_VIETYEN", "H_LUCNGAN",
)  # fmt: skip
PAST_MONTHS = (4, 5, 6)
CURRENT_MONTH = 7
RESULTS = (
    "Đã ban hành văn bản hướng dẫn và tổ chức triển khai tới các phòng, đơn vị trực thuộc.",
    "Đã rà soát, cập nhật dữ liệu; phối hợp Công an tỉnh làm sạch dữ liệu theo yêu cầu.",
    "Tổ chức tuyên truyền trên trang thông tin điện tử, nhóm Zalo của đơn vị.",
    "Đã tiếp nhận và giải quyết hồ sơ trên Cổng dịch vụ công, đúng hạn 100%.",
    "Đang phối hợp với doanh nghiệp viễn thông hoàn thiện kết nối, chia sẻ dữ liệu.",
)
DIFFICULTIES = "Một số xã còn thiếu thiết bị và đường truyền; cán bộ kiêm nhiệm nhiều việc."
RETURN_COMMENT = "Đề nghị bổ sung số liệu cụ thể (số hồ sơ, số tài khoản) và văn bản kết quả."
LATE_REASON = "Chờ tổng hợp số liệu của các phòng, ban và UBND cấp xã."


def _roll(*parts: object) -> int:
    """A repeatable 0–99 from the parts (the same demo every time, varied across units)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return digest[0] * 100 // 256


def _officer(unit: Unit) -> Any:
    """The unit's focal officer: a demo account where there is one, otherwise an account that
    cannot sign in (no password), as a unit's focal officer would have."""
    user = User.objects.filter(unit=unit, role=Role.UNIT_OFFICER, is_active=True).first()
    if user is None:
        user = user_create(
            username=f"daumoi.{unit.key.lower()}",
            password="",
            role=Role.UNIT_OFFICER,
            unit=unit,
            full_name=f"Đầu mối {unit.short_name or unit.name}",
            usable_password=False,
        )
    return user


def _on(day: dt.date) -> Any:
    return override_settings(DEMO_TODAY=day)


def _input(assignment: Assignment, month: int, roll: int) -> ReportInput:
    task = assignment.task
    end = dt.date(2024, month, 14)
    if task.is_recurring and (task.due_date is None or task.due_date < end):
        state = ProgressState.RECURRING
    elif task.due_date is not None and task.due_date <= end and roll < 75:
        state = ProgressState.DONE
    else:
        state = ProgressState.IN_PROGRESS
    done_on = None
    if state == ProgressState.DONE and task.due_date is not None:
        # Most finish by their date; one in four a few days after it.
        done_on = min(task.due_date + dt.timedelta(days=6 if roll % 4 == 0 else -3), end)
    return ReportInput(
        state=state,
        percent_complete=100 if state == ProgressState.DONE else 40 + roll % 50,
        completed_on=done_on,
        progress=RESULTS[roll % len(RESULTS)],
        figures=f"{20 + roll * 7} hồ sơ; {3 + roll % 9} văn bản" if roll % 3 == 0 else "",
        difficulties=DIFFICULTIES if roll % 11 == 0 else "",
        proposals="Đề nghị UBND tỉnh bố trí kinh phí nâng cấp thiết bị." if roll % 13 == 0 else "",
    )


def _past_month(assignment: Assignment, month: int, secretariat: Any, leader: Any) -> str:
    """One past month of one assignment, as it went: on time, late, returned then sent again,
    or never sent."""
    roll = _roll(assignment.unit.key, assignment.task.code, month)
    if roll >= 85:
        return "missing"
    period = period_get_or_create("month", 2024, month)
    officer = _officer(assignment.unit)
    data = _input(assignment, month, roll)
    late = 70 <= roll < 85
    sent_on = dt.date(2024, month, 16 + roll % 6) if late else dt.date(2024, month, 8 + roll % 7)
    if late:
        data.late_reason = LATE_REASON
    with _on(sent_on):
        report = progress_report_save(
            assignment=assignment, period=period, data=data, by=officer, submit=True
        )
        if report.status == ReportStatus.SUBMITTED:
            report = progress_report_approve(report=report, by=leader)
    decided = sent_on + dt.timedelta(days=2)
    if roll % 10 == 3:  # returned with a comment, then sent again with the figures
        with _on(decided):
            report = progress_report_return(report=report, by=secretariat, comment=RETURN_COMMENT)
        data.figures = f"{120 + roll} hồ sơ đã giải quyết; văn bản số {roll}/BC"
        with _on(decided + dt.timedelta(days=1)):
            report = progress_report_save(
                assignment=assignment,
                period=period,
                data=data,
                by=officer,
                version=report.version,
                submit=True,
            )
            if report.status == ReportStatus.SUBMITTED:
                report = progress_report_approve(report=report, by=leader)
        decided += dt.timedelta(days=3)
    with _on(decided):
        progress_report_accept(report=report, by=secretariat)
    return "late" if late else "on_time"


def _current_month(assignment: Assignment, secretariat: Any, leader: Any) -> str:
    """The July 2024 cycle on 10/07: some sent, some drafts, one in ten returned, most not yet."""
    roll = _roll(assignment.unit.key, assignment.task.code, CURRENT_MONTH)
    if roll >= 55:
        return "not_yet"
    period = period_get_or_create("month", 2024, CURRENT_MONTH)
    officer = _officer(assignment.unit)
    data = _input(assignment, CURRENT_MONTH, roll)
    day = dt.date(2024, 7, 3 + roll % 7)
    with _on(day):
        if roll < 12:
            progress_report_save(assignment=assignment, period=period, data=data, by=officer)
            return "draft"
        report = progress_report_save(
            assignment=assignment, period=period, data=data, by=officer, submit=True
        )
        if roll < 22:
            return "waiting"  # for the leader where there is one, else for the secretariat
        if report.status == ReportStatus.SUBMITTED:
            report = progress_report_approve(report=report, by=leader)
    if roll < 28:
        with _on(day + dt.timedelta(days=1)):
            progress_report_return(report=report, by=secretariat, comment=RETURN_COMMENT)
        return "returned"
    if roll < 45:
        with _on(day + dt.timedelta(days=1)):
            progress_report_accept(report=report, by=secretariat)
        return "accepted"
    return "waiting"


def load_cycle() -> Iterator[str]:
    """Replay the demo's months once; running it again changes nothing."""
    secretariat = User.objects.get(username="thuongtruc")
    leaders = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_LEADER)}
    assignments = list(
        Assignment.objects.filter(
            role="lead", task__plan__number=PLAN_NUMBER, unit__key__in=REPORTING_UNITS
        )
        .select_related("task", "task__plan", "unit")
        .order_by("unit__key", "task__order")
    )
    if ProgressReport.objects.filter(
        assignment__in=assignments, source="web", period__year=2024, period__number__in=PAST_MONTHS
    ).exists():
        yield "Báo cáo tiến độ mẫu: đã có."
        return
    counts: dict[str, int] = {}
    for month in PAST_MONTHS:
        for assignment in assignments:
            task = assignment.task
            done_before = (
                task.due_date is not None
                and task.due_date < dt.date(2024, month - 1, 15)
                and not task.is_recurring
                and _roll(assignment.unit.key, task.code, "done") < 60
            )
            if done_before:
                continue  # done before: nothing more to report
            if ProgressReport.objects.filter(
                assignment=assignment, period__year=2024, period__number=month
            ).exists():
                continue
            outcome = _past_month(assignment, month, secretariat, leaders.get(assignment.unit_id))
            counts[outcome] = counts.get(outcome, 0) + 1
    for assignment in assignments:
        if ProgressReport.objects.filter(
            assignment=assignment, period__year=2024, period__number=CURRENT_MONTH
        ).exists():
            continue  # reported in the month's report imported from the seeds
        outcome = _current_month(assignment, secretariat, leaders.get(assignment.unit_id))
        counts[outcome] = counts.get(outcome, 0) + 1
    labels = {
        "on_time": "đúng hạn",
        "late": "muộn",
        "missing": "không gửi",
        "draft": "nháp",
        "waiting": "chờ duyệt/tiếp nhận",
        "returned": "bị trả lại",
        "accepted": "đã tiếp nhận",
        "not_yet": "chưa gửi",
    }
    summary = ", ".join(f"{n} {labels[k]}" for k, n in sorted(counts.items()))
    yield f"Báo cáo tiến độ mẫu tháng 4–7/2024: {summary}."
