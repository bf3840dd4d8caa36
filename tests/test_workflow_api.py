"""The workflow in the REST API: same rules as the pages, one error shape, 404 outside."""

import pytest
from django.utils.timezone import localdate
from rest_framework.test import APIClient
from workflow_builders import TODAY, advance_to, fresh, idea, meet_g0, world

from portfolio.choices import Stage
from portfolio.models import GateDecision, HistoryEntry
from portfolio.services.initiatives import initiative_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def base(initiative):
    return f"/api/v1/initiatives/{initiative.pk}/"


def test_g0_is_refused_with_unmet_criteria_named_then_recorded(w):
    initiative = idea(w, need="")
    client = api(w.manager)
    body = {"kind": "G0", "outcome": "godkand", "decided_on": TODAY.isoformat()}
    response = client.post(base(initiative) + "decisions/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "gate_criteria_unmet"
    assert any("behov eller problem" in m for m in data["errors"]["criteria"])
    assert any("Prioriteringspoäng" in m for m in data["errors"]["criteria"])

    checklist = client.get(base(initiative) + "gates/G0/").json()
    assert checklist["passable"] is False
    assert {c["label"] for c in checklist["criteria"] if not c["met"]} >= {
        "Beskrivningen är komplett",
        "Prioriteringspoäng är satt",
    }

    meet_g0(w, initiative)
    fields = {"version": fresh(initiative).version}
    initiative_update(actor=w.manager, initiative=fresh(initiative), need="Behov finns.", **fields)
    response = client.post(base(initiative) + "decisions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["stage_after"] == "forstudie"
    assert [d["kind"] for d in client.get(base(initiative) + "decisions/").json()] == ["G0"]


def test_a_reader_is_refused_403_with_the_shared_shape(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    response = api(w.reader).post(
        base(initiative) + "decisions/",
        {"kind": "G0", "outcome": "godkand", "decided_on": TODAY.isoformat()},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


@pytest.mark.parametrize(
    "suffix",
    [
        "decisions/",
        "gates/G0/",
        "participations/",
        "status-updates/",
        "effect-goals/",
        "priority-scores/",
        "history/",
        "confirmations/",
    ],
)
def test_everything_outside_the_constellation_answers_404(w, suffix):
    initiative = idea(w)
    response = api(w.outsider).get(base(initiative) + suffix)
    assert response.status_code == 404
    assert set(response.json()) >= {"detail", "code"}


def test_posting_outside_the_constellation_answers_404_and_writes_nothing(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    response = api(w.outsider).post(
        base(initiative) + "decisions/",
        {"kind": "G1", "outcome": "godkand", "decided_on": TODAY.isoformat()},
        format="json",
    )
    assert response.status_code == 404
    assert not GateDecision.objects.exists()


def test_decisions_have_no_put_patch_or_delete(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    decision = initiative.decisions.get()
    client = api(w.director)
    url = base(initiative) + f"decisions/{decision.pk}/"
    assert client.get(url).status_code == 200
    for method in (client.put, client.patch, client.delete):
        assert method(url, {"outcome": "avslagen"}, format="json").status_code == 405
    for method in (client.put, client.patch, client.delete):
        assert method(base(initiative) + "decisions/", {}, format="json").status_code == 405
    assert GateDecision.objects.get(pk=decision.pk).outcome == "godkand"


def test_bad_input_is_a_400_with_field_errors(w):
    initiative = idea(w)
    response = api(w.manager).post(
        base(initiative) + "decisions/", {"kind": "G9", "outcome": "kanske"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"kind", "outcome", "decided_on"} <= set(errors)


def test_participation_invite_answer_leave_in_the_api(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    amal = initiative.portfolio.constellation.members.get(code="1492")
    response = api(w.manager).post(
        base(initiative) + "participations/", {"municipality": amal.pk}, format="json"
    )
    assert response.status_code == 201
    item = response.json()
    assert item["status"] == "inbjuden"
    url = base(initiative) + f"participations/{item['id']}/answer/"
    # Bengtsfors' director cannot answer for Åmål.
    refused = api(w.director).post(url, {"answer": "deltar", "version": 1}, format="json")
    assert refused.status_code == 403
    answered = api(w.director_amal).post(url, {"answer": "deltar", "version": 1}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "deltar"
    stale = api(w.director_amal).post(
        base(initiative) + f"participations/{item['id']}/leave/",
        {"left_on": localdate().isoformat(), "reason": "Budget", "version": 1},
        format="json",
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    missing = api(w.director_amal).post(
        base(initiative) + f"participations/{item['id']}/leave/", {"version": 2}, format="json"
    )
    assert missing.status_code == 400
    assert {"left_on", "reason"} <= set(missing.json()["errors"])
    left = api(w.director_amal).post(
        base(initiative) + f"participations/{item['id']}/leave/",
        {"left_on": localdate().isoformat(), "reason": "Budgetläget", "version": 2},
        format="json",
    )
    assert left.status_code == 200 and left.json()["status"] == "lamnat"


def test_status_update_in_the_api(w):
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    body = {
        "reported_on": TODAY.isoformat(),
        "health_time": "gron",
        "health_cost": "rod",
        "health_quality": "gul",
        "progress": 30,
    }
    assert (
        api(w.itchef).post(base(initiative) + "status-updates/", body, format="json").status_code
        == 201
    )
    assert (
        api(w.reader).post(base(initiative) + "status-updates/", body, format="json").status_code
        == 403
    )
    bad = api(w.itchef).post(
        base(initiative) + "status-updates/", {**body, "progress": 140}, format="json"
    )
    assert bad.status_code == 400 and "progress" in bad.json()["errors"]
    assert len(api(w.reader).get(base(initiative) + "status-updates/").json()) == 1


def test_effect_goals_measurements_priority_and_history_in_the_api(w):
    initiative = idea(w)
    client = api(w.manager)
    goal = client.post(
        base(initiative) + "effect-goals/",
        {
            "name": "Nöjdare invånare",
            "indicator": "NKI",
            "unit": "index",
            "baseline": "55",
            "target": "70",
        },
        format="json",
    )
    assert goal.status_code == 201
    goal_id = goal.json()["id"]
    measured = client.post(
        base(initiative) + f"effect-goals/{goal_id}/measurements/",
        {"measured_on": TODAY.isoformat(), "value": "58.5"},
        format="json",
    )
    assert measured.status_code == 201
    scores = {str(c.pk): 5 for c in w.criteria}
    response = client.post(base(initiative) + "priority-scores/", {"scores": scores}, format="json")
    assert response.status_code == 200 and response.json()["priority_score"] == "5.00"
    bad = client.post(
        base(initiative) + "priority-scores/",
        {"scores": {str(w.criteria[0].pk): 9}},
        format="json",
    )
    assert bad.status_code == 400
    history = client.get(base(initiative) + "history/").json()["results"]
    assert {(h["entity"], h["action"]) for h in history} >= {
        ("initiative", "created"),
        ("effect_goal", "created"),
        ("measurement", "recorded"),
        ("priority", "scored"),
    }
    assert HistoryEntry.objects.filter(initiative=initiative, actor=w.manager).count() >= 3


def test_confirmations_in_the_api(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    criterion = w.portfolio.gate_criteria.get(gate="G1", kind="manuell")
    system = w.portfolio.gate_criteria.filter(gate="G1", kind="system").first()
    client = api(w.manager)
    refused = client.post(
        base(initiative) + "confirmations/", {"criterion": system.pk}, format="json"
    )
    assert refused.status_code == 400
    created = client.post(
        base(initiative) + "confirmations/", {"criterion": criterion.pk}, format="json"
    )
    assert created.status_code == 201
    again = client.post(
        base(initiative) + "confirmations/", {"criterion": criterion.pk}, format="json"
    )
    assert again.status_code == 400 and again.json()["code"] == "already_confirmed"
    assert client.delete(base(initiative) + f"confirmations/{criterion.pk}/").status_code == 204
    assert not initiative.confirmations.exists()
