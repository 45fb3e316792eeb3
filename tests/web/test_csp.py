"""The Content-Security-Policy: every page says it, it allows no inline script, and no template
holds code the policy would block (inline scripts, event-handler or hx-on attributes, style
attributes, inline <style> blocks)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dean06

TEMPLATES = Path(dean06.__file__).parent / "web" / "templates"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style\b", re.I)


@pytest.mark.django_db
def test_pages_send_a_policy_without_inline_script(client):
    response = client.get("/dang-nhap/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_template_holds_what_the_policy_blocks():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (HANDLER, "event handler attribute"),
            (STYLE_ATTRIBUTE, "style attribute"),
            (STYLE_BLOCK, "inline <style> block"),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert offenders == []


def test_the_scanner_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert HANDLER.search('<select onchange="this.form.submit()">')
    assert HANDLER.search('<button hx-on:click="x">')
    assert STYLE_ATTRIBUTE.search('<input style="width:auto">')
    assert STYLE_BLOCK.search("{% block head %}<style>\n.notice {}</style>")
    assert not HANDLER.search('<input name="online">')
