"""Records fixed in time: every follow-up figure of a period is computed as of its end.

A late joiner, a leaver, a new idea, a decision, a status report, costs and a new
member of the constellation, all recorded in 2026 through the services, leave the
figures of 2025H2 exactly as they were; and each figure counts what stood at the end.
"""

import datetime as dt
import re

import factories
import pytest
from django.utils import timezone
from workflow_builders import (
    AMAL,
    BENGTSFORS,
    DALS_ED,
    approve,
    fresh,
    idea,
    meet_g0,
    meet_g1,
    world,
)

from accounts.models import Role
from municipalities.choices import ChangeAction, ChangeSubject
from municipalities.history import reference_change_record
from municipalities.membership import members_on
from portfolio.choices import CostKind, CostNature, DecisionKind, DecisionOutcome, Stage
from portfolio.models import Participation
from portfolio.periods import half_year_of, parse_period
from portfolio.selectors.economy import (
    initiative_economy,
    municipality_economy,
    portfolio_economy,
    program_economy,
)
from portfolio.selectors.indicators import portfolio_indicators
from portfolio.services import participation as participation_svc
from portfolio.services import workflow
from portfolio.services.costs import cost_entry_create
from portfolio.services.status import status_update_create
from reports.selectors import municipality_report_data
from reports.selectors_board import board_report_data

pytestmark = pytest.mark.django_db

H2_2025 = parse_period("2025H2")
H1_2026 = parse_period("2026H1")
SKARA_LIKE = "1462"  # Lilla Edet: not among the six, joins the constellation in 2026


def _this_half_year():
    """The period that holds today, when the constellation's new member was added."""
    return half_year_of(timezone.localdate())


def _status(w, initiative, day, health):
    status_update_create(
        actor=w.coordinator,
        initiative=fresh(initiative),
        reported_on=day,
        health_time=health,
        health_cost="gron",
        health_quality="gron",
        progress=20,
    )


def _cost(w, initiative, day, amount, nature=CostNature.ACTUAL, paid_by=BENGTSFORS):
    cost_entry_create(
        actor=w.coordinator,
        initiative=fresh(initiative),
        kind=CostKind.DEVELOPMENT,
        nature=nature,
        period=day,
        amount=amount,
        paid_by=factories.municipality(paid_by) if nature == CostNature.ACTUAL else None,
    )


def _participation(initiative, code) -> Participation:
    return Participation.objects.select_related("municipality", "initiative").get(
        initiative=initiative, municipality__code=code
    )


@pytest.fixture
def w():
    """In 2025: X in förstudie since 2025-12-10 with Bengtsfors and Åmål taking part,
    a development cost and a green status report; Y an idea of 2025."""
    w = world()
    w.director_dals_ed = factories.user(DALS_ED, Role.DIRECTOR, username="kd_dalsed")
    x = idea(w, title="Gemensam e-arkiv")
    meet_g0(w, x)
    approve(w, x, DecisionKind.G0, decided_on=dt.date(2025, 12, 10))
    meet_g1(w, x)  # Bengtsfors takes part from 2025-09-01
    amal = participation_svc.participation_invite(
        actor=w.manager, initiative=fresh(x), municipality=factories.municipality(AMAL)
    )
    participation_svc.participation_answer(
        actor=w.director_amal,
        participation=amal,
        version=amal.version,
        answer="deltar",
        joined_on=dt.date(2025, 10, 1),
    )
    _cost(w, x, dt.date(2025, 11, 3), 120_000)
    _status(w, x, dt.date(2025, 12, 15), "gron")
    w.x = fresh(x)
    w.y = idea(w, title="Chattbot")
    return w


