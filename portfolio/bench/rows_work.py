"""Initiatives, decisions, participation, money and follow-up of the national dataset."""

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

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
from portfolio.models import (
    CostEntry,
    EffectGoal,
    GateDecision,
    HistoryEntry,
    Initiative,
    Participation,
    StatusUpdate,
    TimeEntry,
)

from .shape import (
    BOARD_KINDS,
    FIRST_DAY,
    LARGEST_PREFIX,
    LAST_DAY,
    LEAVE_REASONS,
    NEXT_GATE,
    OBJECTS,
    STAGE_WEIGHTS,
    SUBJECTS,
    TIME_ROLES,
    Item,
    Table,
    at,
    columns,
    month_between,
    rng_for,
    spread,
)


class WorkRows:
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
        rng = rng_for(self.seed, "initiatives")
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
        self.items: list[Item] = []
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
                    self.items.append(Item(next(ids), n, program_id, stage, steps, FIRST_DAY))
        self._pad_decisions(rng)
        for item in self.items:
            span = sum(rng.randint(25, 75) for _ in item.steps) + 30
            latest = (LAST_DAY - FIRST_DAY).days - span
            item.submitted = FIRST_DAY + dt.timedelta(days=rng.randint(0, max(0, latest)))
            day = item.submitted
            for step in item.steps:
                # A long history can outrun the window: it ends on its last day, not after.
                day = min(LAST_DAY, day + dt.timedelta(days=rng.randint(25, 75)))
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
                    at(item.submitted),
                    at(item.steps[-1][4] if item.steps else item.submitted, 15),
                )
            )
        return Table(
            Initiative,
            columns(
                "id portfolio_id program_id reference title need expected_benefit area "
                "target_group collaboration_level proposing_municipality_id owner_id "
                "stage is_paused planned_start planned_end registration_number "
                "priority_score prestudy_conclusion security_classification "
                "implementation_plan operation_owner benefit_followup_plan is_new "
                "is_useful is_used submitted_at updated_at"
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
                        at(day, 16),
                    )
                )
                self.decision_rows.append((decision_id, item.id, kind, outcome, day, rows[-1][11]))
        return [
            Table(
                GateDecision,
                columns(
                    "id initiative_id kind outcome stage_before stage_after decided_on body "
                    "meeting_reference motivation criteria_snapshot recorded_by_id "
                    "recorded_at"
                ),
                rows,
            )
        ]

    def _director(self, item: Item) -> int:
        return self.user_by_name[f"kd.{self.groups[item.portfolio][2][0]}"]

    def _manager(self, item: Item) -> int:
        for program_id, manager in self.programs_of[item.portfolio]:
            if program_id == item.program_id:
                return manager
        raise LookupError(item.program_id)

    # Participation, money and follow-up --------------------------------------------

    def participations(self) -> list[Table]:
        rng = rng_for(self.seed, "participations")
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
                columns(
                    "id initiative_id municipality_id status joined_on left_on leave_reason "
                    "implemented_on implementation_opted_out is_late_implementer"
                ),
                rows,
            )
        ]

    def _worked(self) -> tuple[list[Item], list[float]]:
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
    def _payers(item: Item) -> list[tuple]:
        working = (ParticipationStatus.PARTICIPATING, ParticipationStatus.LEFT)
        return [p for p in item.participants if p[1] in working] or item.participants

    def costs(self) -> list[Table]:
        rng = rng_for(self.seed, "costs")
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
                            at(start),
                        )
                        continue
                    period = month_between(rng, start, end)
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
                        at(period),
                    )

        return [
            Table(
                CostEntry,
                columns(
                    "id initiative_id kind nature period amount paid_by_id description "
                    "created_by_id created_at"
                ),
                rows(),
            )
        ]

    def time_entries(self) -> list[Table]:
        rng = rng_for(self.seed, "time")
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
                    period = month_between(rng, start, end)
                    yield (
                        next(ids),
                        item.id,
                        workers[rng.randrange(len(workers))][0],
                        period,
                        hours[rng.randrange(len(hours))],
                        TIME_ROLES[rng.randrange(len(TIME_ROLES))],
                        creator,
                        at(period),
                    )

        return [
            Table(
                TimeEntry,
                columns(
                    "id initiative_id municipality_id period hours role created_by_id created_at"
                ),
                rows(),
            )
        ]

    def follow_up(self) -> list[Table]:
        rng = rng_for(self.seed, "follow_up")
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
                        at(max(day, item.started), 10),
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
                at(item.submitted),
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
                at(day, 16),
            )
            for decision_id, initiative_id, kind, outcome, day, actor in self.decision_rows
        ]
        return [
            Table(
                StatusUpdate,
                columns(
                    "id initiative_id reported_on health_time health_cost health_quality "
                    "progress comment author_id municipality_id created_at"
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
                columns("id initiative_id entity entity_id action changes actor_id created_at"),
                [
                    (i, *h)
                    for i, h in zip(self.ids(HistoryEntry, len(history)), history, strict=True)
                ],
            ),
        ]
