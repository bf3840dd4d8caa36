"""Delegation: a kommundirektör lets another person of the municipality answer its
participation, optionally until a date; revoking keeps the row as history."""

import datetime as dt

import factories
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from workflow_builders import AMAL, BENGTSFORS, idea, world

from accounts.models import Role, User
from portfolio import policies
from portfolio.models import DelegationDeleteRefused, Participation, ParticipationDelegation
from portfolio.services import participation as participation_service
from portfolio.services.delegation import delegation_create, delegation_revoke
from portfolio.services.errors import NotAllowedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


@pytest.fixture
def colleague():
    """A person in Bengtsfors without the director's role."""
    return factories.user(BENGTSFORS, Role.IT_MANAGER, username="delegat")


def fresh_user(user) -> User:
    """As a request would load it: no cached answers from an earlier call."""
    return User.objects.get(pk=user.pk)


def api(user):
    client = APIClient()
    client.force_authenticate(fresh_user(user))
    return client


def invited(w, code=BENGTSFORS) -> Participation:
    initiative = idea(w)
    municipality = factories.municipality(code)
    existing = initiative.participations.filter(municipality=municipality).first()
    if existing:
        return existing
    return participation_service.participation_invite(
        actor=w.manager, initiative=initiative, municipality=municipality
    )


def answer_url(p):
    return f"/api/v1/initiatives/{p.initiative_id}/participations/{p.pk}/answer/"


# --- answering ---------------------------------------------------------------------------


def test_without_delegation_a_colleague_is_refused(w, colleague):
    p = invited(w)
    response = api(colleague).post(answer_url(p), {"answer": "deltar", "version": p.version})
    assert response.status_code == 403
    with pytest.raises(NotAllowedError):
        participation_service.participation_answer(
            actor=fresh_user(colleague), participation=p, version=p.version, answer="deltar"
        )


def test_a_delegate_answers_through_the_api(w, colleague):
    p = invited(w)
    delegation_create(actor=w.director, delegate=colleague)
    response = api(colleague).post(answer_url(p), {"answer": "deltar", "version": p.version})
    assert response.status_code == 200, response.content
    p.refresh_from_db()
    assert p.status == "deltar"
    entry = p.initiative.history.filter(entity="participation", entity_id=p.pk).latest("id")
    assert entry.actor == colleague


def test_a_delegate_answers_on_the_page(client, w, colleague):
    p = invited(w)
    delegation_create(actor=w.director, delegate=colleague)
    client.force_login(colleague)
    detail = client.get(reverse("portfolio:initiative-detail", args=[p.initiative_id]))
    url = reverse("portfolio:participation-answer", args=[p.initiative_id, p.pk])
    assert url in detail.content.decode()
    response = client.post(url, {"answer": "avstar", "version": p.version})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "avstar"


def test_without_delegation_the_page_refuses(client, w, colleague):
    p = invited(w)
    client.force_login(colleague)
    url = reverse("portfolio:participation-answer", args=[p.initiative_id, p.pk])
    assert client.post(url, {"answer": "deltar", "version": p.version}).status_code == 403


def test_a_revoked_delegation_no_longer_answers(w, colleague):
    p = invited(w)
    delegation = delegation_create(actor=w.director, delegate=colleague)
    delegation_revoke(actor=w.director, delegation=delegation)
    response = api(colleague).post(answer_url(p), {"answer": "deltar", "version": p.version})
    assert response.status_code == 403


