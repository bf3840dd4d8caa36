"""Builds the demo portfolios. Idempotent: running it again changes nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from municipalities.constellations import JOIN, membership_record
from municipalities.models import (
    Agreement,
    CollaborationArea,
    Constellation,
    Municipality,
    Organisation,
)
from municipalities.organisations import organisation_register
from notifications.services import quiet

from ..choices import (
    CostKind,
    CostNature,
    CriterionKind,
    DecisionKind,
    DecisionOutcome,
    ParticipationStatus,
    Stage,
)
from ..gate_defaults import create_default_criteria
from ..models import (
    AllocationKey,
    Body,
    Initiative,
    Portfolio,
    PortfolioGoal,
    PriorityCriterion,
    Program,
    ProgramBudget,
)
from ..policies import can_report_for
from ..selectors.bodies import active_bodies, body_for
from ..services.benefits import effect_goal_create, initiative_set_3n, measurement_record
from ..services.costs import cost_entry_create, time_entry_create
from ..services.initiatives import initiative_create
from ..services.participation import (
    participation_answer,
    participation_implemented,
    participation_invite,
)
from ..services.priority import priority_scores_set
from ..services.status import status_update_create
from ..services.workflow import criterion_confirm, decision_record
from . import content
from .meetings import demo_meetings

# The gates an initiative passes to stand in a stage: (decision kind, stage after).
PATH = {
    Stage.IDEA: [],
    Stage.PRESTUDY: [(DecisionKind.G0, Stage.PRESTUDY)],
    Stage.PROJECT: [(DecisionKind.G0, Stage.PRESTUDY), (DecisionKind.G1, Stage.PROJECT)],
    Stage.ASSIGNMENT: [(DecisionKind.G0, Stage.PRESTUDY), (DecisionKind.G1, Stage.ASSIGNMENT)],
    Stage.IMPLEMENTATION: [
        (DecisionKind.G0, Stage.PRESTUDY),
        (DecisionKind.G1, Stage.PROJECT),
        (DecisionKind.G2, Stage.IMPLEMENTATION),
    ],
    Stage.OPERATION: [
        (DecisionKind.G0, Stage.PRESTUDY),
        (DecisionKind.G1, Stage.PROJECT),
        (DecisionKind.G2, Stage.IMPLEMENTATION),
        (DecisionKind.G3, Stage.OPERATION),
    ],
}
BOARD_GATES = {DecisionKind.G1, DecisionKind.G3, DecisionKind.CANCEL}


def load_demo() -> None:
    # The demo's events reach the inboxes but are never e-mailed: they are history.
    with quiet(), transaction.atomic():
        _load_demo()


def _load_demo() -> None:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    constellations = _constellations(municipalities)
    organisations = _organisations(constellations)
    _agreements(municipalities, constellations, organisations)
    users = _people(municipalities)
    for spec in content.PORTFOLIOS:
        _portfolio(spec, constellations[spec["constellation"]], municipalities, users)
    _scoped_roles(users)


def _constellations(municipalities):
    result = {}
    for spec in content.CONSTELLATIONS:
        constellation, _ = Constellation.objects.get_or_create(
            short_name=spec["short_name"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "governance_mode": spec["governance_mode"],
                "collaboration_form": spec["collaboration_form"],
                "lead_municipality": municipalities.get(spec.get("lead")),
                "host_municipality": municipalities.get(spec.get("host")),
            },
        )
        constellation.members.add(*[municipalities[c] for c in spec["members"]])
        for area in spec["areas"]:
            constellation.areas.add(CollaborationArea.objects.get_or_create(name=area)[0])
        result[spec["short_name"]] = constellation
    return result


def _organisations(constellations):
    """Parties besides the municipalities, through the services (no person made them)."""
    known = {o.organisation_number: o for o in Organisation.objects.all()}
    for name, kind, number in content.ORGANISATIONS:
        if number not in known:
            known[number] = organisation_register(
                actor=None, name=name, kind=kind, organisation_number=number
            )
    for spec in content.CONSTELLATIONS:
        constellation = constellations[spec["short_name"]]
        for number, joined in spec.get("organisations", []):
            if not constellation.organisations.filter(pk=known[number].pk).exists():
                membership_record(
                    actor=None,
                    constellation=constellation,
                    member=known[number],
                    action=JOIN,
                    on=dt.date.fromisoformat(joined),
                    reason="Demodata",
                )
    return known


def _agreements(municipalities, constellations, organisations):
    for spec in content.AGREEMENTS:
        agreement, _ = Agreement.objects.get_or_create(
            title=spec["title"],
            defaults={
                "constellation": constellations[spec["constellation"]],
                "form": spec["form"],
                "starts_on": dt.date.fromisoformat(spec["starts_on"]),
                "ends_on": dt.date.fromisoformat(spec["ends_on"]),
                "yearly_fee_per_party": spec["yearly_fee_per_party"],
                "notice_period_months": spec["notice_period_months"],
                "registration_number": spec["registration_number"],
            },
        )
        agreement.parties.add(*[municipalities[c] for c in spec["parties"]])
        agreement.organisation_parties.add(
            *[organisations[n] for n in spec.get("organisations", [])]
        )


def _people(municipalities):
    users = {}
    for username, first, last, code, title, roles in content.PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.se",
                "municipality": municipalities[code],
                "title": title,
            },
        )
        if created:
            user.set_password(content.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role, portfolio=None, program=None)
        users[username] = user
    return users


def _scoped_roles(users):
    for username, role, prefix, program_name in content.SCOPED_ROLES:
        portfolio = Portfolio.objects.get(reference_prefix=prefix)
        program = portfolio.programs.get(name=program_name) if program_name else None
        RoleAssignment.objects.get_or_create(
            user=users[username],
            role=role,
            portfolio=portfolio,
            program=program,
            defaults={"starts_on": dt.date(2026, 1, 1)},
        )


def _portfolio(spec, constellation, municipalities, users):
    portfolio, created = Portfolio.objects.get_or_create(
        reference_prefix=spec["prefix"],
        defaults={
            "name": spec["name"],
            "constellation": constellation,
            "sender": spec["sender"],
            "next_board_meeting": dt.date(2026, 12, 10),
        },
    )
    if not created:
        return
    create_default_criteria(portfolio)
    AllocationKey.objects.create(
        portfolio=portfolio,
        valid_from=dt.date(2025, 1, 1),
        population_weight=80,
        equal_weight=20,
        population_year=2025,
        hourly_rate=720,
        decision_reference="Portföljstyrgruppen 2024-12-12 § 4",
    )
    criteria = [
        PriorityCriterion.objects.create(portfolio=portfolio, name=name, weight=weight, order=i)
        for i, (name, weight) in enumerate(content.PRIORITY_CRITERIA)
    ]
    goals = [
        PortfolioGoal.objects.create(portfolio=portfolio, title=t, political_goal=p)
        for t, p in spec["goals"]
    ]
    programs = {}
    for name, manager, budgets in spec["programs"]:
        program = Program.objects.create(
            portfolio=portfolio, name=name, manager=users.get(manager) if manager else None
        )
        for year, amount in budgets.items():
            ProgramBudget.objects.create(program=program, year=year, amount=amount)
        programs[name] = program
    _bodies(portfolio, spec["prefix"], programs, users)
    director = next(
        u
        for u in users.values()
        if "kommundirektor" in u.roles
        and constellation.members.filter(pk=u.municipality_id).exists()
    )
    manager = users["programledare"]
    for number, row in enumerate(spec["initiatives"], start=1):
        _initiative(
            portfolio,
            number,
            row,
            programs,
            municipalities,
            criteria,
            goals,
            director,
            manager,
            users,
        )
    demo_meetings(portfolio, users)


def _bodies(portfolio, prefix, programs, users):
    for name, kind, program, matters, chair, secretary, members in content.BODIES.get(prefix, []):
        body = Body.objects.create(
            portfolio=portfolio,
            program=programs[program] if program else None,
            name=name,
            kind=kind,
            matters=matters,
            chair=users[chair],
            secretary=users[secretary] if secretary else None,
        )
        body.members.set([users[m] for m in members])
        substitutes = content.BODY_SUBSTITUTES.get(prefix, {}).get(name, [])
        body.substitutes.set([users[m] for m in substitutes])


def _initiative(
    portfolio, number, row, programs, municipalities, criteria, goals, director, manager, users
):
    """One demo initiative, walked to its stage through the workflow services."""
    title, program, stage, area, target, level, proposer, participants, dev_cost = row
    advanced = stage not in (Stage.IDEA, Stage.REJECTED)
    dalsland = portfolio.reference_prefix == "DAL"
    submitter = users["initiativagare"] if dalsland else director
    steering = (
        manager
        if dalsland
        else _stand_in(
            f"pl.{portfolio.reference_prefix.lower()}",
            municipalities[proposer],
            Role.PROGRAM_MANAGER,
            "Programledare",
        )
    )
    initiative = initiative_create(
        actor=submitter,
        portfolio=portfolio,
        title=title,
        program=programs[program],
        need=f"Kommunerna behöver {title.lower()} för att klara uppdraget med begränsade resurser.",
        expected_benefit="Lägre kostnader, minskat personberoende och bättre service.",
        area=area,
        target_group=target,
        collaboration_level=level,
        proposing_municipality=municipalities[proposer],
        planned_start=dt.date(2025, 9, 1) if advanced else None,
        planned_end=dt.date(2027, 6, 30) if advanced else None,
        registration_number=f"KS 2025/{100 + number}",
        prestudy_conclusion="Förstudien rekommenderar ett gemensamt genomförande."
        if advanced
        else "",
        security_classification="mattlig" if advanced else "",
        implementation_plan="Varje kommun implementerar enligt bilaga." if advanced else "",
        operation_owner="Gemensam systemförvaltare" if advanced else "",
        benefit_followup_plan="Nyttan följs upp varje halvår mot effektmålen."
        if stage == Stage.OPERATION
        else "",
    )
    priority_scores_set(
        actor=steering,
        initiative=initiative,
        scores={c.pk: 1 + (number + i) % 5 for i, c in enumerate(criteria)},
    )
    if stage != Stage.IDEA:
        _submitted_before_gates(initiative)
    _participations(initiative, proposer, participants, municipalities, steering, users)
    if advanced:
        goal = effect_goal_create(
            actor=steering,
            initiative=initiative,
            portfolio_goal=goals[0],
            name="Minskad handläggningstid",
            indicator="Genomsnittlig handläggningstid",
            unit="dagar",
            baseline=Decimal(20),
            baseline_on=dt.date(2025, 9, 1),
            target=Decimal(12),
            owner=manager if dalsland else steering,
        )
        measurement_record(
            actor=steering, effect_goal=goal, measured_on=dt.date(2026, 3, 31), value=Decimal(17)
        )
        _costs(initiative, dev_cost, participants, municipalities, steering)
    _decisions(initiative, stage, director, steering)
    if advanced:
        _status(initiative, number, users, steering, director)
    if stage == Stage.OPERATION:
        initiative = Initiative.objects.get(pk=initiative.pk)
        initiative_set_3n(
            actor=director,
            initiative=initiative,
            version=initiative.version,
            is_new=True,
            is_useful=True,
            is_used=True,
        )


def _stand_in(username, municipality, role, title):
    """A person the documents imply but the demo logins leave out (no password)."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": title,
            "last_name": municipality.name,
            "email": f"{username}@example.se",
            "municipality": municipality,
            "title": title,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=role, portfolio=None, program=None)
    return User.objects.get(pk=user.pk)


