"""The demo is built through the workflow services: stages by decisions, with history."""

import pytest

from portfolio.demo import content
from portfolio.models import GateDecision, HistoryEntry, Initiative

pytestmark = pytest.mark.django_db


def test_every_demo_initiative_stands_in_its_stage_by_recorded_decisions(demo):
    for spec in content.PORTFOLIOS:
        for number, row in enumerate(spec["initiatives"], start=1):
            initiative = Initiative.objects.get(reference=f"{spec['prefix']}-{number}")
            assert initiative.title == row[0]
            assert initiative.stage == row[2]
            last = initiative.decisions.order_by("-decided_on", "-id").first()
            if row[2] != "ide":
                assert last.stage_after == row[2]
    approvals = GateDecision.objects.filter(outcome="godkand")
    assert approvals.exists()
    assert all(all(c["met"] for c in d.criteria_snapshot) for d in approvals)


def test_demo_changes_have_history_naming_who_acted(demo):
    entities = set(HistoryEntry.objects.values_list("entity", flat=True))
    assert {"initiative", "decision", "participation", "status", "priority"} <= entities
    assert not HistoryEntry.objects.filter(actor__isnull=True).exists()


def test_demo_participants_match_the_content(demo):
    spec = content.PORTFOLIOS[0]
    row = spec["initiatives"][0]
    initiative = Initiative.objects.get(reference="DAL-1")
    codes = set(
        initiative.participations.filter(status="deltar").values_list(
            "municipality__code", flat=True
        )
    )
    assert codes == set(row[7])
