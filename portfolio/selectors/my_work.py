"""What needs this person: the start page's first section.

Each list answers one question a role asks on arrival: which participations must my
municipality answer, which decisions wait for a body I sit in, which ideas wait for G0
in my program, which status reports and measurements are due from me. Who may act is
the policies' answer, so nothing is listed that the person cannot do.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import Role

from .. import policies
from ..choices import ParticipationStatus, Stage
from ..domain.gate_checks import GATE_FROM_STAGE
from ..models import EffectGoal, Participation
from .access import visible_initiatives, visible_portfolios
from .dashboard import awaiting_decisions
from .due import measurements_due, status_reports_due

# Every stage that a gate leads out of, in order.
GATE_STAGES = tuple(GATE_FROM_STAGE)
LISTED = 20


@dataclass
class MyWork:
    answers: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    ideas: list = field(default_factory=list)
    status_due: list = field(default_factory=list)
    measurements_due: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (
                self.answers,
                self.decisions,
                self.ideas,
                self.status_due,
                self.measurements_due,
            )
        )


def _answers(user) -> list:
    delegated = policies.delegated_municipality_ids(user)
    directs = user.has_role(Role.DIRECTOR) and user.municipality_id
    if not delegated and not directs:
        return []
    answering = Q(municipality_id__in=delegated)
    if directs:
        # Only where the director's role holds: a director of one portfolio answers there.
        answering |= Q(municipality_id=user.municipality_id) & policies.holding_q(
            user, Role.DIRECTOR, "initiative__"
        )
    pending = (
        Participation.objects.filter(
            answering,
            initiative__in=visible_initiatives(user).values("id"),
            status__in=(ParticipationStatus.INVITED, ParticipationStatus.INTERESTED),
            initiative__stage__in=(Stage.IDEA, Stage.PRESTUDY, Stage.PROJECT),
        )
        .select_related("initiative__portfolio", "municipality")
        .order_by("initiative__portfolio__name", "initiative_id")
    )
    return list(pending[:LISTED])


def _decisions(user) -> list:
    found = []
    for portfolio in visible_portfolios(user).order_by("name"):
        condition = _before_my_bodies(user, portfolio)
        if condition is None:
            continue
        initiatives = visible_initiatives(user).filter(portfolio=portfolio).filter(condition)
        found += awaiting_decisions(portfolio, initiatives, stages=GATE_STAGES, nearly=1)
    return found[:LISTED]


def _before_my_bodies(user, portfolio) -> Q | None:
    """The initiatives whose next gate is decided by a body the person sits in; without
    the portfolio's own bodies, the default set-up (the board's gates for its directors,
    G0 and G2 for the programledare in their programs). None: nothing is theirs."""
    bodies = policies.bodies_of(user, portfolio)
    condition = Q(pk__in=[])
    for stage in GATE_STAGES:
        gate = GATE_FROM_STAGE[stage]
        own = [b for b in bodies if b.program_id is not None and gate in b.matters]
        with_own = Q(program_id__in=[b.program_id for b in own])
        mine = [b.program_id for b in own if policies.sits_on(user, b)]
        at_stage = Q(stage=stage) & Q(program_id__in=mine)
        deciding = policies.deciding_body(user, portfolio, None, gate)
        if deciding is not None:
            if policies.sits_on(user, deciding):
                at_stage |= Q(stage=stage) & ~with_own
        elif gate in policies.BOARD_DECISIONS:
            if policies.holds(user, portfolio.pk, Role.DIRECTOR):
                at_stage |= Q(stage=stage) & ~with_own
        elif user.has_role(Role.PROGRAM_MANAGER):
            at_stage |= Q(stage=stage) & policies.managed_programs_q(user) & ~with_own
        condition |= at_stage
    return None if condition == Q(pk__in=[]) else condition


def _ideas(user) -> list:
    if not user.has_role(Role.PROGRAM_MANAGER):
        return []
    ideas = (
        visible_initiatives(user)
        .filter(policies.managed_programs_q(user), stage=Stage.IDEA, is_paused=False)
        .select_related("portfolio", "program")
        .order_by("submitted_at", "id")
    )
    return list(ideas[:LISTED])


def _reporting_initiatives(user):
    """Where status is reported by this person: the programledare's programs, and the
    initiatives the IT-chef's municipality takes part in."""
    condition = Q(pk__in=[])
    if user.has_role(Role.PROGRAM_MANAGER):
        condition |= policies.managed_programs_q(user)
    if user.has_role(Role.IT_MANAGER) and user.municipality_id:
        condition |= policies.holding_q(user, Role.IT_MANAGER) & Q(
            participations__municipality_id=user.municipality_id,
            participations__status=ParticipationStatus.PARTICIPATING,
        )
    return visible_initiatives(user).filter(condition).distinct()


def _status_due(user, today) -> list:
    if not user.has_role(Role.PROGRAM_MANAGER, Role.IT_MANAGER):
        return []
    due = status_reports_due(_reporting_initiatives(user), today)
    return list(due.select_related("portfolio", "latest_status").order_by("id")[:LISTED])


def _measurements_due(user, today) -> list:
    goals = EffectGoal.objects.filter(
        Q(owner=user) | Q(initiative__in=_reporting_initiatives(user).values("id")),
        initiative__in=visible_initiatives(user).values("id"),
    )
    due = measurements_due(goals, today).select_related("initiative")
    return list(due.order_by("initiative_id", "id")[:LISTED])


def my_work(user, today: dt.date) -> MyWork:
    if user.municipality_id is None:
        return MyWork()
    decisions = _decisions(user)
    # An idea near G0 is listed once, among the decisions.
    ready = {a.initiative.pk for a in decisions}
    return MyWork(
        answers=_answers(user),
        decisions=decisions,
        ideas=[i for i in _ideas(user) if i.pk not in ready],
        status_due=_status_due(user, today),
        measurements_due=_measurements_due(user, today),
    )
