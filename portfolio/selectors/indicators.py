"""The V6 follow-up indicators, per portfolio and half-year, with the previous period.

Every figure carries the ids of the initiatives behind it, so a page can list them
and a report can cite them. The whole portfolio is read in a fixed number of
queries (values only, no model instances) and both periods are computed from it.

How the V6 wording is read here (the report leaves it open):
- an initiative is *incoming* in the period it was submitted;
- a förstudie, uppdrag, projekt or implementation is *carried out* when an approved
  gate decision moves the initiative on from that stage within the period;
- an initiative *starts* förstudie at its approved G0 and uppdrag/projekt at its
  approved G1; time to start is counted in days from submission;
- costs are actual costs (utfall) dated within the period;
- an initiative counts in the per-initiative table when it had started förstudie by
  the end of the period and had not been closed before it began.

Everything is read as of the end of each period (`as_of`): the stage, the
participants and the constellation's members as they stood then, so a period asked
again later gives the same figures whatever has been recorded since.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.membership import Membership, constellation_membership

from ..choices import (
    CostKind,
    CostNature,
    DecisionKind,
    DecisionOutcome,
    Stage,
    TargetGroup,
)
from ..models import CostEntry, GateDecision, Initiative, Participation, Portfolio
from ..periods import Period, half_year_of
from .as_of import left_by, local_date, participating_on, stage_on_expression

CARRIED_OUT_STAGES = (Stage.PRESTUDY, Stage.ASSIGNMENT, Stage.PROJECT, Stage.IMPLEMENTATION)
CLOSING_KINDS = (DecisionKind.G3, DecisionKind.CANCEL)


@dataclass(frozen=True)
class Figure:
    value: int | Decimal | None
    initiative_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    label: str
    unit: str
    current: Figure
    previous: Figure

    @property
    def change(self):
        if self.current.value is None or self.previous.value is None:
            return None
        return self.current.value - self.previous.value


@dataclass(frozen=True)
class IndicatorSection:
    key: str
    title: str
    rows: list[IndicatorRow]


@dataclass(frozen=True)
class InitiativeFigures:
    initiative_id: int
    reference: str
    title: str
    stage: str
    participating: int
    left: int
    leave_reasons: tuple[tuple[str, str], ...]  # (municipality, reason)
    development_cost: int
    operation_cost: int
    days_to_prestudy: int | None
    days_to_project: int | None


@dataclass
class IndicatorReport:
    portfolio: Portfolio
    period: Period
    previous_period: Period
    sections: list[IndicatorSection]
    per_initiative: list[InitiativeFigures]
    references: dict[int, tuple[str, str]] = field(default_factory=dict)

    def row(self, key: str) -> IndicatorRow | None:
        for section in self.sections:
            for row in section.rows:
                if row.key == key:
                    return row
        return None

    def initiatives_behind(self, key: str, which: str = "current") -> list[tuple[int, str, str]]:
        """(id, reference, title) of the initiatives behind one figure."""
        row = self.row(key)
        if row is None:
            return []
        figure = row.current if which == "current" else row.previous
        return [(pk, *self.references[pk]) for pk in figure.initiative_ids if pk in self.references]


@dataclass
class _Data:
    initiatives: dict[int, dict]
    decisions: list[dict]  # approved only
    participations: list[dict]
    costs: list[dict]
    municipalities: dict[int, str]  # every municipality that has been a member
    membership: Membership


def _stage_name(day: dt.date) -> str:
    return f"stage_on_{day:%Y%m%d}"


def _load(portfolio: Portfolio, days: list[dt.date]) -> _Data:
    """The portfolio's records; each initiative with its stage on each of `days`."""
    initiatives = {
        row["id"]: row
        for row in Initiative.objects.filter(portfolio=portfolio)
        .annotate(**{_stage_name(day): stage_on_expression(day) for day in days})
        .values(
            *(_stage_name(day) for day in days),
            "id",
            "reference",
            "title",
            "stage",
            "submitted_at",
            "proposing_municipality_id",
            "target_group",
            "is_new",
            "is_useful",
            "is_used",
        )
    }
    decisions = list(
        GateDecision.objects.filter(
            initiative__portfolio=portfolio, outcome=DecisionOutcome.APPROVED
        )
        .order_by("decided_on", "id")
        .values("initiative_id", "kind", "stage_before", "stage_after", "decided_on")
    )
    participations = list(
        Participation.objects.filter(initiative__portfolio=portfolio).values(
            "initiative_id",
            "municipality_id",
            "status",
            "joined_on",
            "left_on",
            "leave_reason",
            "implemented_on",
            "is_late_implementer",
        )
    )
    costs = list(
        CostEntry.objects.filter(initiative__portfolio=portfolio, nature=CostNature.ACTUAL).values(
            "initiative_id", "kind", "period", "amount"
        )
    )
    membership, municipalities = constellation_membership(portfolio.constellation_id)
    return _Data(initiatives, decisions, participations, costs, municipalities, membership)


