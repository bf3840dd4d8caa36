"""Properties of the allocation engine over random municipalities, keys, participation
histories, costs, hours and late joiners (pure: the engine gets its sums directly)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.periods import parse_period
from portfolio.selectors.economy_compute import compute, settle_nets
from portfolio.selectors.economy_data import KeyInfo, RawEconomy, Stint
from portfolio.selectors.economy_types import EconomyRow

PERIOD = parse_period("2026H1")
DAYS = st.integers(0, 180).map(lambda d: PERIOD.start + dt.timedelta(days=d))
BEFORE = st.integers(1, 400).map(lambda d: PERIOD.start - dt.timedelta(days=d))


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 12))
    ids = list(range(1, n + 1))
    municipalities = {i: (f"{1400 + i:04d}", f"Kommun {i}") for i in ids}
    populations = {i: {2025: draw(st.integers(1, 900_000))} for i in ids}
    w_pop = draw(st.integers(0, 100))
    method = draw(st.sampled_from(["folkmangd_lika", "fast_avgift"]))
    key = KeyInfo(1, 1, dt.date(2020, 1, 1), method, w_pop, 100 - w_pop, 2025, 700, 69000)
    later_key = KeyInfo(2, 1, dt.date(2026, 4, 1), "folkmangd_lika", 50, 50, 2025, 950, None)
    keys = [key, later_key] if draw(st.booleans()) else [key]
    raw = RawEconomy(PERIOD, "portfolio", {1: keys}, [PERIOD.start], {}, set())
    raw.municipalities = municipalities
    raw.populations = populations
    raw.portfolios = {1: ("Portfölj", ids)}

    def bucket_of(day):
        return 1 if len(keys) > 1 and day >= later_key.valid_from else 0

    for initiative_id in range(1, draw(st.integers(1, 5)) + 1):
        raw.owners[initiative_id] = (1, None)
        static = draw(st.booleans())
        stints = []
        for m in draw(st.lists(st.sampled_from(ids), unique=True, max_size=n)):
            if static:
                stints.append(Stint(m, draw(st.one_of(st.none(), BEFORE)), None))
                continue
            joined = draw(st.one_of(st.none(), BEFORE, DAYS))
            left = draw(st.one_of(st.none(), DAYS))
            if joined and left and left < joined:
                joined, left = left, joined
            stints.append(Stint(m, joined, left))
        static = static and bool(stints)
        if not static:
            raw.changing.add(initiative_id)
        raw.stints[initiative_id] = stints
        raw.joiner_owners[initiative_id] = (1, None)
        for _ in range(draw(st.integers(0, 6))):
            day, payer = draw(DAYS), draw(st.sampled_from(ids))
            amount = draw(st.integers(1, 5_000_000))
            raw.costs_detail.append((initiative_id, day, payer, amount))
            raw.costs_static.append((initiative_id, bucket_of(day), payer, amount))
        for _ in range(draw(st.integers(0, 3))):
            raw.development_history.append(
                (initiative_id, 1, None, draw(BEFORE), draw(st.integers(1, 9_000_000)))
            )
        for _ in range(draw(st.integers(0, 6))):
            day, giver = draw(DAYS), draw(st.sampled_from(ids))
            centihours = draw(st.integers(1, 100_000))
            raw.hours_detail.append((initiative_id, day, giver, centihours))
            raw.hours_static.append((initiative_id, bucket_of(day), giver, centihours))
        if static:
            raw.costs_detail = [r for r in raw.costs_detail if r[0] != initiative_id]
            raw.hours_detail = [r for r in raw.hours_detail if r[0] != initiative_id]
    if len(keys) > 1:
        raw.bucket_starts = [PERIOD.start, later_key.valid_from]
    return raw


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_nets_sum_to_zero_and_transfers_clear_every_net(raw):
    economy = compute(raw, {1: "Portfölj"})[1]
    assert sum(r.net for r in economy.rows) == 0
    assert sum(r.allocated for r in economy.rows) == economy.total_costs
    assert economy.total_costs == economy.total_actual_costs + economy.total_hours_value
    assert sum(r.hours_value for r in economy.rows) == economy.total_hours_value
    balance = {r.code: r.net for r in economy.rows}
    for t in economy.transfers:
        assert t.amount > 0
        balance[t.from_code] -= t.amount
        balance[t.to_code] += t.amount
    assert set(balance.values()) <= {0}
    assert len(economy.transfers) <= max(0, len(economy.rows) - 1)


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_a_late_joiners_buy_in_equals_the_credits(raw):
    raw.costs_detail, raw.hours_detail, raw.costs_static, raw.hours_static = [], [], [], []
    economy = compute(raw, {1: "Portfölj"})[1]
    assert sum(r.buy_in for r in economy.rows) == 0
    assert sum(r.net for r in economy.rows) == 0


@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=40))
def test_settlement_clears_any_balanced_nets(values):
    values.append(-sum(values))
    rows = [EconomyRow(f"{i:04d}", f"K{i}", 1, net=v) for i, v in enumerate(values)]
    transfers = settle_nets(rows)
    balance = {r.code: r.net for r in rows}
    for t in transfers:
        balance[t.from_code] -= t.amount
        balance[t.to_code] += t.amount
    assert set(balance.values()) == {0}
    assert len(transfers) <= len(rows) - 1
