"""A small world for the attachment role tests: Dalsland's portfolio, one initiative in
a program, one G1 decision, one agreement, and one person per role (outsider: Skara)."""

import datetime as dt

from accounts.models import Role
from municipalities.models import Agreement
from portfolio.choices import Stage
from portfolio.models import GateDecision
from tests import factories


def build() -> dict:
    portfolio = factories.portfolio()
    people = {
        "coordinator": factories.user("1460", Role.COORDINATOR, username="samordnare.t"),
        "director": factories.user("1438", Role.DIRECTOR, username="kd.t"),
        "program_manager": factories.user("1439", Role.PROGRAM_MANAGER, username="pl.t"),
        "owner": factories.user("1461", Role.INITIATIVE_OWNER, username="agare.t"),
        "it_manager": factories.user("1487", Role.IT_MANAGER, username="it.t"),
        "reader": factories.user("1460", Role.READER, username="lasare.t"),
        "outsider": factories.user("1495", Role.DIRECTOR, username="kd.skara.t"),
    }
    program = factories.program(portfolio, manager=people["program_manager"])
    initiative = factories.initiative(
        portfolio, program, owner=people["owner"], stage=Stage.PRESTUDY
    )
    decision = GateDecision.objects.create(
        initiative=initiative,
        kind="G1",
        outcome="aterremitterad",
        stage_before=Stage.PRESTUDY,
        stage_after=Stage.PRESTUDY,
        decided_on=dt.date(2026, 3, 1),
        body="portfoljstyrgrupp",
        meeting_reference="§ 12",
        recorded_by=people["director"],
    )
    agreement = Agreement.objects.create(
        title="Avtal om e-arkiv i Dalsland",
        constellation=portfolio.constellation,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
    )
    agreement.parties.add(*portfolio.constellation.members.all())
    return {
        **people,
        "portfolio": portfolio,
        "initiative": initiative,
        "decision": decision,
        "agreement": agreement,
    }
