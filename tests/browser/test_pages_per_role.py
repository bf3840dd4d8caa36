"""Every portfolio page, for roles the journeys do not cover: axe finds nothing."""

import pytest

from portfolio.models import Portfolio

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(("username", "prefix"), [("lasare", "DAL"), ("itchef.skara", "V6")])
def test_every_page_is_accessible_for_the_role(visitor, username, prefix):
    page = visitor.login(username)
    portfolio = Portfolio.objects.get(reference_prefix=prefix)
    paths = {
        "dashboard": f"/portfoljer/{portfolio.pk}/?period=2026H1",
        "indicators": f"/portfoljer/{portfolio.pk}/uppfoljning/?period=2026H1&visa=incoming-total",
        "list": f"/portfoljer/{portfolio.pk}/initiativ/?sortera=-priority",
        "roadmap": f"/portfoljer/{portfolio.pk}/fardplan/",
        "my-municipality": "/min-kommun/?period=2026H1",
        "accessibility": "/tillganglighet/",
    }
    for name, path in paths.items():
        visitor.goto(path)
        assert page.locator("h1").count() == 1
        assert page.get_by_role("link", name="Tillgänglighetsredogörelse").is_visible()
        visitor.check(name)
    # A reader sees no way to submit ideas; the V6 user sees no Dalsland portfolio.
    menu = page.get_by_role("navigation", name="Huvudmeny")
    if username == "lasare":
        visitor.goto(f"/portfoljer/{portfolio.pk}/")
        assert page.get_by_role("link", name="Lämna in en idé").count() == 0
        # On a phone the page reflows: nothing wider than the screen (WCAG 1.4.10).
        page.set_viewport_size({"width": 375, "height": 800})
        for path in (paths["dashboard"], paths["indicators"], paths["list"]):
            visitor.goto(path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        visitor.check("dashboard-phone")
    else:
        assert menu.get_by_role("link", name="Digitalisering Dalsland").count() == 0
        dalsland = Portfolio.objects.get(reference_prefix="DAL")
        response = page.goto(visitor.url(f"/portfoljer/{dalsland.pk}/"))
        assert response.status == 404
