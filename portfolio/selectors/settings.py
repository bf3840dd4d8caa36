"""Reads for the portfolio office's settings pages and API.

Everything starts from `visible_portfolios`: a portfolio outside the user's
constellations answers 404 here, for readers and writers alike.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from accounts.roles import holders_q

from ..choices import Gate
from ..domain.gate_checks import SYSTEM_CHECKS
from ..gate_defaults import DEFAULT_CRITERIA
from ..models import (
    AllocationKey,
    CriterionConfirmation,
    GateCriterion,
    GateDecision,
    Portfolio,
    PriorityCriterion,
    Program,
    ProgramBudget,
    SettingsChange,
)
from .access import visible_portfolios
from .history import MEETING_ENTITY, settings_line


def settings_portfolio(user, pk: int) -> Portfolio:
    return get_object_or_404(visible_portfolios(user).select_related("constellation"), pk=pk)


def system_check_choices() -> list[tuple[str, str]]:
    """The system's checks, named by the label the default checklist gives them."""

    labels = {code: str(label) for _gate, label, _kind, code in DEFAULT_CRITERIA if code}
    return [(code, labels.get(code, code)) for code in SYSTEM_CHECKS]


def criteria_in_decisions(portfolio: Portfolio) -> set[int]:
    """Ids of the criteria some decision's snapshot names (one query, no JSON lookups,
    so it reads the same on SQLite and PostgreSQL)."""
    ids = set()
    for snapshot in GateDecision.objects.filter(initiative__portfolio=portfolio).values_list(
        "criteria_snapshot", flat=True
    ):
        for row in snapshot or []:
            if isinstance(row, dict) and isinstance(row.get("id"), int):
                ids.add(row["id"])
    return ids


@dataclass
class GateGroup:
    gate: str
    label: str
    criteria: list = field(default_factory=list)


def gate_criteria_groups(portfolio: Portfolio, gate: str | None = None) -> list[GateGroup]:
    """Each gate with its criteria in order, each marked `in_use` when a decision or a
    confirmation refers to it (those can only be deactivated)."""
    referenced = criteria_in_decisions(portfolio)
    criteria = gate_criteria_queryset(portfolio)
    if gate:
        criteria = criteria.filter(gate=gate)
    groups = {g: GateGroup(g, label) for g, label in Gate.choices if gate in (None, g)}
    for criterion in criteria:
        criterion.in_use = criterion.has_confirmations or criterion.pk in referenced
        groups[criterion.gate].criteria.append(criterion)
    return list(groups.values())


def gate_criteria_queryset(portfolio: Portfolio) -> QuerySet[GateCriterion]:
    return (
        GateCriterion.objects.filter(portfolio=portfolio)
        .annotate(
            has_confirmations=Exists(CriterionConfirmation.objects.filter(criterion=OuterRef("pk")))
        )
        .order_by("gate", "order", "pk")
    )


def gate_criterion_for(portfolio: Portfolio, pk: int) -> GateCriterion:
    criterion = get_object_or_404(GateCriterion, portfolio=portfolio, pk=pk)
    criterion.portfolio = portfolio
    return criterion


def allocation_key_versions(portfolio: Portfolio) -> QuerySet[AllocationKey]:
    """Newest first; `settled_count` > 0 marks a version a settled period used."""
    return (
        AllocationKey.objects.filter(portfolio=portfolio)
        .select_related("created_by")
        .annotate(settled_count=Count("settled_periods"))
        .order_by("-valid_from")
    )


def allocation_key_for(portfolio: Portfolio, pk: int) -> AllocationKey:
    return get_object_or_404(allocation_key_versions(portfolio), pk=pk)


def priority_criteria(portfolio: Portfolio) -> QuerySet[PriorityCriterion]:
    return (
        PriorityCriterion.objects.filter(portfolio=portfolio)
        .annotate(score_count=Count("scores"))
        .order_by("order", "pk")
    )


def priority_criterion_for(portfolio: Portfolio, pk: int) -> PriorityCriterion:
    criterion = get_object_or_404(priority_criteria(portfolio), pk=pk)
    criterion.portfolio = portfolio
    return criterion


def programs_with_budgets(portfolio: Portfolio) -> QuerySet[Program]:
    return (
        Program.objects.filter(portfolio=portfolio)
        .select_related("manager__municipality")
        .prefetch_related(Prefetch("budgets", queryset=ProgramBudget.objects.order_by("year")))
        .order_by("name")
    )


def program_for(portfolio: Portfolio, pk: int) -> Program:
    program = get_object_or_404(programs_with_budgets(portfolio), pk=pk)
    program.portfolio = portfolio
    return program


def program_manager_candidates(portfolio: Portfolio) -> QuerySet[User]:
    """Users of the constellation's municipalities holding the programledare role."""
    return (
        User.objects.filter(
            holders_q([Role.PROGRAM_MANAGER], timezone.localdate(), portfolio.pk, within=True),
            is_active=True,
            municipality__in=portfolio.constellation.members.values("pk"),
        )
        .select_related("municipality")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def settings_history(portfolio: Portfolio, limit: int | None = 50) -> QuerySet[SettingsChange]:
    # A meeting's changes are shown on the meeting's page, not among the settings.
    queryset = (
        SettingsChange.objects.filter(portfolio=portfolio)
        .exclude(entity=MEETING_ENTITY)
        .select_related("actor")
    )
    return queryset[:limit] if limit else queryset


def history_rows(portfolio: Portfolio, limit: int = 30) -> list[SettingsChange]:
    """History for the page, each row with `action_label` and `lines` in plain text."""
    rows = list(settings_history(portfolio, limit=limit))
    for row in rows:
        line = settings_line(row)
        row.action_label = line.sentence
        row.lines = [f"{change.label}: {change.text}" for change in line.changes]
    return rows
