"""Who may do what: one function per action, used by pages, API, reports and commands.

Visibility (what a user can see at all) is `portfolio.selectors.access`; these rules
decide what a user who can see an object may do with it. They answer True/False; the
services raise NotAllowedError when a rule says no.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.policies import coordinates
from accounts.roles import roles_within
from municipalities.agreements import can_manage_agreements
from municipalities.models import Agreement

from .choices import CostNature, DecisionKind, Matter, ParticipationStatus, Stage
from .models import CostEntry, GateDecision, Initiative
from .selectors.bodies import active_bodies, body_for

PROGRAM_GATES = frozenset({DecisionKind.G0, DecisionKind.G2})
BOARD_DECISIONS = frozenset({DecisionKind.G1, DecisionKind.G3, DecisionKind.CANCEL})


def is_member(user, portfolio) -> bool:
    """The user's municipality belongs to the portfolio's constellation."""
    if not user.is_authenticated or user.municipality_id is None:
        return False
    cache = user.__dict__.setdefault("_constellation_ids", None)
    if cache is None:
        cache = frozenset(user.municipality.constellations.values_list("id", flat=True))
        user.__dict__["_constellation_ids"] = cache
    return portfolio.constellation_id in cache


def holds(user, portfolio_id, *roles: str, program_id=None) -> bool:
    """The person holds one of `roles` today for a matter of this portfolio (and, if
    given, of this program): the one rule is `accounts.roles`. A role granted for
    another portfolio, another program or that has ended grants nothing here."""
    return user.is_authenticated and user.holds(portfolio_id, *roles, program_id=program_id)


def holds_for(user, initiative, *roles: str) -> bool:
    """`holds` for a matter of the initiative: its portfolio's and its program's roles."""
    return holds(user, initiative.portfolio_id, *roles, program_id=initiative.program_id)


def holding_q(user, role: str, prefix: str = "") -> Q:
    """`holds_for` as a filter on initiatives (or objects with an initiative's portfolio
    and program, through `prefix`): where `role` holds for the person today."""
    grants = [g for g in user.role_grants if g.role == role] if user.is_authenticated else []
    if not grants:
        return Q(pk__in=[])
    if any(g.portfolio_id is None and g.program_id is None for g in grants):
        return Q(**{f"{prefix}portfolio__isnull": False})
    return Q(
        **{f"{prefix}portfolio_id__in": [g.portfolio_id for g in grants if g.program_id is None]}
    ) | Q(**{f"{prefix}program_id__in": [g.program_id for g in grants if g.program_id]})


def is_reader_only(user, portfolio=None) -> bool:
    """No role beyond reading in the portfolio, its programs' roles included (None: in
    any portfolio, a coarse first check before the portfolio is known)."""
    if not user.is_authenticated:
        return True
    if portfolio is None:
        roles = user.roles
    else:
        roles = roles_within(user.role_grants, portfolio.pk)
    return not roles or roles == {Role.READER}


def can_submit_idea(user, portfolio) -> bool:
    return is_member(user, portfolio) and not is_reader_only(user, portfolio)


def manages_program(user, program) -> bool:
    """A programledare of the program (or of its whole portfolio) manages a program
    whose manager is them or not yet appointed; `managed_programs_q` is the same rule as
    a query and must change with it."""
    if program is None or not holds(
        user, program.portfolio_id, Role.PROGRAM_MANAGER, program_id=program.pk
    ):
        return False
    return program.manager_id in (None, user.pk)


def managed_programs_q(user, prefix: str = "") -> Q:
    """`manages_program` as a filter on objects with a `program` (through `prefix`)."""
    grants = [g for g in user.role_grants if g.role == Role.PROGRAM_MANAGER]
    if not grants:
        return Q(pk__in=[])
    managed = Q(**{f"{prefix}program__manager": user}) | Q(
        **{f"{prefix}program__isnull": False, f"{prefix}program__manager__isnull": True}
    )
    if any(g.portfolio_id is None for g in grants):
        return managed
    portfolios = [g.portfolio_id for g in grants if g.program_id is None]
    programs = [g.program_id for g in grants if g.program_id is not None]
    return managed & (
        Q(**{f"{prefix}program__portfolio_id__in": portfolios})
        | Q(**{f"{prefix}program_id__in": programs})
    )


def can_edit_initiative(user, initiative) -> bool:
    if not is_member(user, initiative.portfolio):
        return False
    if initiative.stage in (Stage.REJECTED, Stage.CANCELLED):
        return False
    if holds(user, initiative.portfolio_id, Role.COORDINATOR) or manages_program(
        user, initiative.program
    ):
        return True
    if initiative.program is None and holds(user, initiative.portfolio_id, Role.PROGRAM_MANAGER):
        return True
    return initiative.owner_id == user.pk and initiative.stage in (Stage.IDEA, Stage.PRESTUDY)


def bodies_of(user, portfolio) -> list:
    """The portfolio's active bodies, read once per user and portfolio in a request, as
    `is_member` reads membership."""
    cache = user.__dict__.setdefault("_bodies", {})
    if portfolio.pk not in cache:
        cache[portfolio.pk] = active_bodies(portfolio.pk)
    return cache[portfolio.pk]


def deciding_body(user, portfolio, program_id, matter: str):
    """The portfolio's body that decides `matter` (None: the default set-up decides)."""
    return body_for(bodies_of(user, portfolio), program_id, matter)


