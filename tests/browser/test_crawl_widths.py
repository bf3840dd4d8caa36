"""Every page a demo role reaches within two clicks holds at three widths (issue 19).

From the start page, the links on it and on the pages they lead to are followed. Each
page is loaded once at desktop width; the viewport is then narrowed to a small laptop
and a phone. At each width axe finds nothing and the document may not scroll sideways
(WCAG 2.1 1.4.10: only a data table may scroll, inside its own region). The pages every
role needs are among those reached.
"""

import re
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from portfolio.models import Portfolio

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ["samordnare", "programledare", "kd.bengtsfors", "itchef", "initiativagare", "lasare"]
WIDTHS = (1366, 1024, 390)
# The first page of every kind reached is always visited; further pages of a kind (twelve
# initiatives share one template) fill up to MAX_PAGES, at most PER_KIND of each.
MAX_PAGES = 40
PER_KIND = 3
# Files, the API, the admin and the way out are not pages of the product to reflow.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/logout/", "/i18n/", "/metrics", "/healthz", "/readyz")
SKIPPED_SUFFIXES = (".xlsx", ".pdf", ".zip", ".json", ".csv", "/ladda-ner/", "/hamta/")

# What every role needs, and what the portfolio office needs besides: each is reached
# within two clicks of the start page ("everything findable").
NEEDED = [
    "/inkorg/",
    "/profil/",
    "/rapporter/",
    "/avtal/",
    "/min-kommun/",
    "/min-kommun/ekonomi/",
    "dashboard",
    "indicators",
    "economy-portfolio",
]
NEEDED_BY_ROLE = {"samordnare": ["/personer/", "/konstellationer/", "settings", "archive-list"]}

LINKS_JS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"

# The element sticking out furthest to the right that no scrolling region contains.
WIDEST_JS = """() => {
  const width = window.innerWidth;
  let worst = null, right = width;
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.right <= right + 0.5 || box.width === 0) continue;
    let contained = false;
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow !== 'visible') { contained = true; break; }
    }
    if (contained) continue;
    worst = element; right = box.right;
  }
  if (!worst) return '';
  const cls = typeof worst.className === 'string' ? worst.className : '';
  return `<${worst.tagName.toLowerCase()} class="${cls}"> right edge ${Math.round(right)}px`;
}"""


def crawlable(url: str, origin: str) -> str | None:
    """The path and query of a same-origin page link worth visiting, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def links_on(page, origin: str) -> list[str]:
    found = []
    for href in page.evaluate(LINKS_JS):
        target = crawlable(href, origin)
        if target and target not in found:
            found.append(target)
    return found


@pytest.mark.parametrize("username", ROLES)
def test_every_page_within_two_clicks_holds_at_every_width(visitor, username):
    started = time.monotonic()
    page = visitor.login(username)
    origin = visitor.base_url
    first_of_kind = [("/", 0)]
    more_of_kind: list[tuple[str, int]] = []
    seen = {"/"}
    kinds = Counter({"/": 1})
    visited: list[str] = []
    failures: list[str] = []
    answered_error: list[str] = []
    while first_of_kind or (more_of_kind and len(visited) < MAX_PAGES):
        path, depth = (first_of_kind or more_of_kind).pop(0)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        response = page.goto(visitor.url(path))
        page.wait_for_load_state()
        visited.append(path)
        status = response.status if response else 0
        if status >= 400:
            # A 4xx is acceptable only as the product's own page, with its header and main.
            own = page.locator("header.site-header").count() and page.locator("main").count()
            if status >= 500 or not own:
                failures.append(f"{path}: answers {status} without the product's error page")
                continue
            answered_error.append(f"{path} ({status})")
        results = visitor.axe.run(page)
        if results.violations_count:
            failures.append(f"{path}: axe\n{results.generate_report()}")
        if depth < 2 and status < 400:
            for target in links_on(page, origin):
                kind = re.sub(r"\d+", "N", target.split("?")[0])
                if target not in seen and kinds[kind] < PER_KIND:
                    seen.add(target)
                    kinds[kind] += 1
                    queue = more_of_kind if kinds[kind] > 1 else first_of_kind
                    queue.append((target, depth + 1))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                widest = page.evaluate(WIDEST_JS)
                failures.append(f"{path} at {width}px: document {scroll}px wide; {widest}")
            if width != WIDTHS[0] and status < 400:
                # The narrow layouts are checked as well: what reflows may lose contrast,
                # overlap or hide a name.
                narrow = visitor.axe.run(page)
                if narrow.violations_count:
                    failures.append(f"{path} at {width}px: axe\n{narrow.generate_report()}")
    elapsed = time.monotonic() - started
    print(
        f"\n{username}: {len(visited)} pages of {len(kinds)} kinds"
        f" x {len(WIDTHS)} widths in {elapsed:.0f}s"
    )
    print("\n".join(visited))
    if answered_error:
        print(f"{username}: the product's error page at {', '.join(answered_error)}")
    assert len(visited) >= 5, f"{username} reached only {visited}"
    dalsland = Portfolio.objects.get(reference_prefix="DAL").pk
    needed = [
        item if item.startswith("/") else reverse(f"portfolio:{item}", args=[dalsland])
        for item in NEEDED + NEEDED_BY_ROLE.get(username, [])
    ]
    reached = {target.split("?")[0] for target in seen}
    assert not [p for p in needed if p not in reached], (username, sorted(reached))
    assert not failures, f"{username}, {len(visited)} pages:\n" + "\n".join(failures)