def _record_2026(w):
    """What happens after 2025: all of it through the services."""
    x = w.x
    dals_ed = participation_svc.participation_invite(
        actor=w.manager, initiative=fresh(x), municipality=factories.municipality(DALS_ED)
    )
    participation_svc.participation_answer(
        actor=w.director_dals_ed,
        participation=dals_ed,
        version=dals_ed.version,
        answer="deltar",
        joined_on=dt.date(2026, 2, 15),
    )
    amal = _participation(x, AMAL)
    participation_svc.participation_leave(
        actor=w.director_amal,
        participation=amal,
        version=amal.version,
        left_on=dt.date(2026, 3, 1),
        reason="Budgeten räcker inte.",
    )
    approve(w, x, DecisionKind.G1, target_stage=Stage.PROJECT, decided_on=dt.date(2026, 3, 20))
    _status(w, x, dt.date(2026, 4, 1), "rod")
    _cost(w, x, dt.date(2026, 4, 2), 300_000)
    _cost(w, x, dt.date(2026, 9, 1), 50_000, nature=CostNature.ESTIMATE)
    factories.submitted_on(idea(w, title="Digital signering"), dt.date(2026, 4, 10))
    constellation = w.portfolio.constellation
    newcomer = factories.municipality(SKARA_LIKE)
    constellation.members.add(newcomer)
    reference_change_record(
        subject=ChangeSubject.CONSTELLATION,
        subject_id=constellation.pk,
        subject_name=constellation.name,
        action=ChangeAction.MEMBER_ADDED,
        actor=w.coordinator,
        municipality=newcomer,
        reason="Ny medlem 2026.",
    )


def _indicator_figures(portfolio, period):
    report = portfolio_indicators(portfolio, period)
    rows = [
        (row.key, row.label, row.current, row.previous)
        for section in report.sections
        for row in section.rows
    ]
    return rows, report.per_initiative


def _board_figures(portfolio, period):
    data = board_report_data(portfolio, period)
    # What awaits the next meeting is of the day the report is made, by design.
    summary = {k: v for k, v in data["summary"].items() if not k.startswith("awaiting")}
    return {
        "summary": summary,
        "programs": data["programs"],
        "decisions": [d.pk for d in data["decisions"]],
        "budget_rows": data["budget_rows"],
        "economy": data["economy"].as_dict(),
        "indicators": [
            (row.key, row.current, row.previous)
            for section in data["indicators"].sections
            for row in section.rows
        ],
        # Element ids are numbered per rendering; the drawing is what must not change.
        "charts": [re.sub(r"chart-\d+", "chart", svg) for svg in data["charts"]],
    }


def _economy_figures(w, period):
    return (
        portfolio_economy(w.portfolio, period).as_dict(),
        program_economy(w.program, period).as_dict(),
        initiative_economy(w.x, period).as_dict(),
    )


def _municipality_figures(period):
    result = []
    for code in (BENGTSFORS, AMAL, DALS_ED, SKARA_LIKE):
        data = municipality_report_data(factories.municipality(code), period)
        result.append(
            (
                [(s["portfolio"].pk, s["row"], s["participations"]) for s in data["sections"]],
                data["totals"],
                data["participating_count"],
            )
        )
    return result


def test_the_figures_of_2025h2_stay_the_same_after_what_2026_brings(w):
    before = (
        _indicator_figures(w.portfolio, H2_2025),
        _board_figures(w.portfolio, H2_2025),
        _economy_figures(w, H2_2025),
        _municipality_figures(H2_2025),
    )
    _record_2026(w)
    after = (
        _indicator_figures(w.portfolio, H2_2025),
        _board_figures(w.portfolio, H2_2025),
        _economy_figures(w, H2_2025),
        _municipality_figures(H2_2025),
    )
    assert after[0] == before[0]
    assert after[1] == before[1]
    assert after[2] == before[2]
    assert after[3] == before[3]
    # The events did reach the figures of 2026: the comparison is not of empty lists.
    assert _indicator_figures(w.portfolio, H1_2026) != before[0]


