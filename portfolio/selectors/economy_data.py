"""Fetching what an economy needs, aggregated in SQL.

A national portfolio has hundreds of thousands of cost and time entries per half-year;
none of them is read one by one. Costs and hours are summed per initiative (and per
key period inside the half-year); only initiatives whose set of participants changes
inside the period (or that have none) are read per day. Every query here runs once per
call, whatever the number of initiatives.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import BigIntegerField, Case, F, IntegerField, Sum, Value, When
from django.db.models.functions import Cast, Round

from municipalities.membership import constellation_members_on
from municipalities.models import Municipality, Population

from ..choices import CostKind, CostNature, ParticipationStatus
from ..models import AllocationKey, CostEntry, Initiative, Participation, Portfolio, TimeEntry
from ..periods import Period
from .as_of import active_in_q
from .keys import key_in_force


@dataclass(frozen=True)
class KeyInfo:
    id: int
    portfolio_id: int
    valid_from: dt.date
    method: str
    population_weight: int
    equal_weight: int
    population_year: int
    hourly_rate: int
    yearly_fee_per_party: int | None


class Stint(NamedTuple):
    municipality_id: int
    joined: dt.date | None
    left: dt.date | None

    def active(self, day: dt.date) -> bool:
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day <= self.left
        )


@dataclass
class RawEconomy:
    period: Period
    grain: str
    keys: dict[int, list[KeyInfo]]
    bucket_starts: list[dt.date]
    stints: dict[int, list[Stint]]
    changing: set[int]
    # initiative_id -> (portfolio_id, program_id)
    owners: dict[int, tuple] = field(default_factory=dict)
    # (initiative_id, bucket, municipality_id, kronor or hundredths of hours): paid by /
    # given by; every initiative
    costs_static: list[tuple] = field(default_factory=list)
    hours_static: list[tuple] = field(default_factory=list)
    # (initiative_id, day, municipality_id, kronor or hundredths of hours): initiatives
    # whose participants change inside the period (or that have none)
    costs_detail: list[tuple] = field(default_factory=list)
    hours_detail: list[tuple] = field(default_factory=list)
    # (initiative_id, portfolio_id, program_id, day, amount): actual development costs
    development_history: list[tuple] = field(default_factory=list)
    # initiative_id -> (portfolio_id, program_id) for initiatives with joiners
    joiner_owners: dict[int, tuple] = field(default_factory=dict)
    municipalities: dict[int, tuple[str, str]] = field(default_factory=dict)
    populations: dict[int, dict[int, int]] = field(default_factory=dict)
    portfolios: dict[int, tuple[str, list[int]]] = field(default_factory=dict)
    _key_dates: dict[int, list] = field(default_factory=dict, repr=False)
    _population_cache: dict[tuple, int] = field(default_factory=dict, repr=False)

    def key_for(self, portfolio_id: int, day: dt.date) -> KeyInfo:
        """The key with the latest valid_from <= day. Costs dated before the first key
        use the first key; a portfolio without any key shares equally, hours valued at 0."""
        keys = self.keys.get(portfolio_id)
        if not keys:
            return KeyInfo(0, portfolio_id, dt.date.min, "folkmangd_lika", 0, 100, 0, 0, None)
        dates = self._key_dates.get(portfolio_id)
        if dates is None:
            dates = self._key_dates[portfolio_id] = [k.valid_from for k in keys]
        return key_in_force(keys, day, dates)

    def bucket_start(self, bucket: int) -> dt.date:
        return self.bucket_starts[bucket]

    def population(self, municipality_id: int, year: int) -> int:
        """Folkmängd of `year`; without figures for that year, the nearest earlier year
        (else the nearest later one), so that a key set before SCB publishes still works."""
        found = self._population_cache.get((municipality_id, year))
        if found is None:
            by_year = self.populations.get(municipality_id, {})
            found = by_year[year] if year in by_year else self._population_fallback(by_year, year)
            self._population_cache[(municipality_id, year)] = found
        return found

    @staticmethod
    def _population_fallback(by_year: dict, year: int) -> int:
        earlier = [y for y in by_year if y < year]
        if earlier:
            return by_year[max(earlier)]
        later = [y for y in by_year if y > year]
        return by_year[min(later)] if later else 0


def _bucket_expression(bucket_starts: list[dt.date]):
    if len(bucket_starts) == 1:
        return Value(0, output_field=IntegerField())
    whens = [
        When(period__gte=start, then=Value(index))
        for index, start in reversed(list(enumerate(bucket_starts)))
        if index > 0
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


# Round first: SQLite sums decimals as binary floats (0.29 * 100 = 28.999...).
_CENTIHOURS = Cast(Round(Sum("hours") * 100), BigIntegerField())
# PostgreSQL sums bigints as numeric; an integer sum arrives as a Python int.
_KRONOR = Cast(Sum("amount"), BigIntegerField())


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list queryset as the driver returns them.

    On PostgreSQL the driver already gives ints and dates; Django's per-value converters
    cost more than the queries themselves at a national scale (~100 000 rows). Other
    databases (SQLite in tests) go through Django, which parses their dates.
    """
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _totals(queryset, when: str, who: str, total) -> list[tuple]:
    """(initiative_id, when, who, total) rows: `total` summed per initiative, when and who."""
    return _rows(
        queryset.values("initiative_id", when, who)
        .order_by()
        .annotate(total=total)
        .values_list("initiative_id", when, who, "total")
    )


