"""Screenshots of every screen, per demo account, at 1280 and 375 px — to look at.

    python scripts/screenshots.py [--out var/screenshots] [--only thuongtruc]

Loads the demo into a fresh data folder, runs `dean06 demo` on a free port, signs each demo account
in through the sign-in form in headless Chromium (/usr/bin/chromium), opens every screen of its menu
and the screens behind the first rows (a task, a unit, a report form), and saves full-page PNGs
`<account>-<screen>-<width>.png`. Prints one line per screen: HTTP status, page height, and any
browser console error (a Content-Security-Policy violation shows there), and exits non-zero when a
screen answered 500 or the console had errors.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "dean06-demo"  # noqa: S105 — the local demo's printed password
ACCOUNTS = ("lanhdaotinh", "thuongtruc", "quantri", "stttt", "lanhdao.stttt")
WIDTHS = (1280, 375)
# Screens behind the lists: the first link on a page that matches, opened as well.
FOLLOW = {
    "nhiem-vu": re.compile(r"^/nhiem-vu/\d+/$"),
    "don-vi": re.compile(r"^/don-vi/\d+/$"),
    "bao-cao-form": re.compile(r"^/bao-cao/\d+/\d{4}/\d+/$"),
    "van-ban": re.compile(r"^/van-ban/\d+/$"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310 (http://127.0.0.1)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the demo server did not answer at {url}")


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()).strip("-") or "trang-chu"


def _menu_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all("nav.nav a", "els => els.map(e => e.getAttribute('href'))")
    return [h for h in dict.fromkeys(hrefs) if h and h.startswith("/") and "/admin" not in h]


def _follow_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/")]


def shoot(base: str, out: Path, accounts: tuple[str, ...]) -> int:
    from playwright.sync_api import sync_playwright

    failures = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for username in accounts:
            context = browser.new_context(locale="vi-VN")
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.goto(base + "/dang-nhap/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            paths = ["/", *_menu_paths(page)]
            followed: set[str] = set()
            queue = list(dict.fromkeys(paths))
            while queue:
                path = queue.pop(0)
                for width in WIDTHS:
                    errors.clear()
                    page.set_viewport_size({"width": width, "height": 900})
                    response = page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    status = response.status if response else 0
                    height = page.evaluate("document.documentElement.scrollHeight")
                    name = f"{username}-{_slug(path)}-{width}.png"
                    page.screenshot(path=str(out / name), full_page=True)
                    bad = status >= 500 or bool(errors)
                    failures += bad
                    note = f"  console: {errors}" if errors else ""
                    print(f"{username:14} {width:5} {status} {height:6}px {path}{note}")
                if path in paths:
                    for href in _follow_paths(page):
                        for key, pattern in FOLLOW.items():
                            if key not in followed and pattern.match(href):
                                followed.add(key)
                                queue.append(href)
            context.close()
        browser.close()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    parser.add_argument("--only", action="append", help="one demo account (repeatable)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="dean06-shots-") as data:
        env = {**os.environ, "DEAN06_DATA_DIR": data}
        server = subprocess.Popen(
            [str(BIN / "dean06"), "demo", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base, 180)
            failures = shoot(base, out, tuple(args.only or ACCOUNTS))
        finally:
            server.terminate()
            server.wait(10)
    print(f"{out}: screens with a 5xx answer or console errors: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
