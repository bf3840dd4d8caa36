"""What a gate decision rests on: the initiative's estimates, who takes part and how the
estimated costs split between them under the key in force on the decision date.

The decision service stores this with the decision, so the decision memo and the
decision page show what the deciders saw, whatever is corrected later. Before a
decision the memo computes the same thing live, from this one function.
"""

import datetime as dt
from fractions import Fraction

from django.core.exceptions import ValidationError

from ..choices import CostKind, CostNature, ParticipationStatus
from ..models import CostEntry, GateDecision, Participation
from .economy_tools import allocation_preview
from .keys import portfolio_key_in_force


def _estimates(initiative) -> list[dict]:
    rows = CostEntry.objects.filter(initiative=initiative, nature=CostNature.ESTIMATE).order_by(
        "kind", "period", "pk"
    )
    return [
        {
            "entry": row.pk,
            "kind": row.kind,
            "period": row.period.isoformat(),
            "amount": row.amount,
            "description": row.description,
        }
        for row in rows
    ]


def _totals(estimates: list[dict]) -> tuple[int, int]:
    development = sum(e["amount"] for e in estimates if e["kind"] == CostKind.DEVELOPMENT)
    operation = sum(e["amount"] for e in estimates if e["kind"] == CostKind.OPERATION)
    return development, operation


def estimate_totals(initiative) -> tuple[int, int]:
    """The initiative's estimated development and operation costs, in kronor."""
    return _totals(_estimates(initiative))


def _participants(initiative) -> list[dict]:
    rows = (
        Participation.objects.filter(
            initiative=initiative, status=ParticipationStatus.PARTICIPATING
        )
        .select_related("municipality")
        .order_by("municipality__name")
    )
    return [{"code": p.municipality.code, "name": p.municipality.name} for p in rows]


def _split(codes: list[str], amount: int, key) -> list:
    try:
        return allocation_preview(
            municipalities=codes,
            amount=amount,
            population_weight=key.population_weight,
            equal_weight=key.equal_weight,
            population_year=key.population_year,
        )
    except ValidationError:
        # The key's population year is missing for a participant: no split can be
        # shown, and the memo says so rather than the decision failing.
        return []


def municipality_share(initiative, municipality, *, joining: bool, on: dt.date) -> dict | None:
    """What `municipality` bears of the initiative's estimates when it takes part:
    with it added to today's participants (`joining`) or as they stand (leaving).
    None without a key or estimates to split."""
    development, operation = estimate_totals(initiative)
    key = portfolio_key_in_force(initiative.portfolio, on)
    codes = {p["code"] for p in _participants(initiative)} | {municipality.code}
    if key is None or not (development or operation):
        return None
    ordered = sorted(codes)

    def part(amount):
        rows = {row.code: row.amount for row in _split(ordered, amount, key)}
        return rows.get(municipality.code, 0)

    return {
        "joining": joining,
        "development": part(development),
        "operation": part(operation),
        "development_total": development,
        "operation_total": operation,
        "participants": len(ordered),
        "population_weight": key.population_weight,
        "equal_weight": key.equal_weight,
        "population_year": key.population_year,
    }


def decision_basis(initiative, on: dt.date) -> dict:
    """The basis as it stands now, with the key in force on `on`."""
    estimates = _estimates(initiative)
    development, operation = _totals(estimates)
    participants = _participants(initiative)
    key = portfolio_key_in_force(initiative.portfolio, on)
    allocation = []
    if participants and key is not None:
        codes = [p["code"] for p in participants]
        operation_split = {row.code: row.amount for row in _split(codes, operation, key)}
        allocation = [
            {
                "code": row.code,
                "name": row.name,
                "population": row.population,
                "share": str(Fraction(row.share)),
                "development": row.amount,
                "operation": operation_split.get(row.code, 0),
            }
            for row in _split(codes, development, key)
        ]
    return {
        "estimates": estimates,
        "development": development,
        "operation": operation,
        "participants": participants,
        "key": None
        if key is None
        else {
            "valid_from": key.valid_from.isoformat(),
            "population_weight": key.population_weight,
            "equal_weight": key.equal_weight,
            "population_year": key.population_year,
            "decision_reference": key.decision_reference,
        },
        "allocation": allocation,
    }


def _entries(decision) -> set[int]:
    return {e["entry"] for e in (decision.basis or {}).get("estimates", ())}


def estimate_entries_behind_decisions(initiative_ids) -> set[int]:
    """Ids of the estimate entries some recorded decision rests on."""
    ids: set[int] = set()
    for decision in GateDecision.objects.filter(initiative_id__in=initiative_ids).only("basis"):
        ids |= _entries(decision)
    return ids


def decisions_resting_on(entry) -> list:
    """The decisions whose basis holds this estimate entry, oldest first."""
    decisions = GateDecision.objects.filter(initiative_id=entry.initiative_id).order_by(
        "decided_on", "pk"
    )
    return [d for d in decisions if entry.pk in _entries(d)]
