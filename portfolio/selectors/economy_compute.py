"""Turning summed costs and hours into allocations, nets, buy-ins and transfers.

Pure Python over the aggregates of `economy_data`; no queries.

The rules (decided for the product, see the domain description):
- A cost is shared among the municipalities participating on its date (joined_on <= date
  and, for a leaver, date <= left_on) with the portfolio's key in force on that date
  (latest valid_from <= date). A cost dated when nobody participates is borne by the
  municipality that paid it; hours on such a date by the municipality that gave them.
- Costs and hours with the same key and the same participants form one pool, shared in
  whole kronor by largest remainder (ties: larger population, then lower kommunkod).
- Hours are valued at the key's hourly rate; each municipality's hours value is rounded
  half up to whole kronor for the period. It is both a cost to be shared (spread over the
  pools in proportion to their exact hours value, largest remainder) and that
  municipality's contribution. So net = allocated - (paid + hours value) + buy-in, and
  the nets of a scope sum to exactly zero.
- Fixed fee (fast avgift per part): every party pays the same yearly fee, pro rata for
  the time it takes part (days in the period / days in the year, as for a yearly fee
  under an agreement). With identical fees, the costs of a period are shared in
  proportion to the parties' fees for that period, i.e. in equal parts among the
  participants on each cost's date; a party that takes part for only part of the period
  carries a correspondingly smaller part because it shares only the costs of its days.
- Late joiner: on its joining date J it buys in with the share it would have had of the
  actual development costs dated before J, allocated with the new set (including it)
  under the key in force on J. The buy-in is credited to the earlier participants in
  proportion to how much their shares fall (largest remainder: the credits sum exactly
  to the buy-in). Both fall in the period containing J.
"""

import heapq
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from ..choices import AllocationMethod
from ..domain.allocation import population_equal_weights, split_by_weights
from .economy_data import KeyInfo, RawEconomy, hours_value_cents
from .economy_types import Economy, EconomyRow, Transfer


def key_weights(raw: RawEconomy, key: KeyInfo, members: tuple[int, ...]) -> list[int]:
    if key.method == AllocationMethod.FIXED_FEE:
        return [1] * len(members)
    populations = [raw.population(m, key.population_year) for m in members]
    return population_equal_weights(populations, key.population_weight, key.equal_weight)


def _tie_keys(raw: RawEconomy, key: KeyInfo, members) -> list[tuple]:
    return [(-raw.population(m, key.population_year), raw.municipalities[m][0]) for m in members]


def split_pool(raw: RawEconomy, key: KeyInfo, members: tuple[int, ...], total: int) -> list[int]:
    return split_by_weights(
        total, key_weights(raw, key, members), lambda: _tie_keys(raw, key, members)
    )


def _scope(grain: str, initiative_id: int, portfolio_id: int, program_id) -> int | None:
    if grain == "portfolio":
        return portfolio_id
    if grain == "program":
        return program_id
    return initiative_id


class _Scope:
    def __init__(self):
        self.pools: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # cost, hours öre
        self.allocated: dict[int, int] = defaultdict(int)
        self.paid: dict[int, int] = defaultdict(int)
        self.hours: dict[int, int] = defaultdict(int)  # hundredths of an hour
        self.hours_cents: dict[int, int] = defaultdict(int)
        self.buy_in: dict[int, int] = defaultdict(int)
        self.buy_in_charged: dict[int, int] = defaultdict(int)
        self.buy_in_credited: dict[int, int] = defaultdict(int)
        self.portfolio_id: int | None = None


def _members(raw: RawEconomy, initiative_id: int, day) -> tuple[int, ...]:
    return tuple(
        sorted(s.municipality_id for s in raw.stints.get(initiative_id, ()) if s.active(day))
    )


def compute(raw: RawEconomy, wanted: dict[int, str]) -> dict[int, Economy]:
    """One Economy per scope id in `wanted` ({scope_id: name})."""
    scopes, keys_by_id = accumulate(raw)
    return finish(raw, scopes, keys_by_id, wanted)


