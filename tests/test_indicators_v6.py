"""The V6 follow-up indicators: every one, for the period and the one before,
each figure naming the initiatives behind it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from portfolio.choices import (
    CostKind,
    CostNature,
    DecisionBody,
    DecisionKind,
    DecisionOutcome,
    Stage,
    TargetGroup,
)
from portfolio.models import CostEntry, GateDecision, Initiative, Participation
from portfolio.periods import parse_period
from portfolio.selectors.indicators import portfolio_indicators
from tests import factories

pytestmark = pytest.mark.django_db

H1 = parse_period("2026H1")


def _submitted(initiative, day):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    Initiative.objects.filter(pk=initiative.pk).update(submitted_at=moment)


def _approve(initiative, kind, before, after, day, actor):
    GateDecision.objects.create(
        initiative=initiative,
        kind=kind,
        outcome=DecisionOutcome.APPROVED,
        stage_before=before,
        stage_after=after,
        decided_on=day,
        body=DecisionBody.PROGRAM,
        recorded_by=actor,
    )


@pytest.fixture
def followed():
    """A: new idea in H1; B: förstudie done in H1, one municipality left; C: implemented."""
    actor = factories.user("1460", Role.DIRECTOR)
    portfolio = factories.portfolio()
    m = factories.municipality
    a = factories.initiative(portfolio, title="A", proposing_municipality=m("1460"))
    _submitted(a, dt.date(2026, 2, 1))
    _approve(a, DecisionKind.G0, Stage.IDEA, Stage.PRESTUDY, dt.date(2026, 3, 1), actor)

    b = factories.initiative(portfolio, title="B", proposing_municipality=m("1492"))
    _submitted(b, dt.date(2025, 8, 1))
    _approve(b, DecisionKind.G0, Stage.IDEA, Stage.PRESTUDY, dt.date(2025, 9, 1), actor)
    _approve(b, DecisionKind.G1, Stage.PRESTUDY, Stage.PROJECT, dt.date(2026, 4, 1), actor)
    Participation.objects.create(initiative=b, municipality=m("1460"), status="deltar")
    Participation.objects.create(
        initiative=b,
        municipality=m("1438"),
        status="lamnat",
        joined_on=dt.date(2025, 9, 1),
        left_on=dt.date(2026, 5, 1),
        leave_reason="Budgeten räcker inte",
    )
    for day, kind, amount in (
        (dt.date(2025, 10, 1), CostKind.DEVELOPMENT, 50_000),
        (dt.date(2026, 3, 10), CostKind.DEVELOPMENT, 100_000),
        (dt.date(2026, 5, 5), CostKind.OPERATION, 20_000),
    ):
        CostEntry.objects.create(
            initiative=b, kind=kind, nature=CostNature.ACTUAL, period=day, amount=amount
        )
    CostEntry.objects.create(
        initiative=b,
        kind=CostKind.DEVELOPMENT,
        nature=CostNature.ESTIMATE,
        period=dt.date(2026, 3, 1),
        amount=999_999,
    )

    c = factories.initiative(
        portfolio,
        title="C",
        proposing_municipality=m("1461"),
        target_group=TargetGroup.RESIDENTS,
        is_new=True,
        is_useful=True,
        is_used=True,
    )
    _submitted(c, dt.date(2025, 1, 10))
    _approve(c, DecisionKind.G0, Stage.IDEA, Stage.PRESTUDY, dt.date(2025, 2, 1), actor)
    _approve(c, DecisionKind.G1, Stage.PRESTUDY, Stage.PROJECT, dt.date(2025, 4, 1), actor)
    _approve(c, DecisionKind.G2, Stage.PROJECT, Stage.IMPLEMENTATION, dt.date(2025, 11, 1), actor)
    _approve(c, DecisionKind.G3, Stage.IMPLEMENTATION, Stage.OPERATION, dt.date(2026, 6, 1), actor)
    Participation.objects.create(
        initiative=c, municipality=m("1461"), status="deltar", implemented_on=dt.date(2026, 5, 15)
    )
    Participation.objects.create(
        initiative=c,
        municipality=m("1487"),
        status="deltar",
        implemented_on=dt.date(2026, 6, 20),
        is_late_implementer=True,
    )
    return portfolio, actor, a, b, c


def test_incoming_initiatives_per_municipality_with_previous_period(followed):
    portfolio, _actor, a, b, _c = followed
    report = portfolio_indicators(portfolio, H1)
    assert report.previous_period.label == "2025H2"
    bengtsfors = report.row(f"incoming-{factories.municipality('1460').pk}")
    assert (bengtsfors.current.value, bengtsfors.previous.value) == (1, 0)
    assert bengtsfors.current.initiative_ids == (a.pk,)
    amal = report.row(f"incoming-{factories.municipality('1492').pk}")
    assert (amal.current.value, amal.previous.value) == (0, 1)
    assert amal.previous.initiative_ids == (b.pk,)
    assert report.row("incoming-total").current.value == 1


def test_initiatives_carried_out_by_stage(followed):
    portfolio, _actor, _a, b, c = followed
    report = portfolio_indicators(portfolio, H1)
    assert report.row("carried-out-forstudie").current.initiative_ids == (b.pk,)
    assert report.row("carried-out-implementation").current.initiative_ids == (c.pk,)
    assert report.row("carried-out-projekt").current.value == 0
    assert report.row("carried-out-projekt").previous.initiative_ids == (c.pk,)
    assert report.row("carried-out-uppdrag").current.value == 0


def test_municipalities_that_implemented_and_that_implemented_afterwards(followed):
    portfolio, *_rest, c = followed
    report = portfolio_indicators(portfolio, H1)
    assert report.row("implemented").current.value == 1
    assert report.row("implemented").current.initiative_ids == (c.pk,)
    assert report.row("implemented-late").current.value == 1
    assert report.row("implemented").previous.value == 0


def test_per_initiative_participants_leavers_costs_and_lead_times(followed):
    portfolio, _actor, a, b, c = followed
    report = portfolio_indicators(portfolio, H1)
    rows = {f.title: f for f in report.per_initiative}
    assert set(rows) == {"A", "B", "C"}
    assert rows["B"].participating == 1
    assert rows["B"].left == 1
    assert rows["B"].leave_reasons == (("Dals-Ed", "Budgeten räcker inte"),)
    assert rows["B"].development_cost == 100_000  # actual in H1; estimates do not count
    assert rows["B"].operation_cost == 20_000
    assert rows["A"].days_to_prestudy == 28
    assert rows["B"].days_to_project == (dt.date(2026, 4, 1) - dt.date(2025, 8, 1)).days
    assert report.row("development-cost").current.value == 100_000
    assert report.row("development-cost").previous.value == 50_000
    assert report.row("left").current.initiative_ids == (b.pk,)
    # Started förstudie in H1: only A.
    assert report.row("days-to-prestudy").current.initiative_ids == (a.pk,)


def test_three_n_by_target_group(followed):
    portfolio, *_rest, c = followed
    report = portfolio_indicators(portfolio, H1)
    assert report.row("3n-invanare-all").current.initiative_ids == (c.pk,)
    assert report.row("3n-invanare-new").current.value == 1
    assert report.row("3n-medarbetare-all").current.value == 0
    assert report.row("3n-invanare-all").previous.value == 0  # implemented in 2026


def test_indicator_queries_do_not_grow(followed):
    portfolio = followed[0]
    with CaptureQueriesContext(connection) as few:
        portfolio_indicators(portfolio, H1)
    for n in range(20):
        factories.initiative(portfolio, title=f"Fler {n}")
    with CaptureQueriesContext(connection) as more:
        portfolio_indicators(portfolio, H1)
    assert len(few) == len(more) <= 6


def test_indicators_page_lists_the_initiatives_behind_a_figure(client, followed):
    portfolio, actor, _a, b, _c = followed
    client.force_login(actor)
    url = reverse("portfolio:indicators", args=[portfolio.pk])
    page = client.get(url, {"period": "2026H1"}).content.decode()
    assert "Uppföljning 2026H1" in page
    assert "2025H2" in page
    assert "?period=2026H1&amp;visa=carried-out-forstudie" in page
    page = client.get(url, {"period": "2026H1", "visa": "carried-out-forstudie"}).content.decode()
    drill = page[page.index('id="shown-heading"') :]
    drill = drill[: drill.index("</section>")]
    assert b.reference in drill


def test_indicators_page_with_a_bad_period_says_how_to_write_it(client, followed):
    portfolio, actor, *_rest = followed
    client.force_login(actor)
    response = client.get(reverse("portfolio:indicators", args=[portfolio.pk]), {"period": "H3"})
    assert response.status_code == 200
    assert "Ange perioden som ett halvår, till exempel 2026H1" in response.content.decode()
