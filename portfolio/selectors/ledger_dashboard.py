"""The dashboard's counts per program and stage, per health, and the initiatives awaiting
a decision, as ledgers (portfolio_ledger): each initiative's part, kept write by write.
The counting rules are dashboard.py's; these read them per initiative."""

from __future__ import annotations

from django.utils import translation

from ..choices import Health
from ..filters import HEALTH_FIELDS
from ..models import Initiative, Portfolio
from ..periods import parse_period
from . import dashboard as board
from .indicators import trend_by_initiative, trend_from_sums
from .portfolio_ledger import LedgerKind, register


def _initiatives(portfolio_id: int, initiative_ids=None):
    queryset = Initiative.objects.filter(portfolio_id=portfolio_id)
    if initiative_ids is not None:
        queryset = queryset.filter(pk__in=initiative_ids)
    return queryset


# -- counts per program and stage ---------------------------------------------------------


def _pipeline_contributions(portfolio_id: int, initiative_ids=None) -> dict[int, dict]:
    rows = board.pipeline_rows(_initiatives(portfolio_id, initiative_ids))
    return {pk: {(program, stage): 1} for pk, program, stage in rows}


def _pipeline_finish(_context, sums: dict) -> list[tuple[str, dict[str, int]]]:
    result: dict[str, dict[str, int]] = {}
    for (program, stage), n in sums.items():
        if n:
            result.setdefault(program, {})[stage] = n
    return sorted(result.items(), key=lambda item: (item[0] == "", item[0]))


PIPELINE = register(
    LedgerKind(
        "pipeline",
        lambda portfolio, _arg: (None, _pipeline_contributions(portfolio.pk)),
        lambda portfolio_id, _arg, ids: _pipeline_contributions(portfolio_id, ids),
        _pipeline_finish,
    )
)


# -- counts per health --------------------------------------------------------------------


def _health_contributions(portfolio_id: int, initiative_ids=None) -> dict[int, dict]:
    rows = board.health_rows(_initiatives(portfolio_id, initiative_ids))
    return {pk: _health_part(levels) for pk, *levels in rows}


def _health_part(levels) -> dict[str, int]:
    # As health_counts counts: a known level, or no report at all (None).
    part = {}
    for name, level in zip(HEALTH_FIELDS, levels, strict=True):
        if level is None:
            part[f"{name}__none"] = 1
        elif level in Health.values:
            part[f"{name}__{level}"] = 1
    return part


def _health_finish(_context, sums: dict) -> dict[str, int]:
    counts = {f"{n}__{level}": 0 for n in HEALTH_FIELDS for level in (*Health.values, "none")}
    counts.update(sums)
    return counts


HEALTH = register(
    LedgerKind(
        "health",
        lambda portfolio, _arg: (None, _health_contributions(portfolio.pk)),
        lambda portfolio_id, _arg, ids: _health_contributions(portfolio_id, ids),
        _health_finish,
    )
)


# -- awaiting a decision ------------------------------------------------------------------


def _awaiting_contributions(portfolio, language: str, initiative_ids=None) -> dict[int, tuple]:
    # The reasons are sentences in the reader's language: one ledger per language.
    with translation.override(language):
        found = board.awaiting_decisions(portfolio, _initiatives(portfolio.pk, initiative_ids))
    return {
        a.initiative.pk: (a.gate, a.met, a.total, a.unmet)
        + (a.initiative.reference, a.initiative.title)
        for a in found
    }


def _awaiting_finish(_context, by: dict[int, tuple]) -> list[tuple]:
    rows = [(pk, *entry) for pk, entry in by.items()]
    # As awaiting_decisions orders them: ready first, then gate and initiative.
    rows.sort(key=lambda r: (r[2] != r[3], r[1], r[0]))
    return rows


AWAITING = register(
    LedgerKind(
        "awaiting",
        lambda portfolio, language: (None, _awaiting_contributions(portfolio, language)),
        lambda portfolio_id, language, ids: _awaiting_contributions(
            Portfolio.objects.get(pk=portfolio_id), language, ids
        ),
        _awaiting_finish,
        additive=False,
    )
)


# -- the follow-up trend ------------------------------------------------------------------


def _periods(labels: str):
    return [parse_period(label) for label in labels.split(",")]


TREND = register(
    LedgerKind(
        "trend",
        lambda portfolio, labels: (
            len(labels.split(",")),
            trend_by_initiative(portfolio.pk, _periods(labels)),
        ),
        lambda portfolio_id, labels, ids: trend_by_initiative(portfolio_id, _periods(labels), ids),
        lambda n, sums: trend_from_sums(sums, n),
    )
)