def _per_initiative(portfolio, period, initiative):
    report = portfolio_indicators(portfolio, period)
    return next(f for f in report.per_initiative if f.initiative_id == initiative.pk)


def test_participants_stage_and_leavers_are_counted_as_of_each_period_end(w):
    _record_2026(w)
    then = _per_initiative(w.portfolio, H2_2025, w.x)
    # Bengtsfors and Åmål; Dals-Ed joined in 2026; Åmål had not left yet.
    assert (then.participating, then.left, then.stage) == (2, 0, Stage.PRESTUDY)
    assert (then.days_to_prestudy, then.days_to_project) == (9, None)  # G1 came in 2026
    later = _per_initiative(w.portfolio, H1_2026, w.x)
    # Åmål left on 2026-03-01, Dals-Ed joined on 2026-02-15, G1 on 2026-03-20.
    assert (later.participating, later.left, later.stage) == (2, 1, Stage.PROJECT)
    assert later.leave_reasons == (("Åmål", "Budgeten räcker inte."),)


def test_incoming_counts_each_idea_in_its_own_period_and_members_as_they_were(w):
    _record_2026(w)
    newcomer = factories.municipality(SKARA_LIKE)
    then = portfolio_indicators(w.portfolio, H2_2025)
    assert then.row("incoming-total").current.value == 2  # X and Y, both of 2025-12-01
    assert then.row(f"incoming-{newcomer.pk}") is None  # not a member then
    later = portfolio_indicators(w.portfolio, H1_2026)
    assert later.row("incoming-total").current.value == 1
    now = portfolio_indicators(w.portfolio, _this_half_year())
    assert now.row(f"incoming-{newcomer.pk}") is not None


def test_board_report_shows_the_portfolio_as_it_stood_at_the_period_end(w):
    _record_2026(w)
    then = board_report_data(w.portfolio, H2_2025)
    assert then["summary"]["all"] == 2  # the idea of April 2026 did not exist
    lines = {line.pk: line for section in then["programs"] for line in section.exceptions}
    # Green and in förstudie at the end of 2025, named for its new stage only.
    assert (lines[w.x.pk].stage, lines[w.x.pk].health) == (Stage.PRESTUDY, "gron")
    assert [code for code, _text in lines[w.x.pk].reason_codes] == ["stage_changed"]
    later = board_report_data(w.portfolio, H1_2026)
    assert later["summary"]["all"] == 3
    assert later["summary"]["red"] == 1
    line = next(
        line for section in later["programs"] for line in section.exceptions if line.pk == w.x.pk
    )
    assert line.stage == Stage.PROJECT
    # The year's costs as they stood on 2026-06-30: the estimate made in 2026 for
    # September is there only if it was registered by then (it was, today is later).
    assert sum(row.actual for row in later["budget_rows"]) == 300_000


def test_an_initiative_submitted_after_the_period_is_not_in_its_board_report(w):
    late = idea(w, title="Registrerad i december")
    factories.submitted_on(late, dt.date(2026, 12, 1))
    report = board_report_data(w.portfolio, H1_2026)
    assert report["summary"]["all"] == 2
    assert all(a.initiative.pk != late.pk for a in report["awaiting"])


def test_costs_against_budget_leave_out_what_was_spent_after_the_period(w):
    _cost(w, w.x, dt.date(2025, 7, 2), 1_000)
    report_2025 = board_report_data(w.portfolio, parse_period("2025-01-01:2025-09-30"))
    assert sum(row.actual for row in report_2025["budget_rows"]) == 1_000
    whole = board_report_data(w.portfolio, H2_2025)
    assert sum(row.actual for row in whole["budget_rows"]) == 121_000


def test_economy_rows_are_the_members_at_the_period_end(w):
    _record_2026(w)
    newcomer = factories.municipality(SKARA_LIKE)
    then = portfolio_economy(w.portfolio, H2_2025)
    assert newcomer.code not in {row.code for row in then.rows}
    now = portfolio_economy(w.portfolio, _this_half_year())
    assert newcomer.code in {row.code for row in now.rows}


