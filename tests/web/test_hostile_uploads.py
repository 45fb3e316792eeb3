"""Hostile files through the web: the plan import ends as a failed upload with the reason on
the progress page; the figures upload (open to every unit officer) answers 422 with a message.
Never a 500, never anything saved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from dean06.accounts.roles import Role
from dean06.core.models import AuditEntry
from dean06.kpis.models import PublicService, ServiceStat
from dean06.kpis.services import targets_ensure_default
from dean06.kpis.xlsx import COLUMNS, FIRST_ROW, META_SHEET, SHEET
from dean06.orgs.models import Unit
from dean06.plans.models import Plan, PlanUpload, UploadStatus
from dean06.quality.services import rules_ensure_builtin
from tests.ingest.test_hostile_files import (
    DOCUMENT,
    LAUGHS,
    MB,
    XXE,
    bomb,
    many_members,
    member,
    rebuild,
    small_docx,
    with_doctype,
)

pytestmark = pytest.mark.django_db

SHEET_XML = "xl/worksheets/sheet1.xml"
WORKBOOK_XML = "xl/workbook.xml"
THIRTY_DIGITS = "123456789012345678901234567890"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- plan import ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_files() -> dict[str, tuple[bytes, str]]:
    """Each hostile plan file with the words its failure must show."""
    docx = small_docx()
    return {
        "bom.docx": (bomb(docx, DOCUMENT), "Tệp Word quá lớn khi giải nén"),
        "nhieu.docx": (many_members(docx), "quá nhiều thành phần"),
        "xxe.docx": (
            rebuild(docx, replace={DOCUMENT: with_doctype(member(docx, DOCUMENT), XXE)}),
            "DOCTYPE",
        ),
        "dai.txt": (b"a\n" * (MB // 2) + b"b", "Tệp văn bản quá lớn: 1,1 MB, giới hạn 1 MB."),
    }


@pytest.mark.once  # file reading: not run again on PostgreSQL
@pytest.mark.parametrize("name", ["bom.docx", "nhieu.docx", "xxe.docx", "dai.txt"])
def test_hostile_plan_file_fails_with_its_reason_on_the_progress_page(
    login, make_user, reference, plan_files, name
):
    data, words = plan_files[name]
    client = login(make_user(Role.SECRETARIAT))
    response = client.post("/ke-hoach/nhap/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    upload = PlanUpload.objects.get()
    assert upload.status == UploadStatus.FAILED  # the job runs inline in tests
    assert words in upload.error
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Không đọc được tệp: " in page.content.decode()
    assert words in page.content.decode()
    assert not Plan.objects.exists()


# --- figures upload -------------------------------------------------------------------------------


@pytest.fixture
def units(reference):
    rules_ensure_builtin()
    targets_ensure_default()
    return Unit.objects.get(key="STP")


@pytest.fixture
def officer(units, make_user, login):
    return login(make_user(Role.UNIT_OFFICER, unit=units))


def _grid(unit) -> str:
    return f"/so-lieu/2024/7/don-vi/{unit.pk}/"


def _template(client, unit) -> bytes:
    response = client.get(_grid(unit) + "mau.xlsx")
    assert response.status_code == 200
    return response.content


def _filled(template: bytes, **cells: object) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb[SHEET]
    for field, value in cells.items():
        ws[f"{COLUMNS[field]}{FIRST_ROW}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, unit, data: bytes):
    file = io.BytesIO(data)
    file.name = "so-lieu.xlsx"
    return client.post(_grid(unit) + "tai-len/", {"file": file, "cap": "all"})


def _refused(response, words: str) -> None:
    assert response.status_code == 422
    assert words in response.content.decode()
    assert ServiceStat.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="kpis.stat").exists()


@pytest.mark.once  # file reading: not run again on PostgreSQL
def test_a_1_gib_figures_bomb_is_a_message(officer, units):
    data = bomb(_template(officer, units), SHEET_XML, 1024 * MB)
    assert len(data) < 2 * MB
    _refused(_upload(officer, units, data), "Tệp tải lên quá lớn khi giải nén")


@pytest.mark.once  # file reading: not run again on PostgreSQL
def test_a_figures_file_of_20000_members_is_a_message(officer, units):
    crowded = many_members(_template(officer, units), 20_000)
    assert len(crowded) < 5 * MB  # under the upload size, so the package check answers
    _refused(_upload(officer, units, crowded), "quá nhiều thành phần")


@pytest.mark.once  # file reading: not run again on PostgreSQL
def test_a_figures_file_over_the_upload_size_is_a_message(officer, units):
    _refused(_upload(officer, units, b"PK\x03\x04" + bytes(6 * MB)), "tối đa 5 MB")


@pytest.mark.once  # file reading: not run again on PostgreSQL
@pytest.mark.parametrize("name", [SHEET_XML, WORKBOOK_XML])
def test_a_truncated_part_is_a_message(officer, units, name):
    template = _template(officer, units)
    xml = member(template, name)
    damaged = rebuild(template, replace={name: xml[: len(xml) // 2]})
    _refused(_upload(officer, units, damaged), "không phải là tệp Excel (.xlsx) đọc được")


@pytest.mark.once  # file reading: not run again on PostgreSQL
def test_a_truncated_file_is_a_message(officer, units):
    template = _template(officer, units)
    _refused(_upload(officer, units, template[: len(template) // 2]), "Tệp tải lên bị hỏng")


@pytest.mark.once  # file reading: not run again on PostgreSQL
@pytest.mark.parametrize("name", [SHEET_XML, WORKBOOK_XML])
@pytest.mark.parametrize("entity", [XXE, LAUGHS], ids=["external", "billion-laughs"])
def test_a_doctype_is_a_message(officer, units, name, entity):
    template = _template(officer, units)
    hostile = rebuild(template, replace={name: with_doctype(member(template, name), entity)})
    _refused(_upload(officer, units, hostile), "DOCTYPE")


def test_a_30_digit_figure_in_the_file_is_a_cell_error(officer, units):
    data = _filled(_template(officer, units), online_citizens=1, total_received=int(THIRTY_DIGITS))
    response = _upload(officer, units, data)
    _refused(response, "Số quá lớn")
    assert f"[{COLUMNS['total_received']}{FIRST_ROW}]" in response.content.decode()


def test_a_30_digit_figure_in_the_grid_is_a_cell_error(officer, units):
    code = PublicService.objects.order_by("order").first().code
    response = officer.post(
        _grid(units),
        {f"c-{code}-online_citizens": "1", f"c-{code}-total_received": THIRTY_DIGITS},
    )
    _refused(response, "Số quá lớn")


def test_a_hand_edited_period_is_a_message(officer, units):
    wb = load_workbook(io.BytesIO(_template(officer, units)))
    meta = wb[META_SHEET]
    row = next(r for r in range(1, 10) if meta[f"A{r}"].value == "period_kind")
    meta[f"B{row}"] = "tuần"
    out = io.BytesIO()
    wb.save(out)
    _refused(_upload(officer, units, out.getvalue()), "thiếu thông tin đơn vị hoặc kỳ báo cáo")


def test_a_catalogue_name_that_looks_like_a_formula_downloads_as_text(officer, units):
    service = PublicService.objects.order_by("order").first()
    hostile = '=HYPERLINK("https://example.invalid/","Bấm vào đây")'
    PublicService.objects.filter(pk=service.pk).update(name=hostile)
    wb = load_workbook(io.BytesIO(_template(officer, units)))
    ws = wb[SHEET]
    row = next(r for r in range(FIRST_ROW, FIRST_ROW + 30) if ws[f"B{r}"].value == service.code)
    cell = ws[f"C{row}"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (hostile, "s", True)