def fetch(initiative_filter: dict | None, portfolio_ids: list[int], period: Period, grain: str):
    """Everything needed to allocate the initiatives matching `initiative_filter`
    (Initiative lookups, e.g. {"portfolio_id__in": [...]}; None: every initiative) in
    `period`."""
    initiative_filter = initiative_filter or {}
    on_initiative = {f"initiative__{k}": v for k, v in initiative_filter.items()}
    keys: dict[int, list[KeyInfo]] = defaultdict(list)
    for row in (
        AllocationKey.objects.filter(portfolio_id__in=portfolio_ids)
        .order_by("portfolio_id", "valid_from")
        .values_list(
            "id",
            "portfolio_id",
            "valid_from",
            "method",
            "population_weight",
            "equal_weight",
            "population_year",
            "hourly_rate",
            "yearly_fee_per_party",
        )
    ):
        keys[row[1]].append(KeyInfo(*row))
    changes = {k.valid_from for ks in keys.values() for k in ks}
    bucket_starts = [period.start] + sorted(d for d in changes if period.start < d <= period.end)

    stints: dict[int, list[Stint]] = defaultdict(list)
    changing: set[int] = set()
    start, end = period.start, period.end
    # Dates only where they fall inside the period: a participant from before the period
    # to after it takes part on every day of it, whatever its exact dates.
    inside = {
        "joined": Case(When(joined_on__gte=start, then=F("joined_on")), default=None),
        "left": Case(When(left_on__lt=end, then=F("left_on")), default=None),
    }
    for initiative_id, municipality_id, joined, left in _rows(
        Participation.objects.filter(
            active_in_q(period),
            status__in=[ParticipationStatus.PARTICIPATING, ParticipationStatus.LEFT],
            **on_initiative,
        )
        .annotate(**inside)
        .order_by()  # the model's ordering joins and sorts every participation
        .values_list("initiative_id", "municipality_id", "joined", "left")
    ):
        stints[initiative_id].append(Stint(municipality_id, joined, left))
        if (joined is not None and joined > start) or left is not None:
            changing.add(initiative_id)

    raw = RawEconomy(period, grain, dict(keys), bucket_starts, dict(stints), changing)
    raw.owners = {
        pk: (portfolio_id, program_id)
        for pk, portfolio_id, program_id in _rows(
            Initiative.objects.filter(**initiative_filter)
            .order_by()
            .values_list("pk", "portfolio_id", "program_id")
        )
    }
    bucket = _bucket_expression(bucket_starts)
    actual = CostEntry.objects.filter(
        nature=CostNature.ACTUAL,
        paid_by__isnull=False,
        period__gte=start,
        period__lte=end,
        **on_initiative,
    )
    hours = TimeEntry.objects.filter(period__gte=start, period__lte=end, **on_initiative)
    # One scan per table, per initiative, key period and payer / giver: what each
    # municipality paid and gave, and the pools of the initiatives whose participants stay
    # the same through the period. Hours travel as whole hundredths (exact integers).
    raw.costs_static = _totals(actual.annotate(bucket=bucket), "bucket", "paid_by_id", _KRONOR)
    raw.hours_static = _totals(
        hours.annotate(bucket=bucket), "bucket", "municipality_id", _CENTIHOURS
    )
    seen = {row[0] for row in raw.costs_static} | {row[0] for row in raw.hours_static}
    detail_ids = sorted(changing | {i for i in seen if i not in raw.stints})
    if detail_ids:
        raw.costs_detail = _totals(
            actual.filter(initiative_id__in=detail_ids), "period", "paid_by_id", _KRONOR
        )
        raw.hours_detail = _totals(
            hours.filter(initiative_id__in=detail_ids), "period", "municipality_id", _CENTIHOURS
        )
    raw.changing = set(detail_ids)
    _fetch_joiners(raw, on_initiative)
    _fetch_reference(raw, portfolio_ids)
    return raw