def _director_of(municipality, users):
    for user in users.values():
        if user.municipality_id == municipality.pk and Role.DIRECTOR in user.roles:
            return user
    return _stand_in(f"kd.{municipality.code}", municipality, Role.DIRECTOR, "Kommundirektör")


def _participations(initiative, proposer, participants, municipalities, steering, users):
    joined = dt.date(2025, 9, 1)
    proposed = initiative.participations.select_related("municipality").get()
    for code in participants:
        if code == proposer:
            item = proposed
        else:
            item = participation_invite(
                actor=steering, initiative=initiative, municipality=municipalities[code]
            )
        participation_answer(
            actor=_director_of(item.municipality, users),
            participation=item,
            version=item.version,
            answer=ParticipationStatus.PARTICIPATING,
            joined_on=joined,
        )
    if participants and proposer not in participants:
        participation_answer(
            actor=_director_of(proposed.municipality, users),
            participation=proposed,
            version=proposed.version,
            answer=ParticipationStatus.DECLINED,
        )


def _status(initiative, number, users, steering, director):
    initiative = Initiative.objects.get(pk=initiative.pk)
    reporters = [users["itchef"], users["itchef.skara"], steering, director]
    reporter = next(u for u in reporters if can_report_for(u, initiative))
    status_update_create(
        actor=reporter,
        initiative=initiative,
        reported_on=dt.date(2026, 10, 15),
        health_time="gron",
        health_cost="gul" if number % 3 == 0 else "gron",
        health_quality="rod" if number % 5 == 0 else "gron",
        progress=min(100, 20 * number),
        comment="Arbetet följer planen.",
    )