def _ids(items) -> tuple[int, ...]:
    return tuple(sorted(set(items)))


def _count(ids) -> Figure:
    ids = _ids(ids)
    return Figure(len(ids), ids)


class _Period:
    """All figures for one period, from the loaded data."""

    def __init__(self, data: _Data, period: Period):
        self.data = data
        self.period = period
        self.first_approval: dict[tuple[int, str], dt.date] = {}
        self.closed_on: dict[int, dt.date] = {}
        for d in data.decisions:
            if d["decided_on"] > period.end:  # not yet taken at the end of the period
                continue
            self.first_approval.setdefault((d["initiative_id"], d["kind"]), d["decided_on"])
            if d["kind"] in CLOSING_KINDS:
                self.closed_on.setdefault(d["initiative_id"], d["decided_on"])
        self.members = data.membership.on(period.end)

    def stage(self, pk: int) -> str:
        return self.data.initiatives[pk][_stage_name(self.period.end)]

    def incoming_by_municipality(self) -> dict[int, Figure]:
        by_municipality = defaultdict(list)
        for pk, row in self.data.initiatives.items():
            if self.period.contains(local_date(row["submitted_at"])):
                by_municipality[row["proposing_municipality_id"]].append(pk)
        return {m: _count(ids) for m, ids in by_municipality.items()}

    def carried_out(self, stage: str) -> Figure:
        return _count(
            d["initiative_id"]
            for d in self.data.decisions
            if d["stage_before"] == stage
            and d["kind"] != DecisionKind.CANCEL
            and self.period.contains(d["decided_on"])
        )

    def implemented(self, *, late: bool) -> Figure:
        rows = [
            p
            for p in self.data.participations
            if p["implemented_on"] is not None
            and self.period.contains(p["implemented_on"])
            and bool(p["is_late_implementer"]) == late
        ]
        municipalities = {p["municipality_id"] for p in rows}
        return Figure(len(municipalities), _ids(p["initiative_id"] for p in rows))

    def started(self, kinds) -> set[int]:
        return {
            pk
            for (pk, kind), day in self.first_approval.items()
            if kind in kinds and self.period.contains(day)
        }

    def in_follow_up(self) -> list[int]:
        """Started förstudie by the end of the period and not closed before it began."""
        result = []
        for pk in self.data.initiatives:
            started = self.first_approval.get((pk, DecisionKind.G0))
            closed = self.closed_on.get(pk)
            if started is None or started > self.period.end:
                continue
            if closed is not None and closed < self.period.start:
                continue
            result.append(pk)
        return result

    def days_to(self, pk: int, kind: str) -> int | None:
        day = self.first_approval.get((pk, kind))
        if day is None:
            return None
        days = (day - local_date(self.data.initiatives[pk]["submitted_at"])).days
        # An initiative registered after its decisions (imported history) has no
        # meaningful lead time.
        return days if days >= 0 else None

    def per_initiative(self) -> list[InitiativeFigures]:
        participations = defaultdict(list)
        for p in self.data.participations:
            participations[p["initiative_id"]].append(p)
        costs = defaultdict(lambda: {CostKind.DEVELOPMENT: 0, CostKind.OPERATION: 0})
        for c in self.data.costs:
            if self.period.contains(c["period"]):
                costs[c["initiative_id"]][c["kind"]] += c["amount"]
        result = []
        for pk in self.in_follow_up():
            row = self.data.initiatives[pk]
            rows = participations[pk]
            end = self.period.end
            left = [p for p in rows if left_by(p["status"], p["left_on"], end)]
            result.append(
                InitiativeFigures(
                    initiative_id=pk,
                    reference=row["reference"],
                    title=row["title"],
                    stage=self.stage(pk),
                    participating=sum(
                        1
                        for p in rows
                        if participating_on(p["status"], p["joined_on"], p["left_on"], end)
                    ),
                    left=len(left),
                    leave_reasons=tuple(
                        (self.data.municipalities.get(p["municipality_id"], ""), p["leave_reason"])
                        for p in left
                    ),
                    development_cost=costs[pk][CostKind.DEVELOPMENT],
                    operation_cost=costs[pk][CostKind.OPERATION],
                    days_to_prestudy=self.days_to(pk, DecisionKind.G0),
                    days_to_project=self.days_to(pk, DecisionKind.G1),
                )
            )
        result.sort(key=lambda f: f.reference)
        return result

    def implemented_solutions(self) -> list[int]:
        return _ids(
            p["initiative_id"]
            for p in self.data.participations
            if p["implemented_on"] is not None and p["implemented_on"] <= self.period.end
        )


