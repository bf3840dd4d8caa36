"""The accessibility statement and what every page carries: footer link, skip link,
language switch."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_statement_has_what_the_law_asks_for(client):
    page = client.get(reverse("portfolio:accessibility")).content.decode()
    for required in (
        "Tillgänglighet för Samverkan",
        "lagen (2018:1937) om tillgänglighet till digital offentlig service",
        "Hur tillgänglig är webbtjänsten?",
        "Vad kan du göra om du inte kan använda delar av webbtjänsten?",
        "Rapportera brister i webbtjänstens tillgänglighet",
        "Tillsyn",
        "https://www.digg.se/tdosanmalan",
        "delvis förenlig",
        "WCAG",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat webbtjänsten",
        "mailto:",
    ):
        assert required in page, required


def test_statement_is_public(client):
    assert client.get(reverse("portfolio:accessibility")).status_code == 200


@pytest.mark.parametrize(
    "name", ["home", "portfolio:my-municipality", "portfolio:accessibility", "login"]
)
def test_every_page_links_the_statement_and_has_a_skip_link(client, name):
    client.force_login(factories.user("1460", Role.DIRECTOR))
    page = client.get(reverse(name)).content.decode()
    assert f'href="{reverse("portfolio:accessibility")}"' in page
    assert 'class="skip-link" href="#main"' in page
    assert 'id="main"' in page


def test_portfolio_pages_link_the_statement_and_the_dashboard_in_the_menu(client):
    director = factories.user("1460", Role.DIRECTOR)
    portfolio = factories.portfolio(name="Menyportföljen")
    client.force_login(director)
    for name in ("dashboard", "initiative-list", "roadmap", "indicators"):
        page = client.get(reverse(f"portfolio:{name}", args=[portfolio.pk])).content.decode()
        assert f'href="{reverse("portfolio:accessibility")}"' in page
        assert f'href="{reverse("portfolio:dashboard", args=[portfolio.pk])}"' in page


def test_language_switch_turns_the_pages_english(client):
    client.force_login(factories.user("1460", Role.DIRECTOR))
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("portfolio:accessibility")).content.decode()
    assert '<html lang="en">' in page


def test_dashboard_and_statement_in_english(client):
    director = factories.user("1460", Role.DIRECTOR)
    portfolio = factories.portfolio()
    client.force_login(director)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portfolio:dashboard", args=[portfolio.pk])).content.decode()
    assert "Decisions for the next meeting" in page
    assert "Skip to content" in page
    assert "Accessibility statement" in page
    statement = client.get(reverse("portfolio:accessibility")).content.decode()
    assert "How accessible is the web service?" in statement