def test_an_expired_delegation_no_longer_answers(w, colleague):
    p = invited(w)
    delegation = delegation_create(
        actor=w.director, delegate=colleague, valid_until=timezone.localdate()
    )
    assert policies.can_answer_participation(fresh_user(colleague), p)
    ParticipationDelegation.objects.filter(pk=delegation.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = api(colleague).post(answer_url(p), {"answer": "deltar", "version": p.version})
    assert response.status_code == 403


def test_a_bengtsfors_delegate_cannot_answer_for_amal(w, colleague):
    amal = invited(w, AMAL)
    delegation_create(actor=w.director, delegate=colleague)
    response = api(colleague).post(answer_url(amal), {"answer": "deltar", "version": amal.version})
    assert response.status_code == 403
    amal.refresh_from_db()
    assert amal.status == "inbjuden"


def test_checking_many_participations_asks_for_delegations_once(w, colleague):
    delegation_create(actor=w.director, delegate=colleague)
    participations = [invited(w) for _ in range(5)]
    user = fresh_user(colleague)
    policies.can_answer_participation(user, participations[0])  # warm the per-user caches
    with CaptureQueriesContext(connection) as queries:
        allowed = [policies.can_answer_participation(user, p) for p in participations]
    assert all(allowed)
    assert len(queries) == 0


# --- who may delegate, and to whom --------------------------------------------------------


def test_only_the_municipalitys_director_delegates(w, colleague):
    other = factories.user(BENGTSFORS, Role.COORDINATOR, username="annan")
    for actor in (colleague, w.manager, w.coordinator, w.director_amal, w.outsider):
        with pytest.raises((NotAllowedError, ValidationError)):
            delegation_create(actor=actor, delegate=other)
    with pytest.raises(NotAllowedError):
        delegation_create(actor=colleague, delegate=other)
    assert not ParticipationDelegation.objects.exists()


def test_only_to_a_person_of_the_same_municipality(w):
    with pytest.raises(ValidationError) as caught:
        delegation_create(actor=w.director, delegate=w.director_amal)
    assert "Bengtsfors" in caught.value.message_dict["delegate"][0]
    with pytest.raises(ValidationError):
        delegation_create(actor=w.director, delegate=w.director)
    assert not ParticipationDelegation.objects.exists()


def test_one_active_delegation_per_person(w, colleague):
    delegation_create(actor=w.director, delegate=colleague)
    with pytest.raises(ValidationError) as caught:
        delegation_create(actor=w.director, delegate=colleague)
    assert "redan en delegering" in caught.value.message_dict["delegate"][0]


def test_another_director_cannot_revoke(w, colleague):
    delegation = delegation_create(actor=w.director, delegate=colleague)
    for actor in (w.director_amal, colleague):
        with pytest.raises(NotAllowedError):
            delegation_revoke(actor=actor, delegation=delegation)


# --- history ------------------------------------------------------------------------------


def test_history_keeps_who_delegated_and_who_revoked(w, colleague):
    first = delegation_create(actor=w.director, delegate=colleague)
    delegation_revoke(actor=w.director, delegation=first)
    second = delegation_create(
        actor=w.director, delegate=colleague, valid_until=dt.date.today() + dt.timedelta(days=7)
    )
    rows = list(ParticipationDelegation.objects.order_by("id"))
    assert [r.pk for r in rows] == [first.pk, second.pk]
    assert (rows[0].delegated_by, rows[0].delegate, rows[0].revoked_by) == (
        w.director,
        colleague,
        w.director,
    )
    assert rows[0].revoked_at is not None and rows[1].revoked_at is None
    with pytest.raises(ValidationError):
        delegation_revoke(actor=w.director, delegation=first)
    with pytest.raises(DelegationDeleteRefused):
        first.delete()
    with pytest.raises(DelegationDeleteRefused):
        ParticipationDelegation.objects.all().delete()


def test_an_expired_delegation_is_closed_when_the_person_is_delegated_again(w, colleague):
    old = delegation_create(actor=w.director, delegate=colleague)
    ParticipationDelegation.objects.filter(pk=old.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    new = delegation_create(actor=w.director, delegate=colleague)
    old.refresh_from_db()
    assert old.revoked_by == w.director and new.revoked_at is None


# --- API ----------------------------------------------------------------------------------


def test_api_delegate_list_and_revoke(w, colleague):
    director = api(w.director)
    response = director.post("/api/v1/delegations/", {"delegate": colleague.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["municipality"], body["delegate"], body["is_active"]) == (
        BENGTSFORS,
        colleague.pk,
        True,
    )
    listed = api(colleague).get("/api/v1/delegations/").json()
    assert [d["id"] for d in listed] == [body["id"]]
    assert api(w.director_amal).get("/api/v1/delegations/").json() == []
    assert api(colleague).post(f"/api/v1/delegations/{body['id']}/revoke/").status_code == 403
    assert api(w.director_amal).post(f"/api/v1/delegations/{body['id']}/revoke/").status_code == (
        404
    )
    revoked = director.post(f"/api/v1/delegations/{body['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_by"] == w.director.pk
    assert revoked.json()["is_active"] is False
    assert director.post(f"/api/v1/delegations/{body['id']}/revoke/").status_code == 400


def test_api_refuses_before_reading_the_body_and_validates_for_the_director(w, colleague):
    assert api(colleague).post("/api/v1/delegations/", "nonsense", format="json").status_code == (
        403
    )
    director = api(w.director)
    response = director.post("/api/v1/delegations/", {"delegate": w.director_amal.pk})
    assert response.status_code == 400
    assert "delegate" in response.json()["errors"]
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    response = director.post(
        "/api/v1/delegations/", {"delegate": colleague.pk, "valid_until": past}
    )
    assert response.status_code == 400
    assert "valid_until" in response.json()["errors"]


# --- the page on Min kommun ---------------------------------------------------------------


def test_min_kommun_director_adds_and_revokes(client, w, colleague):
    client.force_login(w.director)
    url = reverse("portfolio:my-municipality")
    page = client.get(url).content.decode()
    assert "Delegering" in page and f'value="{colleague.pk}"' in page
    response = client.post(url, {"delegate": colleague.pk, "valid_until": ""})
    assert response.status_code == 302
    delegation = ParticipationDelegation.objects.get()
    assert delegation.delegate == colleague and delegation.valid_until is None
    again = client.post(url, {"delegate": colleague.pk})
    assert again.status_code == 400
    assert "redan en delegering" in again.content.decode()
    assert client.post(url, {"revoke": delegation.pk}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_by == w.director


def test_min_kommun_others_see_no_section_and_cannot_post(client, w, colleague):
    client.force_login(colleague)
    url = reverse("portfolio:my-municipality")
    assert "delegation-heading" not in client.get(url).content.decode()
    assert client.post(url, {"delegate": w.itchef.pk}).status_code == 403
    client.force_login(w.director_amal)
    delegation = delegation_create(actor=w.director, delegate=colleague)
    assert client.post(url, {"revoke": delegation.pk}).status_code == 404
    assert client.post(url, {"delegate": colleague.pk}).status_code == 400