def _average(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))


def _sections(data: _Data, now: _Period, before: _Period, per_now, per_before) -> list:
    sections = []

    incoming_now, incoming_before = (
        now.incoming_by_municipality(),
        before.incoming_by_municipality(),
    )
    municipality_ids = sorted(
        set(incoming_now) | set(incoming_before) | now.members,
        key=lambda m: data.municipalities.get(m, ""),
    )
    empty = Figure(0, ())
    rows = [
        IndicatorRow(
            key="incoming-total",
            label=str(_("Alla kommuner")),
            unit="st",
            current=_count(i for f in incoming_now.values() for i in f.initiative_ids),
            previous=_count(i for f in incoming_before.values() for i in f.initiative_ids),
        )
    ]
    rows += [
        IndicatorRow(
            key=f"incoming-{m}",
            label=data.municipalities.get(m, str(_("Annan kommun"))),
            unit="st",
            current=incoming_now.get(m, empty),
            previous=incoming_before.get(m, empty),
        )
        for m in municipality_ids
    ]
    sections.append(IndicatorSection("incoming", str(_("Inkomna initiativ per kommun")), rows))

    stage_labels = dict(Stage.choices)
    sections.append(
        IndicatorSection(
            "carried-out",
            str(_("Genomförda initiativ per steg")),
            [
                IndicatorRow(
                    key=f"carried-out-{stage}",
                    label=str(stage_labels[stage]),
                    unit="st",
                    current=now.carried_out(stage),
                    previous=before.carried_out(stage),
                )
                for stage in CARRIED_OUT_STAGES
            ],
        )
    )

    sections.append(
        IndicatorSection(
            "implemented",
            str(_("Kommuner som implementerat lösningar")),
            [
                IndicatorRow(
                    "implemented",
                    str(_("Deltagande kommuner som implementerat en lösning")),
                    str(_("kommuner")),
                    now.implemented(late=False),
                    before.implemented(late=False),
                ),
                IndicatorRow(
                    "implemented-late",
                    str(_("Kommuner som implementerat en lösning i efterhand")),
                    str(_("kommuner")),
                    now.implemented(late=True),
                    before.implemented(late=True),
                ),
            ],
        )
    )

    def total(figures, attribute) -> Figure:
        return Figure(
            sum(getattr(f, attribute) for f in figures),
            _ids(f.initiative_id for f in figures if getattr(f, attribute)),
        )

    def average_days(period: _Period, per, kinds, attribute) -> Figure:
        started = period.started(kinds)
        figures = [f for f in per if f.initiative_id in started]
        return Figure(
            _average(getattr(f, attribute) for f in figures),
            _ids(f.initiative_id for f in figures),
        )

    sections.append(
        IndicatorSection(
            "per-initiative",
            str(_("Initiativ i uppföljningen (summa och snitt)")),
            [
                IndicatorRow(
                    "followed",
                    str(_("Initiativ som följs upp")),
                    "st",
                    _count(f.initiative_id for f in per_now),
                    _count(f.initiative_id for f in per_before),
                ),
                IndicatorRow(
                    "participating",
                    str(_("Deltagande kommuner, summa över initiativen")),
                    str(_("kommuner")),
                    total(per_now, "participating"),
                    total(per_before, "participating"),
                ),
                IndicatorRow(
                    "left",
                    str(_("Kommuner som lämnat efter start")),
                    str(_("kommuner")),
                    total(per_now, "left"),
                    total(per_before, "left"),
                ),
                IndicatorRow(
                    "development-cost",
                    str(_("Kostnad för förstudie och utveckling")),
                    "kr",
                    total(per_now, "development_cost"),
                    total(per_before, "development_cost"),
                ),
                IndicatorRow(
                    "operation-cost",
                    str(_("Kostnad för drift och förvaltning")),
                    "kr",
                    total(per_now, "operation_cost"),
                    total(per_before, "operation_cost"),
                ),
                IndicatorRow(
                    "days-to-prestudy",
                    str(_("Dagar från inlämnat till start av förstudie (snitt)")),
                    str(_("dagar")),
                    average_days(now, per_now, {DecisionKind.G0}, "days_to_prestudy"),
                    average_days(before, per_before, {DecisionKind.G0}, "days_to_prestudy"),
                ),
                IndicatorRow(
                    "days-to-project",
                    str(_("Dagar från inlämnat till start av uppdrag eller projekt (snitt)")),
                    str(_("dagar")),
                    average_days(now, per_now, {DecisionKind.G1}, "days_to_project"),
                    average_days(before, per_before, {DecisionKind.G1}, "days_to_project"),
                ),
            ],
        )
    )

    sections.append(_three_n_section(data, now, before))
    return sections