def finish(raw: RawEconomy, scopes: dict, keys_by_id: dict, wanted: dict[int, str], splits=None):
    """The Economy of each scope in `wanted` from its summed pools and contributions.

    `splits`: {pool: (amount, shares)} kept between calls over the same keys and
    populations (a kept ledger): a pool whose amount has not moved is not split again.
    """
    result = {}
    for scope_id, name in wanted.items():
        scope = scopes.get(scope_id) or _Scope()
        result[scope_id] = _economy(raw, scope_id, name, scope, keys_by_id, splits)
    return result


def accumulate(raw: RawEconomy) -> tuple[dict[int, "_Scope"], dict[int, KeyInfo]]:
    """Every scope's pools and per-municipality sums, and the keys the pools name.

    Everything here is a sum over initiatives, so the scopes of single initiatives add
    up to the scope of their portfolio (portfolio.selectors.ledger_economy keeps them
    so); only `finish` rounds and splits, over the sums.
    """
    scopes: dict[int, _Scope] = defaultdict(_Scope)
    keys_by_id: dict[int, KeyInfo] = {}

    def add_to_pool(scope_id, portfolio_id, key, members, cost, cents):
        keys_by_id[key.id] = key
        scope = scopes[scope_id]
        scope.portfolio_id = portfolio_id
        pool = scope.pools[(portfolio_id, key.id, members)]
        pool[0] += cost
        pool[1] += cents

    bucket_keys: dict[tuple, KeyInfo] = {}
    owners, grain, changing = raw.owners, raw.grain, raw.changing
    scope_of = {
        initiative_id: _scope(grain, initiative_id, portfolio_id, program_id)
        for initiative_id, (portfolio_id, program_id) in owners.items()
    }

    def key_in_bucket(portfolio_id, bucket):
        found = bucket_keys.get((portfolio_id, bucket))
        if found is None:
            found = raw.key_for(portfolio_id, raw.bucket_start(bucket))
            bucket_keys[(portfolio_id, bucket)] = found
        return found

    # Sum the rows per initiative (and key period) first; thousands of rows, few pools.
    static_cost: dict[tuple, int] = defaultdict(int)
    static_hours: dict[tuple, int] = defaultdict(int)
    paid: dict[tuple, int] = defaultdict(int)
    given: dict[tuple, int] = defaultdict(int)
    for initiative_id, bucket, payer, total in raw.costs_static:
        static_cost[(initiative_id, bucket)] += total
        paid[(scope_of[initiative_id], payer)] += total
    for initiative_id, bucket, giver, centihours in raw.hours_static:
        static_hours[(initiative_id, bucket)] += centihours
        given[(initiative_id, bucket, giver)] += centihours

    static_members: dict[int, tuple] = {}

    def static_pool(initiative_id, bucket):
        portfolio_id = owners[initiative_id][0]
        key = key_in_bucket(portfolio_id, bucket)
        members = static_members.get(initiative_id)
        if members is None:
            members = _members(raw, initiative_id, raw.period.start)
            static_members[initiative_id] = members
        return scope_of[initiative_id], portfolio_id, key, members

    for (initiative_id, bucket), total in static_cost.items():
        if initiative_id not in changing:
            scope_id, portfolio_id, key, members = static_pool(initiative_id, bucket)
            add_to_pool(scope_id, portfolio_id, key, members, total, 0)
    for (initiative_id, bucket), centihours in static_hours.items():
        if initiative_id not in changing:
            scope_id, portfolio_id, key, members = static_pool(initiative_id, bucket)
            add_to_pool(scope_id, portfolio_id, key, members, 0, centihours * key.hourly_rate)
    for (scope_id, payer), total in paid.items():
        scopes[scope_id].paid[payer] += total
    for (initiative_id, bucket, giver), centihours in given.items():
        portfolio_id = owners[initiative_id][0]
        scope = scopes[scope_of[initiative_id]]
        scope.portfolio_id = portfolio_id
        scope.hours[giver] += centihours
        rate = key_in_bucket(portfolio_id, bucket).hourly_rate
        scope.hours_cents[giver] += hours_value_cents(centihours, rate)

    day_members: dict[tuple, tuple] = {}

    def add_detail(initiative_id, day, municipality_id, cost=0, centihours=0):
        portfolio_id = owners[initiative_id][0]
        key = raw.key_for(portfolio_id, day)
        members = day_members.get((initiative_id, day))
        if members is None:
            members = _members(raw, initiative_id, day)
            day_members[(initiative_id, day)] = members
        cents = hours_value_cents(centihours, key.hourly_rate)
        add_to_pool(
            scope_of[initiative_id], portfolio_id, key, members or (municipality_id,), cost, cents
        )

    for initiative_id, day, payer, total in raw.costs_detail:
        add_detail(initiative_id, day, payer, cost=total)
    for initiative_id, day, giver, centihours in raw.hours_detail:
        add_detail(initiative_id, day, giver, centihours=centihours)

    _buy_ins(raw, scopes)
    return scopes, keys_by_id


