"""A year's meetings planned at once: every N weeks until a date or on given dates, all
or none, refused for a day in the past or a day the body already meets."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from meeting_builders import board, meeting
from rest_framework.test import APIClient
from workflow_builders import world

from portfolio.models import Meeting
from portfolio.services.errors import NotAllowedError
from portfolio.services.meeting_series import MAX_SERIES, meeting_series_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    w = world()
    return w, board(w)


def _first(days=14, hour=13) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _days(meetings) -> list[dt.date]:
    return [timezone.localtime(m.starts_at).date() for m in meetings]


def test_every_other_week_until_a_date_at_the_first_meetings_time(setup):
    w, body = setup
    first = _first()
    made = meeting_series_plan(
        actor=w.coordinator,
        body=body,
        first_starts_at=first,
        every_weeks=2,
        until=first.date() + dt.timedelta(weeks=6, days=3),
        place="Åmål",
    )
    assert _days(made) == [first.date() + dt.timedelta(weeks=n) for n in (0, 2, 4, 6)]
    assert {timezone.localtime(m.starts_at).time() for m in made} == {dt.time(13, 0)}
    assert Meeting.objects.filter(body=body).count() == 4
    assert {m.secretary for m in made} == {w.coordinator}


def test_on_the_dates_given(setup):
    w, body = setup
    first = _first()
    later = [first.date() + dt.timedelta(days=40), first.date() + dt.timedelta(days=20)]
    made = meeting_series_plan(
        actor=w.director, body=body, first_starts_at=first, dates=later, place="Bengtsfors"
    )
    assert _days(made) == [first.date(), *sorted(later)]


def test_refusals_write_nothing(setup):
    w, body = setup
    first = _first()
    with pytest.raises(NotAllowedError):
        meeting_series_plan(
            actor=w.director_amal, body=body, first_starts_at=first, dates=[], every_weeks=1,
            until=first.date() + dt.timedelta(weeks=2), place="Åmål",
        )  # fmt: skip
    with pytest.raises(ValidationError, match=f"högst {MAX_SERIES} möten"):
        meeting_series_plan(
            actor=w.coordinator, body=body, first_starts_at=first, every_weeks=1,
            until=first.date() + dt.timedelta(weeks=30), place="Åmål",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="ligger i det förflutna"):
        meeting_series_plan(
            actor=w.coordinator, body=body, first_starts_at=_first(days=-7), every_weeks=2,
            until=first.date() + dt.timedelta(weeks=4), place="Åmål",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Ange plats eller länk"):
        meeting_series_plan(
            actor=w.coordinator, body=body, first_starts_at=first, dates=[first.date()]
        )
    assert not Meeting.objects.exists()
    # A day the body already meets (at another hour): the whole series is refused.
    meeting(w, body, starts_at=_first(days=28, hour=9))
    with pytest.raises(ValidationError, match="har redan ett möte"):
        meeting_series_plan(
            actor=w.coordinator, body=body, first_starts_at=first, every_weeks=2,
            until=first.date() + dt.timedelta(weeks=8), place="Åmål",
        )  # fmt: skip
    assert Meeting.objects.count() == 1


def test_the_page_plans_a_series_and_says_what_is_wrong(setup):
    w, body = setup
    url = reverse("portfolio:meeting-series-create", args=[w.portfolio.pk])
    first = _first()
    data = {
        "serie-body": body.pk,
        "serie-day": first.date().isoformat(),
        "serie-time": "13:00",
        "serie-place": "Åmål",
        "serie-dates": f"{first.date() + dt.timedelta(days=21)}\n"
        f"{first.date() + dt.timedelta(days=42)}",
    }
    member = Client()
    member.force_login(w.director_amal)
    assert member.post(url, data).status_code == 403
    secretary = Client()
    secretary.force_login(w.coordinator)
    listing = secretary.get(reverse("portfolio:meeting-list", args=[w.portfolio.pk]))
    assert "Planera en mötesserie" in listing.content.decode()
    response = secretary.post(url, data)
    assert response.status_code == 302
    assert Meeting.objects.filter(body=body).count() == 3
    again = secretary.post(url, data)
    assert again.status_code == 400
    assert "har redan ett möte" in again.content.decode()
    bad = secretary.post(url, {**data, "serie-dates": "15 mars"})
    assert bad.status_code == 400
    assert "15 mars är inte ett datum" in bad.content.decode()
    assert Meeting.objects.count() == 3


def test_the_api_plans_a_series_or_answers_400_with_the_field(setup):
    w, body = setup
    url = f"/api/v1/portfolios/{w.portfolio.pk}/meetings/series/"
    client = APIClient()
    client.force_authenticate(w.coordinator)
    first = _first()
    data = {
        "body": body.pk,
        "first_starts_at": first.isoformat(),
        "every_weeks": 3,
        "until": (first.date() + dt.timedelta(weeks=9)).isoformat(),
        "place": "Åmål",
    }
    response = client.post(url, data, format="json")
    assert response.status_code == 201
    assert len(response.json()) == 4
    past = client.post(url, {**data, "first_starts_at": _first(days=-3).isoformat()}, format="json")
    assert past.status_code == 400
    assert "förflutna" in str(past.json())
    assert Meeting.objects.count() == 4


def test_the_api_finds_any_of_the_portfolios_bodies_and_refuses_an_unknown_one():
    w = world()
    board_body = board(w, matters=["G1", "G3", "avbryt", "avrakning"])
    other = board(w, name="Referensgruppen", kind="annat", matters=["avtal"])
    client = APIClient()
    client.force_authenticate(w.coordinator)
    url = f"/api/v1/portfolios/{w.portfolio.pk}/meetings/series/"
    first = _first()
    later = (first.date() + dt.timedelta(days=7)).isoformat()
    data = {"first_starts_at": first.isoformat(), "dates": [later], "place": "Åmål"}
    for body in (board_body, other):
        response = client.post(url, {**data, "body": body.pk}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()[0]["body"] == body.pk
    unknown = client.post(url, {**data, "body": 999999}, format="json")
    assert unknown.status_code == 400
    assert "Okänt organ" in str(unknown.json())
