"""The benchmark's generator, on a tiny scale: exact counts, a coherent domain, a seed."""

import pytest
from django.db.models import Count, F

from portfolio.bench.dataset import (
    BENCH_MUNICIPALITY,
    BENCH_USERNAME,
    TINY,
    Reference,
    build_dataset,
)
from portfolio.bench.load import counts, find_dataset, generate
from portfolio.choices import DecisionOutcome, ParticipationStatus, Stage
from portfolio.models import (
    CostEntry,
    GateDecision,
    Initiative,
    Participation,
    TimeEntry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny():
    generate(7, TINY)
    return find_dataset()


def test_counts_are_exactly_the_scale(tiny):
    got = counts()
    assert got["portfolio_initiative"] == TINY.initiatives
    assert got["portfolio_participation"] == TINY.participations
    assert got["portfolio_costentry"] == TINY.cost_entries
    assert got["portfolio_timeentry"] == TINY.time_entries
    assert got["portfolio_gatedecision"] == TINY.decisions
    assert got["portfolio_statusupdate"] == TINY.status_updates
    assert got["portfolio_program"] == TINY.programs
    assert got["portfolio_portfolio"] == TINY.portfolios
    assert got["municipalities_constellation"] == TINY.constellations
    assert tiny.largest_portfolio_size == TINY.largest_portfolio
    assert tiny.export_program_size == TINY.export_program


def test_bench_user_directs_a_member_of_the_largest_portfolio(tiny):
    from accounts.models import User
    from portfolio.selectors.access import visible_portfolios

    user = User.objects.get(username=BENCH_USERNAME)
    assert user.municipality.code == BENCH_MUNICIPALITY
    assert user.has_role("kommundirektor")
    assert visible_portfolios(user).filter(pk=tiny.largest_portfolio_id).exists()
    assert user.check_password("bench-samverkan-2026")


def test_participants_are_members_of_the_portfolios_constellation():
    generate(7, TINY)
    outside = Participation.objects.exclude(
        municipality__constellations=F("initiative__portfolio__constellation")
    )
    assert not outside.exists()


def test_the_last_deciding_decision_leads_to_the_stage(tiny):
    for initiative in Initiative.objects.all():
        deciding = [
            d
            for d in GateDecision.objects.filter(initiative=initiative).order_by("decided_on", "id")
            if d.outcome != DecisionOutcome.RETURNED
        ]
        if initiative.stage == Stage.IDEA:
            assert deciding == []
        else:
            assert deciding[-1].stage_after == initiative.stage
            for before, after in zip(deciding, deciding[1:], strict=False):
                assert after.stage_before == before.stage_after
                assert after.decided_on >= before.decided_on


def test_money_comes_from_participants(tiny):
    working = (ParticipationStatus.PARTICIPATING, ParticipationStatus.LEFT)
    for cost in CostEntry.objects.exclude(paid_by=None).select_related("initiative")[:200]:
        assert Participation.objects.filter(
            initiative=cost.initiative_id, municipality=cost.paid_by_id
        ).exists()
    hours = TimeEntry.objects.values("initiative", "municipality").annotate(n=Count("id"))
    for row in hours[:200]:
        assert (
            Participation.objects.filter(
                initiative=row["initiative"], municipality=row["municipality"], status__in=working
            ).exists()
            or not Participation.objects.filter(
                initiative=row["initiative"], status__in=working
            ).exists()
        )


def test_the_same_seed_builds_the_same_rows_and_another_seed_does_not(db):
    reference = Reference.load()

    def rows(seed):
        tables = build_dataset(seed, TINY, reference, _ids())
        return [(t.model._meta.db_table, list(t.rows)) for t in tables]

    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def _ids():
    from portfolio.bench.dataset import MODELS

    return dict.fromkeys(MODELS, 1)


def test_every_municipality_of_the_country_takes_part_at_national_scale(db):
    from municipalities.models import Municipality
    from portfolio.bench.dataset import NATIONAL, _Builder

    builder = _Builder(2026, NATIONAL, Reference.load(), _ids())
    _constellations, members = builder.constellations()
    assert len({row[2] for row in members.rows}) == Municipality.objects.count() == 290
    assert len(builder.groups) == NATIONAL.constellations
