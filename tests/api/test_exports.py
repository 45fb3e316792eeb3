"""Exports of a month for other systems: CSV, XLSX and JSON open with the standard readers and
hold the month's rows the caller may see."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dean06.accounts.roles import Role
from tests.api.conftest import MONTH, bearer

pytestmark = pytest.mark.django_db

KINDS = {
    "tasks": ("code", {"A.1", "B.1"}),
    "progress": ("progress", {"Tiến độ của A", "Tiến độ của B"}),
    "service-figures": ("unit", {"Sở A", "Sở B"}),
}


def _rows(response, fmt):
    if fmt == "json":
        body = response.json()
        assert body["period"] == MONTH
        assert body["count"] == len(body["items"])
        return body["items"]
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    book.close()
    header = values[0]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_secretariat_exports_the_months_rows(world, client, kind, fmt):
    secret = world.token(Role.SECRETARIAT)
    response = client.get(f"/api/exports/{kind}?period={MONTH}&format={fmt}", **bearer(secret))
    assert response.status_code == 200, response.content[:300]
    assert f"{MONTH}.{fmt}" in response["Content-Disposition"]
    column, expected = KINDS[kind]
    rows = _rows(response, fmt)
    assert {row[column] for row in rows} == expected


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_units_export_holds_its_own_rows_only(world, client, kind):
    secret = world.token(Role.UNIT_OFFICER)
    response = client.get(f"/api/exports/{kind}?period={MONTH}&format=json", **bearer(secret))
    column, expected = KINDS[kind]
    assert {row[column] for row in response.json()["items"]} == {v for v in expected if "A" in v}


def test_another_month_exports_no_reports_and_the_month_is_required(world, client):
    secret = world.token(Role.SECRETARIAT)
    empty = client.get("/api/exports/progress?period=2024-03&format=csv", **bearer(secret))
    assert empty.status_code == 200
    rows = list(csv.reader(io.StringIO(empty.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["period", "plan", "task_code"]
    assert len(rows) == 1
    assert client.get("/api/exports/progress", **bearer(secret)).status_code == 422
    wrong = client.get("/api/exports/progress?period=2024-13", **bearer(secret))
    assert wrong.status_code == 400
    assert "Kỳ số 13" in wrong.json()["detail"]
