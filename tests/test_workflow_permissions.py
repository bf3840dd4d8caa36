"""Who may record each gate: a role × gate matrix through the API, allowed and refused.

G0 and G2 are the program's (its programledare records the steering group's decision);
G1, G3 and cancelling are the board's (a kommundirektör records them). Everyone else is
refused with 403; someone outside the constellation gets 404.
"""

import factories
import pytest
from rest_framework.test import APIClient
from workflow_builders import TODAY, advance_to, idea, world

from accounts.models import Role
from portfolio.choices import Stage
from portfolio.models import GateDecision
from portfolio.services import workflow
from portfolio.services.errors import NotAllowedError

pytestmark = pytest.mark.django_db

ROLES = ["kommundirektor", "programledare", "it_chef", "initiativagare", "samordnare", "lasare"]
# kind, stage it is taken from, target stage, expected status per role (in ROLES order)
MATRIX = [
    ("G0", Stage.IDEA, None, [403, 201, 403, 403, 403, 403]),
    ("G1", Stage.PRESTUDY, Stage.PROJECT, [201, 403, 403, 403, 403, 403]),
    ("G2", Stage.PROJECT, None, [403, 201, 403, 403, 403, 403]),
    ("G3", Stage.IMPLEMENTATION, None, [201, 403, 403, 403, 403, 403]),
    ("avbryt", Stage.PRESTUDY, None, [201, 403, 403, 403, 403, 403]),
]
CASES = [
    pytest.param(kind, stage, target, role, expected, id=f"{kind}-{role}")
    for kind, stage, target, statuses in MATRIX
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("kind", "stage", "target", "role", "expected"), CASES)
def test_role_gate_matrix(kind, stage, target, role, expected):
    w = world()
    initiative = advance_to(w, idea(w), stage, meet_next=kind != "avbryt")
    client = APIClient()
    client.force_authenticate(w.people[role])
    body = {"kind": kind, "outcome": "godkand", "decided_on": TODAY.isoformat()}
    if target:
        body["target_stage"] = target
    response = client.post(f"/api/v1/initiatives/{initiative.pk}/decisions/", body, format="json")
    assert response.status_code == expected, response.json()
    recorded = GateDecision.objects.filter(initiative=initiative, kind=kind).exists()
    assert recorded == (expected == 201)
    if expected == 403:
        assert response.json()["code"] == "not_allowed"


@pytest.mark.parametrize("kind", ["G0", "G1", "avbryt"])
def test_outsider_gets_404_for_every_decision(kind):
    w = world()
    initiative = idea(w)
    client = APIClient()
    client.force_authenticate(w.outsider)
    response = client.post(
        f"/api/v1/initiatives/{initiative.pk}/decisions/",
        {"kind": kind, "outcome": "godkand", "decided_on": TODAY.isoformat()},
        format="json",
    )
    assert response.status_code == 404


def test_programledare_of_another_program_cannot_take_g0():
    w = world()
    other = factories.user("1461", Role.PROGRAM_MANAGER)
    factories.program(w.portfolio, manager=other)
    initiative = idea(w)
    with pytest.raises(NotAllowedError):
        workflow.decision_record(
            actor=other,
            initiative=initiative,
            kind="G0",
            outcome="aterremitterad",
            decided_on=TODAY,
        )


def test_director_outside_the_constellation_is_refused_by_the_service_too():
    w = world()
    initiative = idea(w)
    with pytest.raises(NotAllowedError):
        workflow.decision_record(
            actor=w.outsider,
            initiative=initiative,
            kind="avbryt",
            outcome="godkand",
            decided_on=TODAY,
        )
