"""The allocation key in exact arithmetic: worked example and properties."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from portfolio.domain.allocation import (
    Party,
    allocate,
    population_equal_shares,
    population_equal_weights,
    split_by_weights,
)

DALSLAND_2025 = [
    Party("1460", 8955),  # Bengtsfors
    Party("1438", 4571),  # Dals-Ed
    Party("1439", 6288),  # Färgelanda
    Party("1461", 9038),  # Mellerud
    Party("1487", 40078),  # Vänersborg
    Party("1492", 11679),  # Åmål
]


def test_dalsland_six_at_80_20_matches_the_hand_calculation():
    # Total population 80 609. Bengtsfors: 0.8 * 8955 / 80609 + 0.2 / 6 = 0.1222067...,
    # 122 206.78 kr. Floors sum to 999 996; the four kronor left go to the largest
    # remainders: Dals-Ed (.995), Åmål (.986), Bengtsfors (.784), Mellerud (.514).
    result = {a.code: a.amount for a in allocate(1_000_000, DALSLAND_2025, 80, 20)}
    assert result == {
        "1460": 122_207,
        "1438": 78_698,
        "1439": 95_738,
        "1461": 123_031,
        "1487": 431_085,
        "1492": 149_241,
    }
    shares = population_equal_shares(DALSLAND_2025, 80, 20)
    assert shares["1460"] == Fraction(8, 10) * Fraction(8955, 80609) + Fraction(2, 10) / 6


parties = st.lists(
    st.tuples(st.integers(1000, 9999), st.integers(1, 1_000_000)),
    min_size=1,
    max_size=30,
    unique_by=lambda t: t[0],
).map(lambda rows: [Party(str(code), pop) for code, pop in rows])
weights = st.integers(0, 100)
amounts = st.integers(0, 10**10)


@given(parties, weights, amounts)
def test_allocations_sum_exactly_to_the_total_and_stay_within_bounds(parties, w_pop, total):
    result = allocate(total, parties, w_pop, 100 - w_pop)
    assert sum(a.amount for a in result) == total
    assert sum(a.share for a in result) == 1
    n = len(parties)
    for a in result:
        exact = a.share * total
        assert exact - 1 < a.amount < exact + 1
        assert (
            Fraction(100 - w_pop, 100 * n)
            <= a.share
            <= Fraction(100 - w_pop, 100 * n) + Fraction(w_pop, 100)
        )


@given(parties, weights, amounts)
def test_the_integer_twin_gives_the_same_kronor(parties, w_pop, total):
    expected = [a.amount for a in allocate(total, parties, w_pop, 100 - w_pop)]
    integer_weights = population_equal_weights([p.population for p in parties], w_pop, 100 - w_pop)
    ties = [(-p.population, p.code) for p in parties]
    assert split_by_weights(total, integer_weights, ties) == expected


def test_ties_go_to_the_larger_population_then_the_lower_code():
    # 100 % equal weight, 1 krona among three: all remainders equal.
    three = [Party("1492", 100), Party("1438", 500), Party("1439", 500)]
    assert [a.amount for a in allocate(1, three, 0, 100)] == [0, 1, 0]
    assert [a.amount for a in allocate(2, three, 0, 100)] == [0, 1, 1]
