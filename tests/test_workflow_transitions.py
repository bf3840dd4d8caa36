"""Every stage transition, and each refusal naming the unmet criteria in Swedish."""

import datetime as dt

import pytest
from workflow_builders import (
    TODAY,
    advance_to,
    approve,
    fresh,
    idea,
    meet_g0,
    world,
)

from portfolio.choices import DecisionKind, DecisionOutcome, Stage
from portfolio.domain.gate_checks import gate_evaluate, next_gate
from portfolio.models import GateDecision, StageChangeRefused
from portfolio.services import workflow
from portfolio.services.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def record(actor, initiative, kind, outcome=DecisionOutcome.APPROVED, **kwargs):
    return workflow.decision_record(
        actor=actor,
        initiative=fresh(initiative),
        kind=kind,
        outcome=outcome,
        decided_on=kwargs.pop("decided_on", TODAY),
        **kwargs,
    )


def test_an_idea_walks_through_every_gate_to_forvaltning(w):
    initiative = idea(w)
    assert initiative.stage == Stage.IDEA and initiative.reference.endswith("-1")
    initiative = advance_to(w, initiative, Stage.OPERATION)
    assert initiative.stage == Stage.OPERATION
    decisions = list(initiative.decisions.order_by("id"))
    assert [(d.kind, d.stage_before, d.stage_after) for d in decisions] == [
        ("G0", "ide", "forstudie"),
        ("G1", "forstudie", "projekt"),
        ("G2", "projekt", "implementation"),
        ("G3", "implementation", "forvaltning"),
    ]
    assert [d.body for d in decisions] == [
        "programstyrgrupp",
        "portfoljstyrgrupp",
        "programstyrgrupp",
        "portfoljstyrgrupp",
    ]
    assert all(
        d.criteria_snapshot and all(c["met"] for c in d.criteria_snapshot) for d in decisions
    )
    assert next_gate(initiative) is None


def test_g1_can_lead_to_an_uppdrag(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY, meet_next=True)
    approve(w, initiative, DecisionKind.G1, target_stage=Stage.ASSIGNMENT)
    initiative = fresh(initiative)
    assert initiative.stage == Stage.ASSIGNMENT
    assert next_gate(initiative) == "G2"


def test_g1_approval_without_target_stage_is_refused(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY, meet_next=True)
    with pytest.raises(Exception) as caught:
        record(w.director, initiative, DecisionKind.G1)
    assert "target_stage" in caught.value.message_dict
    assert fresh(initiative).stage == Stage.PRESTUDY


def test_g0_refusal_names_each_unmet_criterion_in_swedish(w):
    initiative = idea(w, need="")
    with pytest.raises(DomainError) as caught:
        record(w.manager, initiative, DecisionKind.G0)
    error = caught.value
    assert error.rule == "gate_criteria_unmet"
    unmet = error.fields["criteria"]
    assert any("Beskrivningen är komplett" in m and "behov eller problem" in m for m in unmet)
    assert any("Prioriteringspoäng" in m for m in unmet)
    assert not any("Initiativägare" in m for m in unmet)
    assert fresh(initiative).stage == Stage.IDEA
    assert not GateDecision.objects.filter(initiative=initiative).exists()


@pytest.mark.parametrize(
    ("stage", "kind", "expected_fragments"),
    [
        (
            Stage.PRESTUDY,
            DecisionKind.G1,
            [
                "Förstudiens slutsats",
                "utvecklingskostnad",
                "driftkostnad",
                "Effektmål",
                "Deltagande kommuner",
                "Kostnadsfördelningen",
                "Informationssäkerhetsklassning",
            ],
        ),
        (Stage.PROJECT, DecisionKind.G2, ["Resultaten", "Implementeringsplan", "Objektägare"]),
        (
            Stage.IMPLEMENTATION,
            DecisionKind.G3,
            ["implementerat eller avstått", "nyttouppföljning", "Slutlig kostnad"],
        ),
    ],
)
def test_each_later_gate_refuses_with_its_unmet_criteria(w, stage, kind, expected_fragments):
    initiative = advance_to(w, idea(w), stage)
    actor = w.director if kind in ("G1", "G3") else w.manager
    with pytest.raises(DomainError) as caught:
        record(actor, initiative, kind, target_stage=Stage.PROJECT if kind == "G1" else None)
    unmet = " ".join(caught.value.fields["criteria"])
    for fragment in expected_fragments:
        assert fragment in unmet
    results = gate_evaluate(fresh(initiative), kind)
    assert [r for r in results if not r.met]
    assert all(r.reason for r in results if not r.met)
    assert fresh(initiative).stage == stage


