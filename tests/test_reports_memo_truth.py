"""The decision memo tells the truth: it proposes before the decision, states the
decision (body, date, §, who recorded it) after it, and says so when it proposes
passing a gate whose criteria are not all met."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from workflow_builders import TODAY, advance_to, fresh, idea, meet_g0, world

from portfolio.choices import DecisionKind, DecisionOutcome, Stage
from portfolio.services import workflow
from reports.selectors import decision_memo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def memo_text(initiative, gate, decision=None) -> str:
    """The memo as its reader sees it: the HTML that goes to WeasyPrint, as text."""
    with translation.override("sv"):
        context = decision_memo_data(fresh(initiative), gate, decision)
        page = render_to_string("reports/decision_memo.html", context)
    return " ".join(html.unescape(strip_tags(page)).split())


def test_before_the_decision_the_memo_proposes(w):
    initiative = idea(w)
    meet_g0(w, initiative)
    text = memo_text(initiative, "G0")
    assert "Förslag till beslut" in text
    assert "Programstyrgruppen föreslås besluta att" in text
    assert "godkänna att" in text and "går vidare från Idé till Förstudie" in text
    assert "beslutade" not in text and "registrerades av" not in text
    assert "Förslaget lämnas trots" not in text


def test_after_the_decision_the_memo_states_what_was_decided_by_whom_and_under_which_paragraph(
    w,
):
    initiative = idea(w)
    meet_g0(w, initiative)
    decision = workflow.decision_record(
        actor=w.manager,
        initiative=fresh(initiative),
        kind=DecisionKind.G0,
        outcome=DecisionOutcome.APPROVED,
        decided_on=TODAY,
        meeting_reference="Protokoll 2026-01-15 § 7",
    )
    recorder = w.manager.get_full_name() or w.manager.username
    # Asked for with the decision, or for the gate after it was passed: the same memo.
    for text in (memo_text(initiative, "G0", decision), memo_text(initiative, "G0")):
        assert (
            f"Programstyrgruppen beslutade {TODAY.isoformat()} (Protokoll 2026-01-15 § 7) att"
            in text
        )
        assert "godkänna att" in text and "går vidare från Idé till Förstudie" in text
        assert "Beslutet finns i protokollet, Protokoll 2026-01-15 § 7." in text
        assert f"Beslutet registrerades av {recorder}." in text
        assert "föreslås" not in text and "Förslag till beslut" not in text


def test_a_returned_decision_is_stated_as_returned(w):
    initiative = idea(w)
    decision = workflow.decision_record(
        actor=w.manager,
        initiative=fresh(initiative),
        kind=DecisionKind.G0,
        outcome=DecisionOutcome.RETURNED,
        decided_on=TODAY,
    )
    text = memo_text(initiative, "G0", decision)
    assert f"Programstyrgruppen beslutade {TODAY.isoformat()} att" in text
    assert "återremittera ärendet" in text and "godkänna" not in text
    assert "Beslutet har ingen protokollsparagraf angiven." in text
    # The gate is still ahead: a new memo for it proposes again.
    assert "föreslås besluta att" in memo_text(initiative, "G0")


def test_a_memo_proposing_approval_with_an_unmet_criterion_says_so(w):
    initiative = idea(w, need="")
    meet_g0(w, initiative)
    text = memo_text(initiative, "G0")
    assert "föreslås besluta att" in text
    unmet = re.findall(r"Förslaget lämnas trots att kriteriet ”([^”]+)” inte är uppfyllt\.", text)
    assert unmet == ["Beskrivningen är komplett"]


def test_the_decided_memo_shows_the_criteria_the_deciders_saw(w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    decision = fresh(initiative).decisions.get(kind=DecisionKind.G0)
    text = memo_text(initiative, "G0", decision)
    assert "Förslaget lämnas trots" not in text
    assert all(c["met"] for c in decision.criteria_snapshot)
    assert decision.criteria_snapshot[0]["label"] in text