def _fetch_joiners(raw: RawEconomy, on_initiative: dict) -> None:
    period = raw.period
    joining = [
        initiative_id
        for initiative_id, ss in raw.stints.items()
        if any(s.joined is not None and period.contains(s.joined) for s in ss)
    ]
    if not joining:
        return
    raw.development_history = list(
        CostEntry.objects.filter(
            nature=CostNature.ACTUAL,
            kind=CostKind.DEVELOPMENT,
            paid_by__isnull=False,
            period__lt=period.end,
            initiative_id__in=joining,
        )
        .values("initiative_id", "initiative__portfolio_id", "initiative__program_id", "period")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list(
            "initiative_id",
            "initiative__portfolio_id",
            "initiative__program_id",
            "period",
            "total",
        )
    )
    # Buy-ins need every participant's real dates, also of those who left before.
    full: dict[int, list[Stint]] = {}
    for (
        initiative_id,
        portfolio_id,
        program_id,
        municipality_id,
        joined,
        left,
    ) in (
        Participation.objects.filter(
            initiative_id__in=joining,
            status__in=[ParticipationStatus.PARTICIPATING, ParticipationStatus.LEFT],
        )
        .order_by()
        .values_list(
            "initiative_id",
            "initiative__portfolio_id",
            "initiative__program_id",
            "municipality_id",
            "joined_on",
            "left_on",
        )
    ):
        raw.joiner_owners[initiative_id] = (portfolio_id, program_id)
        full.setdefault(initiative_id, []).append(Stint(municipality_id, joined, left))
    raw.stints.update(full)


def _fetch_reference(raw: RawEconomy, portfolio_ids: list[int]) -> None:
    portfolios = {}
    for pk, name, constellation_id in Portfolio.objects.filter(pk__in=portfolio_ids).values_list(
        "pk", "name", "constellation_id"
    ):
        portfolios[pk] = (name, constellation_id)
    # The members as they stood at the period's end: one that joined the constellation
    # later has no row in the period, one that left later still has.
    members = constellation_members_on({c for _, c in portfolios.values()}, raw.period.end)
    raw.portfolios = {pk: (name, sorted(members[c])) for pk, (name, c) in portfolios.items()}
    for pk, code, name in Municipality.objects.values_list("pk", "code", "name"):
        raw.municipalities[pk] = (code, name)
    years = {k.population_year for ks in raw.keys.values() for k in ks}
    for municipality_id, year, population in Population.objects.filter(year__in=years).values_list(
        "municipality_id", "year", "population"
    ):
        raw.populations.setdefault(municipality_id, {})[year] = population
    _fill_missing_years(raw, years)


def _fill_missing_years(raw: RawEconomy, years: set[int]) -> None:
    """Municipalities with no figures for a key's year fall back to their other years."""
    missing = [
        m for m in raw.municipalities if not all(y in raw.populations.get(m, {}) for y in years)
    ]
    if not missing:
        return
    for municipality_id, year, population in Population.objects.filter(
        municipality_id__in=missing
    ).values_list("municipality_id", "year", "population"):
        raw.populations.setdefault(municipality_id, {})[year] = population


def hours_value_cents(centihours: int, rate: int) -> int:
    """Hours have two decimals: hundredths of an hour times kronor is exact öre."""
    return centihours * rate
