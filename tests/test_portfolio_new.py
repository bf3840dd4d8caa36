"""Starting a portfolio from the pages and the API: the samordnare, for a constellation
their municipality belongs to; a clear message for bad input and nothing written."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from workflow_builders import world

from portfolio.models import GateCriterion, Portfolio, SettingsChange

pytestmark = pytest.mark.django_db


def _page(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_samordnare_starts_a_portfolio_from_the_start_page():
    w = world()
    client = _page(w.coordinator)
    assert reverse("portfolio:portfolio-new") in client.get("/").content.decode()
    url = reverse("portfolio:portfolio-new")
    data = {
        "constellation": w.portfolio.constellation_id,
        "name": "Digitalisering 4D",
        "reference_prefix": "d4",
        "sender": "Portföljkontoret",
    }
    bad = client.post(url, {**data, "reference_prefix": w.portfolio.reference_prefix})
    assert bad.status_code == 400
    assert "Prefixet används redan av en annan portfölj." in bad.content.decode()
    wrong = client.post(url, {**data, "reference_prefix": "4D-1"})
    assert wrong.status_code == 400 and "börjar med en bokstav" in wrong.content.decode()
    assert Portfolio.objects.count() == 1
    response = client.post(url, data)
    assert response.status_code == 302
    new = Portfolio.objects.get(name="Digitalisering 4D")
    assert new.reference_prefix == "D4"
    assert response["Location"] == reverse("portfolio:settings", kwargs={"pk": new.pk})
    # The default checklist and a history row; the default set-up of bodies (none yet).
    assert GateCriterion.objects.filter(portfolio=new).exists()
    assert SettingsChange.objects.filter(portfolio=new, entity="portfolio").count() == 1
    assert not new.bodies.exists()
    assert "Portfölj skapad" in client.get(response["Location"]).content.decode()


def test_no_one_else_may_start_a_portfolio_or_is_offered_to():
    w = world()
    url = reverse("portfolio:portfolio-new")
    for person in (w.director, w.manager, w.itchef, w.owner, w.reader):
        client = _page(person)
        assert reverse("portfolio:portfolio-new") not in client.get("/").content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "X", "reference_prefix": "XX"}).status_code == 403
    assert Portfolio.objects.count() == 1


def test_the_api_starts_a_portfolio_only_in_the_samordnares_constellations():
    w = world()
    from tests import factories

    elsewhere = factories.constellation(("1495", "1494"))  # Skara and Lidköping
    api = APIClient()
    api.force_authenticate(w.coordinator)
    body = {"constellation": elsewhere.pk, "name": "V6 ny", "reference_prefix": "VNY"}
    refused = api.post("/api/v1/portfolios/", body, format="json")
    assert refused.status_code == 400
    assert "constellation" in refused.json()["errors"]
    unknown = api.post("/api/v1/portfolios/", {**body, "colour": "röd"}, format="json")
    assert unknown.status_code == 400
    made = api.post(
        "/api/v1/portfolios/",
        {**body, "constellation": w.portfolio.constellation_id},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["reference_prefix"] == "VNY"
    director = APIClient()
    director.force_authenticate(w.director)
    assert director.post("/api/v1/portfolios/", body, format="json").status_code == 403
