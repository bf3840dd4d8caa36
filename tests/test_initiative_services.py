"""Submitting and editing initiatives through the service."""

import datetime as dt

import factories
import pytest
from django.core.exceptions import ValidationError
from workflow_builders import advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.models import HistoryEntry, Initiative
from portfolio.services import workflow
from portfolio.services.errors import DomainError, NotAllowedError, StaleVersionError
from portfolio.services.initiatives import EDITABLE_FIELDS, initiative_create, initiative_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_references_count_up_per_portfolio(w):
    first, second = idea(w), idea(w)
    prefix = w.portfolio.reference_prefix
    assert (first.reference, second.reference) == (f"{prefix}-1", f"{prefix}-2")
    other = factories.portfolio(w.portfolio.constellation)
    third = initiative_create(actor=w.owner, portfolio=other, title="Annan portfölj")
    assert third.reference == f"{other.reference_prefix}-1"


def test_create_defaults_to_the_actors_municipality_and_writes_history(w):
    initiative = initiative_create(actor=w.itchef, portfolio=w.portfolio, title="Idé")
    assert initiative.proposing_municipality == w.itchef.municipality
    assert initiative.owner == w.itchef and initiative.stage == Stage.IDEA
    entry = HistoryEntry.objects.get(initiative=initiative, entity="initiative")
    assert (entry.action, entry.actor) == ("created", w.itchef)


def test_readers_and_outsiders_cannot_submit(w):
    for person in (w.reader, w.outsider):
        with pytest.raises(NotAllowedError):
            initiative_create(actor=person, portfolio=w.portfolio, title="Nej")
    assert not Initiative.objects.exists()


def test_create_refuses_bad_input_in_swedish_and_writes_nothing(w):
    with pytest.raises(ValidationError) as caught:
        initiative_create(actor=w.owner, portfolio=w.portfolio, title="")
    assert "title" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        initiative_create(
            actor=w.owner,
            portfolio=w.portfolio,
            title="Fel kommun",
            proposing_municipality=factories.municipality("1495"),
        )
    assert "samverkanskonstellation" in caught.value.message_dict["proposing_municipality"][0]
    other_program = factories.program()
    with pytest.raises(ValidationError) as caught:
        initiative_create(
            actor=w.owner, portfolio=w.portfolio, title="Fel program", program=other_program
        )
    assert "program" in caught.value.message_dict
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    "field", ["stage", "is_paused", "reference", "priority_score", "portfolio", "is_new"]
)
def test_protected_fields_cannot_be_written(w, field):
    initiative = idea(w)
    with pytest.raises(DomainError) as caught:
        initiative_update(
            actor=w.manager, initiative=initiative, version=initiative.version, **{field: "x"}
        )
    assert caught.value.rule == "field_not_editable"
    assert field not in EDITABLE_FIELDS


def test_update_writes_the_diff_and_bumps_the_version(w):
    initiative = idea(w)
    initiative_update(
        actor=w.manager, initiative=initiative, version=1, need="Nytt behov", title="Ny titel"
    )
    assert initiative.version == 2
    stored = fresh(initiative)
    assert (stored.need, stored.title, stored.version) == ("Nytt behov", "Ny titel", 2)
    entry = HistoryEntry.objects.get(initiative=initiative, action="updated")
    assert entry.actor == w.manager
    assert entry.changes["title"] == ["Gemensam e-arkiv", "Ny titel"]


def test_a_stale_version_is_refused_and_the_object_keeps_stored_values(w):
    initiative = idea(w)
    initiative_update(actor=w.manager, initiative=fresh(initiative), version=1, need="Först")
    with pytest.raises(StaleVersionError) as caught:
        initiative_update(actor=w.owner, initiative=initiative, version=1, need="Sen")
    assert caught.value.status_code == 409
    assert "Någon annan har sparat" in str(caught.value.message)
    assert initiative.need != "Sen"
    assert fresh(initiative).need == "Först"


def test_planned_end_before_start_is_refused(w):
    initiative = idea(w)
    with pytest.raises(ValidationError):
        initiative_update(
            actor=w.manager,
            initiative=initiative,
            version=1,
            planned_start=dt.date(2026, 5, 1),
            planned_end=dt.date(2026, 1, 1),
        )


def test_who_may_edit(w):
    initiative = idea(w)
    # The owner edits the idea; the IT-chef and reader do not.
    initiative_update(actor=w.owner, initiative=initiative, version=1, need="Ägaren")
    for person in (w.itchef, w.reader, w.director):
        with pytest.raises(NotAllowedError):
            initiative_update(actor=person, initiative=initiative, version=2, need="x")
    # After G1 the owner no longer steers; the program and the office do.
    initiative = advance_to(w, initiative, Stage.PROJECT)
    with pytest.raises(NotAllowedError):
        initiative_update(
            actor=w.owner, initiative=initiative, version=initiative.version, need="x"
        )
    initiative_update(
        actor=w.coordinator, initiative=initiative, version=initiative.version, need="Kontoret"
    )


def test_a_closed_initiative_cannot_be_edited(w):
    initiative = idea(w)
    workflow.decision_record(
        actor=w.director,
        initiative=initiative,
        kind="avbryt",
        outcome="godkand",
        decided_on=dt.date(2026, 1, 2),
    )
    with pytest.raises(NotAllowedError):
        initiative_update(
            actor=w.coordinator, initiative=fresh(initiative), version=initiative.version, need="x"
        )