THREE_N = (
    ("new", "is_new", _("Ny")),
    ("useful", "is_useful", _("Nyttig")),
    ("used", "is_used", _("Nyttiggjord")),
    ("all", None, _("Ny, nyttig och nyttiggjord (3N)")),
)


def _three_n_section(data: _Data, now: _Period, before: _Period) -> IndicatorSection:
    def figure(period: _Period, group: str, flag: str | None) -> Figure:
        ids = []
        for pk in period.implemented_solutions():
            row = data.initiatives[pk]
            if row["target_group"] not in (group, TargetGroup.BOTH):
                continue
            if flag is None:
                if row["is_new"] and row["is_useful"] and row["is_used"]:
                    ids.append(pk)
            elif row[flag]:
                ids.append(pk)
        return _count(ids)

    rows = []
    for group, group_label in (
        (TargetGroup.RESIDENTS, _("invånare")),
        (TargetGroup.STAFF, _("medarbetare")),
    ):
        for key, flag, label in THREE_N:
            rows.append(
                IndicatorRow(
                    f"3n-{group}-{key}",
                    f"{label}, {group_label}",
                    str(_("lösningar")),
                    figure(now, group, flag),
                    figure(before, group, flag),
                )
            )
    return IndicatorSection("3n", str(_("Implementerade lösningar enligt 3N, per målgrupp")), rows)


def portfolio_indicators(portfolio: Portfolio, period: Period) -> IndicatorReport:
    """Every V6 indicator for the period, with the previous half-year beside it."""
    previous = period.previous_half_year()
    data = _load(portfolio, [period.end, previous.end])
    now, before = _Period(data, period), _Period(data, previous)
    per_now, per_before = now.per_initiative(), before.per_initiative()
    return IndicatorReport(
        portfolio=portfolio,
        period=period,
        previous_period=previous,
        sections=_sections(data, now, before, per_now, per_before),
        per_initiative=per_now,
        references={pk: (row["reference"], row["title"]) for pk, row in data.initiatives.items()},
    )


def recent_half_years(day: dt.date, count: int = 4) -> list[Period]:
    """The `count` half-years ending with the one that holds `day`, oldest first."""
    periods = [half_year_of(day)]
    while len(periods) < count:
        periods.append(periods[-1].previous_half_year())
    return list(reversed(periods))


