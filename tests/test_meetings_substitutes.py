"""Substitutes (ersättare): a body has members and substitutes; at a meeting a
substitute serves for a named absent member, and the minutes list the members present
and the serving substitutes with for whom, as Swedish protokoll do."""

import io

import factories
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from meeting_builders import board, meeting
from pypdf import PdfReader
from rest_framework.test import APIClient
from workflow_builders import DALS_ED, MELLERUD, world

from accounts.models import Role
from notifications.models import Kind, Notification
from portfolio.models import Body, ServingSubstitute
from portfolio.services import meetings, settings_bodies
from portfolio.services.errors import NotAllowedError
from portfolio.services.meeting_agenda import agenda_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    w = world()
    mellerud = factories.user(MELLERUD, Role.DIRECTOR, username="kd_mellerud")
    first = factories.user(DALS_ED, Role.DIRECTOR, username="ers_dalsed")
    second = factories.user(MELLERUD, Role.DIRECTOR, username="ers_mellerud")
    body = board(w, members=[w.director, w.director_amal, mellerud], substitutes=[first, second])
    return w, body, mellerud, first, second


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _name(person):
    return person.get_full_name() or person.username


def test_a_body_has_substitutes_who_are_not_its_members(setup):
    w, body, mellerud, first, second = setup
    assert set(body.substitutes.all()) == {first, second}
    with pytest.raises(ValidationError) as both:
        settings_bodies.body_update(actor=w.coordinator, body=body, substitutes=[w.director_amal])
    assert "ledamot eller ersättare, inte båda" in str(both.value.message_dict["substitutes"])
    with pytest.raises(ValidationError) as outside:
        settings_bodies.body_update(actor=w.coordinator, body=body, substitutes=[w.outsider])
    assert "konstellation" in str(outside.value.message_dict["substitutes"])
    with pytest.raises(NotAllowedError):
        settings_bodies.body_update(actor=w.director, body=body, substitutes=[first])
    assert set(Body.objects.get(pk=body.pk).substitutes.all()) == {first, second}


def test_the_settings_page_and_api_set_substitutes_for_the_samordnare_only(setup):
    w, body, mellerud, first, second = setup
    edit = reverse(
        "portfolio:settings-body-edit", kwargs={"pk": w.portfolio.pk, "item_pk": body.pk}
    )
    data = {
        "name": body.name,
        "kind": body.kind,
        "matters": body.matters,
        "members": [w.director.pk, w.director_amal.pk, mellerud.pk],
        "substitutes": [first.pk],
        "chair": str(w.director.pk),
        "secretary": str(w.coordinator.pk),
        "is_active": "on",
        "version": str(body.version),
    }
    assert _client(w.director).post(edit, data).status_code == 403
    page = _client(w.coordinator).get(edit).content.decode()
    assert "Ersättare" in page and 'name="substitutes"' in page
    bad = _client(w.coordinator).post(edit, {**data, "substitutes": [mellerud.pk]})
    assert bad.status_code == 400
    assert "ledamot eller ersättare, inte båda" in bad.content.decode()
    assert _client(w.coordinator).post(edit, data).status_code == 302
    assert list(Body.objects.get(pk=body.pk).substitutes.all()) == [first]
    overview = _client(w.reader).get(reverse("portfolio:settings", kwargs={"pk": w.portfolio.pk}))
    assert f"Ersättare: {_name(first)}" in overview.content.decode()

    url = f"/api/v1/portfolios/{w.portfolio.pk}/bodies/{body.pk}/"
    assert (
        _api(w.director).patch(url, {"substitutes": [second.pk]}, format="json").status_code == 403
    )
    unknown = _api(w.coordinator).patch(url, {"substitutes": [w.outsider.pk]}, format="json")
    assert unknown.status_code == 400 and "substitutes" in unknown.json()["errors"]
    member = _api(w.coordinator).patch(url, {"substitutes": [mellerud.pk]}, format="json")
    assert member.status_code == 400 and "substitutes" in member.json()["errors"]
    done = _api(w.coordinator).patch(url, {"substitutes": [second.pk]}, format="json")
    assert done.status_code == 200
    assert [p["id"] for p in done.json()["substitutes"]] == [second.pk]


def test_a_substitute_serves_for_an_absent_member_and_the_minutes_say_so(setup):
    w, body, mellerud, first, second = setup
    m = meeting(w, body)
    meetings.attendance_set(
        actor=w.coordinator,
        meeting=m,
        present=[w.director, w.director_amal, w.coordinator],
        adjuster=w.director_amal,
        substitutes=[(first, mellerud)],
    )
    [serving] = ServingSubstitute.objects.filter(meeting=m)
    assert (serving.substitute, serving.serves_for) == (first, mellerud)
    minutes = _client(w.reader).get(reverse("reports:meeting-minutes", args=[m.pk]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.content)).pages)
    assert "Närvarande ledamöter" in text
    assert "Tjänstgörande ersättare" in text
    assert f"{_name(first)} för {_name(mellerud)}" in text
    assert "Övriga närvarande" in text and _name(w.coordinator) in text
    # Left out, the substitutes stay as they were; an empty list clears them.
    meetings.attendance_set(actor=w.coordinator, meeting=m, present=[w.director])
    assert ServingSubstitute.objects.filter(meeting=m).count() == 1
    meetings.attendance_set(actor=w.coordinator, meeting=m, present=[w.director], substitutes=[])
    assert not ServingSubstitute.objects.filter(meeting=m).exists()


