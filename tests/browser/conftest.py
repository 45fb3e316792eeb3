"""Real headless Chromium for browser journeys (Playwright driving /usr/bin/chromium)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium_page(settings, tmp_path):
    """A page in a fresh headless Chromium; skips when Chromium is not installed."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("Chromium không có (cài gói Debian chromium) — /usr/bin/chromium is missing")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.MEDIA_ROOT = tmp_path / "media"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(locale="vi-VN")
            page.set_default_timeout(20_000)
            # A script or style the Content-Security-Policy refused fails the journey.
            refused: list[str] = []
            page.on(
                "console",
                lambda m: (
                    refused.append(m.text)
                    if m.type == "error" and "Content Security Policy" in m.text
                    else None
                ),
            )
            yield page
            assert refused == [], refused
            # Connections opened while Playwright's loop ran belong to its context: close them
            # here, or PostgreSQL refuses to drop the test database at the end of the session.
            from django.db import connections

            connections.close_all()
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def logged_in(chromium_page, live_server, client):
    """Sign a user in by handing the browser the session of a test client."""

    def sign_in(user):
        client.force_login(user)
        chromium_page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return chromium_page

    return sign_in


def open_menu(page, group: str, item: str) -> None:
    """Click `item` of the main menu's drop-down `group`, as a person does."""
    page.click(f"nav.nav summary:has-text('{group}')")
    page.click(f"nav.nav .nav-menu a:has-text('{item}')")
    page.wait_for_load_state()