def test_members_on_undoes_the_changes_after_the_day():
    changes = [
        (dt.date(2026, 2, 1), 1, 10, ChangeAction.MEMBER_ADDED),
        (dt.date(2026, 3, 1), 2, 11, ChangeAction.MEMBER_REMOVED),
        (dt.date(2025, 5, 1), 3, 12, ChangeAction.MEMBER_ADDED),
    ]
    today = {10, 12, 13}
    assert members_on(today, changes, dt.date(2025, 12, 31)) == {11, 12, 13}
    assert members_on(today, changes, dt.date(2026, 2, 1)) == {10, 11, 12, 13}
    assert members_on(today, changes, dt.date(2026, 6, 30)) == today


def test_municipality_report_shows_participation_as_it_stood_at_the_period_end(w):
    _record_2026(w)

    def statuses(code, period):
        data = municipality_report_data(factories.municipality(code), period)
        rows = [p for section in data["sections"] for p in section["participations"]]
        return {p.reference: (p.status, p.stage) for p in rows}, data["participating_count"]

    reference = w.x.reference
    assert statuses(AMAL, H2_2025) == ({reference: ("deltar", Stage.PRESTUDY)}, 1)
    assert statuses(AMAL, H1_2026) == ({reference: ("lamnat", Stage.PROJECT)}, 0)
    assert statuses(DALS_ED, H2_2025) == ({}, 0)  # joined in 2026
    assert statuses(DALS_ED, H1_2026) == ({reference: ("deltar", Stage.PROJECT)}, 1)
    newcomer = factories.municipality(SKARA_LIKE)
    assert municipality_report_data(newcomer, H2_2025)["sections"] == []
    assert len(municipality_report_data(newcomer, _this_half_year())["sections"]) == 1


def test_a_member_that_leaves_the_constellation_later_keeps_its_economy_of_the_period(w):
    constellation = w.portfolio.constellation
    amal = factories.municipality(AMAL)
    before = [e.as_dict() for e in municipality_economy(amal, H2_2025)]
    constellation.members.remove(amal)
    reference_change_record(
        subject=ChangeSubject.CONSTELLATION,
        subject_id=constellation.pk,
        subject_name=constellation.name,
        action=ChangeAction.MEMBER_REMOVED,
        actor=w.coordinator,
        municipality=amal,
        reason="Lämnar samverkan.",
    )
    assert [e.as_dict() for e in municipality_economy(amal, H2_2025)] == before
    assert before and municipality_economy(amal, _this_half_year()) == []


def test_a_correction_changes_the_stage_from_its_own_date(w):
    g1 = approve(
        w, w.x, DecisionKind.G1, target_stage=Stage.PROJECT, decided_on=dt.date(2026, 3, 20)
    )
    workflow.decision_record(
        actor=w.director,
        initiative=fresh(w.x),
        kind=DecisionKind.G1,
        outcome=DecisionOutcome.APPROVED,
        decided_on=dt.date(2026, 4, 5),
        motivation="Rättelse: ett uppdrag, inte ett projekt.",
        target_stage=Stage.ASSIGNMENT,
        corrects=g1,
    )
    march = parse_period("2026-01-01:2026-03-31")
    assert _per_initiative(w.portfolio, march, w.x).stage == Stage.PROJECT
    assert _per_initiative(w.portfolio, H1_2026, w.x).stage == Stage.ASSIGNMENT
    assert _per_initiative(w.portfolio, H2_2025, w.x).stage == Stage.PRESTUDY


def test_every_period_has_a_key_that_reads_back_as_itself():
    for text in ("2025H2", "2026H1", "2025-01-01:2025-09-30", "2026-03-01:2026-03-01"):
        period = parse_period(text)
        assert parse_period(period.key) == period
