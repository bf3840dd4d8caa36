"""No code identifier reaches a page (issue: records fixed in time, history in Swedish).

Every demo role crawls the pages it can reach from the start page, in Swedish and in
English, and every text a person sees or hears (text, alt, title, aria-label,
placeholder) is searched for what only code writes: snake_case names and the stored
values of choices (`forstudie`, `gron`, `avstar`) where the person should see the
label (Förstudie, Grön, Avstår)."""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils.text import slugify

from accounts.models import Role, User
from municipalities import choices as municipality_choices
from portfolio import choices as portfolio_choices
from reports.models import ReportKind, ReportStatus

pytestmark = pytest.mark.django_db

ROLES = ["kd.bengtsfors", "programledare", "itchef", "initiativagare", "samordnare", "lasare"]
PAGES_PER_CRAWL = 70
PER_PATTERN = 2
SKIPPED = ("/api/", "/admin/", "/static/", "/media/", "/i18n/", "/logga-ut", "/logout")
DOWNLOADS = re.compile(r"(\.(xlsx|pdf|zip|csv|ics)$)|ladda-ner|/export|/metrics|/halsa|/health")
SEEN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
SNAKE_CASE = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
# Real words that happen to be a stored value as well.
WORDS = {"lag"}


def _stored_values() -> set[str]:
    """Values a choice stores in place of a label with å, ä, ö or é."""
    groups = [
        *(
            getattr(portfolio_choices, name)
            for name in dir(portfolio_choices)
            if isinstance(getattr(portfolio_choices, name), type)
        ),
        *(
            getattr(municipality_choices, name)
            for name in dir(municipality_choices)
            if isinstance(getattr(municipality_choices, name), type)
        ),
        Role,
        ReportKind,
        ReportStatus,
    ]
    values = set()
    for group in groups:
        for value, label in getattr(group, "choices", ()):
            if (
                value
                and value != str(label).lower()
                and value == slugify(str(label)).replace("-", "")
            ):
                values.add(value)
    return values - WORDS


class _Seen(HTMLParser):
    """The text and the attributes a person meets, and the links to follow."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts.extend(attrs[name] for name in SEEN_ATTRIBUTES if attrs.get(name))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted(k for k, _v in parse_qsl(parts.query, keep_blank_values=True))
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _followable(href: str) -> bool:
    path = urlsplit(href).path
    return (
        href.startswith("/")
        and not href.startswith("//")
        and not path.startswith(SKIPPED)
        and not DOWNLOADS.search(href)
    )


def _crawl(client, language: str) -> tuple[dict[str, list[str]], int]:
    # A demo login such as "initiativagare" is a name people type, not code.
    stored = _stored_values() - set(User.objects.values_list("username", flat=True))
    found: dict[str, list[str]] = {}
    queue, visited, per_pattern = ["/"], set(), Counter()
    while queue and len(visited) < PAGES_PER_CRAWL:
        url = queue.pop(0).split("#")[0]
        pattern = _pattern(url)
        if url in visited or per_pattern[pattern] >= PER_PATTERN:
            continue
        visited.add(url)
        per_pattern[pattern] += 1
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code < 500, url
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Seen()
        page.feed(response.content.decode())
        text = " ".join(" ".join(page.parts).split())
        words = set(re.findall(r"[a-zåäöé_]+", text))
        hits = set(SNAKE_CASE.findall(text)) | (words & stored)
        if hits:
            found[url] = sorted(hits)
        queue.extend(href for href in page.links if _followable(href))
    return found, len(visited)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("username", ROLES)
def test_no_page_shows_a_code_identifier(client, demo, username, language):
    client.force_login(User.objects.get(username=username))
    client.cookies["django_language"] = language
    found, pages = _crawl(client, language)
    assert pages >= 15, "the crawl reached too few pages to mean anything"
    assert found == {}


def test_the_crawl_would_see_a_stored_value_or_a_snake_case_name():
    page = _Seen()
    page.feed('<p>Steg: forstudie</p><button aria-label="time_entry: skapat">x</button>')
    text = " ".join(page.parts)
    assert "forstudie" in _stored_values() and "forstudie" in text
    assert SNAKE_CASE.findall(text) == ["time_entry"]
