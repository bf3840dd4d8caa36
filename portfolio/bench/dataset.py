"""A synthetic national dataset: every collaboration in Sweden on one instance.

`build_dataset(seed, scale, reference, first_ids)` is pure: the same seed, scale and
reference data give the same rows, table by table, in the order they must be written.
Each table draws from its own random stream (seeded by the seed and the table's name),
so a change to one table's generator leaves the others as they were.

The shape follows the domain: overlapping constellations of real municipalities, one
portfolio each, programs, initiatives whose decisions lead exactly to their stage,
participations of member municipalities, costs paid and hours given by participants.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from accounts.models import Role, RoleAssignment, User
from municipalities.models import Constellation, Municipality
from portfolio.choices import (
    Area,
    CostKind,
    CostNature,
    DecisionBody,
    DecisionKind,
    DecisionOutcome,
    Health,
    ParticipationStatus,
    SecurityClassification,
    Stage,
    TargetGroup,
)
from portfolio.gate_defaults import DEFAULT_CRITERIA
from portfolio.models import (
    AllocationKey,
    CostEntry,
    EffectGoal,
    GateCriterion,
    GateDecision,
    HistoryEntry,
    Initiative,
    Participation,
    Portfolio,
    PriorityCriterion,
    Program,
    ProgramBudget,
    StatusUpdate,
    TimeEntry,
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
    initiatives: int = 20_000
    largest_portfolio: int = 5_500
    export_program: int = 2_000  # one program of the largest portfolio holds exactly this many
    participations: int = 100_000
    cost_entries: int = 200_000
    time_entries: int = 500_000
    decisions: int = 60_000
    status_updates: int = 40_000

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
class _Item:
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


def _rng(seed: int, name: str) -> random.Random:
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


def _month(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    end = max(start, end)
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    return day.replace(day=1)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class _Builder:
    def __init__(self, seed: int, scale: Scale, reference: Reference, first_ids: dict):
        self.seed, self.scale, self.ref = seed, scale, reference
        self.next = dict(first_ids)
        self.password = make_password(BENCH_PASSWORD, salt=f"bench{seed}")

    def ids(self, model, count: int) -> range:
        start = self.next[model]
        self.next[model] = start + count
        return range(start, start + count)

    # Constellations and people ------------------------------------------------------

    def constellations(self) -> list[Table]:
        rng = _rng(self.seed, "constellations")
        groups = [("Fyrbodal", "FYR", FYRBODAL)]
        counties = sorted(self.ref.counties)
        for n in range(1, self.scale.constellations):
            county = counties[n % len(counties)]
            codes = self.ref.counties[county]
            size = rng.randint(min(3, len(codes)), min(10, len(codes)))
            start = rng.randrange(len(codes) - size + 1)
            name = f"{self.ref.county_names[county].removesuffix(' län')} samverkan {n}"
            groups.append((name, f"K{n:02d}", codes[start : start + size]))
        self.groups = groups
        ids = self.ids(Constellation, len(groups))
        self.constellation_ids = list(ids)
        members = Constellation.members.through
        member_rows = [
            (cid, self.ref.municipality_ids[code])
            for cid, (_n, _s, codes) in zip(ids, groups, strict=True)
            for code in codes
        ]
        member_ids = self.ids(members, len(member_rows))
        return [
            Table(
                Constellation,
                ("id", "name", "short_name", "description"),
                [
                    (cid, name, short, "Syntetisk samverkan för prestandamätning.")
                    for cid, (name, short, _c) in zip(ids, groups, strict=True)
                ],
            ),
            Table(
                members,
                ("id", "constellation_id", "municipality_id"),
                [(i, *row) for i, row in zip(member_ids, member_rows, strict=True)],
            ),
        ]

    def people(self) -> list[Table]:
        """A director per member municipality; per portfolio a samordnare, IT-chef and owner."""
        codes = sorted({code for _n, _s, group in self.groups for code in group})
        people = [(BENCH_USERNAME, BENCH_MUNICIPALITY, "Bänk", "Kommundirektör", Role.DIRECTOR)]
        people += [(f"kd.{c}", c, "Kommun", f"Direktör {c}", Role.DIRECTOR) for c in codes]
        for n, (_name, short, group) in enumerate(self.groups):
            people += [
                (f"samordnare.{short}", group[0], "Samordnare", short, Role.COORDINATOR),
                (f"itchef.{short}", group[-1], "IT-chef", short, Role.IT_MANAGER),
                (f"agare.{short}", group[n % len(group)], "Ägare", short, Role.INITIATIVE_OWNER),
            ]
        joined = _at(dt.date(2020, 1, 1))
        user_ids = self.ids(User, len(people) + self.scale.programs)
        self.user_by_name = {}
        rows, roles = [], []
        for uid, (username, code, first, last, role) in zip(user_ids, people, strict=False):
            self.user_by_name[username] = uid
            rows.append(self._user(uid, username, code, first, last, joined))
            roles.append((uid, role))
        self.manager_ids = list(user_ids)[len(people) :]
        self._pending_managers = []
        self._user_rows, self._role_rows = rows, roles
        return []

    def _user(self, uid, username, code, first, last, joined):
        return (
            uid,
            self.password,
            username,
            first,
            last,
            f"{username}@bench.invalid",
            joined,
            self.ref.municipality_ids[code],
        )

    def user_tables(self) -> list[Table]:
        joined = _at(dt.date(2020, 1, 1))
        rows, roles = list(self._user_rows), list(self._role_rows)
        for uid, (username, code) in zip(self.manager_ids, self._pending_managers, strict=True):
            rows.append(self._user(uid, username, code, "Programledare", username, joined))
            roles.append((uid, Role.PROGRAM_MANAGER))
        role_ids = self.ids(RoleAssignment, len(roles))
        return [
            Table(
                User,
                (
                    "id",
                    "password",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "date_joined",
                    "municipality_id",
                ),
                rows,
            ),
            Table(
                RoleAssignment,
                ("id", "user_id", "role"),
                [(i, *r) for i, r in zip(role_ids, roles, strict=True)],
            ),
        ]

    # Portfolios and programs ------------------------------------------------------

    def portfolios(self) -> list[Table]:
        rng = _rng(self.seed, "portfolios")
        ids = self.ids(Portfolio, len(self.groups))
        self.portfolio_ids = list(ids)
        rows, criteria, priority, keys = [], [], [], []
        for n, (pid, cid, (name, short, _group)) in enumerate(
            zip(ids, self.constellation_ids, self.groups, strict=True)
        ):
            prefix = LARGEST_PREFIX if n == 0 else f"P{n:02d}"
            rows.append(
                (
                    pid,
                    f"Portfölj {name}",
                    cid,
                    "Syntetisk portfölj för prestandamätning.",
                    prefix,
                    dt.date(2026, 12, 10) + dt.timedelta(days=n),
                    f"Portföljkontoret {short}",
                )
            )
            for order, (gate, label, kind, check) in enumerate(DEFAULT_CRITERIA):
                criteria.append((pid, gate, str(label), kind, check, order))
            for order, (label, weight) in enumerate(
                (("Nytta", 3), ("Strategisk träffsäkerhet", 2), ("Genomförbarhet", 2), ("Risk", 1))
            ):
                priority.append((pid, label, weight, order))
            coordinator = self.user_by_name[f"samordnare.{short}"]
            rate = rng.choice((650, 700, 760))
            keys.append((pid, dt.date(2020, 1, 1), 80, 20, 2025, rate, coordinator))
            if n % 3 == 0:
                keys.append((pid, dt.date(2026, 1, 1), 70, 30, 2025, 780, coordinator))
        return [
            Table(
                Portfolio,
                (
                    "id",
                    "name",
                    "constellation_id",
                    "description",
                    "reference_prefix",
                    "next_board_meeting",
                    "sender",
                ),
                rows,
            ),
            Table(
                GateCriterion,
                ("id", "portfolio_id", "gate", "label", "kind", "system_check", "order"),
                [
                    (i, *r)
                    for i, r in zip(self.ids(GateCriterion, len(criteria)), criteria, strict=True)
                ],
            ),
            Table(
                PriorityCriterion,
                ("id", "portfolio_id", "name", "weight", "order"),
                [
                    (i, *r)
                    for i, r in zip(
                        self.ids(PriorityCriterion, len(priority)), priority, strict=True
                    )
                ],
            ),
            Table(
                AllocationKey,
                (
                    "id",
                    "portfolio_id",
                    "valid_from",
                    "population_weight",
                    "equal_weight",
                    "population_year",
                    "hourly_rate",
                    "decision_reference",
                    "created_by_id",
                    "created_at",
                ),
                [
                    (i, *k[:6], "Portföljstyrgruppen § 4", k[6], _at(k[1]))
                    for i, k in zip(self.ids(AllocationKey, len(keys)), keys, strict=True)
                ],
            ),
        ]

    def programs(self) -> list[Table]:
        rng = _rng(self.seed, "programs")
        count = len(self.groups)
        largest = min(len(PROGRAM_NAMES), max(1, self.scale.programs - (count - 1) * 3))
        others = spread(
            self.scale.programs - largest,
            [1.0] * (count - 1),
            [1] * (count - 1),
            [len(PROGRAM_NAMES)] * (count - 1),
        )
        per_portfolio = [largest, *others]
        ids = iter(self.ids(Program, self.scale.programs))
        rows, budgets = [], []
        self.programs_of = []
        managers = iter(self.manager_ids)
        for n, (pid, amount) in enumerate(zip(self.portfolio_ids, per_portfolio, strict=True)):
            group = self.groups[n][2]
            mine = []
            for k in range(amount):
                program_id, manager = next(ids), next(managers)
                code = group[k % len(group)]
                self._pending_managers.append((f"programledare.{program_id}", code))
                rows.append((program_id, pid, PROGRAM_NAMES[k], "", manager))
                mine.append((program_id, manager))
                for year in (2024, 2025, 2026):
                    budgets.append((program_id, year, rng.randint(20, 400) * 50_000))
            self.programs_of.append(mine)
        return [
            Table(Program, ("id", "portfolio_id", "name", "description", "manager_id"), rows),
            Table(
                ProgramBudget,
                ("id", "program_id", "year", "amount"),
                [
                    (i, *b)
                    for i, b in zip(self.ids(ProgramBudget, len(budgets)), budgets, strict=True)
                ],
            ),
        ]

    # Initiatives and their decisions ------------------------------------------------

    def _plan_steps(self, rng: random.Random, stage: str) -> list[list]:
        g0 = [DecisionKind.G0, DecisionOutcome.APPROVED, Stage.IDEA, Stage.PRESTUDY]
        build = rng.choice((Stage.PROJECT, Stage.ASSIGNMENT))
        g1 = [DecisionKind.G1, DecisionOutcome.APPROVED, Stage.PRESTUDY, build]
        g2 = [DecisionKind.G2, DecisionOutcome.APPROVED, build, Stage.IMPLEMENTATION]
        g3 = [DecisionKind.G3, DecisionOutcome.APPROVED, Stage.IMPLEMENTATION, Stage.OPERATION]
        if stage in (Stage.PROJECT, Stage.ASSIGNMENT):
            g1[3] = stage
        paths = {
            Stage.IDEA: [],
            Stage.PRESTUDY: [g0],
            Stage.PROJECT: [g0, g1],
            Stage.ASSIGNMENT: [g0, g1],
            Stage.IMPLEMENTATION: [g0, g1, g2],
            Stage.OPERATION: [g0, g1, g2, g3],
        }
        if stage in paths:
            return [list(s) for s in paths[stage]]
        if stage == Stage.REJECTED:
            if rng.random() < 0.5:
                return [[DecisionKind.G0, DecisionOutcome.REJECTED, Stage.IDEA, Stage.REJECTED]]
            return [g0, [DecisionKind.G1, DecisionOutcome.REJECTED, Stage.PRESTUDY, Stage.REJECTED]]
        before = [g0] if rng.random() < 0.5 else [g0, g1]
        return [*before, [DecisionKind.CANCEL, DecisionOutcome.APPROVED, before[-1][3], stage]]

    def initiatives(self) -> list[Table]:
        rng = _rng(self.seed, "initiatives")
        scale = self.scale
        count = len(self.groups)
        sizes = [scale.largest_portfolio] + spread(
            scale.initiatives - scale.largest_portfolio,
            [rng.uniform(0.3, 1.7) for _ in range(count - 1)],
            [1] * (count - 1),
            [scale.largest_portfolio] * (count - 1),
        )
        stages = [s for s, _w in STAGE_WEIGHTS]
        weights = [w for _s, w in STAGE_WEIGHTS]
        ids = iter(self.ids(Initiative, scale.initiatives))
        self.items: list[_Item] = []
        for n, size in enumerate(sizes):
            programs = self.programs_of[n]
            if n == 0:
                rest = spread(
                    size - scale.export_program,
                    [1.0] * (len(programs) - 1),
                    [0] * (len(programs) - 1),
                    [size] * (len(programs) - 1),
                )
                per_program = [scale.export_program, *rest]
            else:
                per_program = spread(
                    size, [1.0] * len(programs), [0] * len(programs), [size] * len(programs)
                )
            for (program_id, _manager), amount in zip(programs, per_program, strict=True):
                for _ in range(amount):
                    stage = rng.choices(stages, weights)[0]
                    steps = self._plan_steps(rng, stage)
                    self.items.append(_Item(next(ids), n, program_id, stage, steps, FIRST_DAY))
        self._pad_decisions(rng)
        for item in self.items:
            span = sum(rng.randint(25, 75) for _ in item.steps) + 30
            latest = (LAST_DAY - FIRST_DAY).days - span
            item.submitted = FIRST_DAY + dt.timedelta(days=rng.randint(0, max(0, latest)))
            day = item.submitted
            for step in item.steps:
                day += dt.timedelta(days=rng.randint(25, 75))
                step.append(day)
        return [self._initiative_table(rng)]

    def _pad_decisions(self, rng: random.Random) -> None:
        """Returned decisions (återremitterad) before gates, until the total is exact."""
        needed = sum(len(item.steps) for item in self.items)
        padding = self.scale.decisions - needed
        if padding < 0:
            raise ValueError(f"{self.scale.decisions} beslut räcker inte för stegen ({needed}).")
        for _ in range(padding):
            item = self.items[rng.randrange(len(self.items))]
            slots = [i for i, s in enumerate(item.steps) if s[0] != DecisionKind.CANCEL]
            pending = NEXT_GATE.get(item.stage)
            choices = [*slots, len(item.steps)] if pending else slots or [len(item.steps)]
            where = rng.choice(choices)
            if where == len(item.steps):
                kind = pending or DecisionKind.G0
                current = item.stage if pending else Stage.IDEA
            else:
                kind, current = item.steps[where][0], item.steps[where][2]
            item.steps.insert(where, [kind, DecisionOutcome.RETURNED, current, current])

    def _initiative_table(self, rng: random.Random) -> Table:
        rows = []
        numbers = [0] * len(self.groups)
        for item in self.items:
            n = item.portfolio
            numbers[n] += 1
            group = self.groups[n][2]
            prefix = LARGEST_PREFIX if n == 0 else f"P{n:02d}"
            past_g1 = item.reached(DecisionKind.G1) is not None
            past_g2 = item.reached(DecisionKind.G2) is not None
            in_operation = item.stage == Stage.OPERATION
            start = item.started or item.submitted + dt.timedelta(days=60)
            rows.append(
                (
                    item.id,
                    self.portfolio_ids[n],
                    item.program_id,
                    f"{prefix}-{numbers[n]}",
                    f"{rng.choice(SUBJECTS)} {rng.choice(OBJECTS)}",
                    "Flera kommuner har samma behov och saknar resurser att lösa det var för sig.",
                    "Kortare handläggningstider och en enklare kontakt för invånarna.",
                    rng.choice(Area.values),
                    rng.choice(TargetGroup.values),
                    rng.randint(1, 5),
                    self.ref.municipality_ids[rng.choice(group)],
                    self.user_by_name[f"agare.{self.groups[n][1]}"],
                    item.stage,
                    rng.random() < 0.03,
                    start,
                    start + dt.timedelta(days=rng.randint(120, 720)),
                    f"KS {item.submitted.year}/{numbers[n]}",
                    Decimal(rng.randint(100, 500)) / 100,
                    "Förstudien visar att en gemensam lösning är möjlig." if past_g1 else "",
                    rng.choice(SecurityClassification.values[1:]) if past_g1 else "",
                    "Plan per deltagande kommun." if past_g2 else "",
                    "Systemförvaltning i värdkommunen" if past_g2 else "",
                    "Uppföljning varje halvår." if in_operation else "",
                    in_operation,
                    in_operation and rng.random() < 0.8,
                    in_operation and rng.random() < 0.6,
                    _at(item.submitted),
                    _at(item.steps[-1][4] if item.steps else item.submitted, 15),
                )
            )
        return Table(
            Initiative,
            (
                "id",
                "portfolio_id",
                "program_id",
                "reference",
                "title",
                "need",
                "expected_benefit",
                "area",
                "target_group",
                "collaboration_level",
                "proposing_municipality_id",
                "owner_id",
                "stage",
                "is_paused",
                "planned_start",
                "planned_end",
                "registration_number",
                "priority_score",
                "prestudy_conclusion",
                "security_classification",
                "implementation_plan",
                "operation_owner",
                "benefit_followup_plan",
                "is_new",
                "is_useful",
                "is_used",
                "submitted_at",
                "updated_at",
            ),
            rows,
        )

    def decisions(self) -> list[Table]:
        rows = []
        ids = iter(self.ids(GateDecision, self.scale.decisions))
        self.decision_rows = []
        for item in self.items:
            director = self._director(item)
            manager = self._manager(item)
            for number, (kind, outcome, before, after, day) in enumerate(item.steps, 1):
                board = kind in BOARD_KINDS
                decision_id = next(ids)
                rows.append(
                    (
                        decision_id,
                        item.id,
                        kind,
                        outcome,
                        before,
                        after,
                        day,
                        DecisionBody.BOARD if board else DecisionBody.PROGRAM,
                        f"Protokoll {day.isoformat()} § {number + 2}",
                        "Kriterierna är uppfyllda."
                        if outcome == DecisionOutcome.APPROVED
                        else "Underlaget behöver kompletteras.",
                        [],
                        director if board else manager,
                        _at(day, 16),
                    )
                )
                self.decision_rows.append((decision_id, item.id, kind, outcome, day, rows[-1][11]))
        return [
            Table(
                GateDecision,
                (
                    "id",
                    "initiative_id",
                    "kind",
                    "outcome",
                    "stage_before",
                    "stage_after",
                    "decided_on",
                    "body",
                    "meeting_reference",
                    "motivation",
                    "criteria_snapshot",
                    "recorded_by_id",
                    "recorded_at",
                ),
                rows,
            )
        ]

    def _director(self, item: _Item) -> int:
        return self.user_by_name[f"kd.{self.groups[item.portfolio][2][0]}"]

    def _manager(self, item: _Item) -> int:
        for program_id, manager in self.programs_of[item.portfolio]:
            if program_id == item.program_id:
                return manager
        raise LookupError(item.program_id)

    # Participation, money and follow-up --------------------------------------------

    def participations(self) -> list[Table]:
        rng = _rng(self.seed, "participations")
        sizes = [len(self.groups[item.portfolio][2]) for item in self.items]
        counts = spread(
            self.scale.participations,
            [rng.uniform(0.5, 1.5) * min(s, 8) for s in sizes],
            [1] * len(sizes),
            sizes,
        )
        rows = []
        ids = iter(self.ids(Participation, self.scale.participations))
        for item, k in zip(self.items, counts, strict=True):
            codes = rng.sample(self.groups[item.portfolio][2], k)
            started = item.started
            for order, code in enumerate(codes):
                mid = self.ref.municipality_ids[code]
                status, joined, left, reason = ParticipationStatus.INTERESTED, None, None, ""
                implemented, opted_out, late = None, False, False
                if started is None:
                    if order and rng.random() < 0.2:
                        status = ParticipationStatus.INVITED
                else:
                    draw = rng.random()
                    joined = started
                    if order and draw < 0.05:
                        status, joined = ParticipationStatus.DECLINED, None
                    elif order and draw < 0.10:
                        status = ParticipationStatus.LEFT
                        left = min(LAST_DAY, joined + dt.timedelta(days=rng.randint(30, 300)))
                        reason = rng.choice(LEAVE_REASONS)
                    else:
                        status = ParticipationStatus.PARTICIPATING
                        if order and draw < 0.2:
                            joined = min(
                                LAST_DAY, started + dt.timedelta(days=rng.randint(30, 200))
                            )
                    built = item.reached(DecisionKind.G2)
                    if status == ParticipationStatus.PARTICIPATING and built:
                        closed = item.reached(DecisionKind.G3)
                        if closed and rng.random() < 0.9:
                            late = rng.random() < 0.05
                            implemented = min(
                                LAST_DAY,
                                closed
                                + dt.timedelta(
                                    days=rng.randint(10, 90) if late else -rng.randint(1, 20)
                                ),
                            )
                        elif closed:
                            opted_out = True
                        elif rng.random() < 0.4:
                            implemented = min(
                                LAST_DAY, built + dt.timedelta(days=rng.randint(10, 60))
                            )
                item.participants.append((mid, status, joined, left))
                rows.append(
                    (
                        next(ids),
                        item.id,
                        mid,
                        status,
                        joined,
                        left,
                        reason,
                        implemented,
                        opted_out,
                        late,
                    )
                )
        return [
            Table(
                Participation,
                (
                    "id",
                    "initiative_id",
                    "municipality_id",
                    "status",
                    "joined_on",
                    "left_on",
                    "leave_reason",
                    "implemented_on",
                    "implementation_opted_out",
                    "is_late_implementer",
                ),
                rows,
            )
        ]

    def _worked(self) -> tuple[list[_Item], list[float]]:
        """Initiatives that have started, weighted by how far they have come."""
        weight = {
            Stage.PRESTUDY: 1.0,
            Stage.PROJECT: 2.0,
            Stage.ASSIGNMENT: 1.5,
            Stage.IMPLEMENTATION: 3.0,
            Stage.OPERATION: 4.0,
            Stage.REJECTED: 0.5,
            Stage.CANCELLED: 1.0,
        }
        items = [item for item in self.items if item.started]
        return items, [weight[item.stage] for item in items]

    @staticmethod
    def _payers(item: _Item) -> list[tuple]:
        working = (ParticipationStatus.PARTICIPATING, ParticipationStatus.LEFT)
        return [p for p in item.participants if p[1] in working] or item.participants

    def costs(self) -> list[Table]:
        rng = _rng(self.seed, "costs")
        items, weights = self._worked()
        counts = spread(self.scale.cost_entries, weights, [0] * len(items), [10**6] * len(items))
        ids = iter(self.ids(CostEntry, self.scale.cost_entries))
        creator = self.user_by_name[f"itchef.{self.groups[0][1]}"]

        def rows() -> Iterator[tuple]:
            for item, k in zip(items, counts, strict=True):
                start, end = item.started, item.ended
                operating = item.reached(DecisionKind.G2)
                payers = self._payers(item)
                for j in range(k):
                    if j < 2:
                        kind = CostKind.DEVELOPMENT if j == 0 else CostKind.OPERATION
                        yield (
                            next(ids),
                            item.id,
                            kind,
                            CostNature.ESTIMATE,
                            start.replace(day=1),
                            rng.randint(10, 300) * 10_000 // (1 if j == 0 else 5),
                            None,
                            "Estimat",
                            creator,
                            _at(start),
                        )
                        continue
                    period = _month(rng, start, end)
                    kind = (
                        CostKind.OPERATION
                        if operating and period >= operating
                        else CostKind.DEVELOPMENT
                    )
                    payer = payers[rng.randrange(len(payers))]
                    yield (
                        next(ids),
                        item.id,
                        kind,
                        CostNature.ACTUAL,
                        period,
                        rng.randint(5, 250) * 1_000 + rng.randint(0, 999),
                        payer[0],
                        "Faktura",
                        creator,
                        _at(period),
                    )

        return [
            Table(
                CostEntry,
                (
                    "id",
                    "initiative_id",
                    "kind",
                    "nature",
                    "period",
                    "amount",
                    "paid_by_id",
                    "description",
                    "created_by_id",
                    "created_at",
                ),
                rows(),
            )
        ]

    def time_entries(self) -> list[Table]:
        rng = _rng(self.seed, "time")
        items, weights = self._worked()
        counts = spread(self.scale.time_entries, weights, [0] * len(items), [10**6] * len(items))
        ids = iter(self.ids(TimeEntry, self.scale.time_entries))
        creator = self.user_by_name[f"itchef.{self.groups[0][1]}"]
        hours = [Decimal(h) / 2 for h in range(2, 161)]

        def rows() -> Iterator[tuple]:
            for item, k in zip(items, counts, strict=True):
                start, end = item.started, item.ended
                workers = self._payers(item)
                for _ in range(k):
                    period = _month(rng, start, end)
                    yield (
                        next(ids),
                        item.id,
                        workers[rng.randrange(len(workers))][0],
                        period,
                        hours[rng.randrange(len(hours))],
                        TIME_ROLES[rng.randrange(len(TIME_ROLES))],
                        creator,
                        _at(period),
                    )

        return [
            Table(
                TimeEntry,
                (
                    "id",
                    "initiative_id",
                    "municipality_id",
                    "period",
                    "hours",
                    "role",
                    "created_by_id",
                    "created_at",
                ),
                rows(),
            )
        ]

    def follow_up(self) -> list[Table]:
        rng = _rng(self.seed, "follow_up")
        active = [
            item
            for item in self.items
            if item.started and item.stage not in (Stage.REJECTED, Stage.CANCELLED)
        ]
        counts = spread(
            self.scale.status_updates, [1.0] * len(active), [0] * len(active), [10] * len(active)
        )
        updates = []
        ids = iter(self.ids(StatusUpdate, self.scale.status_updates))
        healths = [Health.GREEN] * 7 + [Health.YELLOW] * 2 + [Health.RED]
        for item, k in zip(active, counts, strict=True):
            short = self.groups[item.portfolio][1]
            author = self.user_by_name[f"itchef.{short}"]
            municipality = self.ref.municipality_ids[self.groups[item.portfolio][2][-1]]
            for j in range(k):
                day = LAST_DAY - dt.timedelta(days=30 * j + rng.randint(0, 20))
                updates.append(
                    (
                        next(ids),
                        item.id,
                        max(day, item.started),
                        rng.choice(healths),
                        rng.choice(healths),
                        rng.choice(healths),
                        min(100, 10 * (k - j) + rng.randint(0, 30)),
                        "Arbetet följer planen.",
                        author,
                        municipality,
                        _at(max(day, item.started), 10),
                    )
                )
        goals = [
            (
                item.id,
                "Kortare handläggningstid",
                "Handläggningstid",
                "dagar",
                Decimal(rng.randint(20, 60)),
                Decimal(rng.randint(5, 19)),
            )
            for item in self.items
            if item.reached(DecisionKind.G1)
        ]
        history = [
            (
                item.id,
                "initiative",
                item.id,
                "created",
                {},
                self.user_by_name[f"agare.{self.groups[item.portfolio][1]}"],
                _at(item.submitted),
            )
            for item in self.items
        ]
        history += [
            (
                initiative_id,
                "decision",
                decision_id,
                "recorded",
                {"kind": kind, "outcome": outcome},
                actor,
                _at(day, 16),
            )
            for decision_id, initiative_id, kind, outcome, day, actor in self.decision_rows
        ]
        return [
            Table(
                StatusUpdate,
                (
                    "id",
                    "initiative_id",
                    "reported_on",
                    "health_time",
                    "health_cost",
                    "health_quality",
                    "progress",
                    "comment",
                    "author_id",
                    "municipality_id",
                    "created_at",
                ),
                updates,
            ),
            Table(
                EffectGoal,
                ("id", "initiative_id", "name", "indicator", "unit", "baseline", "target"),
                [(i, *g) for i, g in zip(self.ids(EffectGoal, len(goals)), goals, strict=True)],
            ),
            Table(
                HistoryEntry,
                (
                    "id",
                    "initiative_id",
                    "entity",
                    "entity_id",
                    "action",
                    "changes",
                    "actor_id",
                    "created_at",
                ),
                [
                    (i, *h)
                    for i, h in zip(self.ids(HistoryEntry, len(history)), history, strict=True)
                ],
            ),
        ]


MODELS = (
    Constellation,
    Constellation.members.through,
    User,
    RoleAssignment,
    Portfolio,
    GateCriterion,
    PriorityCriterion,
    AllocationKey,
    Program,
    ProgramBudget,
    Initiative,
    GateDecision,
    Participation,
    CostEntry,
    TimeEntry,
    StatusUpdate,
    EffectGoal,
    HistoryEntry,
)


def build_dataset(seed: int, scale: Scale, reference: Reference, first_ids: dict) -> list[Table]:
    """Every table's rows, in the order they must be written (parents first)."""
    b = _Builder(seed, scale, reference, first_ids)
    constellations = b.constellations()
    b.people()
    portfolios = b.portfolios()
    programs = b.programs()
    users = b.user_tables()
    tables = [*constellations, *users, *portfolios, *programs]
    tables += b.initiatives()
    tables += b.decisions()
    tables += b.participations()
    tables += b.costs()
    tables += b.time_entries()
    tables += b.follow_up()
    return tables
