"""Every change to an initiative, participation, decision and status keeps a history row
naming who acted, in the same transaction, and the initiative's page shows it."""

import factories
import pytest
from django.urls import reverse
from workflow_builders import TODAY, advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.models import HistoryEntry
from portfolio.services import participation, status, workflow
from portfolio.services.errors import DomainError
from portfolio.services.initiatives import initiative_update

pytestmark = pytest.mark.django_db


def rows(initiative):
    return list(
        HistoryEntry.objects.filter(initiative=initiative)
        .order_by("id")
        .values_list("entity", "action", "actor__username")
    )


def test_each_change_leaves_one_row_naming_the_actor():
    w = world()
    initiative = idea(w)
    assert rows(initiative) == [
        ("initiative", "created", "ia"),
        ("participation", "interested", "ia"),
    ]
    initiative_update(actor=w.manager, initiative=initiative, version=1, need="Ändrat")
    p = participation.participation_invite(
        actor=w.manager, initiative=initiative, municipality=factories.municipality("1492")
    )
    participation.participation_answer(
        actor=w.director_amal, participation=p, version=1, answer="deltar"
    )
    workflow.initiative_set_paused(
        actor=w.manager, initiative=fresh(initiative), paused=True, reason="Budget"
    )
    workflow.initiative_set_paused(actor=w.manager, initiative=fresh(initiative), paused=False)
    workflow.decision_record(
        actor=w.manager,
        initiative=fresh(initiative),
        kind="G0",
        outcome="aterremitterad",
        decided_on=TODAY,
    )
    assert rows(initiative)[2:] == [
        ("initiative", "updated", "pl"),
        ("participation", "invited", "pl"),
        ("participation", "deltar", "kd_amal"),
        ("initiative", "paused", "pl"),
        ("initiative", "resumed", "pl"),
        ("decision", "recorded", "pl"),
    ]
    decision_row = HistoryEntry.objects.get(initiative=initiative, entity="decision")
    assert decision_row.changes["stage"] == ["ide", "ide"]
    assert decision_row.changes["outcome"] == "aterremitterad"


def test_status_confirmation_and_stage_changes_have_history():
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    update = status.status_update_create(
        actor=w.itchef,
        initiative=initiative,
        reported_on=TODAY,
        health_time="gron",
        health_cost="gul",
        health_quality="rod",
        progress=50,
        comment="Förseningar i leveransen.",
    )
    entry = HistoryEntry.objects.get(entity="status", entity_id=update.pk)
    assert entry.actor == w.itchef and entry.changes["health"] == "gron/gul/rod"
    stages = [
        h.changes["stage"]
        for h in HistoryEntry.objects.filter(initiative=initiative, entity="decision").order_by(
            "id"
        )
    ]
    assert stages == [["ide", "forstudie"], ["forstudie", "projekt"]]
    assert HistoryEntry.objects.filter(
        initiative=initiative, entity="confirmation", action="confirmed"
    ).exists()


def test_a_refused_change_leaves_no_history():
    w = world()
    initiative = idea(w, need="")
    before = HistoryEntry.objects.count()
    with pytest.raises(DomainError):
        workflow.decision_record(
            actor=w.manager, initiative=initiative, kind="G0", outcome="godkand", decided_on=TODAY
        )
    assert HistoryEntry.objects.count() == before


def test_the_page_shows_the_history_in_swedish(client):
    w = world()
    initiative = idea(w)
    initiative_update(actor=w.manager, initiative=initiative, version=1, need="Nytt behov")
    client.force_login(w.reader)
    html = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk])).content
    html = html.decode()
    assert "Initiativ skapat" in html and "Initiativ ändrat" in html
    assert (
        "Behov eller problem</strong>: Kommunerna saknar en gemensam lösning. → Nytt behov" in html
    )
