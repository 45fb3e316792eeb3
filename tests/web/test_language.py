"""Vietnamese by default, whatever the browser asks; English when the person chooses it; the
English catalogue complete and compiled."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

import dean06
from dean06.accounts.roles import Role

LOCALE = Path(dean06.__file__).parent / "web" / "locale"


@pytest.mark.django_db
def test_vietnamese_even_when_the_browser_asks_for_english(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html and "Tên đăng nhập" in html
    assert 'lang="en">English</button>' in html  # each language named in itself


@pytest.mark.django_db
def test_english_when_chosen(client, make_user, login):
    login(make_user(Role.SECRETARIAT))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/ke-hoach/"})
    assert response.status_code == 302
    html = client.get(reverse("plan_list")).content.decode()
    assert '<html lang="en">' in html
    assert ">Tasks</a>" in html and "<summary>Work</summary>" in html and "Sign out" in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get(reverse("plan_list")).content.decode()


def _po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file, continuation lines joined (the header entry left out)."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"].replace('\\"', '"')] = fields["msgstr"].replace('\\"', '"')
    return entries


def test_the_english_catalogue_is_complete_and_compiled():
    po = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert po and all(po.values()), [k for k, v in po.items() if not v]
    with open(LOCALE / "en" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert {k: catalogue.gettext(k) for k in po} == po
