"""The shape of the national dataset: its scale, vocabulary and small helpers."""

import datetime as dt
import random
from dataclasses import dataclass, field

from municipalities.models import Municipality
from portfolio.choices import (
    DecisionKind,
    DecisionOutcome,
    Stage,
)

BENCH_USERNAME = "bench.kd"
BENCH_PASSWORD = "bench-samverkan-2026"  # noqa: S105 - a synthetic user in a benchmark database
BENCH_MUNICIPALITY = "1460"  # Bengtsfors, a member of the largest portfolio's constellation

# Fyrbodal's fourteen municipalities: the constellation of the largest portfolio.
FYRBODAL = "1460 1438 1439 1484 1461 1430 1421 1427 1486 1435 1488 1485 1487 1492".split()
LARGEST_PREFIX = "FYR"
FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
UTC = dt.UTC


@dataclass(frozen=True)
class Scale:
    constellations: int = 30
    programs: int = 100
    # The largest portfolio alone holds 20 000 initiatives: the dashboard's target scale.
    initiatives: int = 26_000
    largest_portfolio: int = 20_000
    export_program: int = 2_000  # one program of the largest portfolio holds exactly this many
    participations: int = 130_000
    cost_entries: int = 260_000
    time_entries: int = 650_000
    decisions: int = 78_000
    status_updates: int = 52_000

    @property
    def portfolios(self) -> int:
        return self.constellations  # one portfolio per constellation


NATIONAL = Scale()
TINY = Scale(
    constellations=3,
    programs=9,
    initiatives=60,
    largest_portfolio=30,
    export_program=12,
    participations=200,
    cost_entries=300,
    time_entries=500,
    decisions=150,
    status_updates=50,
)


@dataclass(frozen=True)
class Reference:
    """What the migrations loaded: municipality ids by code, codes by county."""

    municipality_ids: dict[str, int]
    counties: dict[str, tuple[str, ...]]
    county_names: dict[str, str]

    @classmethod
    def load(cls) -> "Reference":
        rows = Municipality.objects.select_related("county").order_by("code")
        ids, counties, names = {}, {}, {}
        for m in rows:
            ids[m.code] = m.id
            counties.setdefault(m.county.code, []).append(m.code)
            names[m.county.code] = m.county.name
        return cls(ids, {k: tuple(v) for k, v in counties.items()}, names)


@dataclass
class Table:
    model: type
    columns: tuple[str, ...]
    rows: object  # a list or a generator of tuples in column order


@dataclass
class Item:
    """One initiative, as far as its children need to know it."""

    id: int
    portfolio: int  # index
    program_id: int
    stage: str
    steps: list  # (kind, outcome, before, after, date)
    submitted: dt.date
    participants: list = field(default_factory=list)  # (municipality_id, status, joined, left)

    @property
    def started(self) -> dt.date | None:
        for kind, outcome, _before, _after, day in self.steps:
            if kind == DecisionKind.G0 and outcome == DecisionOutcome.APPROVED:
                return day
        return None

    @property
    def ended(self) -> dt.date:
        last = self.steps[-1] if self.steps else None
        if last and last[3] in (Stage.REJECTED, Stage.CANCELLED):
            return last[4]
        return LAST_DAY

    def reached(self, kind: str) -> dt.date | None:
        for step_kind, outcome, *_rest, day in self.steps:
            if step_kind == kind and outcome == DecisionOutcome.APPROVED:
                return day
        return None


STAGE_WEIGHTS = [
    (Stage.IDEA, 20),
    (Stage.PRESTUDY, 20),
    (Stage.PROJECT, 15),
    (Stage.ASSIGNMENT, 10),
    (Stage.IMPLEMENTATION, 15),
    (Stage.OPERATION, 12),
    (Stage.REJECTED, 4),
    (Stage.CANCELLED, 4),
]
BOARD_KINDS = {DecisionKind.G1, DecisionKind.G3, DecisionKind.CANCEL}
NEXT_GATE = {
    Stage.IDEA: DecisionKind.G0,
    Stage.PRESTUDY: DecisionKind.G1,
    Stage.PROJECT: DecisionKind.G2,
    Stage.ASSIGNMENT: DecisionKind.G2,
    Stage.IMPLEMENTATION: DecisionKind.G3,
}
SUBJECTS = (
    "E-tjänst",
    "Digital signering",
    "Gemensam plattform",
    "Automatisering",
    "Chattbot",
    "Bokningssystem",
    "Välfärdsteknik",
    "Dokumenthantering",
    "Integrationsplattform",
    "Säker inloggning",
    "Öppna data",
    "Beslutsstöd",
    "Mobil dokumentation",
    "Digitala lås",
    "Självservice",
)
OBJECTS = (
    "för bygglov",
    "i hemtjänsten",
    "för skolskjuts",
    "för ekonomiskt bistånd",
    "för lönehantering",
    "inom vård och omsorg",
    "för felanmälan",
    "för förskoleplacering",
    "för e-arkiv",
    "för upphandling",
    "i gymnasieskolan",
    "för färdtjänst",
    "för räddningstjänsten",
    "för renhållning",
)
PROGRAM_NAMES = (
    "Effektiv kommun",
    "Omvårdnad",
    "Lärande",
    "Samhällsbyggnad",
    "IT-fabrik",
    "Medborgarservice",
    "Ekonomi och HR",
    "Informationssäkerhet",
    "Miljö och renhållning",
    "Kultur och fritid",
    "Räddningstjänst",
    "Arkiv och registratur",
    "Infrastruktur",
)
TIME_ROLES = ("Projektledare", "Systemförvaltare", "Verksamhetsutvecklare", "IT-tekniker")
LEAVE_REASONS = (
    "Kommunen prioriterar om sina resurser enligt samverkansprinciperna.",
    "Lösningen passar inte kommunens verksamhetssystem.",
)


def columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def rng_for(seed: int, name: str) -> random.Random:
    return random.Random(f"{seed}:{name}")  # noqa: S311 - synthetic data, not security


def spread(total: int, weights: list[float], low: list[int], high: list[int]) -> list[int]:
    """Whole counts proportional to weights, each within [low, high], summing exactly to total."""
    if not weights:
        if total:
            raise ValueError(f"{total} kan inte fördelas på noll mottagare.")
        return []
    if sum(low) > total or sum(high) < total:
        raise ValueError(f"{total} kan inte fördelas inom gränserna {sum(low)}–{sum(high)}.")
    counts = list(low)
    remaining = total - sum(low)
    while remaining:
        open_ = [i for i in range(len(counts)) if counts[i] < high[i]]
        weight = sum(weights[i] for i in open_)
        exact = [remaining * weights[i] / weight for i in open_]
        floors = [min(int(x), high[i] - counts[i]) for x, i in zip(exact, open_, strict=True)]
        order = sorted(
            range(len(open_)), key=lambda j: (exact[j] - int(exact[j]), -open_[j]), reverse=True
        )
        given = sum(floors)
        for j, i in enumerate(open_):
            counts[i] += floors[j]
        left = remaining - given
        for j in order:
            if left == 0:
                break
            i = open_[j]
            if counts[i] < high[i]:
                counts[i] += 1
                left -= 1
        remaining = total - sum(counts)
    return counts


def month_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    end = max(start, end)
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    return day.replace(day=1)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
