"""Gate and priority criteria carry a version: reads show it as an ETag, and an edit
made from an outdated read (API or page) is refused instead of overwriting."""

import economy_builders as eb
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import GateCriterion, PriorityCriterion, SettingsChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def state():
    w = eb.money_world()
    api = APIClient()
    api.force_authenticate(w.coordinator)
    criterion = GateCriterion.objects.filter(portfolio=w.portfolio).order_by("pk").first()
    priority = PriorityCriterion.objects.create(portfolio=w.portfolio, name="Nytta", weight=3)
    return w, api, criterion, priority


def _urls(w, criterion, priority):
    base = f"/api/v1/portfolios/{w.portfolio.pk}"
    return [
        (f"{base}/gate-criteria/{criterion.pk}/", {"label": "Först"}, {"label": "Sist"}),
        (f"{base}/priority-criteria/{priority.pk}/", {"weight": 4}, {"weight": 9}),
    ]


def test_a_criterion_edit_from_an_outdated_read_is_refused(state):
    w, api, criterion, priority = state
    for url, first, second in _urls(w, criterion, priority):
        seen = api.get(url)["ETag"]
        assert seen == '"1"', url
        saved = api.patch(url, first, format="json", HTTP_IF_MATCH=seen)
        assert saved.status_code == 200 and saved["ETag"] == '"2"', url
        assert saved.json()["version"] == 2
        stale = api.patch(url, second, format="json", HTTP_IF_MATCH=seen)
        assert stale.status_code == 412 and stale.json()["code"] == "stale_version", url
        stale_body = api.patch(url, {**second, "version": 1}, format="json")
        assert stale_body.status_code == 409, url
        # Without a version the edit is made on what is stored (and still recorded).
        assert api.patch(url, second, format="json").status_code == 200
    assert GateCriterion.objects.get(pk=criterion.pk).label == "Sist"
    assert PriorityCriterion.objects.get(pk=priority.pk).weight == 9
    assert SettingsChange.objects.filter(action="updated").count() == 4


def test_a_stale_settings_page_is_refused_with_a_clear_message(state, client):
    w, api, criterion, priority = state
    client.force_login(w.coordinator)
    pages = [
        (
            reverse("portfolio:settings-gate-criterion-edit", args=[w.portfolio.pk, criterion.pk]),
            {"label": "Från sidan"},
            f"/api/v1/portfolios/{w.portfolio.pk}/gate-criteria/{criterion.pk}/",
            {"label": "Från API:t"},
        ),
        (
            reverse("portfolio:settings-priority-edit", args=[w.portfolio.pk, priority.pk]),
            {"name": "Nytta", "weight": "7"},
            f"/api/v1/portfolios/{w.portfolio.pk}/priority-criteria/{priority.pk}/",
            {"weight": 5},
        ),
    ]
    for page, posted, url, meanwhile in pages:
        assert 'name="version" value="1"' in client.get(page).content.decode()
        assert api.patch(url, {**meanwhile, "version": 1}, format="json").status_code == 200
        refused = client.post(page, {**posted, "version": "1"})
        assert refused.status_code == 400
        assert "Någon annan har sparat ändringar" in refused.content.decode()
        assert client.post(page, {**posted, "version": "2"}).status_code == 302
    assert GateCriterion.objects.get(pk=criterion.pk).label == "Från sidan"
    assert PriorityCriterion.objects.get(pk=priority.pk).weight == 7