def unclaimed_board_matters(user, portfolio) -> list[str]:
    """The board matters no body of the portfolio decides, once it has bodies of its own:
    no one can record them (`can_record_decision`) until the samordnare gives them to one."""
    bodies = bodies_of(user, portfolio)
    if not bodies:
        return []
    return [
        str(Matter(kind).label)
        for kind in sorted(BOARD_DECISIONS)
        if body_for(bodies, None, kind) is None
    ]


def sits_on(user, body) -> bool:
    """Chair, secretary or member: the matters before the body are theirs to prepare."""
    return records_for(user, body) or any(m.pk == user.pk for m in body.members.all())


def records_for(user, body) -> bool:
    """A body's decisions are recorded by its chair or its secretary, no one else."""
    return user.pk is not None and user.pk in (body.chair_id, body.secretary_id)


def can_record_decision(user, initiative, kind: str) -> bool:
    if not is_member(user, initiative.portfolio):
        return False
    body = deciding_body(user, initiative.portfolio, initiative.program_id, kind)
    if body is not None:
        return records_for(user, body)
    if kind in PROGRAM_GATES:
        return manages_program(user, initiative.program)
    if kind in BOARD_DECISIONS:
        # Once a portfolio decides through bodies of its own, a board matter that none
        # of them takes is no one's to record: a lone director must not decide what the
        # samordnare left out of every body.
        return not bodies_of(user, initiative.portfolio) and holds_for(
            user, initiative, Role.DIRECTOR
        )
    return False


def can_confirm_criterion(user, initiative) -> bool:
    return can_edit_initiative(user, initiative) or (
        is_member(user, initiative.portfolio) and holds_for(user, initiative, Role.DIRECTOR)
    )


def can_pause_initiative(user, initiative) -> bool:
    """Pausing steers the initiative: its program, or the board."""
    if not is_member(user, initiative.portfolio):
        return False
    return manages_program(user, initiative.program) or holds_for(user, initiative, Role.DIRECTOR)


def can_record_implementation(user, participation) -> bool:
    """The municipality's director, or the program/portfolio office on its behalf."""
    initiative = participation.initiative
    if not is_member(user, initiative.portfolio):
        return False
    return (
        can_answer_participation(user, participation)
        or holds_for(user, initiative, Role.COORDINATOR)
        or manages_program(user, initiative.program)
        or (
            holds_for(user, initiative, Role.IT_MANAGER)
            and user.municipality_id == participation.municipality_id
        )
    )


def can_invite_municipalities(user, initiative) -> bool:
    return can_edit_initiative(user, initiative)


