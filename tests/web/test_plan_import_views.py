"""The import page: upload → (inline) reading → review → save; secretariat only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dean06.accounts.roles import Role
from dean06.orgs.models import Unit
from dean06.plans.models import Plan, PlanUpload, Task, UploadStatus
from dean06.reference import seed_path

SEED_001 = "001_33c018715ba11eff.txt"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretariat(login, make_user, reference):
    return login(make_user(Role.SECRETARIAT))


def _upload(client, name=SEED_001, content=None):
    data = content if content is not None else seed_path(name).read_bytes()
    return client.post("/ke-hoach/nhap/", {"file": SimpleUploadedFile(name, data)})


def _review_post(response):
    """The review form as the browser would submit it, unchanged."""
    form = {}
    context = response.context
    extracted = context["extracted"]
    form["plan-number"] = extracted.plan.number or ""
    form["plan-date"] = extracted.plan.date.strftime("%d/%m/%Y") if extracted.plan.date else ""
    form["plan-issuer"] = extracted.plan.issuer or ""
    form["plan-title"] = extracted.plan.title or ""
    for i, task in enumerate(extracted.tasks):
        form[f"task-{i}-code"] = task.code
        form[f"task-{i}-content"] = task.content
        form[f"task-{i}-deadline"] = task.deadline.raw
        form[f"task-{i}-lead"] = [u.name for u in task.lead_units] + [""]
        form[f"task-{i}-coord"] = [u.name for u in task.coordinating_units] + [""]
    return form


def test_upload_review_and_save(secretariat):
    response = _upload(secretariat)
    upload = PlanUpload.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/nhap/{upload.pk}/")
    assert upload.status == UploadStatus.READY  # jobs run inline without a worker
    review = secretariat.get(response["Location"])
    body = review.content.decode()
    assert review.status_code == 200
    assert 'name="task-0-code" value="A.1"' in body
    # The unresolved mention is highlighted, and offered for the registry.
    assert "chưa có trong danh mục</span>" in body
    assert 'name="new-unit" value="đơn vị có CSDL chuyên ngành"' in body
    form = _review_post(review)
    form["task-0-deadline"] = "Quý II/2024"
    saved = secretariat.post(response["Location"], form)
    plan = Plan.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/ke-hoach/{plan.pk}/"
    assert plan.tasks.count() == 39
    assert str(Task.objects.get(code="A.1").due_date) == "2024-06-30"
    upload.refresh_from_db()
    assert upload.status == UploadStatus.SAVED and upload.plan == plan
    detail = secretariat.get(saved["Location"]).content.decode()
    assert "Điều tra cơ bản theo đặc thù" in detail
    # Not ticked: the name stays a phrase on its task, no unit is made of it.
    assert not Unit.objects.filter(name="đơn vị có CSDL chuyên ngành").exists()
    assert "CSDL chuyên ngành" in Task.objects.get(code="B.5.2").notes_units


def test_the_reviewer_adds_a_new_unit_to_the_registry(secretariat):
    response = _upload(secretariat)
    form = _review_post(secretariat.get(response["Location"]))
    form["new-unit"] = ["đơn vị có CSDL chuyên ngành"]
    assert secretariat.post(response["Location"], form).status_code == 302
    unit = Unit.objects.get(name="đơn vị có CSDL chuyên ngành")
    assert Task.objects.get(code="B.5.2").assignments.filter(unit=unit).exists()


def test_review_errors_are_shown_and_nothing_saved(secretariat):
    response = _upload(secretariat)
    form = _review_post(secretariat.get(response["Location"]))
    form["plan-number"] = ""
    form["task-0-lead"] = [""]
    result = secretariat.post(response["Location"], form)
    assert result.status_code == 400
    body = result.content.decode()
    assert "Cần nhập số, ký hiệu" in body and "cần ít nhất một đơn vị chủ trì" in body
    assert not Plan.objects.exists()


def test_unreadable_file_fails_with_a_message(secretariat):
    response = _upload(secretariat, name="x.pdf", content=b"%PDF-1.4 broken")
    upload = PlanUpload.objects.get()
    assert upload.status == UploadStatus.FAILED and upload.error
    page = secretariat.get(response["Location"]).content.decode()
    assert "Không đọc được tệp" in page


def test_empty_file_is_refused(secretariat):
    response = _upload(secretariat, name="x.txt", content=b"")
    assert response.status_code == 200
    assert "Tệp rỗng" in response.content.decode()
    assert not PlanUpload.objects.exists()


def test_status_and_deadline_preview_answer_json(secretariat):
    response = _upload(secretariat)
    status = secretariat.get(response["Location"] + "trang-thai/").json()
    assert status["status"] == "ready" and status["percent"] == 100
    preview = secretariat.get(
        "/ke-hoach/thoi-han/", {"q": "Quý I/2024", "ngay": "23/01/2024"}
    ).json()
    assert preview["due_date"] == "2024-03-31" and preview["kind"] == "quarter"


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.UNIT_LEADER, Role.PROVINCIAL_LEADER])
def test_only_the_secretariat_imports(login, make_user, reference, role):
    client = login(make_user(role))
    assert client.get("/ke-hoach/nhap/").status_code == 403
    assert _upload(client).status_code == 403
    assert client.get("/ke-hoach/thoi-han/", {"q": "Năm 2024"}).status_code == 403
    assert not PlanUpload.objects.exists()


def test_unit_officer_cannot_open_another_units_plan(login, make_user, reference, secretariat):
    _upload(secretariat)
    upload = PlanUpload.objects.get()
    form = _review_post(secretariat.get(f"/ke-hoach/nhap/{upload.pk}/"))
    secretariat.post(f"/ke-hoach/nhap/{upload.pk}/", form)
    plan = Plan.objects.get()
    from dean06.orgs.models import Unit
    from tests.factories import UnitFactory

    outsider = login(make_user(Role.UNIT_OFFICER, unit=UnitFactory(key="OUTSIDER")))
    assert outsider.get(f"/ke-hoach/{plan.pk}/").status_code == 404
    insider = login(make_user(Role.UNIT_OFFICER, unit=Unit.objects.get(key="STP")))
    body = insider.get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert "B.1.1" in body  # STP coordinates B.1.1
    assert 'data-code="A.1"' not in body  # A.1 is not STP's


def test_pasted_text_is_read_like_a_file(secretariat):
    text = seed_path(SEED_001).read_text(encoding="utf-8")
    response = secretariat.post("/ke-hoach/nhap/", {"text": text})
    upload = PlanUpload.objects.get()
    assert response.status_code == 302
    assert upload.status == UploadStatus.READY
    assert len(upload.extracted["tasks"]) == 39


def test_nothing_chosen_asks_for_a_file_or_text(secretariat):
    response = secretariat.post("/ke-hoach/nhap/", {"text": "  "})
    assert "dán nội dung" in response.content.decode()
    assert not PlanUpload.objects.exists()
