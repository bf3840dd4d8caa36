"""The allocation key, in exact arithmetic.

share_i = w_pop * pop_i / sum(pop_P) + w_eq / |P|

Amounts are whole kronor summing exactly to the total: every exact amount is
floored, then the remaining kronor go one each by largest fractional remainder;
ties go to the larger population, then the lower kommunkod.
"""

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Party:
    code: str
    population: int


@dataclass(frozen=True)
class Allocation:
    code: str
    population: int
    share: Fraction
    amount: int


def population_equal_shares(
    parties: list[Party], population_weight: int, equal_weight: int
) -> dict[str, Fraction]:
    if population_weight + equal_weight != 100:
        raise ValueError("population_weight + equal_weight must be 100")
    if not parties:
        return {}
    total_population = sum(p.population for p in parties)
    w_pop = Fraction(population_weight, 100)
    w_eq = Fraction(equal_weight, 100)
    n = len(parties)
    shares = {}
    for p in parties:
        pop_part = w_pop * Fraction(p.population, total_population) if total_population else 0
        shares[p.code] = pop_part + w_eq / n
    return shares


def split_amount(total: int, parties: list[Party], shares: dict[str, Fraction]) -> list[Allocation]:
    """Whole kronor per party by largest remainder; sums exactly to `total`."""
    if not parties:
        return []
    exact = {p.code: shares[p.code] * total for p in parties}
    floors = {code: value.numerator // value.denominator for code, value in exact.items()}
    remaining = total - sum(floors.values())
    order = sorted(
        parties,
        key=lambda p: (-(exact[p.code] - floors[p.code]), -p.population, p.code),
    )
    for p in order[:remaining]:
        floors[p.code] += 1
    return [Allocation(p.code, p.population, shares[p.code], floors[p.code]) for p in parties]


def allocate(
    total: int, parties: list[Party], population_weight: int, equal_weight: int
) -> list[Allocation]:
    return split_amount(
        total, parties, population_equal_shares(parties, population_weight, equal_weight)
    )


def split_by_weights(total: int, weights: list[int], tie_keys) -> list[int]:
    """Whole kronor proportional to non-negative integer weights, by largest remainder.

    The integer twin of `split_amount` (shares w_i / sum(w)), used where thousands of
    groups are allocated: no Fraction objects, the same result. `tie_keys[i]` orders
    equal remainders (smaller first), e.g. (-population, kommunkod); it may be a
    callable returning that list, called only when kronor are left to hand out.
    """
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("weights must have a positive sum")
    amounts = []
    remainders = []
    for w in weights:
        quotient, remainder = divmod(total * w, weight_sum)
        amounts.append(quotient)
        remainders.append(remainder)
    left = total - sum(amounts)
    if left:
        if callable(tie_keys):
            tie_keys = tie_keys()
        order = sorted(range(len(weights)), key=lambda i: (-remainders[i], tie_keys[i]))
        for i in order[:left]:
            amounts[i] += 1
    return amounts


def population_equal_weights(
    populations: list[int], population_weight: int, equal_weight: int
) -> list[int]:
    """Integer weights proportional to the key's shares (share_i = weight_i / sum)."""
    n = len(populations)
    total_population = sum(populations)
    if total_population == 0:
        return [1] * n
    return [population_weight * p * n + equal_weight * total_population for p in populations]
