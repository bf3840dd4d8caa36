"""Workflow test state, built through the real services.

`World` is a Dalsland-like portfolio with one person per role; `advance_to` walks
an initiative through the gates the way the people would.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factories

from accounts.models import Role
from portfolio.choices import (
    CostKind,
    CostNature,
    CriterionKind,
    DecisionKind,
    DecisionOutcome,
    Gate,
    Stage,
)
from portfolio.models import CostEntry, Initiative, PriorityCriterion
from portfolio.services import benefits, participation, priority, workflow
from portfolio.services.initiatives import initiative_create, initiative_update

BENGTSFORS, DALS_ED, FARGELANDA, MELLERUD, VANERSBORG, AMAL = (
    "1460",
    "1438",
    "1439",
    "1461",
    "1487",
    "1492",
)
SKARA = "1495"
TODAY = dt.date(2026, 1, 15)


@dataclass
class World:
    portfolio: object
    program: object
    director: object  # Bengtsfors
    director_amal: object
    manager: object
    itchef: object  # Bengtsfors
    owner: object  # Bengtsfors
    coordinator: object
    reader: object
    outsider: object  # Skara director, outside the constellation
    criteria: list

    @property
    def people(self) -> dict:
        return {
            "kommundirektor": self.director,
            "programledare": self.manager,
            "it_chef": self.itchef,
            "initiativagare": self.owner,
            "samordnare": self.coordinator,
            "lasare": self.reader,
        }


def world() -> World:
    portfolio = factories.portfolio()
    manager = factories.user(MELLERUD, Role.PROGRAM_MANAGER, username="pl")
    program = factories.program(portfolio, manager=manager)
    criteria = [
        PriorityCriterion.objects.create(portfolio=portfolio, name="Nytta", weight=3, order=0),
        PriorityCriterion.objects.create(portfolio=portfolio, name="Risk", weight=1, order=1),
    ]
    return World(
        portfolio=portfolio,
        program=program,
        director=factories.user(BENGTSFORS, Role.DIRECTOR, username="kd"),
        director_amal=factories.user(AMAL, Role.DIRECTOR, username="kd_amal"),
        manager=manager,
        itchef=factories.user(BENGTSFORS, Role.IT_MANAGER, username="it"),
        owner=factories.user(BENGTSFORS, Role.INITIATIVE_OWNER, username="ia"),
        coordinator=factories.user(VANERSBORG, Role.COORDINATOR, username="sam"),
        reader=factories.user(FARGELANDA, Role.READER, username="las"),
        outsider=factories.user(SKARA, Role.DIRECTOR, username="kd_skara"),
        criteria=criteria,
    )


def idea(w: World, **fields) -> Initiative:
    values = {
        "need": "Kommunerna saknar en gemensam lösning.",
        "expected_benefit": "Lägre kostnader.",
        "area": "insida",
        "target_group": "medarbetare",
        "collaboration_level": 3,
        "program": w.program,
    }
    values.update(fields)
    return factories.submitted_on(
        initiative_create(
            actor=w.owner,
            portfolio=w.portfolio,
            title=values.pop("title", "Gemensam e-arkiv"),
            **values,
        )
    )


def fresh(initiative: Initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


def confirm_manual(w: World, initiative: Initiative, gate: str) -> None:
    for criterion in w.portfolio.gate_criteria.filter(gate=gate, kind=CriterionKind.MANUAL):
        workflow.criterion_confirm(actor=w.manager, initiative=initiative, criterion=criterion)


def meet_g0(w: World, initiative: Initiative) -> None:
    priority.priority_scores_set(
        actor=w.manager, initiative=initiative, scores={c.pk: 4 for c in w.criteria}
    )


def meet_g1(w: World, initiative: Initiative) -> None:
    initiative = fresh(initiative)
    initiative_update(
        actor=w.manager,
        initiative=initiative,
        version=initiative.version,
        prestudy_conclusion="Gör det tillsammans.",
        security_classification="mattlig",
    )
    for kind in (CostKind.DEVELOPMENT, CostKind.OPERATION):
        CostEntry.objects.create(
            initiative=initiative,
            kind=kind,
            nature=CostNature.ESTIMATE,
            period=dt.date(2026, 1, 1),
            amount=100_000,
        )
    benefits.effect_goal_create(
        actor=w.manager,
        initiative=initiative,
        name="Kortare handläggning",
        indicator="Handläggningstid",
        unit="dagar",
        baseline=Decimal(20),
        target=Decimal(10),
    )
    p = initiative.participations.select_related("municipality", "initiative").get(
        municipality__code=BENGTSFORS
    )
    if p.status != "deltar":
        participation.participation_answer(
            actor=w.director,
            participation=p,
            version=p.version,
            answer="deltar",
            joined_on=dt.date(2025, 9, 1),
        )
    confirm_manual(w, initiative, Gate.G1)


def meet_g2(w: World, initiative: Initiative) -> None:
    initiative = fresh(initiative)
    initiative_update(
        actor=w.manager,
        initiative=initiative,
        version=initiative.version,
        implementation_plan="Varje kommun enligt bilaga.",
        operation_owner="Gemensam systemförvaltare",
    )
    confirm_manual(w, initiative, Gate.G2)


def meet_g3(w: World, initiative: Initiative) -> None:
    initiative = fresh(initiative)
    initiative_update(
        actor=w.manager,
        initiative=initiative,
        version=initiative.version,
        benefit_followup_plan="Mäts varje halvår.",
    )
    for p in initiative.participations.filter(status="deltar").select_related(
        "municipality", "initiative"
    ):
        participation.participation_implemented(
            actor=w.coordinator, participation=p, version=p.version, implemented_on=TODAY
        )
    CostEntry.objects.create(
        initiative=initiative,
        kind=CostKind.DEVELOPMENT,
        nature=CostNature.ACTUAL,
        period=dt.date(2026, 1, 1),
        amount=90_000,
    )


GATES = [
    (Stage.IDEA, DecisionKind.G0, meet_g0, "manager", None),
    (Stage.PRESTUDY, DecisionKind.G1, meet_g1, "director", Stage.PROJECT),
    (Stage.PROJECT, DecisionKind.G2, meet_g2, "manager", None),
    (Stage.IMPLEMENTATION, DecisionKind.G3, meet_g3, "director", None),
]
ORDER = [Stage.IDEA, Stage.PRESTUDY, Stage.PROJECT, Stage.IMPLEMENTATION, Stage.OPERATION]


def approve(w: World, initiative: Initiative, kind: str, target_stage=None, decided_on=TODAY):
    actor = w.director if kind in (DecisionKind.G1, DecisionKind.G3) else w.manager
    return workflow.decision_record(
        actor=actor,
        initiative=fresh(initiative),
        kind=kind,
        outcome=DecisionOutcome.APPROVED,
        decided_on=decided_on,
        meeting_reference="Protokoll § 7",
        motivation="Kriterierna är uppfyllda.",
        target_stage=target_stage,
    )


def advance_to(w: World, initiative: Initiative, stage: str, meet_next: bool = False):
    """Walk through the gates until the initiative stands in `stage`."""
    for _from, kind, meet, _actor, target in GATES:
        if fresh(initiative).stage == stage:
            break
        meet(w, initiative)
        approve(w, initiative, kind, target)
    if meet_next:
        for from_stage, _kind, meet, _actor, _target in GATES:
            if from_stage == stage:
                meet(w, initiative)
    return fresh(initiative)
