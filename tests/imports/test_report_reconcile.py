"""Importing a monthly report never makes things worse: the same file again changes nothing, a
worse rendition of the same period keeps what it has empty, findings are updated in place, task
matching stays within the report's plan and period, and a preview writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.documents.models import DocumentGroup, DocumentRecord
from dean06.imports.reconcile import reconcile
from dean06.imports.report import REVIEW_RULE, document_group, report_import
from dean06.ingest.report import ExtractedReport, ReportTask, extract_report
from dean06.kpis.models import ServiceStat
from dean06.plans.models import Plan, Task
from dean06.quality.models import Finding, FindingStatus
from dean06.quality.services import finding_accept
from dean06.reference import seed_path
from dean06.tracking.models import ProgressReport

SEED_003 = seed_path("003_9912287c508b6ad0.txt")
# Phụ lục III columns: STT, name, online citizens, businesses, total, %, on time, overdue,
# staff total, province, district, commune.
STAFF_TOTAL = 8
PROGRESS = 4  # Phụ lục II: STT, content, assigning document, lead unit, progress, result


def _import(report: ExtractedReport, source: str = SEED_003.name, **kwargs):
    return report_import(report=report, year=2024, month=7, by=None, source=source, **kwargs)


def _degraded(blank_progress_rows: int = 5) -> str:
    """The July 2024 report as a worse rendition gives it: the progress cells of the first
    completed tasks and the staff column of Phụ lục III empty."""
    lines = SEED_003.read_text(encoding="utf-8").split("\n")
    appendix = ""
    done_group = False
    blanked = 0
    out = []
    for line in lines:
        if line.startswith("Phụ lục "):
            appendix = line.split(":")[0].removeprefix("Phụ lục ").strip()
        cells = line.split("\t")
        if appendix == "II" and cells[0] in ("I", "II", "III"):
            done_group = cells[0] == "I"
        if cells[0].isdigit() and appendix == "III" and len(cells) > STAFF_TOTAL:
            cells[STAFF_TOTAL] = ""
        elif (
            cells[0].isdigit() and appendix == "II" and done_group and blanked < blank_progress_rows
        ):
            cells[PROGRESS] = ""
            blanked += 1
        out.append("\t".join(cells))
    return "\n".join(out)


def _state() -> dict[str, object]:
    return {
        "documents": sorted(DocumentRecord.objects.values_list("number", "group", "summary")),
        "progress": sorted(
            ProgressReport.objects.values_list("pk", "progress", "percent_complete", "state")
        ),
        "stats": sorted(
            ServiceStat.objects.values_list("service_id", "staff_total", "total_received")
        ),
        "findings": sorted(Finding.objects.values_list("pk", "rule_code", "status", "row")),
        "tasks": Task.objects.count(),
        "plans": Plan.objects.count(),
    }


def test_the_same_report_twice_changes_nothing_and_deletes_nothing(plan_2024, make_user):
    _import(extract_report(SEED_003))
    warning = Finding.objects.filter(severity="warning").first()
    assert warning is not None
    finding_accept(
        finding=warning, reason="Đã đối chiếu với đơn vị", by=make_user(Role.SECRETARIAT)
    )
    before = _state()
    audit = AuditEntry.objects.count()

    again = _import(extract_report(SEED_003))

    assert _state() == before
    assert {c.kind for c in again.changes} == {"unchanged"}
    assert (again.finding_sync.created, again.finding_sync.updated) == (0, 0)
    assert again.finding_sync.fixed == 0
    # Only the import's own entry: no record written, nothing deleted.
    new_entries = AuditEntry.objects.order_by("pk")[audit:]
    assert [e.action for e in new_entries] == ["imports.report.imported"]
    assert not AuditEntry.objects.filter(action__endswith=".deleted").exists()
    warning.refresh_from_db()
    assert warning.status == FindingStatus.ACCEPTED


def test_another_rendition_does_not_duplicate_findings(plan_2024):
    first = _import(extract_report(SEED_003))
    count = Finding.objects.filter(period=first.period).count()
    ids = set(Finding.objects.values_list("pk", flat=True))
    audit = AuditEntry.objects.count()

    _import(extract_report(SEED_003.read_text(encoding="utf-8")), source="bao-cao-7-2024.txt")

    # The same content under another file name: no record is written again.
    new_entries = AuditEntry.objects.order_by("pk")[audit:]
    assert [e.action for e in new_entries] == ["imports.report.imported"]

    assert Finding.objects.filter(period=first.period).count() == count
    assert set(Finding.objects.values_list("pk", flat=True)) == ids  # updated in place


def test_a_worse_rendition_keeps_what_it_has_empty_and_says_so(plan_2024):
    _import(extract_report(SEED_003))
    done = ProgressReport.objects.filter(percent_complete=100)
    hundred = done.count()
    texts = dict(ProgressReport.objects.values_list("pk", "progress"))
    staff = dict(ServiceStat.objects.values_list("service__order", "staff_total"))
    assert hundred >= 11 and staff[1] == 0

    worse = _import(extract_report(_degraded()), source="ban-scan-xau.txt")

    assert ProgressReport.objects.filter(percent_complete=100).count() == hundred
    assert dict(ProgressReport.objects.values_list("pk", "progress")) == texts
    assert dict(ServiceStat.objects.values_list("service__order", "staff_total")) == staff
    kept = [c for c in worse.changes if c.kept]
    kept_fields = {label for c in kept for label, _ in c.kept}
    assert "nhân lực — tổng số" in kept_fields
    assert "tiến độ, kết quả thực hiện" in kept_fields
    assert worse.count("kept") >= 6 and worse.count("changed") == 0
    assert "giữ giá trị cũ vì tệp mới để trống" in worse.summary()
    assert any("(tệp mới để trống)" in line for line in worse.change_lines())


def test_reconcile_keeps_a_stored_value_the_new_file_has_empty():
    merged = reconcile(
        {"a": 5, "b": "cũ", "c": "dài hơn: phần một\nphần hai", "d": 1},
        {"a": None, "b": "", "c": "phần hai", "d": 2},
        partial_text=("c",),
    )
    assert merged.values == {"a": 5, "b": "cũ", "c": "dài hơn: phần một\nphần hai", "d": 2}
    assert merged.kept == ["a", "b", "c"] and merged.changed == ["d"]
    assert reconcile(None, {"a": None}).values == {"a": None}


def test_group_of_the_province_is_stored_as_the_province(plan_2024):
    _import(extract_report(SEED_003))
    record = DocumentRecord.objects.get(number="3240/UBND-KGVX")  # "I. Văn bản của UBND tỉnh"
    assert record.group == DocumentGroup.PROVINCE
    # "II. Văn bản của Tổ Đề án 06 tỉnh"
    assert DocumentRecord.objects.get(number="2366/TCTTKĐA").group == DocumentGroup.WORKING_GROUP
    assert DocumentRecord.objects.get(number="2428/CAT-QLHC").group == DocumentGroup.UNIT
    assert not DocumentRecord.objects.filter(group=DocumentGroup.CENTRAL).exists()


def test_group_titles_name_who_issued():
    assert document_group("I. Văn bản của Trung ương") == DocumentGroup.CENTRAL
    assert document_group("Văn bản của UBND tỉnh, Tổ công tác tỉnh") == DocumentGroup.PROVINCE
    assert document_group("II. Văn bản của Tổ Đề án 06 tỉnh") == DocumentGroup.WORKING_GROUP
    assert document_group("Văn bản của Tổ công tác Đề án 06") == DocumentGroup.WORKING_GROUP
    assert document_group("III. Văn bản các đơn vị triển khai") == DocumentGroup.UNIT
    assert document_group("Văn bản của các sở, ngành, địa phương") == DocumentGroup.UNIT


def test_a_subset_of_words_is_a_match_to_review_not_a_perfect_one(plan_2024):
    result = _import(extract_report(SEED_003))
    # "Triển khai ứng dụng chữ ký số khi triển khai DVC": every word is in task B.2.9's longer
    # text, so a set-of-words ratio scores it 100.
    task = Task.objects.get(plan__number="18/KH-UBND", code="B.2.9")
    review = next(r for r in result.reviews if "B.2.9" in r.message)
    assert "100/100" not in review.message and "một phần" in review.message
    stored = Finding.objects.get(rule_code=REVIEW_RULE, object_id=f"plans.task:{task.pk}")
    assert stored.severity == "warning" and stored.status == FindingStatus.OPEN
    # Flagged, never held back: the progress is imported on the task.
    assert ProgressReport.objects.filter(
        assignment__task=task, period=result.period, progress__contains="chữ ký số"
    ).exists()


def _row(content: str, document: str) -> ReportTask:
    return ReportTask(
        group="in_progress",
        stt="1",
        content=content,
        assigning_document=document,
        lead_unit="Sở Thông tin và Truyền thông",
        progress="Đang thực hiện",
    )


def test_matching_stays_within_the_plan_the_row_names_and_the_period(plan_2024):
    task = Task.objects.get(plan__number="18/KH-UBND", code="B.2.9")
    # The same words in another plan of the year, and in a later plan with the same number.
    other = Plan.objects.create(number="77/KH-UBND", date=dt.date(2024, 3, 1), year=2024)
    later = Plan.objects.create(number="18/KH-UBND", date=dt.date(2025, 1, 20), year=2025)
    for plan in (other, later):
        Task.objects.create(plan=plan, code="X.1", content=task.content)

    result = _import(ExtractedReport(tasks=[_row(task.content, "KH số 18/KH-UBND")]))

    matched = ProgressReport.objects.get(period=result.period).assignment.task
    assert matched == task
    assert result.tasks_matched == 1 and result.reviews == []

    again = report_import(
        report=ExtractedReport(tasks=[_row(task.content, "Kế hoạch số 77/KH-UBND")]),
        year=2024,
        month=8,
        by=None,
    )
    assert ProgressReport.objects.get(period=again.period).assignment.task.plan == other


def test_two_tasks_nearly_as_close_are_imported_and_flagged(plan_2024):
    task = Task.objects.get(plan__number="18/KH-UBND", code="B.2.9")
    twin = Plan.objects.create(number="78/KH-UBND", date=dt.date(2024, 3, 1), year=2024)
    Task.objects.create(plan=twin, code="Y.1", content=task.content + " trên địa bàn")

    result = _import(
        ExtractedReport(tasks=[_row(task.content, "KH số 18/KH-UBND; KH số 78/KH-UBND")])
    )

    assert result.tasks_matched == 1
    assert ProgressReport.objects.filter(period=result.period).exists()
    assert len(result.reviews) == 1 and "gần bằng nhiệm vụ Y.1" in result.reviews[0].message


def test_a_preview_writes_nothing(plan_2024):
    before = _state()
    audit = AuditEntry.objects.count()
    periods = list(ProgressReport.objects.values_list("period_id", flat=True))

    preview = _import(extract_report(SEED_003), dry_run=True)

    assert preview.dry_run and preview.count("new") > 0 and preview.findings
    assert _state() == before
    assert AuditEntry.objects.count() == audit
    assert list(ProgressReport.objects.values_list("period_id", flat=True)) == periods
    # What the preview announced is what the import then does.
    done = _import(extract_report(SEED_003))
    assert [(c.kind, c.ref) for c in done.changes] == [(c.kind, c.ref) for c in preview.changes]


def test_a_report_with_figures_in_its_prose_only_is_refused_and_writes_nothing(plan_2024):
    from dean06.core.exceptions import ApplicationError
    from dean06.ingest.report_prose import ReportFigure

    figure = ReportFigure(
        kind="percent",
        value=86.98,
        unit="%",
        label="hồ sơ trực tuyến toàn trình",
        sentence="Đã có 86,98% hồ sơ trực tuyến toàn trình.",
    )
    audit = AuditEntry.objects.count()
    for dry_run in (True, False):
        with pytest.raises(ApplicationError, match="không có bảng phụ lục"):
            report_import(
                report=ExtractedReport(figures=[figure]),
                year=2025,
                month=11,
                by=None,
                dry_run=dry_run,
            )
    assert AuditEntry.objects.count() == audit and not DocumentRecord.objects.exists()
