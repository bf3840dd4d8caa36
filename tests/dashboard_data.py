"""Builders for dashboard and indicator tests: portfolios with many initiatives, fast.

Volume is written with bulk_create (the query-count tests need hundreds of rows);
what a single test reads is built with the factories.
"""

import datetime as dt
from decimal import Decimal

from accounts.models import Role
from portfolio.choices import (
    CostKind,
    CostNature,
    DecisionBody,
    DecisionKind,
    DecisionOutcome,
    Health,
    Stage,
)
from portfolio.models import (
    CostEntry,
    GateDecision,
    Initiative,
    Participation,
    ProgramBudget,
    StatusUpdate,
    TimeEntry,
)
from portfolio.services.status import latest_status_refresh
from tests import factories

STAGES = [
    Stage.IDEA,
    Stage.PRESTUDY,
    Stage.PROJECT,
    Stage.ASSIGNMENT,
    Stage.IMPLEMENTATION,
    Stage.OPERATION,
]


def populated_portfolio(count: int):
    """A Dalsland-six portfolio with two programs and `count` initiatives in every stage,
    each with participations, a status report, costs, hours and a decision."""
    director = factories.user("1460", Role.DIRECTOR)
    portfolio = factories.portfolio()
    programs = [factories.program(portfolio), factories.program(portfolio)]
    for program in programs:
        ProgramBudget.objects.create(program=program, year=2026, amount=1_000_000)
    members = list(portfolio.constellation.members.order_by("code"))
    initiatives = Initiative.objects.bulk_create(
        [
            Initiative(
                portfolio=portfolio,
                program=programs[n % 2],
                reference=f"{portfolio.reference_prefix}-{n}",
                title=f"Initiativ {n}",
                stage=STAGES[n % len(STAGES)],
                proposing_municipality=members[n % len(members)],
                planned_start=dt.date(2026, 1, 1),
                planned_end=dt.date(2026, 12, 31),
                need="Behov",
                expected_benefit="Nytta",
            )
            for n in range(1, count + 1)
        ]
    )
    Participation.objects.bulk_create(
        [
            Participation(
                initiative=i, municipality=m, status="deltar", joined_on=dt.date(2026, 1, 1)
            )
            for i in initiatives
            for m in members[:2]
        ]
    )
    StatusUpdate.objects.bulk_create(
        [
            StatusUpdate(
                initiative=i,
                reported_on=dt.date(2026, 3, 1),
                health_time=Health.GREEN,
                health_cost=Health.YELLOW if n % 2 else Health.GREEN,
                health_quality=Health.RED if n % 3 == 0 else Health.GREEN,
                progress=50,
                author=director,
            )
            for n, i in enumerate(initiatives)
        ]
    )
    latest_status_refresh([i.pk for i in initiatives])
    CostEntry.objects.bulk_create(
        [
            CostEntry(
                initiative=i,
                kind=CostKind.DEVELOPMENT,
                nature=nature,
                period=dt.date(2026, 2, 1),
                amount=10_000,
                paid_by=members[0] if nature == CostNature.ACTUAL else None,
            )
            for i in initiatives
            for nature in (CostNature.ESTIMATE, CostNature.ACTUAL)
        ]
    )
    TimeEntry.objects.bulk_create(
        [
            TimeEntry(
                initiative=i, municipality=members[1], period=dt.date(2026, 2, 1), hours=Decimal(8)
            )
            for i in initiatives
        ]
    )
    GateDecision.objects.bulk_create(
        [
            GateDecision(
                initiative=i,
                kind=DecisionKind.G0,
                outcome=DecisionOutcome.APPROVED,
                stage_before=Stage.IDEA,
                stage_after=Stage.PRESTUDY,
                decided_on=dt.date(2026, 2, 1),
                body=DecisionBody.PROGRAM,
                recorded_by=director,
            )
            for i in initiatives
            if i.stage != Stage.IDEA
        ]
    )
    return portfolio, director
