"""Labels of choices shown in bulk come from a kept dictionary, in the active language."""

from django.utils import translation

from portfolio.choices import DecisionOutcome, Stage
from portfolio.models import GateDecision, Initiative


def test_labels_follow_the_active_language():
    decision = GateDecision(outcome=DecisionOutcome.APPROVED)
    with translation.override("sv"):
        assert decision.get_outcome_display() == "Godkänd"
    with translation.override("en"):
        assert decision.get_outcome_display() == "Approved"
    with translation.override("sv"):
        assert decision.get_outcome_display() == "Godkänd"


def test_a_value_that_is_no_choice_is_shown_as_it_is():
    assert GateDecision(outcome="okand").get_outcome_display() == "okand"
    assert Initiative(stage="").get_stage_display() == ""


def test_every_stage_reads_as_django_would_label_it():
    with translation.override("sv"):
        for value, label in Stage.choices:
            assert Initiative(stage=value).get_stage_display() == str(label)