def _trend_counts(portfolio_id: int, periods: list[Period], initiative_ids=None):
    """(rows, their counts per half-year) for each of the trend's three tables; the
    counting rules of `indicator_trend`, for the portfolio or some of its initiatives."""

    def bounds(period: Period):
        # Aware datetimes for the submission timestamp, dates for the rest.
        start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
        end = timezone.make_aware(
            dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min)
        )
        return start, end

    initiatives = Initiative.objects.filter(portfolio_id=portfolio_id)
    decisions = GateDecision.objects.filter(
        initiative__portfolio_id=portfolio_id, outcome=DecisionOutcome.APPROVED
    )
    participations = Participation.objects.filter(initiative__portfolio_id=portfolio_id)
    if initiative_ids is not None:
        initiatives = initiatives.filter(pk__in=initiative_ids)
        decisions = decisions.filter(initiative_id__in=initiative_ids)
        participations = participations.filter(initiative_id__in=initiative_ids)
    return (
        (
            initiatives,
            {
                f"p{i}": Count("id", filter=Q(submitted_at__gte=start, submitted_at__lt=end))
                for i, (start, end) in enumerate(bounds(p) for p in periods)
            },
        ),
        (
            decisions,
            {
                f"{kind}{i}": Count(
                    "id", filter=Q(kind=kind, decided_on__gte=p.start, decided_on__lte=p.end)
                )
                for i, p in enumerate(periods)
                for kind in (DecisionKind.G0, DecisionKind.G1)
            },
        ),
        (
            participations,
            {
                f"p{i}": Count(
                    "id", filter=Q(implemented_on__gte=p.start, implemented_on__lte=p.end)
                )
                for i, p in enumerate(periods)
            },
        ),
    )


def _trend_series(incoming: dict, approvals: dict, implemented: dict, n: int) -> dict:
    indexes = range(n)
    return {
        "incoming": [incoming.get(f"p{i}", 0) for i in indexes],
        "prestudies_started": [approvals.get(f"{DecisionKind.G0}{i}", 0) for i in indexes],
        "projects_started": [approvals.get(f"{DecisionKind.G1}{i}", 0) for i in indexes],
        "implemented": [implemented.get(f"p{i}", 0) for i in indexes],
    }


def indicator_trend(portfolio: Portfolio, periods: list[Period]) -> dict[str, list[int]]:
    """A few headline indicators per half-year, counted in the database: one aggregate
    query per table whatever the size of the portfolio.

    Keys: incoming, prestudies_started, projects_started, implemented (implementations
    in municipalities).
    """
    counted = [rows.aggregate(**counts) for rows, counts in _trend_counts(portfolio.pk, periods)]
    return _trend_series(*counted, len(periods))


def trend_by_initiative(portfolio_id: int, periods: list[Period], initiative_ids=None):
    """What each initiative adds to `indicator_trend`: {initiative: {(table, key): n}}
    (one grouped query per table)."""
    by: dict[int, dict] = {}
    tables = zip(
        ("incoming", "approvals", "implemented"),
        _trend_counts(portfolio_id, periods, initiative_ids),
        strict=True,
    )
    for table, (rows, counts) in tables:
        field = "pk" if table == "incoming" else "initiative_id"
        for row in rows.order_by().values(field).annotate(**counts):
            part = by.setdefault(row[field], {})
            for key in counts:
                if row[key]:
                    part[(table, key)] = row[key]
    return by


def trend_from_sums(sums: dict, n: int) -> dict[str, list[int]]:
    tables = {"incoming": {}, "approvals": {}, "implemented": {}}
    for (table, key), value in sums.items():
        tables[table][key] = value
    return _trend_series(tables["incoming"], tables["approvals"], tables["implemented"], n)


TREND_LABELS = {
    "incoming": _("Inkomna initiativ"),
    "prestudies_started": _("Startade förstudier"),
    "projects_started": _("Startade projekt och uppdrag"),
    "implemented": _("Implementeringar i kommuner"),
}