@pytest.mark.parametrize(
    "pair, message",
    [
        (lambda w, mel, first: (w.director_amal, mel), "är inte ersättare i"),
        (lambda w, mel, first: (first, w.director_amal), "kan bara tjänstgöra för en frånvarande"),
        (lambda w, mel, first: (first, w.coordinator), "tjänstgör för en av ledamöterna"),
    ],
)
def test_a_substitute_must_be_the_bodys_and_serve_for_an_absent_member(setup, pair, message):
    w, body, mellerud, first, second = setup
    m = meeting(w, body)
    meetings.attendance_set(actor=w.coordinator, meeting=m, present=[w.director])
    with pytest.raises(ValidationError) as refused:
        meetings.attendance_set(
            actor=w.coordinator,
            meeting=m,
            present=[w.director, w.director_amal],
            substitutes=[pair(w, mellerud, first)],
        )
    assert message in str(refused.value.message_dict["substitutes"])
    assert list(m.present.all()) == [w.director]  # nothing written
    assert not ServingSubstitute.objects.exists()


def test_one_substitute_per_member_and_only_the_chair_or_secretary_records(setup):
    w, body, mellerud, first, second = setup
    m = meeting(w, body)
    with pytest.raises(ValidationError, match="varje ledamot ersätts av en"):
        meetings.attendance_set(
            actor=w.coordinator,
            meeting=m,
            present=[w.director],
            substitutes=[(first, mellerud), (second, mellerud)],
        )
    with pytest.raises(NotAllowedError):
        meetings.attendance_set(
            actor=w.director_amal, meeting=m, present=[], substitutes=[(first, mellerud)]
        )
    assert not ServingSubstitute.objects.exists()


def test_the_meeting_page_records_serving_substitutes(setup):
    w, body, mellerud, first, second = setup
    m = meeting(w, body)
    url = reverse("portfolio:meeting-attendance", args=[m.pk])
    page = _client(w.coordinator).get(reverse("portfolio:meeting-detail", args=[m.pk]))
    html = page.content.decode()
    assert f'name="serves_for_{first.pk}"' in html
    assert f"{_name(first)} (ersättare) tjänstgör för" in html
    data = {"present": [w.director.pk, w.director_amal.pk], f"serves_for_{first.pk}": mellerud.pk}
    assert _client(w.director_amal).post(url, data).status_code == 403
    assert _client(w.outsider).post(url, data).status_code == 404
    bad = _client(w.coordinator).post(url, {**data, f"serves_for_{first.pk}": w.director_amal.pk})
    assert bad.status_code == 400
    assert "kan bara tjänstgöra för en frånvarande ledamot" in bad.content.decode()
    assert not ServingSubstitute.objects.exists()
    assert _client(w.coordinator).post(url, data).status_code == 302
    assert ServingSubstitute.objects.get().serves_for == mellerud
    shown = _client(w.reader).get(reverse("portfolio:meeting-detail", args=[m.pk]))
    assert f"{_name(first)} för {_name(mellerud)}" in shown.content.decode()


def test_the_api_records_serving_substitutes_with_field_errors(setup):
    w, body, mellerud, first, second = setup
    m = meeting(w, body)
    url = f"/api/v1/meetings/{m.pk}/attendance/"
    good = {
        "present": [w.director.pk, w.director_amal.pk],
        "substitutes": [{"substitute": first.pk, "serves_for": mellerud.pk}],
    }
    assert _api(w.director_amal).put(url, good, format="json").status_code == 403
    assert _api(w.outsider).put(url, good, format="json").status_code == 404
    unknown = {**good, "substitutes": [{"substitute": w.outsider.pk, "serves_for": mellerud.pk}]}
    response = _api(w.coordinator).put(url, unknown, format="json")
    assert response.status_code == 400 and "substitutes" in response.json()["errors"]
    present = {**good, "substitutes": [{"substitute": first.pk, "serves_for": w.director.pk}]}
    response = _api(w.coordinator).put(url, present, format="json")
    assert response.status_code == 400
    assert "frånvarande ledamot" in response.json()["errors"]["substitutes"][0]
    assert not ServingSubstitute.objects.exists()
    done = _api(w.coordinator).put(url, good, format="json")
    assert done.status_code == 200
    [serving] = done.json()["substitutes"]
    assert (serving["substitute"]["id"], serving["serves_for"]["id"]) == (first.pk, mellerud.pk)


def test_the_kallelse_reaches_the_substitutes_too(setup):
    w, body, mellerud, first, second = setup
    m = meeting(w, body)
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Budget", memo_reference="KS 1")
    agenda_send(actor=w.coordinator, meeting=m)
    told = set(Notification.objects.filter(kind=Kind.AGENDA).values_list("recipient", flat=True))
    assert {first.pk, second.pk, mellerud.pk} <= told