def _costs(initiative, dev_cost, participants, municipalities, actor):
    payer = municipalities[participants[0]]
    for kind, nature, period, amount, paid_by, description in (
        (
            CostKind.DEVELOPMENT,
            CostNature.ESTIMATE,
            dt.date(2025, 9, 1),
            dev_cost,
            None,
            "Estimat för förstudie och utveckling",
        ),
        (
            CostKind.OPERATION,
            CostNature.ESTIMATE,
            dt.date(2026, 1, 1),
            dev_cost // 5,
            None,
            "Estimat för årlig drift och förvaltning",
        ),
        (
            CostKind.DEVELOPMENT,
            CostNature.ACTUAL,
            dt.date(2025, 11, 15),
            dev_cost // 2,
            payer,
            "Konsultinsats, faktura",
        ),
        (
            CostKind.DEVELOPMENT,
            CostNature.ACTUAL,
            dt.date(2026, 3, 10),
            dev_cost // 4,
            payer,
            "Licenser",
        ),
    ):
        cost_entry_create(
            actor=actor,
            initiative=initiative,
            kind=kind,
            nature=nature,
            period=period,
            amount=amount,
            paid_by=paid_by,
            description=description,
        )
    for i, code in enumerate(participants):
        time_entry_create(
            actor=actor,
            initiative=initiative,
            municipality=municipalities[code],
            period=dt.date(2026, 2, 1),
            hours=Decimal(40 + 10 * i),
            role="Systemförvaltare",
        )


