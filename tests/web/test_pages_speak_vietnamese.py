"""Every page every role can reach speaks the user's language: no internal code (rule codes,
service codes, snake_case values) and no English field label reaches a page.

The demo data is loaded and each demo account walks every link it can follow from its first
page, reading what a person sees: text, titles, placeholders, labels of buttons. Text inside
<code> is meant as code (the rule expressions administrators write) and is not read."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

from dean06 import demo
from dean06.accounts.models import User
from dean06.kpis.models import PublicService
from dean06.orgs.models import Unit

OUR_APPS = (
    "core",
    "orgs",
    "accounts",
    "plans",
    "tracking",
    "kpis",
    "quality",
    "documents",
    "reports",
)
SKIP_PREFIXES = ("/dang-xuat/", "/static/", "/healthz", "/quan-tri/logout/", "/quan-tri/jsi18n/")
SKIP_SUFFIXES = (".xlsx", ".png", ".pdf", ".docx", ".csv", ".json", ".svg", ".ico")
MAX_PAGES = 80
MAX_ADMIN_PAGES = 40
# Pages of one route (forty task pages) show the same template: a few of each say what it says,
# and the budget goes to routes not yet seen.
PER_ROUTE = 3

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED_CODE = re.compile(
    r"\b(?:svc|entry|doc|docs|progress|report|plans|kpis|quality|tracking|accounts|orgs|core"
    r"|imports|documents|reports|task|tasks|rule)\.[a-z_]+\b"
)
INTERNAL = [
    (re.compile(r"\bDA06-\d+\b"), "mã dịch vụ nội bộ"),
    (re.compile(r"\bBC\.(?:done|recurring|in_progress)\b"), "mã nhiệm vụ nội bộ"),
    (SNAKE_CASE, "giá trị nội bộ dạng snake_case"),
    (DOTTED_CODE, "mã quy tắc/hành động nội bộ"),
]
# Code, and what a form field holds (a rule message template with {placeholders}), is data.
HIDDEN_TAGS = ("script", "style", "code", "template", "textarea")
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Reader(HTMLParser):
    """The text a person sees on a page, and the links on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _english_labels() -> re.Pattern[str]:
    """Django's default label of every field of our models that has no Vietnamese
    verbose_name ("Service", "Unit", "Online citizens"): seen on a page, it is English."""
    words = set()
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or field.auto_created:
                continue
            default = field.name.replace("_", " ")
            if str(field.verbose_name) == default:
                words.add(default.capitalize())
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b")


def _followable(href: str) -> str | None:
    url, _ = urldefrag(href)
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    if parts.path.startswith("/quan-tri/") and parts.query:
        return None  # the admin's sort and filter links: the same page again
    return url


def _route(url: str) -> str:
    """The URL pattern a page is served by ("so-lieu/<int:year>/…"), or the path itself."""
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return url


def _walk(client, starts: list[str]) -> dict[str, str]:
    """Every page reachable by links from `starts`: url → visible text."""
    seen: dict[str, str] = {}
    per_route: Counter[str] = Counter()
    queue = deque(starts)
    admin_pages = 0
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        route = _route(url)
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        if url.startswith("/quan-tri/"):
            if admin_pages >= MAX_ADMIN_PAGES:
                continue
            admin_pages += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            seen[url] = ""
            continue
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if "text/html" not in response.get("Content-Type", ""):
            seen[url] = ""
            continue
        reader = _Reader()
        reader.feed(response.content.decode())
        seen[url] = " ".join(" ".join(reader.parts).split())
        for href in reader.links:
            link = _followable(href)
            if link and link not in seen:
                queue.append(link)
    return seen


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.once  # what pages say does not depend on the database engine
def test_no_internal_code_or_english_label_on_any_page_of_any_role(client):
    for _ in demo.load_demo():
        pass
    english = _english_labels()
    problems: list[str] = []
    province = Unit.objects.get(key="UBND_TINH")
    usernames = set(User.objects.values_list("username", flat=True))
    codes = set(PublicService.objects.values_list("code", flat=True))
    for account in demo.DEMO_ACCOUNTS:
        assert client.login(username=account.username, password=account.password)
        # The figures grid is reached through a form, not a link: start there too.
        unit = Unit.objects.get(key=account.unit_key) if account.unit_key else province
        pages = _walk(client, ["/", f"/so-lieu/2024/7/don-vi/{unit.pk}/"])
        assert len(pages) > 3, account.username
        for url, text in pages.items():
            for pattern, what in [*INTERNAL, (english, "nhãn tiếng Anh")]:
                for found in sorted(set(pattern.findall(text))):
                    in_username = any(found in name for name in usernames)  # "daumoi.h_tpbg"
                    if in_username or (url.startswith("/quan-tri/") and found in codes):
                        continue  # data a person types or an administrator edits
                    problems.append(f"{account.username} {url}: {what} «{found}»")
        client.logout()
    assert problems == [], "\n".join(problems[:2000])
