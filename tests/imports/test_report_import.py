"""import-report: documents, progress, service figures and findings of seed 003 into the DB."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from dean06.cli import main
from dean06.core.models import AuditEntry
from dean06.documents.models import DocumentRecord, DocumentType
from dean06.imports.report import REVIEW_RULE, report_import
from dean06.ingest.report import extract_report
from dean06.kpis.models import ServiceStat
from dean06.plans.models import DirectiveKind, Plan, Task
from dean06.quality.models import Finding
from dean06.reference import seed_path
from dean06.tracking.models import ProgressReport

SEED_003 = seed_path("003_9912287c508b6ad0.txt")


@pytest.fixture
def imported(plan_2024):
    return report_import(
        report=extract_report(SEED_003), year=2024, month=7, by=None, source=SEED_003.name
    )


def _documents_go_to_the_register(imported):
    assert DocumentRecord.objects.count() == 30
    record = DocumentRecord.objects.get(number="4305/QĐ-UBND")
    assert record.doc_type == DocumentType.LETTER  # as printed; the finding says it contradicts
    assert record.period == imported.period
    assert imported.period.label == "Tháng 7/2024"


def _progress_is_attached_to_the_matching_plan_tasks(imported):
    task = Task.objects.get(plan__number="18/KH-UBND", code="B.2.9")  # chữ ký số
    reports = ProgressReport.objects.filter(assignment__task=task, period=imported.period)
    assert reports.exists()
    assert "chữ ký số" in reports.first().progress
    assert imported.tasks_matched >= 35


def _task_of_another_directive_becomes_a_task_of_it_flagged(imported):
    directive = Plan.objects.get(number="04/CT-TTg")
    assert directive.kind == DirectiveKind.DIRECTIVE and directive.needs_review
    task = directive.tasks.get(content__startswith="Triển khai Kho dữ liệu hồ sơ")
    assert task.needs_review
    assert ProgressReport.objects.filter(assignment__task=task).exists()


def _service_figures_and_reported_share_are_kept(imported):
    assert ServiceStat.objects.filter(period=imported.period).count() == 25
    birth = ServiceStat.objects.get(service__order=9, period=imported.period)
    assert (birth.online_citizens, birth.total_received) == (1755, 1869)
    assert birth.share_reported == Decimal("88.73")  # as printed, contradicting the counts


def _every_finding_is_stored(imported):
    rule_findings = Finding.objects.filter(period=imported.period).exclude(rule_code=REVIEW_RULE)
    assert rule_findings.count() == 11
    assert Finding.objects.filter(rule_code="svc.total_row_sum", row="").count() == 2


def test_one_import_of_the_july_report(imported):
    """One import, every check of what it wrote (importing is the slow part)."""
    _documents_go_to_the_register(imported)
    _progress_is_attached_to_the_matching_plan_tasks(imported)
    _task_of_another_directive_becomes_a_task_of_it_flagged(imported)
    _service_figures_and_reported_share_are_kept(imported)
    _every_finding_is_stored(imported)
    _importing_again_changes_nothing(imported)


def _importing_again_changes_nothing(imported):
    counts = (
        DocumentRecord.objects.count(),
        ProgressReport.objects.count(),
        ServiceStat.objects.count(),
        Finding.objects.count(),
        Task.objects.count(),
    )
    audit = AuditEntry.objects.exclude(action="imports.report.imported").count()
    again = report_import(
        report=extract_report(SEED_003), year=2024, month=7, by=None, source=SEED_003.name
    )
    assert again.tasks_created == []
    assert counts == (
        DocumentRecord.objects.count(),
        ProgressReport.objects.count(),
        ServiceStat.objects.count(),
        Finding.objects.count(),
        Task.objects.count(),
    )
    assert AuditEntry.objects.exclude(action="imports.report.imported").count() == audit


def test_check_report_command_prints_json_counts_and_findings(capsys):
    assert main(["check-report", str(SEED_003), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["documents"] == 30
    assert data["counts"]["tasks"] == 50
    assert data["counts"]["services"] == 25
    rows = {(f["appendix"], f["row"], f["rule"]) for f in data["findings"]}
    assert ("III", None, "svc.total_row_sum") in rows
    assert ("III", "9", "svc.share_matches") in rows


def test_check_report_on_a_non_report_is_a_clean_error(tmp_path, capsys):
    bad = tmp_path / "x.txt"
    bad.write_text("không phải báo cáo")
    assert main(["check-report", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dean06: lỗi:") and "Traceback" not in err


@pytest.mark.django_db(transaction=True)
def test_import_report_command(plan_2024, capsys):
    audit = AuditEntry.objects.count()
    assert main(["import-report", str(SEED_003), "--period", "2024-07", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "30 văn bản" in out and "--dry-run: chưa ghi gì" in out
    assert not DocumentRecord.objects.exists() and AuditEntry.objects.count() == audit
    assert main(["import-report", str(SEED_003), "--period", "2024-07"]) == 0
    assert "30 văn bản" in capsys.readouterr().out
    assert main(["import-report", str(SEED_003), "--period", "2024-13"]) == 2


def test_a_rule_switched_off_by_an_administrator_is_not_applied(plan_2024):
    from dean06.quality.models import ValidationRule

    ValidationRule.objects.filter(code="doc.type_matches_symbol").update(active=False)
    result = report_import(
        report=extract_report(SEED_003), year=2024, month=7, by=None, source=SEED_003.name
    )
    assert "doc.type_matches_symbol" not in {f.rule for f in result.findings}
    assert len(result.findings) == 8
