"""Submitting a progress report through the API does what the report form does: the same
records, the same audit; stale versions and missing content are refused as on the page."""

from __future__ import annotations

import pytest

from dean06.accounts.token_services import api_token_create
from dean06.core.models import AuditEntry
from dean06.tracking.models import ProgressReport, ReportStatus, ReportVersion
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _payload(cycle, month="2024-07", **more):
    data = {
        "assignment_id": cycle["assignment"].pk,
        "period": month,
        "state": "in_progress",
        "percent_complete": 60,
        "progress": "Đã rà soát 120 thủ tục",
    }
    data.update(more)
    return data


def _trail(report):
    entries = AuditEntry.objects.filter(
        object_type="tracking.progressreport", object_id=str(report.pk)
    ).order_by("id")
    return [(e.action, e.actor_id, e.unit_id) for e in entries]


def test_the_api_submits_like_the_report_form(cycle, client):
    officer = cycle["officer"]
    # The page, for July.
    client.force_login(officer)
    page = client.post(
        f"/bao-cao/{cycle['assignment'].pk}/2024/7/",
        {
            "state": "in_progress",
            "percent_complete": "60",
            "progress": "Đã rà soát 120 thủ tục",
            "action": "submit",
        },
    )
    assert page.status_code == 302
    client.logout()
    by_page = ProgressReport.objects.get(assignment=cycle["assignment"], period__number=7)
    # The API, for August, with the officer's write token.
    secret = api_token_create(user=officer, name="phan-mem-don-vi", scope="write", by=None).secret
    response = client.post(
        "/api/progress-reports",
        _payload(cycle, month="2024-08"),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    by_api = ProgressReport.objects.get(pk=body["id"])
    assert body["period"] == "2024-08"
    assert body["status"] == by_api.status == by_page.status
    assert by_api.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    assert body["submitted_at"] is not None
    for name in ("state", "percent_complete", "progress", "author_id", "submitted_by_id"):
        assert getattr(by_api, name) == getattr(by_page, name), name
    assert ReportVersion.objects.filter(report=by_api).count() == 1
    assert ReportVersion.objects.filter(report=by_page).count() == 1
    expected = [
        ("tracking.report.created", officer.pk, cycle["unit"].pk),
        ("tracking.report.submitted", officer.pk, cycle["unit"].pk),
    ]
    assert _trail(by_page) == expected
    assert _trail(by_api) == expected


def test_a_draft_then_a_stale_version_is_refused_with_409(cycle, client):
    secret = api_token_create(user=cycle["officer"], name="x", scope="write", by=None).secret
    draft = client.post(
        "/api/progress-reports",
        _payload(cycle, submit=False),
        content_type="application/json",
        **bearer(secret),
    )
    assert draft.status_code == 201
    assert draft.json()["status"] == ReportStatus.DRAFT
    version = draft.json()["version"]
    client.post(
        "/api/progress-reports",
        _payload(cycle, submit=False, progress="Bản hai", version=version),
        content_type="application/json",
        **bearer(secret),
    )
    stale = client.post(
        "/api/progress-reports",
        _payload(cycle, progress="Bản cũ", version=version),
        content_type="application/json",
        **bearer(secret),
    )
    assert stale.status_code == 409
    assert "vừa được người khác thay đổi" in stale.json()["detail"]
    assert ProgressReport.objects.get(pk=draft.json()["id"]).progress == "Bản hai"


def test_missing_content_is_refused_field_by_field_in_vietnamese(cycle, client):
    secret = api_token_create(user=cycle["officer"], name="x", scope="write", by=None).secret
    response = client.post(
        "/api/progress-reports",
        _payload(cycle, state="", progress=""),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body["fields"]) == {"state", "progress"}
    assert body["fields"]["progress"] == "Nêu kết quả thực hiện trong kỳ."
    assert not ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).exists()


def test_malformed_input_is_a_422_in_vietnamese(cycle, client):
    secret = api_token_create(user=cycle["officer"], name="x", scope="write", by=None).secret
    response = client.post(
        "/api/progress-reports",
        _payload(cycle, period="tháng bảy", percent_complete=140),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert {tuple(e["loc"])[-1] for e in body["errors"]} == {"period", "percent_complete"}
