"""The gate checks in SQL (for lists) agree with the Python checks (for one initiative).

The dashboard counts unmet criteria in the database; the workflow decides with the
Python checks. Both are compared on every criterion of every gate, for the demo data,
the benchmark's generated data and hand-made edge cases.
"""

from decimal import Decimal

import pytest
from django.db.models import BooleanField, Case, Value, When

from portfolio.bench.dataset import TINY
from portfolio.bench.load import generate
from portfolio.choices import (
    CostKind,
    CostNature,
    CriterionKind,
    ParticipationStatus,
    Stage,
)
from portfolio.domain.gate_checks import (
    SYSTEM_CHECK_CONDITIONS,
    SYSTEM_CHECKS,
    criterion_condition,
    criterion_evaluate,
    unmet_count,
)
from portfolio.models import (
    CostEntry,
    CriterionConfirmation,
    EffectGoal,
    GateCriterion,
    Initiative,
    Participation,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _disagreements(initiatives) -> list[str]:
    found = []
    by_portfolio: dict[int, list[GateCriterion]] = {}
    for criterion in GateCriterion.objects.filter(
        portfolio__initiatives__in=initiatives
    ).distinct():
        by_portfolio.setdefault(criterion.portfolio_id, []).append(criterion)
    for portfolio_id, criteria in by_portfolio.items():
        annotations = {
            f"met_{c.pk}": Case(
                When(criterion_condition(c), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for c in criteria
        }
        rows = (
            Initiative.objects.filter(pk__in=[i.pk for i in initiatives], portfolio_id=portfolio_id)
            .annotate(**annotations, unmet=unmet_count(criteria))
            .prefetch_related(
                "participations__municipality", "costs", "effect_goals", "confirmations"
            )
            .select_related("portfolio")
        )
        for row in rows:
            python_unmet = 0
            for criterion in criteria:
                expected = criterion_evaluate(row, criterion).met
                python_unmet += not expected
                if getattr(row, f"met_{criterion.pk}") != expected:
                    found.append(f"{row.reference} {criterion.system_check or criterion.label}")
            if row.unmet != python_unmet:
                found.append(f"{row.reference}: {row.unmet} unmet in SQL, {python_unmet} in Python")
    return found


def test_every_system_check_has_its_sql_condition():
    assert set(SYSTEM_CHECK_CONDITIONS) == set(SYSTEM_CHECKS)


def test_sql_and_python_agree_on_the_demo_data(demo):
    initiatives = list(Initiative.objects.all())
    assert len(initiatives) > 10
    assert _disagreements(initiatives) == []


def test_sql_and_python_agree_on_generated_data():
    generate(11, TINY)
    initiatives = list(Initiative.objects.all())
    assert len(initiatives) > 50
    assert _disagreements(initiatives) == []


def test_sql_and_python_agree_on_edge_cases():
    portfolio = factories.portfolio()
    program = factories.program(portfolio)
    members = list(portfolio.constellation.members.order_by("code"))
    owner = factories.user("1460")
    blank = factories.initiative(portfolio, stage=Stage.PRESTUDY)
    spaces = factories.initiative(
        portfolio,
        program,
        stage=Stage.IMPLEMENTATION,
        prestudy_conclusion="  \n\t",
        implementation_plan=" x ",
        operation_owner="\n",
        benefit_followup_plan="Plan",
        security_classification="",
    )
    full = factories.initiative(
        portfolio,
        program,
        stage=Stage.PRESTUDY,
        owner=owner,
        need="Behov",
        expected_benefit="Nytta",
        area=Initiative._meta.get_field("area").choices[0][0],
        target_group=Initiative._meta.get_field("target_group").choices[0][0],
        collaboration_level=1,
        priority_score=Decimal("3.5"),
        prestudy_conclusion="Slutsats",
        security_classification=Initiative._meta.get_field("security_classification").choices[0][0],
    )
    half = factories.initiative(portfolio, program, stage=Stage.IMPLEMENTATION)
    # Participations: all answered, one still invited, implemented or opted out.
    Participation.objects.create(
        initiative=full, municipality=members[0], status=ParticipationStatus.PARTICIPATING
    )
    Participation.objects.create(
        initiative=half,
        municipality=members[0],
        status=ParticipationStatus.PARTICIPATING,
        implementation_opted_out=True,
    )
    Participation.objects.create(
        initiative=half, municipality=members[1], status=ParticipationStatus.PARTICIPATING
    )
    Participation.objects.create(
        initiative=spaces, municipality=members[0], status=ParticipationStatus.INVITED
    )
    Participation.objects.create(
        initiative=blank, municipality=members[0], status=ParticipationStatus.INTERESTED
    )
    for initiative, kind, nature in (
        (full, CostKind.DEVELOPMENT, CostNature.ESTIMATE),
        (full, CostKind.OPERATION, CostNature.ESTIMATE),
        (half, CostKind.DEVELOPMENT, CostNature.ACTUAL),
        (blank, CostKind.OPERATION, CostNature.ACTUAL),
    ):
        CostEntry.objects.create(
            initiative=initiative,
            kind=kind,
            nature=nature,
            amount=1000,
            period="2026-01-01",
            paid_by=members[0],
        )
    EffectGoal.objects.create(
        initiative=full, name="Mål", indicator="I", unit="st", baseline=1, target=2
    )
    EffectGoal.objects.create(initiative=half, name="Mål", indicator="I", unit="st", baseline=1)
    manual = GateCriterion.objects.filter(portfolio=portfolio, kind=CriterionKind.MANUAL)
    CriterionConfirmation.objects.create(
        initiative=full, criterion=manual.first(), confirmed_by=owner
    )
    GateCriterion.objects.create(
        portfolio=portfolio,
        gate="G1",
        label="Okänd",
        kind=CriterionKind.SYSTEM,
        system_check="finns_inte",
        order=99,
    )
    assert _disagreements([blank, spaces, full, half]) == []
