"""Builds the demo portfolios. Idempotent: running it again changes nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from accounts.models import RoleAssignment, User
from municipalities.models import Agreement, CollaborationArea, Constellation, Municipality

from ..choices import CostKind, CostNature, DecisionBody, DecisionKind, DecisionOutcome, Stage
from ..gate_defaults import create_default_criteria
from ..models import (
    AllocationKey,
    CostEntry,
    EffectGoal,
    GateDecision,
    Initiative,
    Participation,
    Portfolio,
    PortfolioGoal,
    PriorityCriterion,
    PriorityScore,
    Program,
    ProgramBudget,
    StatusUpdate,
    TimeEntry,
    allow_stage_change,
)
from . import content

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


@transaction.atomic
def load_demo() -> None:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    constellations = _constellations(municipalities)
    _agreements(municipalities, constellations)
    users = _people(municipalities)
    for spec in content.PORTFOLIOS:
        _portfolio(spec, constellations[spec["constellation"]], municipalities, users)


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


def _agreements(municipalities, constellations):
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
            RoleAssignment.objects.get_or_create(user=user, role=role)
        users[username] = user
    return users


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


def _initiative(
    portfolio, number, row, programs, municipalities, criteria, goals, director, manager, users
):
    title, program, stage, area, target, level, proposer, participants, dev_cost = row
    advanced = stage not in (Stage.IDEA, Stage.REJECTED)
    initiative = Initiative.objects.create(
        portfolio=portfolio,
        program=programs[program],
        reference=f"{portfolio.reference_prefix}-{number}",
        title=title,
        need=f"Kommunerna behöver {title.lower()} för att klara uppdraget med begränsade resurser.",
        expected_benefit="Lägre kostnader, minskat personberoende och bättre service.",
        area=area,
        target_group=target,
        collaboration_level=level,
        proposing_municipality=municipalities[proposer],
        owner=users["initiativagare"] if portfolio.reference_prefix == "DAL" else None,
        planned_start=dt.date(2025, 9, 1) if advanced else None,
        planned_end=dt.date(2027, 6, 30) if advanced else None,
        registration_number=f"KS 2025/{100 + number}",
        prestudy_conclusion="Förstudien rekommenderar ett gemensamt genomförande."
        if advanced
        else "",
        security_classification="mattlig" if advanced else "",
        implementation_plan="Varje kommun implementerar enligt bilaga." if advanced else "",
        operation_owner="Gemensam systemförvaltare" if advanced else "",
        is_new=stage == Stage.OPERATION,
        is_useful=stage == Stage.OPERATION,
        is_used=stage == Stage.OPERATION,
    )
    for i, criterion in enumerate(criteria):
        PriorityScore.objects.create(
            initiative=initiative, criterion=criterion, score=1 + (number + i) % 5
        )
    joined = dt.date(2025, 9, 1)
    for code in participants:
        Participation.objects.create(
            initiative=initiative,
            municipality=municipalities[code],
            status="deltar",
            joined_on=joined,
            implemented_on=dt.date(2026, 9, 1) if stage == Stage.OPERATION else None,
        )
    if not participants and stage == Stage.IDEA:
        Participation.objects.create(
            initiative=initiative, municipality=municipalities[proposer], status="intresserad"
        )
    if advanced:
        goal = EffectGoal.objects.create(
            initiative=initiative,
            portfolio_goal=goals[0],
            name="Minskad handläggningstid",
            indicator="Genomsnittlig handläggningstid",
            unit="dagar",
            baseline=Decimal(20),
            target=Decimal(12),
            owner=manager,
        )
        goal.measurements.create(measured_on=dt.date(2026, 3, 31), value=Decimal(17))
        _costs(initiative, dev_cost, participants, municipalities, manager)
        StatusUpdate.objects.create(
            initiative=initiative,
            reported_on=dt.date(2026, 10, 15),
            health_time="gron",
            health_cost="gul" if number % 3 == 0 else "gron",
            health_quality="rod" if number % 5 == 0 else "gron",
            progress=min(100, 20 * number),
            comment="Arbetet följer planen.",
            author=users["itchef"],
            municipality=users["itchef"].municipality,
        )
    _decisions(initiative, stage, director, manager)


def _costs(initiative, dev_cost, participants, municipalities, actor):
    payer = municipalities[participants[0]]
    CostEntry.objects.create(
        initiative=initiative,
        kind=CostKind.DEVELOPMENT,
        nature=CostNature.ESTIMATE,
        period=dt.date(2025, 9, 1),
        amount=dev_cost,
        paid_by=None,
        created_by=actor,
        description="Estimat för förstudie och utveckling",
    )
    CostEntry.objects.create(
        initiative=initiative,
        kind=CostKind.OPERATION,
        nature=CostNature.ESTIMATE,
        period=dt.date(2026, 1, 1),
        amount=dev_cost // 5,
        paid_by=None,
        created_by=actor,
        description="Estimat för årlig drift och förvaltning",
    )
    CostEntry.objects.create(
        initiative=initiative,
        kind=CostKind.DEVELOPMENT,
        nature=CostNature.ACTUAL,
        period=dt.date(2025, 11, 15),
        amount=dev_cost // 2,
        paid_by=payer,
        created_by=actor,
        description="Konsultinsats, faktura",
    )
    CostEntry.objects.create(
        initiative=initiative,
        kind=CostKind.DEVELOPMENT,
        nature=CostNature.ACTUAL,
        period=dt.date(2026, 3, 10),
        amount=dev_cost // 4,
        paid_by=payer,
        created_by=actor,
        description="Licenser",
    )
    for i, code in enumerate(participants):
        TimeEntry.objects.create(
            initiative=initiative,
            municipality=municipalities[code],
            period=dt.date(2026, 2, 1),
            hours=Decimal(40 + 10 * i),
            role="Systemförvaltare",
            created_by=actor,
        )


def _decisions(initiative, stage, director, manager):
    decided = dt.date(2025, 6, 1)
    if stage == Stage.REJECTED:
        _record(
            initiative,
            DecisionKind.G0,
            DecisionOutcome.REJECTED,
            Stage.REJECTED,
            decided,
            director,
            manager,
            "Behovet täcks av en befintlig nationell tjänst.",
        )
        return
    for step, (kind, after) in enumerate(PATH[Stage(stage)]):
        _record(
            initiative,
            kind,
            DecisionOutcome.APPROVED,
            after,
            decided + dt.timedelta(days=60 * step),
            director,
            manager,
            "Kriterierna är uppfyllda.",
        )


def _record(initiative, kind, outcome, after, decided_on, director, manager, motivation):
    board = kind in BOARD_GATES
    GateDecision.objects.create(
        initiative=initiative,
        kind=kind,
        outcome=outcome,
        stage_before=initiative.stage,
        stage_after=after,
        decided_on=decided_on,
        body=DecisionBody.BOARD if board else DecisionBody.PROGRAM,
        meeting_reference=f"Protokoll {decided_on.isoformat()} § {initiative.pk % 20 + 3}",
        motivation=motivation,
        recorded_by=director if board else manager,
    )
    with allow_stage_change(initiative):
        initiative.stage = after
    initiative.save(update_fields=["stage"])
