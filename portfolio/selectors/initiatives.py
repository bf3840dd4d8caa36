"""Reads about initiatives: the detail page, rankings and history."""

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from ..choices import TERMINAL_STAGES
from ..models import (
    CriterionConfirmation,
    EffectGoal,
    GateCriterion,
    GateDecision,
    HistoryEntry,
    Initiative,
    Participation,
    PriorityScore,
    StatusUpdate,
)
from .access import visible_initiatives


def initiative_detail_queryset(user) -> QuerySet[Initiative]:
    """Everything the detail page shows, in a fixed number of queries."""
    return (
        visible_initiatives(user)
        .select_related(
            "portfolio__constellation",
            "program__manager",
            "proposing_municipality",
            "owner",
        )
        .prefetch_related(
            Prefetch(
                "portfolio__gate_criteria",
                queryset=GateCriterion.objects.filter(is_active=True).order_by(
                    "gate", "order", "id"
                ),
            ),
            "portfolio__priority_criteria",
            "portfolio__constellation__members",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("municipality").order_by(
                    "municipality__name"
                ),
            ),
            Prefetch(
                "decisions",
                queryset=GateDecision.objects.select_related(
                    "recorded_by", "corrects", "deciding_body", "agenda_item"
                ).order_by("-decided_on", "-id"),
            ),
            Prefetch(
                "status_updates",
                queryset=StatusUpdate.objects.select_related("author", "municipality"),
            ),
            Prefetch(
                "effect_goals",
                queryset=EffectGoal.objects.select_related(
                    "owner", "portfolio_goal"
                ).prefetch_related("measurements"),
            ),
            Prefetch("priority_scores", queryset=PriorityScore.objects.select_related("criterion")),
            Prefetch(
                "confirmations",
                queryset=CriterionConfirmation.objects.select_related("confirmed_by", "criterion"),
            ),
            Prefetch("history", queryset=HistoryEntry.objects.select_related("actor")),
            "costs",
        )
    )


def initiative_for_detail(user, pk: int) -> Initiative:
    """The initiative with everything its page shows; 404 outside the user's portfolios."""
    return get_object_or_404(initiative_detail_queryset(user), pk=pk)


def initiative_visible(user, pk: int) -> Initiative:
    """A visible initiative for an action; 404 outside the user's portfolios."""
    queryset = visible_initiatives(user).select_related(
        "portfolio__constellation", "program", "proposing_municipality", "owner"
    )
    return get_object_or_404(queryset, pk=pk)


def ranked_initiatives(portfolio, program=None) -> QuerySet[Initiative]:
    """Open initiatives by priority score, highest first; unscored last."""
    queryset = Initiative.objects.filter(portfolio=portfolio).exclude(
        stage__in=list(TERMINAL_STAGES)
    )
    if program is not None:
        queryset = queryset.filter(program=program)
    return queryset.select_related("program").order_by(
        F("priority_score").desc(nulls_last=True), "id"
    )


def initiative_history(initiative) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.filter(initiative=initiative).select_related("actor")
