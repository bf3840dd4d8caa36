"""Participation: each municipality decides its own; leaving needs date and reason;
implementation, opting out and late implementers."""

import datetime as dt

import factories
import pytest
from django.core.exceptions import ValidationError
from workflow_builders import TODAY, advance_to, fresh, idea, world

from accounts.models import Role
from portfolio.choices import Stage
from portfolio.models import HistoryEntry
from portfolio.services import participation as svc
from portfolio.services.errors import DomainError, NotAllowedError, StaleVersionError

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_the_proposing_municipality_starts_interested(w):
    initiative = idea(w)
    p = initiative.participations.get()
    assert (p.municipality.code, p.status) == ("1460", "intresserad")


def test_invite_then_the_municipalitys_own_director_answers(w):
    initiative = idea(w)
    amal = factories.municipality("1492")
    p = svc.participation_invite(actor=w.manager, initiative=initiative, municipality=amal)
    assert p.status == "inbjuden"
    with pytest.raises(NotAllowedError):
        svc.participation_answer(actor=w.director, participation=p, version=1, answer="deltar")
    with pytest.raises(NotAllowedError):
        svc.participation_answer(actor=w.manager, participation=p, version=1, answer="deltar")
    svc.participation_answer(actor=w.director_amal, participation=p, version=1, answer="avstar")
    assert p.status == "avstar" and p.version == 2
    svc.participation_answer(
        actor=w.director_amal, participation=p, version=2, answer="deltar", joined_on=TODAY
    )
    assert (p.status, p.joined_on) == ("deltar", TODAY)


def test_municipality_outside_the_constellation_cannot_be_invited(w):
    with pytest.raises(ValidationError) as caught:
        svc.participation_invite(
            actor=w.manager, initiative=idea(w), municipality=factories.municipality("1495")
        )
    assert "municipality" in caught.value.message_dict


def test_a_municipality_is_invited_once(w):
    initiative = idea(w)
    with pytest.raises(ValidationError):
        svc.participation_invite(
            actor=w.manager, initiative=initiative, municipality=factories.municipality("1460")
        )


def test_reader_cannot_invite(w):
    with pytest.raises(NotAllowedError):
        svc.participation_invite(
            actor=w.reader, initiative=idea(w), municipality=factories.municipality("1492")
        )


def test_a_participant_cannot_simply_decline_it_must_leave(w):
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    p = initiative.participations.get(municipality__code="1460")
    with pytest.raises(DomainError) as caught:
        svc.participation_answer(
            actor=w.director, participation=p, version=p.version, answer="avstar"
        )
    assert caught.value.rule == "participation_transition"


def test_leaving_needs_a_date_and_a_reason(w):
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    p = initiative.participations.get(municipality__code="1460")
    with pytest.raises(ValidationError) as caught:
        svc.participation_leave(
            actor=w.director, participation=p, version=p.version, left_on=None, reason=" "
        )
    assert set(caught.value.message_dict) == {"left_on", "reason"}
    with pytest.raises(DomainError) as caught:
        svc.participation_leave(
            actor=w.director,
            participation=p,
            version=p.version,
            left_on=p.joined_on - dt.timedelta(days=1),
            reason="Budget",
        )
    assert set(caught.value.fields) == {"left_on"}
    svc.participation_leave(
        actor=w.director,
        participation=p,
        version=p.version,
        left_on=TODAY,
        reason="Kommunen prioriterar om enligt principen om frivillighet.",
    )
    p.refresh_from_db()
    assert (p.status, p.left_on) == ("lamnat", TODAY)
    entry = HistoryEntry.objects.filter(entity="participation", entity_id=p.pk).first()
    assert entry.action == "left" and entry.actor == w.director
    assert entry.changes["status"] == ["deltar", "lamnat"]


def test_a_stale_participation_version_is_refused(w):
    initiative = idea(w)
    p = initiative.participations.get()
    with pytest.raises(StaleVersionError):
        svc.participation_answer(
            actor=w.director, participation=p, version=p.version + 5, answer="deltar"
        )
    p.refresh_from_db()
    assert p.status == "intresserad"


def test_implemented_and_opted_out_count_for_g3(w):
    initiative = advance_to(w, idea(w), Stage.IMPLEMENTATION)
    p = initiative.participations.get(municipality__code="1460")
    svc.participation_opt_out(actor=w.director, participation=p, version=p.version)
    assert p.implementation_opted_out
    svc.participation_implemented(
        actor=w.itchef, participation=p, version=p.version, implemented_on=TODAY
    )
    assert p.implemented_on == TODAY and not p.implementation_opted_out
    assert not p.is_late_implementer
    with pytest.raises(DomainError):
        svc.participation_opt_out(actor=w.director, participation=p, version=p.version)


def test_implementation_in_the_future_is_refused(w):
    initiative = advance_to(w, idea(w), Stage.IMPLEMENTATION)
    p = initiative.participations.get(municipality__code="1460")
    with pytest.raises(ValidationError):
        svc.participation_implemented(
            actor=w.director,
            participation=p,
            version=p.version,
            implemented_on=dt.date.today() + dt.timedelta(days=30),
        )


def test_a_municipality_implementing_after_forvaltning_is_a_late_implementer(w):
    initiative = advance_to(w, idea(w), Stage.OPERATION)
    amal = factories.municipality("1492")
    # Implementing before the initiative is in förvaltning needs participation ...
    p = svc.participation_invite(actor=w.coordinator, initiative=initiative, municipality=amal)
    p.initiative = fresh(initiative)
    svc.participation_implemented(
        actor=w.director_amal, participation=p, version=p.version, implemented_on=TODAY
    )
    p.refresh_from_db()
    assert p.is_late_implementer and p.implemented_on == TODAY
    assert HistoryEntry.objects.filter(
        entity="participation", entity_id=p.pk, action="implemented_late"
    ).exists()


def test_non_participant_cannot_implement_before_forvaltning(w):
    initiative = advance_to(w, idea(w), Stage.IMPLEMENTATION)
    amal = factories.municipality("1492")
    p = svc.participation_invite(actor=w.manager, initiative=initiative, municipality=amal)
    with pytest.raises(DomainError):
        svc.participation_implemented(
            actor=w.director_amal, participation=p, version=p.version, implemented_on=TODAY
        )


def test_an_it_chef_of_another_municipality_cannot_record_implementation(w):
    initiative = advance_to(w, idea(w), Stage.IMPLEMENTATION)
    p = initiative.participations.get(municipality__code="1460")
    other = factories.user("1492", Role.IT_MANAGER)
    with pytest.raises(NotAllowedError):
        svc.participation_implemented(
            actor=other, participation=p, version=p.version, implemented_on=TODAY
        )