def test_returned_decision_keeps_the_stage_and_is_recorded(w):
    initiative = idea(w)
    decision = record(
        w.manager, initiative, DecisionKind.G0, DecisionOutcome.RETURNED, motivation="Komplettera."
    )
    assert decision.stage_before == decision.stage_after == Stage.IDEA
    assert fresh(initiative).stage == Stage.IDEA


def test_returned_decision_does_not_need_criteria_met(w):
    initiative = idea(w, need="")
    record(w.manager, initiative, DecisionKind.G0, DecisionOutcome.RETURNED)
    assert fresh(initiative).stage == Stage.IDEA


def test_rejected_decision_ends_in_avslagen_and_nothing_follows(w):
    initiative = idea(w)
    record(w.manager, initiative, DecisionKind.G0, DecisionOutcome.REJECTED)
    assert fresh(initiative).stage == Stage.REJECTED
    with pytest.raises(DomainError) as caught:
        record(w.director, initiative, DecisionKind.CANCEL)
    assert caught.value.rule == "terminal_stage"


@pytest.mark.parametrize("stage", [Stage.IDEA, Stage.PRESTUDY, Stage.PROJECT, Stage.IMPLEMENTATION])
def test_the_board_can_cancel_from_any_open_stage(w, stage):
    initiative = advance_to(w, idea(w), stage)
    decision = record(w.director, initiative, DecisionKind.CANCEL, motivation="Behovet försvann.")
    assert decision.body == "portfoljstyrgrupp"
    assert fresh(initiative).stage == Stage.CANCELLED


def test_a_gate_cannot_be_skipped(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    with pytest.raises(DomainError) as caught:
        record(w.director, initiative, DecisionKind.G1, target_stage=Stage.PROJECT)
    assert caught.value.rule == "wrong_gate"
    assert "G0" in caught.value.message


def test_a_paused_initiative_cannot_pass_a_gate_until_resumed(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    workflow.initiative_set_paused(
        actor=w.manager, initiative=fresh(initiative), paused=True, reason="Resurser saknas."
    )
    paused = fresh(initiative)
    assert paused.is_paused and paused.stage == Stage.IDEA
    with pytest.raises(DomainError) as caught:
        record(w.manager, initiative, DecisionKind.G0)
    assert caught.value.rule == "paused"
    workflow.initiative_set_paused(actor=w.manager, initiative=fresh(initiative), paused=False)
    record(w.manager, initiative, DecisionKind.G0)
    assert fresh(initiative).stage == Stage.PRESTUDY


def test_pausing_needs_a_reason(w):
    with pytest.raises(Exception) as caught:
        workflow.initiative_set_paused(actor=w.manager, initiative=idea(w), paused=True)
    assert "reason" in caught.value.message_dict


def test_the_stage_field_refuses_direct_assignment(w):
    initiative = idea(w)
    with pytest.raises(StageChangeRefused):
        initiative.stage = Stage.OPERATION


def test_a_decision_in_the_future_is_refused(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    with pytest.raises(Exception) as caught:
        record(w.manager, initiative, DecisionKind.G0, decided_on=dt.date.today() + dt.timedelta(3))
    assert "decided_on" in caught.value.message_dict


def test_a_correction_is_a_new_linked_decision_that_sets_the_stage_right(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    wrong = record(w.manager, initiative, DecisionKind.G0)
    assert fresh(initiative).stage == Stage.PRESTUDY
    correction = record(
        w.manager,
        initiative,
        DecisionKind.G0,
        DecisionOutcome.RETURNED,
        corrects=wrong,
        motivation="Protokollet säger återremiss.",
    )
    assert correction.corrects == wrong
    assert (correction.stage_before, correction.stage_after) == (Stage.PRESTUDY, Stage.IDEA)
    assert fresh(initiative).stage == Stage.IDEA
    assert GateDecision.objects.get(pk=wrong.pk).outcome == DecisionOutcome.APPROVED
    with pytest.raises(DomainError) as caught:
        record(w.manager, initiative, DecisionKind.G0, corrects=wrong)
    assert caught.value.rule == "already_corrected"
