"""Vietnamese by default, whatever the browser asks; English when the person chooses it; the
English catalogue complete and compiled."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

import dean06
from dean06.accounts.roles import Role

# Run once (SQLite): what it checks does not depend on the database (see tests/conftest.py).
pytestmark = pytest.mark.once

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


def _po_entries(path: Path) -> dict[tuple[str | None, str, str | None], list[str]]:
    """(context, msgid, msgid_plural) → its msgstr (one per plural form) of a .po file,
    continuation lines joined (the header entry left out)."""
    entries: dict[tuple[str | None, str, str | None], list[str]] = {}
    field = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$')
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = field.match(line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            strings = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries[(fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural"))] = strings
    return entries


def test_the_english_catalogue_is_complete_and_compiled():
    po = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert po and all(all(v) for v in po.values()), [k for k, v in po.items() if not all(v)]
    with open(LOCALE / "en" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)

    def compiled(context: str | None, msgid: str, plural: str | None) -> list[str]:
        if plural is not None:
            if context is not None:
                return [catalogue.npgettext(context, msgid, plural, n) for n in (1, 2)]
            return [catalogue.ngettext(msgid, plural, n) for n in (1, 2)]
        if context is not None:
            return [catalogue.pgettext(context, msgid)]
        return [catalogue.gettext(msgid)]

    assert {k: compiled(*k) for k in po} == po


TEMPLATES = Path(dean06.__file__).parent / "web" / "templates"
# Letters only Vietnamese writes: a template text holding one is Vietnamese a person reads.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
# What a person reads of an attribute (data-label heads a table cell shown as a card).
READ_ATTRIBUTES = re.compile(
    r'\b(?:title|placeholder|aria-label|alt|data-label|value)\s*=\s*("[^"]*"|\'[^\']*\')'
)
LITERAL = re.compile(r'_\(\s*"[^"]*"\s*\)|_\(\s*\'[^\']*\'\s*\)|"[^"]*"|\'[^\']*\'')


def _unmarked(source: str) -> list[str]:
    """The Vietnamese of a template outside translation tags: in its text, in the attributes a
    person reads, and in the string literals of its tags and variables (`_("...")` is marked)."""
    found: list[str] = []
    text = re.sub(r"{#.*?#}", "", source, flags=re.S)
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.S)
    text = re.sub(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", "", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S | re.I)
    for tag in re.findall(r"{%.*?%}|{{.*?}}", text, flags=re.S):
        if re.match(r"{%\s*(translate|trans)\b", tag):
            continue
        found += [s for s in LITERAL.findall(tag) if not s.startswith("_") and VIETNAMESE.search(s)]
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    for tag in re.findall(r"<[^>]*>", text, flags=re.S):
        found += [v for v in READ_ATTRIBUTES.findall(tag) if VIETNAMESE.search(v)]
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    found += [line.strip() for line in text.splitlines() if VIETNAMESE.search(line)]
    return found


def test_the_heuristic_finds_unmarked_text():
    assert _unmarked('<p title="Đơn vị">{% translate "Kỳ" %}</p>') == ['"Đơn vị"']
    assert _unmarked("<th>Đơn vị</th>") == ["Đơn vị"]
    assert _unmarked('{{ x|default:"chưa có" }}') == ['"chưa có"']
    assert not _unmarked(
        '{{ x|default:_("chưa có") }}{% blocktranslate %}Kỳ {{ n }}{% endblocktranslate %}'
    )
    assert not _unmarked("<script>const s = 'Đơn vị';</script>{# Ghi chú #}")


def test_every_template_text_is_marked_for_translation():
    unmarked = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        found = _unmarked(path.read_text(encoding="utf-8"))
        if found:
            unmarked[str(path.relative_to(TEMPLATES))] = found
    assert not unmarked, unmarked


# Per page: words of its own template in English, and the Vietnamese they stand for.
PAGES = [
    ("officer", "/", ["Reports due", "Returned", "Work of the unit:", "Overdue"], "Cần báo cáo"),
    (
        "secretariat",
        "/",
        ["Reports to accept", "Units late reporting", "Overdue tasks"],
        "Báo cáo chờ tiếp nhận",
    ),
    (
        "leader",
        "/",
        ["Project 06 dashboard", "Tasks by status", "Coming deadlines"],
        "Nhiệm vụ theo tình trạng",
    ),
    ("secretariat", "/nhiem-vu/", ["Clear filters", "Lead unit", "Deadline"], "Bỏ lọc"),
    (
        "secretariat",
        "/bang-dieu-khien/",
        ["Unit ranking", "Overdue tasks", "Key figures"],
        "Xếp hạng đơn vị",
    ),
    (
        "officer",
        "/bao-cao/{assignment}/2024/7/",
        ["Progress report:", "Save draft", "Send the report", "Task history"],
        "Lưu nháp",
    ),
    (
        "secretariat",
        "/nhiem-vu/{task}/",
        ["Task list", "Assignments", "Change history"],
        "Lịch sử thay đổi",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "url", "english", "vietnamese"), PAGES)
def test_the_main_pages_speak_english_when_chosen_and_vietnamese_otherwise(
    cycle, client, make_user, settings, who, url, english, vietnamese
):
    users = {
        "officer": cycle["officer"],
        "secretariat": cycle["secretariat"],
        "leader": make_user(Role.PROVINCIAL_LEADER),
    }
    client.force_login(users[who])
    url = url.format(assignment=cycle["assignment"].pk, task=cycle["assignment"].task_id)
    vi = client.get(url)
    assert vi.status_code == 200
    body = vi.content.decode()
    assert '<html lang="vi">' in body and vietnamese in body
    assert not [word for word in english if word in body]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url)
    assert en.status_code == 200
    body = en.content.decode()
    assert '<html lang="en">' in body
    assert [word for word in english if word not in body] == []
    assert vietnamese not in body
