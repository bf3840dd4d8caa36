"""The list's rows are built from values(), not by InitiativeSerializer: the JSON must be
the same as the serializer's for the same initiatives, so the fast path cannot drift."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import User
from accounts.services import api_token_create
from portfolio.api.initiative_serializers import InitiativeSerializer
from portfolio.choices import Health, ParticipationStatus
from portfolio.filters import with_latest_health
from portfolio.models import Initiative, Participation, Portfolio, StatusUpdate
from portfolio.services.status import latest_status_refresh
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("initiative-list")


def auth(username):
    _, key = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def serializer_rows(ids):
    participating = Participation.objects.filter(
        status=ParticipationStatus.PARTICIPATING
    ).select_related("municipality")
    instances = (
        with_latest_health(Initiative.objects.filter(pk__in=ids))
        .select_related("program")
        .prefetch_related(Prefetch("participations", queryset=participating))
        .order_by("id")
    )
    request = RequestFactory().get(LIST)
    return InitiativeSerializer(instances, many=True, context={"request": request}).data


def varied_initiative():
    """Every kind of column filled: dates, a decimal score, a datetime, no program, a
    participant who left, and a latest status report that is not the worst one ever."""
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    made = factories.initiative(
        portfolio,
        None,
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2027, 6, 30),
        priority_score=Decimal("3.5"),
        need="Behov med åäö",
        reference="DAL-SHAPE-1",
    )
    Participation.objects.create(
        initiative=made,
        municipality=factories.municipality("1460"),
        status=ParticipationStatus.PARTICIPATING,
        joined_on=datetime.date(2026, 1, 15),
    )
    Participation.objects.create(
        initiative=made,
        municipality=factories.municipality("1438"),
        status=ParticipationStatus.PARTICIPATING,
    )
    author = User.objects.get(username="samordnare")
    for day, health in (("2026-01-10", Health.RED), ("2026-02-10", Health.YELLOW)):
        StatusUpdate.objects.create(
            initiative=made,
            reported_on=day,
            health_time=Health.GREEN,
            health_cost=health,
            health_quality=Health.GREEN,
            progress=10,
            author=author,
        )
    latest_status_refresh([made.pk])
    return made


@pytest.mark.parametrize("language", ["sv", "en"])
def test_list_json_equals_the_serializer_for_the_same_rows(client, demo, language):
    made = varied_initiative()
    response = client.get(
        LIST, {"page_size": 500}, HTTP_ACCEPT_LANGUAGE=language, **auth("samordnare")
    )
    assert response.status_code == 200
    listed = response.json()["results"]
    assert made.pk in {row["id"] for row in listed}
    with translation.override(language):
        expected = serializer_rows([row["id"] for row in listed])
    # Through JSON, as the client sees both.
    assert listed == json.loads(json.dumps(expected, cls=JSONEncoder))
    row = next(r for r in listed if r["id"] == made.pk)
    assert row["health"] == Health.YELLOW and row["program"] is None
    assert row["priority_score"] == "3.50" and row["planned_start"] == "2026-03-01"
    assert len(row["participants"]) == 2


def test_health_filter_and_ordering_keep_the_page_and_its_order(client, demo):
    varied_initiative()
    headers = auth("samordnare")
    rows = client.get(LIST, {"ordering": "-title", "page_size": 7}, **headers).json()
    titles = [(r["title"], r["id"]) for r in rows["results"]]
    assert len(titles) == 7 and [t for t, _ in titles] == sorted(
        (t for t, _ in titles), reverse=True
    )
    second = client.get(LIST, {"ordering": "-title", "page_size": 7, "page": 2}, **headers).json()
    assert not {r["id"] for r in second["results"]} & {i for _, i in titles}
    yellow = client.get(LIST, {"health": "gul", "page_size": 500}, **headers).json()
    assert yellow["count"] == len(yellow["results"]) > 0
    assert {r["health"] for r in yellow["results"]} == {Health.YELLOW}


@pytest.mark.parametrize("ordering", ["no_such_key", "title,password", "--title"])
def test_an_ordering_the_endpoint_does_not_offer_is_refused_by_name(client, demo, ordering):
    headers = auth("kd.bengtsfors")
    response = client.get(LIST, {"ordering": ordering}, **headers)
    assert response.status_code == 400
    [message] = response.json()["errors"]["ordering"]
    assert "Kan inte sortera efter" in message and "title" in message.split("Välj bland:")[1]


def test_the_schema_lists_the_orderings_each_list_offers(client):
    schema = client.get("/api/schema/?format=json").json()
    [parameter] = [
        p
        for p in schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
        if p["name"] == "ordering"
    ]
    assert "-title" in parameter["schema"]["items"]["enum"]
    assert parameter["explode"] is False
