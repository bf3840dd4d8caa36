"""Cost and time entries carry a version: every read shows it as an ETag, and a
correction or removal made from an outdated read is refused instead of overwriting."""

import datetime as dt

import economy_builders as eb
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import CostEntry, HistoryEntry, TimeEntry

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 1)


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def state():
    w = eb.money_world()
    initiative = eb.initiative(w)
    cost = eb.actual(w, initiative, 1000, DAY)
    hours = eb.hours(w, initiative, "1460", 8, DAY)
    return w, initiative, cost, hours


ENTRIES = [
    ("cost-entries", "cost", {"amount": 2000}, {"amount": 3000}, "amount"),
    ("time-entries", "hours", {"hours": "9.00"}, {"hours": "10.00"}, "hours"),
]


def _entry(state, which):
    _w, _initiative, cost, hours = state
    return cost if which == "cost" else hours


@pytest.mark.parametrize(("path", "which", "first", "second", "field"), ENTRIES)
def test_every_read_and_write_carries_the_version_as_an_etag(
    state, path, which, first, second, field
):
    w = state[0]
    entry = _entry(state, which)
    api = client_for(w.coordinator)
    url = f"/api/v1/{path}/{entry.pk}/"
    read = api.get(url)
    assert read["ETag"] == '"1"' and read.json()["version"] == 1
    corrected = api.patch(url, first, format="json", HTTP_IF_MATCH=read["ETag"])
    assert corrected.status_code == 200, corrected.json()
    assert corrected["ETag"] == '"2"' and corrected.json()["version"] == 2
    assert corrected.json()[field] == first[field]
    assert api.get(url)["ETag"] == '"2"'


@pytest.mark.parametrize(("path", "which", "first", "second", "field"), ENTRIES)
def test_a_correction_from_an_outdated_read_is_refused(state, path, which, first, second, field):
    w = state[0]
    entry = _entry(state, which)
    model = type(entry)
    url = f"/api/v1/{path}/{entry.pk}/"
    anna, sofia = client_for(w.coordinator), client_for(w.coordinator)
    seen = anna.get(url)["ETag"]
    assert sofia.patch(url, first, format="json", HTTP_IF_MATCH=seen).status_code == 200

    by_header = anna.patch(url, second, format="json", HTTP_IF_MATCH=seen)
    assert by_header.status_code == 412
    assert by_header.json()["code"] == "stale_version"
    assert "If-Match" in by_header.json()["detail"]

    by_body = anna.patch(url, {**second, "version": 1}, format="json")
    assert by_body.status_code == 409
    assert by_body.json()["code"] == "stale_version"
    assert "Någon annan har sparat" in by_body.json()["detail"]

    unversioned = anna.patch(url, second, format="json")
    assert unversioned.status_code == 400
    assert "version" in unversioned.json()["errors"]

    stored = model.objects.get(pk=entry.pk)
    assert stored.version == 2
    assert str(getattr(stored, field)) == str(first[field])
    assert HistoryEntry.objects.filter(entity_id=entry.pk, action="corrected").count() == 1


@pytest.mark.parametrize(("path", "which"), [("cost-entries", "cost"), ("time-entries", "hours")])
def test_a_removal_from_an_outdated_read_is_refused(state, path, which):
    w = state[0]
    entry = _entry(state, which)
    model = type(entry)
    url = f"/api/v1/{path}/{entry.pk}/"
    api = client_for(w.coordinator)
    change = {"amount": 5} if which == "cost" else {"role": "Testare"}
    assert api.patch(url, {**change, "version": 1}, format="json").status_code == 200
    stale = api.delete(url, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert model.objects.filter(pk=entry.pk).exists()
    assert api.delete(url, HTTP_IF_MATCH='"2"').status_code == 204
    assert not model.objects.filter(pk=entry.pk).exists()


def test_a_created_entry_answers_with_its_etag(state):
    w, initiative, _cost, _hours = state
    created = client_for(w.coordinator).post(
        f"/api/v1/initiatives/{initiative.pk}/costs/",
        {"kind": "utveckling", "nature": "estimat", "period": "2026-03-01", "amount": 7},
        format="json",
    )
    assert created.status_code == 201
    assert created["ETag"] == '"1"'


@pytest.mark.parametrize(("kind", "which"), [("kostnad", "cost"), ("tid", "hours")])
def test_a_stale_page_cannot_remove_an_entry_corrected_since(state, client, kind, which):
    w = state[0]
    entry = _entry(state, which)
    model = type(entry)
    client.force_login(w.coordinator)
    url = reverse("portfolio:entry-delete", args=[kind, entry.pk])
    # The confirmation page carries the version it showed.
    assert b'name="version" value="1"' in client.get(url).content
    # Someone corrects the entry after the page was loaded.
    client_for(w.coordinator).patch(
        f"/api/v1/{'cost-entries' if which == 'cost' else 'time-entries'}/{entry.pk}/",
        {"description": "Rättad", "version": 1},
        format="json",
    )
    for posted in ({"version": 1}, {}):
        refused = client.post(url, posted, follow=True)
        assert "Någon annan har sparat ändringar" in refused.content.decode()
        assert model.objects.filter(pk=entry.pk).exists()
    client.post(url, {"version": 2})
    assert not model.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("kind", ["cost", "time", "kostnader", "KOSTNAD", "x"])
def test_only_the_known_kinds_of_entry_can_be_removed(state, client, kind):
    w, _initiative, cost, hours = state
    client.force_login(w.coordinator)
    for pk in (cost.pk, hours.pk):
        response = client.post(reverse("portfolio:entry-delete", args=[kind, pk]), {"version": 1})
        assert response.status_code == 404
    assert CostEntry.objects.filter(pk=cost.pk).exists()
    assert TimeEntry.objects.filter(pk=hours.pk).exists()


def test_the_schema_documents_if_match_and_version_on_entries(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ("/api/v1/cost-entries/{id}/", "/api/v1/time-entries/{id}/"):
        for method in ("patch", "delete"):
            names = {p["name"] for p in schema["paths"][path][method].get("parameters", [])}
            assert "If-Match" in names, (path, method)
    components = schema["components"]["schemas"]
    assert "version" in components["PatchedCostEntryPatchRequest"]["properties"]
    assert "version" in components["PatchedTimeEntryPatchRequest"]["properties"]
    assert "version" in components["CostEntry"]["properties"]