def delegated_municipality_ids(user) -> frozenset[int]:
    """Municipalities whose participation the user answers by an active delegation.

    One query per user object (a request's user), cached like the constellations.
    """
    if not user.is_authenticated or user.municipality_id is None:
        return frozenset()
    cache = user.__dict__.get("_delegated_municipality_ids")
    if cache is None:
        from .models import ParticipationDelegation

        cache = frozenset(
            ParticipationDelegation.objects.active()
            .filter(delegate=user, municipality_id=user.municipality_id)
            .values_list("municipality_id", flat=True)
        )
        user.__dict__["_delegated_municipality_ids"] = cache
    return cache


def can_delegate_participation(user, municipality) -> bool:
    """Only the municipality's own kommundirektör delegates (and revokes) its answers; a
    delegation holds in every portfolio, so only a director of every portfolio may."""
    return (
        municipality is not None
        and user.is_authenticated
        and user.holds_everywhere(Role.DIRECTOR)
        and user.municipality_id == municipality.pk
    )


def can_answer_participation(user, participation) -> bool:
    """A municipality decides its own participation: its kommundirektör answers, or
    someone of the municipality the director has delegated it to."""
    if not is_member(user, participation.initiative.portfolio):
        return False
    if user.municipality_id != participation.municipality_id:
        return False
    return holds_for(user, participation.initiative, Role.DIRECTOR) or (
        participation.municipality_id in delegated_municipality_ids(user)
    )


def participates(initiative, municipality_id) -> bool:
    return any(
        p.municipality_id == municipality_id and p.status == ParticipationStatus.PARTICIPATING
        for p in initiative.participations.all()
    )


def reports_for_any_participant(user, initiative) -> bool:
    """The samordnare and the program's programledare report for every participant."""
    return holds_for(user, initiative, Role.COORDINATOR) or manages_program(
        user, initiative.program
    )


def can_report_for(user, initiative, municipality_id=None) -> bool:
    """Status, costs and hours: staff of a participating municipality, or the program.

    The programledare of the initiative's program and the samordnare may report for
    any participating municipality; an IT-chef (or other staff) only for their own.
    """
    if not is_member(user, initiative.portfolio) or is_reader_only(user, initiative.portfolio):
        return False
    if reports_for_any_participant(user, initiative):
        return municipality_id is None or participates(initiative, municipality_id)
    own = user.municipality_id
    if municipality_id is not None and municipality_id != own:
        return False
    return participates(initiative, own) and holds_for(
        user, initiative, Role.IT_MANAGER, Role.PROGRAM_MANAGER, Role.DIRECTOR
    )


def can_change_shared_figures(user, initiative) -> bool:
    """An initiative's estimates, which all its participants share and no single
    municipality paid: the program's programledare and the samordnare, who report for
    every participant; never a participant's IT-chef or kommundirektör."""
    if not is_member(user, initiative.portfolio) or is_reader_only(user, initiative.portfolio):
        return False
    return reports_for_any_participant(user, initiative)


def can_write_cost(user, initiative, nature, paid_by_id=None) -> bool:
    """Create, correct or remove a cost: an estimate is a shared figure; an actual cost
    belongs to the municipality that paid it."""
    if nature == CostNature.ESTIMATE:
        return can_change_shared_figures(user, initiative)
    return can_report_for(user, initiative, paid_by_id)


def can_remove_entry(user, entry) -> bool:
    """Remove or correct a recorded cost or time entry: the same rule as writing it, for
    the entry's nature and municipality."""
    if isinstance(entry, CostEntry):
        return can_write_cost(user, entry.initiative, entry.nature, entry.paid_by_id)
    return can_report_for(user, entry.initiative, entry.municipality_id)


def can_manage_portfolio_settings(user, portfolio) -> bool:
    """Gate criteria, allocation key, priority criteria: the portfolio office."""
    return is_member(user, portfolio) and holds(user, portfolio.pk, Role.COORDINATOR)


def can_create_portfolio(user, constellation) -> bool:
    """The portfolio office of a member municipality starts a portfolio for its
    constellation; it starts with the default checklist and set-up of bodies."""
    return coordinates(user, constellation)


