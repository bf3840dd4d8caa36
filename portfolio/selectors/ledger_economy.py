"""The portfolio's economy of a half-year and its costs against budget, as ledgers
(portfolio_ledger): each initiative's pools and sums, added up, then finished as the
full computation finishes them (economy_compute.finish). A test on PostgreSQL checks
that the kept figures equal a full computation after random sequences of writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Sum
from django.db.models.functions import ExtractYear

from ..choices import CostNature
from ..models import CostEntry, ProgramBudget, SettledPeriod
from ..periods import parse_period
from . import economy_data
from .economy import activity_entries
from .economy_compute import _Scope, accumulate, finish
from .economy_data import RawEconomy
from .portfolio_ledger import LedgerKind, register

# -- economy ------------------------------------------------------------------------------

_FIELDS = ("paid", "hours", "hours_cents", "buy_in", "buy_in_charged", "buy_in_credited")


def _flatten(scope: _Scope) -> dict:
    """A scope as {key: number}: the pools' two sums and each municipality's figures."""
    flat = {}
    for pool, (cost, cents) in scope.pools.items():
        flat[("cost", pool)] = cost
        flat[("cents", pool)] = cents
    for name in _FIELDS:
        for municipality_id, value in getattr(scope, name).items():
            flat[(name, municipality_id)] = value
    return flat


def _scope(sums: dict) -> _Scope:
    scope = _Scope()
    for (name, what), value in sums.items():
        if name == "cost":
            scope.pools[what][0] = value
        elif name == "cents":
            scope.pools[what][1] = value
        else:
            getattr(scope, name)[what] = value
    return scope


def _contributions(portfolio_id: int, period, initiative_ids=None) -> tuple[RawEconomy, dict]:
    where = {"portfolio_id": portfolio_id}
    if initiative_ids is not None:
        where["pk__in"] = initiative_ids
    raw = economy_data.fetch(where, [portfolio_id], period, "initiative")
    scopes, _keys = accumulate(raw)
    return raw, {initiative_id: _flatten(s) for initiative_id, s in scopes.items()}


def _settled(portfolio_id: int, period) -> dict | None:
    found = SettledPeriod.objects.filter(
        portfolio_id=portfolio_id, starts_on=period.start, ends_on=period.end
    ).values_list("result", flat=True)
    return next(iter(found), None)


def _economy_build(portfolio, label: str):
    period = parse_period(label)
    settled = _settled(portfolio.pk, period)
    if settled is not None:  # frozen: nothing a write does changes it
        return ("settled", settled["portfolio"]), {}
    raw, by = _contributions(portfolio.pk, period)
    # What `finish` reads besides the sums: keys, municipalities, populations, members.
    reference = RawEconomy(period, "portfolio", raw.keys, raw.bucket_starts, {}, set())
    reference.municipalities = raw.municipalities
    reference.populations = raw.populations
    reference.portfolios = raw.portfolios
    # The last split of each pool, kept with the ledger: a write moves few pools.
    return ("live", reference, portfolio.name, {}), by


def _economy_refresh(portfolio_id: int, label: str, initiative_ids: list[int]) -> dict:
    period = parse_period(label)
    if _settled(portfolio_id, period) is not None:
        return {}
    return _contributions(portfolio_id, period, initiative_ids)[1]


def _economy_finish(context, sums: dict) -> dict:
    if context[0] == "settled":
        return {"economy": context[1], "settled": True}
    _live, reference, name, splits = context
    (portfolio_id,) = reference.portfolios or (None,)
    keys_by_id = {key.id: key for keys in reference.keys.values() for key in keys}
    # A portfolio without a key shares equally (economy_data.RawEconomy.key_for).
    keys_by_id.setdefault(0, reference.key_for(portfolio_id, dt.date.min))
    economy = finish(
        reference, {portfolio_id: _scope(sums)}, keys_by_id, {portfolio_id: name}, splits
    )
    return {"economy": economy[portfolio_id].as_dict(), "settled": False}


ECONOMY = register(LedgerKind("economy", _economy_build, _economy_refresh, _economy_finish))


# -- costs against budget -----------------------------------------------------------------


def _budget_contributions(portfolio_id: int, initiative_ids=None) -> dict[int, dict]:
    """{initiative: {(program, year, "actual" or "estimate"): kronor}} (one query)."""
    entries = CostEntry.objects.filter(initiative__portfolio_id=portfolio_id)
    if initiative_ids is not None:
        entries = entries.filter(initiative_id__in=initiative_ids)
    by: dict[int, dict] = defaultdict(dict)
    for initiative_id, program_id, year, nature, total in (
        entries.annotate(year=ExtractYear("period"))
        .values("initiative_id", "initiative__program_id", "year", "nature")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list("initiative_id", "initiative__program_id", "year", "nature", "total")
    ):
        slot = "actual" if nature == CostNature.ACTUAL else "estimate"
        key = (program_id, year, slot)
        by[initiative_id][key] = by[initiative_id].get(key, 0) + total
    return dict(by)


def _budget_build(portfolio, _arg: str):
    names = dict(portfolio.programs.values_list("pk", "name"))
    budgets: dict[tuple, int] = defaultdict(int)
    for program_id, year, amount in ProgramBudget.objects.filter(
        program__portfolio=portfolio
    ).values_list("program_id", "year", "amount"):
        budgets[(program_id, year)] += amount
    return (names, dict(budgets)), _budget_contributions(portfolio.pk)


def _budget_refresh(portfolio_id: int, _arg: str, initiative_ids: list[int]) -> dict:
    return _budget_contributions(portfolio_id, initiative_ids)


def _budget_finish(context, sums: dict) -> list[tuple]:
    """Rows as economy_tools.costs_against_budget orders them; a missing program's name
    blank (it is translated when shown)."""
    names, budgets = context
    cells: dict[tuple, dict] = defaultdict(lambda: {"budget": 0, "estimate": 0, "actual": 0})
    for cell, amount in budgets.items():
        cells[cell]["budget"] += amount
    for (program_id, year, slot), total in sums.items():
        cells[(program_id, year)][slot] += total
    rows = [
        (program_id, names.get(program_id, "") if program_id else "", year)
        + (values["budget"], values["estimate"], values["actual"])
        for (program_id, year), values in cells.items()
    ]
    rows.sort(key=lambda r: (r[0] is None, r[1], r[2]))
    return rows


BUDGET = register(LedgerKind("budget", _budget_build, _budget_refresh, _budget_finish))


# -- where the economy pages open ---------------------------------------------------------


def _activity(portfolio_id: int, today: str, initiative_ids=None) -> dict[int, dict]:
    """Each initiative's newest active day (economy.activity_entries) as {day: 1}: summed,
    the newest key is the portfolio's newest."""
    scope = {"initiative__portfolio_id": portfolio_id}
    if initiative_ids is not None:
        scope["initiative_id__in"] = initiative_ids
    newest: dict[int, dt.date] = {}
    for entries in activity_entries(dt.date.fromisoformat(today), **scope):
        rows = entries.order_by().values_list("initiative_id").annotate(day=Max("period"))
        for initiative_id, day in rows:
            newest[initiative_id] = max(day, newest.get(initiative_id, day))
    return {initiative_id: {day.isoformat(): 1} for initiative_id, day in newest.items()}


ACTIVITY = register(
    LedgerKind(
        "activity",
        lambda portfolio, today: (None, _activity(portfolio.pk, today)),
        _activity,
        lambda _context, sums: max(sums) if sums else None,
    )
)
