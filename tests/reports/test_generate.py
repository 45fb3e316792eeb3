"""Generating the consolidated report: kept with its snapshot, made again exactly, audited,
and only by those allowed (the service, `dean06 report` and the pages)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter

import docx
import openpyxl
import pytest

from dean06.accounts.roles import Role
from dean06.cli import main
from dean06.core.audit import AuditEntry
from dean06.core.exceptions import PermissionDeniedError
from dean06.documents.models import DocumentRecord
from dean06.ingest.report import extract_report
from dean06.kpis.models import ServiceStat
from dean06.reports.content import MonthlyReport
from dean06.reports.models import GeneratedReport
from dean06.reports.services import report_file, report_generate, report_reproduce
from tests.reports.conftest import SEED_003

ON = dt.date(2024, 8, 5)


def _docx_text(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            text.extend(cell.text for cell in row.cells)
    return text


def test_a_generated_report_is_kept_and_made_again_exactly_after_the_data_changed(
    july_period, files
):
    generated = report_generate(period=july_period, fmt="docx", by=None, on=ON)
    stored = report_file(generated, None)
    assert stored[:2] == b"PK" and generated.size == len(stored)
    assert generated.template_file and generated.template_sha256
    snapshot = MonthlyReport.from_json(generated.snapshot)
    assert snapshot.document_count() == 30 and snapshot.task_count() == 50
    entry = AuditEntry.objects.get(action="reports.report.generated")
    assert entry.object_id == str(generated.pk) and entry.after["sha256"] == generated.sha256

    # Read back by the report reader: the same documents, tasks by group and services as the
    # printed July report, and the true total row where the printed one was wrong.
    printed = extract_report(SEED_003)
    read = extract_report(stored, filename="r.docx")
    assert [(d.group, d.number, d.summary) for d in read.documents] == [
        (d.group, d.number, d.summary) for d in printed.documents
    ]
    assert Counter(t.group for t in read.tasks) == Counter(t.group for t in printed.tasks)
    assert [(x.name, x.online_citizens, x.online_businesses, x.total) for x in read.services] == [
        (x.name, x.online_citizens, x.online_businesses, x.total) for x in printed.services
    ]
    assert read.total_row is not None and printed.total_row is not None
    assert (read.total_row.online_citizens, read.total_row.online_businesses) == (46309, 80)
    assert read.total_row.total == 48050 and printed.total_row.total == 47867

    # The data changes after the report was sent: a document goes, a figure is corrected.
    DocumentRecord.objects.filter(number="3240/UBND-KGVX").delete()
    ServiceStat.objects.filter(total_received=802).update(total_received=900)
    again = report_reproduce(generated)
    assert _docx_text(again) == _docx_text(stored)
    fresh = report_generate(period=july_period, fmt="docx", by=None, on=ON)
    assert _docx_text(report_file(fresh, None)) != _docx_text(stored)
    assert "3240/UBND-KGVX" in _docx_text(stored) and "3240/UBND-KGVX" not in _docx_text(
        report_file(fresh, None)
    )
    # Two reports made on the same template keep one copy of it.
    assert fresh.template_file.name == generated.template_file.name


def test_an_administrators_template_is_used(reference, files):
    from dean06.tracking.services import period_get_or_create

    july_period = period_get_or_create("month", 2024, 7)
    shipped = report_generate(period=july_period, fmt="docx", by=None, on=ON)
    with shipped.template_file.open("rb") as f:
        template = docx.Document(f)
    template.sections[0].left_margin = docx.shared.Mm(35)
    folder = files / "templates"
    folder.mkdir()
    template.save(folder / "bao-cao-thang.docx")
    own = report_generate(period=july_period, fmt="docx", by=None, on=ON)
    assert own.template_sha256 != shipped.template_sha256
    first = docx.Document(io.BytesIO(report_file(own, None))).sections[0]
    assert round(first.left_margin.mm) == 35


def test_excel_has_one_sheet_per_appendix(reference, files):
    from dean06.tracking.services import period_get_or_create

    july_period = period_get_or_create("month", 2024, 7)
    generated = report_generate(period=july_period, fmt="xlsx", by=None, on=ON)
    book = openpyxl.load_workbook(io.BytesIO(report_file(generated, None)))
    assert len(book.sheetnames) >= 3 and book.sheetnames[0] == "Phụ lục I"
    assert not generated.template_file


def test_only_the_secretariat_generates_and_units_do_not_read(reference, files, make_user):
    from dean06.tracking.services import period_get_or_create

    period = period_get_or_create("month", 2024, 7)
    officer = make_user(Role.UNIT_OFFICER)
    leader = make_user(Role.PROVINCIAL_LEADER)
    secretariat = make_user(Role.SECRETARIAT)
    for user in (officer, leader):
        with pytest.raises(PermissionDeniedError):
            report_generate(period=period, fmt="docx", by=user, on=ON)
    generated = report_generate(period=period, fmt="docx", by=secretariat, on=ON)
    assert generated.created_by == secretariat
    assert report_file(generated, leader)[:2] == b"PK"
    with pytest.raises(PermissionDeniedError):
        report_file(generated, officer)
    assert AuditEntry.objects.filter(action="reports.report.generated").count() == 1


# --- dean06 report -----------------------------------------------------------------------------


def test_report_command_writes_each_format(reference, files, tmp_path, capsys):
    from dean06.tracking.services import period_get_or_create

    period_get_or_create("month", 2024, 7)
    out = tmp_path / "thang7.docx"
    assert main(["report", "--period", "2024-07", "--out", str(out), "--on", "2024-08-05"]) == 0
    said = capsys.readouterr().out
    assert "Tháng 7/2024: 0 văn bản" in said and str(out) in said
    assert zipfile.is_zipfile(out)
    assert "Phụ lục I" in "\n".join(_docx_text(out.read_bytes()))
    xlsx = tmp_path / "thang7.xlsx"
    assert main(["report", "--period", "2024-07", "--out", str(xlsx)]) == 0
    assert openpyxl.load_workbook(xlsx).sheetnames[0] == "Phụ lục I"
    assert GeneratedReport.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--period", "2024-13"], "YYYY-MM"),
        (["--period", "2031-01"], "Chưa có kỳ báo cáo"),
        (["--period", "2024-07", "--format", "odt"], "chỉ có"),
    ],
)
def test_report_command_refuses_bad_input_in_one_line(
    reference, files, tmp_path, capsys, args, words
):
    from dean06.tracking.services import period_get_or_create

    period_get_or_create("month", 2024, 7)
    out = tmp_path / "x.docx"
    assert main(["report", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not out.exists() and not GeneratedReport.objects.exists()


# --- the pages ---------------------------------------------------------------------------------


def test_secretariat_generates_previews_and_downloads(july_period, files, make_user, login):
    client = login(make_user(Role.SECRETARIAT))
    page = client.get("/bao-cao-tong-hop/")
    assert page.status_code == 200 and "Lập báo cáo" in page.content.decode()
    answer = client.post("/bao-cao-tong-hop/lap/", {"ky": "2024-07", "dinh_dang": "docx"})
    generated = GeneratedReport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/bao-cao-tong-hop/{generated.pk}/"
    detail = client.get(answer["Location"]).content.decode()
    assert "3240/UBND-KGVX" in detail and "Tổng số" in detail and "48.050" in detail
    download = client.get(f"/bao-cao-tong-hop/{generated.pk}/tai-ve/")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(download) == report_file(generated, None)
    remade = client.get(f"/bao-cao-tong-hop/{generated.pk}/lap-lai/")
    assert _docx_text(b"".join(remade)) == _docx_text(report_file(generated, None))
    bad = client.post("/bao-cao-tong-hop/lap/", {"ky": "2024-7", "dinh_dang": "docx"})
    assert bad.status_code == 400 and "Chọn một tháng" in bad.content.decode()


def test_units_cannot_see_or_make_reports_and_leaders_only_read(
    reference, files, make_user, login, client
):
    from dean06.tracking.services import period_get_or_create

    period = period_get_or_create("month", 2024, 7)
    generated = report_generate(period=period, fmt="docx", by=None, on=ON)
    for role in (Role.UNIT_OFFICER, Role.UNIT_LEADER):
        c = login(make_user(role))
        for url in (
            "/bao-cao-tong-hop/",
            f"/bao-cao-tong-hop/{generated.pk}/",
            f"/bao-cao-tong-hop/{generated.pk}/tai-ve/",
            f"/bao-cao-tong-hop/{generated.pk}/lap-lai/",
        ):
            assert c.get(url).status_code == 403, (role, url)
        assert (
            c.post("/bao-cao-tong-hop/lap/", {"ky": "2024-07", "dinh_dang": "docx"}).status_code
            == 403
        )
    leader = login(make_user(Role.PROVINCIAL_LEADER))
    page = leader.get("/bao-cao-tong-hop/").content.decode()
    assert "report-generate" not in page and generated.filename in page
    assert leader.get(f"/bao-cao-tong-hop/{generated.pk}/tai-ve/").status_code == 200
    assert (
        leader.post("/bao-cao-tong-hop/lap/", {"ky": "2024-07", "dinh_dang": "docx"}).status_code
        == 403
    )
    assert GeneratedReport.objects.count() == 1