def can_move_in(user, portfolio) -> bool:
    """Importing a portfolio's past (decisions taken before, participation, status
    history) restates public records: the portfolio office does it."""
    return can_manage_portfolio_settings(user, portfolio)


def can_export_archive(user, portfolio) -> bool:
    """The archive holds every record of the portfolio: the portfolio office orders it."""
    return can_manage_portfolio_settings(user, portfolio)


def can_score_priority(user, initiative) -> bool:
    return can_edit_initiative(user, initiative) or (
        is_member(user, initiative.portfolio) and holds_for(user, initiative, Role.DIRECTOR)
    )


SETTLE_REFUSED = _(
    "Att avräkna och låsa en period är ett beslut av portföljens styrgrupp. Organets "
    "ordförande eller sekreterare (utan egna organ: portföljkontoret) registrerar beslutet "
    "med datum och protokollets paragraf; en enskild kommundirektör kan inte låsa perioden "
    "för alla."
)


def can_settle(user, portfolio) -> bool:
    """The board decides to lock a period; its chair or secretary records that decision
    (by default, without bodies of its own: the portfolio office).

    One director alone may not lock the figures for every municipality in the portfolio.
    """
    if not is_member(user, portfolio):
        return False
    body = deciding_body(user, portfolio, None, Matter.SETTLEMENT)
    if body is not None:
        return records_for(user, body)
    return holds(user, portfolio.pk, Role.COORDINATOR)


def can_record_any_decision(user, initiative) -> bool:
    """Some decision on the initiative (which one depends on the gate asked for)."""
    return any(can_record_decision(user, initiative, kind) for kind in DecisionKind.values)


def can_record_measurement(user, goal) -> bool:
    """Whoever edits the initiative, the goal's benefit owner, or those who report for it."""
    initiative = goal.initiative
    return (
        can_edit_initiative(user, initiative)
        or (goal.owner_id == user.pk and is_member(user, initiative.portfolio))
        or can_report_for(user, initiative)
    )


def can_judge_3n(user, initiative) -> bool:
    """New, useful, used: those who edit the initiative, or the board."""
    return can_edit_initiative(user, initiative) or (
        is_member(user, initiative.portfolio) and holds_for(user, initiative, Role.DIRECTOR)
    )


def can_attach_to(user, parent) -> bool:
    """Attach a file (or a later version of one): to an initiative whoever may edit it,
    to a decision whoever may record that decision, to an agreement whoever manages the
    constellation's agreements (without a constellation: a samordnare of a party)."""
    if isinstance(parent, Initiative):
        return can_edit_initiative(user, parent)
    if isinstance(parent, GateDecision):
        return can_record_decision(user, parent.initiative, parent.kind)
    if isinstance(parent, Agreement):
        if parent.constellation_id is None:
            return coordinates(user, None) and any(
                m.pk == user.municipality_id for m in parent.parties.all()
            )
        return can_manage_agreements(user, parent.constellation)
    return False


def can_plan_meeting(user, body) -> bool:
    """A body's meetings and agenda: its chair or secretary, or the portfolio office."""
    if not is_member(user, body.portfolio):
        return False
    return records_for(user, body) or holds(user, body.portfolio_id, Role.COORDINATOR)


def can_record_meeting(user, meeting) -> bool:
    """Attendance and each item's decision: the body's chair or secretary, the same
    people who record its decisions one at a time (`records_for`)."""
    return is_member(user, meeting.body.portfolio) and records_for(user, meeting.body)


def can_send_agenda(user, meeting) -> bool:
    """The kallelse goes out in the name of the body: from its chair or secretary."""
    return is_member(user, meeting.body.portfolio) and records_for(user, meeting.body)


def can_adjust_minutes(user, meeting) -> bool:
    """Justering: the body's chair and the adjuster named for the meeting."""
    if not is_member(user, meeting.body.portfolio) or user.pk is None:
        return False
    return user.pk in (meeting.body.chair_id, meeting.adjuster_id)