def _portfolio_of(raw, scope_id) -> int | None:
    owners = {**raw.joiner_owners, **raw.owners}
    if raw.grain == "initiative":
        return owners.get(scope_id, (None, None))[0]
    return next((p for p, program in owners.values() if program == scope_id), None)


def _round_half_up(cents: int) -> int:
    return int((Decimal(cents) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _economy(raw, scope_id, name, scope: _Scope, keys_by_id, splits=None) -> Economy:
    hours_value = {m: _round_half_up(c) for m, c in scope.hours_cents.items()}
    total_hours_value = sum(hours_value.values())
    pools = sorted(scope.pools.items())
    weights = [p[1][1] for p in pools]
    if total_hours_value and sum(weights):
        pool_hours = split_by_weights(total_hours_value, weights, list(range(len(pools))))
    else:
        pool_hours = [0] * len(pools)
    allocated: dict[int, int] = defaultdict(int)
    total_actual = 0
    used = {}
    for (pool, (cost, _cents)), hours_share in zip(pools, pool_hours, strict=True):
        _portfolio_id, key_id, members = pool
        total_actual += cost
        pooled = cost + hours_share
        known = splits.get(pool) if splits is not None else None
        if known is not None and known[0] == pooled:
            shares = known[1]
        else:
            shares = split_pool(raw, keys_by_id[key_id], members, pooled)
        used[pool] = (pooled, shares)
        for m, share in zip(members, shares, strict=True):
            allocated[m] += share

    if splits is not None:
        splits.clear()
        splits.update(used)
    portfolio_id = scope.portfolio_id
    if raw.grain == "portfolio":
        portfolio_id = scope_id
    elif portfolio_id is None:
        # No costs in the period: the rows still show each member's population.
        portfolio_id = _portfolio_of(raw, scope_id)
    involved = set(allocated) | set(scope.paid) | set(scope.hours) | set(scope.buy_in)
    if raw.grain == "portfolio" and scope_id in raw.portfolios:
        involved |= set(raw.portfolios[scope_id][1])
    if raw.grain == "initiative":
        involved |= {
            s.municipality_id
            for s in raw.stints.get(scope_id, ())
            if (s.joined is None or s.joined <= raw.period.end)
            and (s.left is None or s.left >= raw.period.start)
        }
    shown_key = raw.key_for(portfolio_id, raw.period.end) if portfolio_id else None
    rows = []
    for m in involved:
        code, m_name = raw.municipalities[m]
        row = EconomyRow(
            code=code,
            name=m_name,
            population=raw.population(m, shown_key.population_year) if shown_key else 0,
            allocated=allocated.get(m, 0),
            paid=scope.paid.get(m, 0),
            hours=Decimal(scope.hours.get(m, 0)) / 100,
            hours_value=hours_value.get(m, 0),
            buy_in=scope.buy_in.get(m, 0),
            buy_in_charged=scope.buy_in_charged.get(m, 0),
            buy_in_credited=scope.buy_in_credited.get(m, 0),
        )
        row.net = row.allocated - (row.paid + row.hours_value) + row.buy_in
        rows.append(row)
    rows.sort(key=lambda r: (r.name, r.code))
    return Economy(
        period=raw.period,
        scope=raw.grain,
        scope_id=scope_id,
        scope_name=name,
        portfolio_id=portfolio_id or 0,
        rows=rows,
        transfers=settle_nets(rows),
        total_costs=sum(allocated.values()),
        total_actual_costs=total_actual,
        total_hours_value=total_hours_value,
    )


def _buy_ins(raw: RawEconomy, scopes: dict) -> None:
    history = defaultdict(list)
    for initiative_id, _portfolio_id, _program_id, day, total in raw.development_history:
        history[initiative_id].append((day, total))
    for initiative_id, (portfolio_id, program_id) in raw.joiner_owners.items():
        stints = raw.stints.get(initiative_id, [])
        join_days = sorted(
            {s.joined for s in stints if s.joined is not None and raw.period.contains(s.joined)}
        )
        for day in join_days:
            old = tuple(
                sorted(
                    s.municipality_id
                    for s in stints
                    if s.active(day) and (s.joined is None or s.joined < day)
                )
            )
            joiners = {s.municipality_id for s in stints if s.joined == day}
            accumulated = sum(t for d, t in history[initiative_id] if d < day)
            if not old or not accumulated:
                continue
            key = raw.key_for(portfolio_id, day)
            amounts = buy_in(raw, key, old, tuple(sorted(set(old) | joiners)), accumulated)
            scope = scopes[_scope(raw.grain, initiative_id, portfolio_id, program_id)]
            scope.portfolio_id = portfolio_id
            for m, amount in amounts.items():
                scope.buy_in[m] += amount
                if amount > 0:
                    scope.buy_in_charged[m] += amount
                else:
                    scope.buy_in_credited[m] -= amount


def buy_in(raw, key: KeyInfo, old: tuple, new: tuple, accumulated: int) -> dict[int, int]:
    """{municipality: +buy-in for joiners, -credit for earlier participants}."""
    new_weights = key_weights(raw, key, new)
    new_amounts = dict(zip(new, split_pool(raw, key, new, accumulated), strict=True))
    joiners = [m for m in new if m not in old]
    total = sum(new_amounts[m] for m in joiners)
    old_weights = key_weights(raw, key, old)
    old_sum, new_sum = sum(old_weights), sum(new_weights)
    new_by_member = dict(zip(new, new_weights, strict=True))
    # fall_i = old_i/old_sum - new_i/new_sum, scaled by old_sum*new_sum to stay in integers
    falls = [
        max(0, w * new_sum - new_by_member[m] * old_sum)
        for m, w in zip(old, old_weights, strict=True)
    ]
    result = {m: new_amounts[m] for m in joiners}
    if total and sum(falls):
        credits = split_by_weights(total, falls, _tie_keys(raw, key, old))
        for m, credit in zip(old, credits, strict=True):
            result[m] = -credit
    elif total:
        return {}
    return result


def settle_nets(rows: list[EconomyRow]) -> list[Transfer]:
    """Transfers that clear every net, largest debtor to largest creditor: each transfer
    clears at least one party, so there are at most n - 1 of them."""
    names = {r.code: r.name for r in rows}
    debtors = [(-r.net, r.code) for r in rows if r.net > 0]
    creditors = [(r.net, r.code) for r in rows if r.net < 0]
    heapq.heapify(debtors)
    heapq.heapify(creditors)
    transfers = []
    while debtors and creditors:
        owe, debtor = heapq.heappop(debtors)
        due, creditor = heapq.heappop(creditors)
        amount = min(-owe, -due)
        transfers.append(Transfer(debtor, names[debtor], creditor, names[creditor], amount))
        if -owe > amount:
            heapq.heappush(debtors, (owe + amount, debtor))
        if -due > amount:
            heapq.heappush(creditors, (due + amount, creditor))
    return transfers
