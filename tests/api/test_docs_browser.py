"""The docs page in a real browser, under the site's Content-Security-Policy: Swagger UI draws
the operations from this server's files, with no policy violation."""

from __future__ import annotations

import os
import shutil

import pytest

from dean06.accounts.roles import Role

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_draws_the_api_offline(world, live_server, client):
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Chromium không có — /usr/bin/chromium is missing")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    client.force_login(world.users[Role.SECRETARIAT])
    session = client.cookies["sessionid"].value
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on(
            "console",
            lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on(
            "request",
            lambda r: None if r.url.startswith(live_server.url) else problems.append(r.url),
        )
        page.goto(f"{live_server.url}/api/docs")
        page.get_by_text("/api/progress-reports/{report_id}").first.wait_for(timeout=20_000)
        assert "dean06 API" in page.content()
        browser.close()
    from django.db import connections

    connections.close_all()
    assert problems == []
