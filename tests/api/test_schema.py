"""The schema and the docs: for the secretariat and administrators; paths in English; the
docs page works offline under the site's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest

from dean06.accounts.roles import Role
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/docs"])
def test_the_schema_and_docs_are_for_the_secretariat_and_administrators(world, client, path):
    assert client.get(path).status_code == 401
    for role in (Role.PROVINCIAL_LEADER, Role.UNIT_OFFICER, Role.UNIT_LEADER):
        client.force_login(world.users[role])
        refused = client.get(path)
        assert refused.status_code == 403, role
        assert "Thường trực" in refused.json()["detail"]
    for role in (Role.SECRETARIAT, Role.ADMIN):
        client.force_login(world.users[role])
        assert client.get(path).status_code == 200, role
    client.logout()
    assert client.get(path, **bearer(world.token(Role.SECRETARIAT))).status_code == 200
    assert client.get(path, **bearer(world.token(Role.UNIT_OFFICER))).status_code == 403


def test_the_schema_lists_every_domain_in_english_kebab_case(world, client):
    client.force_login(world.users[Role.SECRETARIAT])
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "dean06 API"
    paths = set(schema["paths"])
    for expected in (
        "/api/plans",
        "/api/tasks",
        "/api/assignments",
        "/api/units",
        "/api/periods",
        "/api/progress-reports",
        "/api/documents",
        "/api/service-figures",
        "/api/findings",
        "/api/generated-reports",
        "/api/generated-reports/{report_id}/file",
        "/api/exports/tasks",
        "/api/exports/progress",
        "/api/exports/service-figures",
    ):
        assert expected in paths
    for path in paths:
        assert re.fullmatch(r"/api(/([a-z]+(-[a-z]+)*|\{[a-z_]+\}))+", path), path
    assert "post" in schema["paths"]["/api/progress-reports"]
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_the_docs_page_loads_its_files_from_this_site(world, client):
    client.force_login(world.users[Role.SECRETARIAT])
    page = client.get("/api/docs")
    html = page.content.decode()
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline code: only files and a JSON data block
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/api/docs/assets/") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert client.get("/api/docs/assets/..%2Fsettings.py").status_code == 404