# Decided initiatives were submitted before their first gate (decisions cannot predate it).
SUBMITTED_ON = dt.date(2025, 3, 3)


def _submitted_before_gates(initiative):
    moment = timezone.make_aware(dt.datetime.combine(SUBMITTED_ON, dt.time(9)))
    Initiative.objects.filter(pk=initiative.pk).update(submitted_at=moment)
    initiative.submitted_at = moment


# When each gate was passed in the demo: after the pre-study, a year of project work.
GATE_DATES = {
    DecisionKind.G0: dt.date(2025, 6, 1),
    DecisionKind.G1: dt.date(2025, 8, 28),
    DecisionKind.G2: dt.date(2026, 2, 12),
    DecisionKind.G3: dt.date(2026, 10, 1),
}


def _decisions(initiative, stage, director, steering):
    if stage == Stage.REJECTED:
        _record(
            initiative,
            DecisionKind.G0,
            DecisionOutcome.REJECTED,
            None,
            director,
            steering,
            "Behovet täcks av en befintlig nationell tjänst.",
        )
        return
    for kind, after in PATH[Stage(stage)]:
        _prepare(initiative, kind, steering)
        _record(
            initiative,
            kind,
            DecisionOutcome.APPROVED,
            after,
            director,
            steering,
            "Kriterierna är uppfyllda.",
        )


def _prepare(initiative, kind, steering):
    """What the people do before a gate: confirm manual criteria, report implementation."""
    initiative = Initiative.objects.get(pk=initiative.pk)
    for criterion in initiative.portfolio.gate_criteria.filter(
        gate=kind, kind=CriterionKind.MANUAL, is_active=True
    ):
        criterion_confirm(actor=steering, initiative=initiative, criterion=criterion)
    if kind == DecisionKind.G3:
        for item in initiative.participations.filter(
            status=ParticipationStatus.PARTICIPATING
        ).select_related("municipality", "initiative"):
            participation_implemented(
                actor=steering,
                participation=item,
                version=item.version,
                implemented_on=dt.date(2026, 9, 1),
            )


def _record(initiative, kind, outcome, after, director, steering, motivation):
    decided_on = GATE_DATES[kind]
    actor = director if kind in BOARD_GATES else steering
    body = body_for(active_bodies(initiative.portfolio_id), initiative.program_id, kind)
    decision_record(
        actor=body.chair if body else actor,
        initiative=Initiative.objects.get(pk=initiative.pk),
        kind=kind,
        outcome=outcome,
        decided_on=decided_on,
        meeting_reference=f"Protokoll {decided_on.isoformat()} § {initiative.pk % 20 + 3}",
        motivation=motivation,
        target_stage=after if kind == DecisionKind.G1 else None,
    )
