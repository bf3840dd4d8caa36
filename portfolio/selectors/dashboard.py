"""Reads for the portfolio dashboard. Every function answers in a fixed number of
queries, whatever the number of initiatives (tests/test_dashboard_queries.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..choices import (
    ACTIVE_STAGES,
    CostKind,
    CostNature,
    Health,
    ParticipationStatus,
    Stage,
)
from ..domain.gate_checks import GATE_FROM_STAGE, gate_evaluate, next_gate, unmet_count
from ..filters import HEALTH_FIELDS, with_latest_health
from ..models import (
    CostEntry,
    CriterionConfirmation,
    EffectGoal,
    GateCriterion,
    GateDecision,
    Initiative,
    Participation,
    Portfolio,
)

BOARD_STAGES = (Stage.PRESTUDY, Stage.IMPLEMENTATION)  # G1 and G3: the board's gates
CARDS_PER_STAGE = 8
PIPELINE_STAGES = (*ACTIVE_STAGES, Stage.REJECTED, Stage.CANCELLED)
STAGE_ORDER = Case(
    *[When(stage=stage, then=Value(i)) for i, stage in enumerate(PIPELINE_STAGES)],
    output_field=IntegerField(),
)
SORTS = {
    "reference": ("id",),
    "title": ("title", "id"),
    "program": ("program__name", "id"),
    "stage": ("stage_order", "id"),
    "start": (F("planned_start").asc(nulls_last=True), "id"),
    "end": (F("planned_end").asc(nulls_last=True), "id"),
    "priority": (F("priority_score").desc(nulls_last=True), "id"),
}


@dataclass
class StageColumn:
    stage: str
    label: str
    count: int
    cards: list[Initiative] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


@dataclass
class HealthDimension:
    key: str
    label: str
    counts: dict[str, int]  # health value -> count, plus "none" for no report


@dataclass
class AwaitingDecision:
    initiative: Initiative
    gate: str
    met: int
    total: int
    unmet: list[str]

    @property
    def ready(self) -> bool:
        return self.met == self.total


def sorted_initiatives(queryset: QuerySet[Initiative], sort: str) -> QuerySet[Initiative]:
    """The table's rows: sort key from the URL ("-title" for descending), latest health."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    order = SORTS.get(key, SORTS["reference"])
    if descending:
        order = tuple(_reverse(o) for o in order)
    return (
        with_latest_health(queryset)
        .select_related("program", "proposing_municipality")
        .annotate(stage_order=STAGE_ORDER)
        .order_by(*order)
    )


def _reverse(order):
    if isinstance(order, str):
        return order[1:] if order.startswith("-") else f"-{order}"
    expression = order.expression
    if order.descending:
        return expression.asc(nulls_last=True)
    return expression.desc(nulls_last=True)


CARD_FIELDS = (
    "portfolio_id",
    "reference",
    "title",
    "stage",
    "is_paused",
    "priority_score",
    "program__name",
)


def pipeline(
    queryset: QuerySet[Initiative], by_program: list[tuple[str, dict[str, int]]] | None = None
) -> list[StageColumn]:
    """One column per stage with its count and the first cards.

    Pass the result of `pipeline_by_program` to reuse its counts (one query less).
    """
    counts: dict[str, int] = {}
    for _name, stages in by_program if by_program is not None else pipeline_by_program(queryset):
        for stage, n in stages.items():
            counts[stage] = counts.get(stage, 0) + n
    stages = [stage for stage in PIPELINE_STAGES if counts.get(stage)]
    cards: dict[str, list[Initiative]] = {}
    for initiative in _first_cards(queryset, stages):
        cards.setdefault(initiative.stage, []).append(initiative)
    for stage_cards in cards.values():
        stage_cards.sort(key=lambda i: (-(i.priority_score or 0), i.pk))
    labels = dict(Stage.choices)
    return [
        StageColumn(stage, str(labels[stage]), counts.get(stage, 0), cards.get(stage, []))
        for stage in PIPELINE_STAGES
        if stage in ACTIVE_STAGES or counts.get(stage)
    ]


def _first_cards(queryset: QuerySet[Initiative], stages: list[str]) -> QuerySet[Initiative]:
    """The first cards of each stage, by priority, in one query.

    Where the database can limit each part of a UNION (PostgreSQL), each stage reads
    its first rows by the (portfolio, stage) index; ranking the whole portfolio with a
    window sorted every row of it, a third of the dashboard at 20 000 initiatives.
    """
    order = (F("priority_score").desc(nulls_last=True), F("id").asc())
    cards = queryset.select_related("program").only(*CARD_FIELDS)
    if not stages:
        return cards.none()
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [cards.filter(stage=stage).order_by(*order)[:CARDS_PER_STAGE] for stage in stages]
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    ranked = cards.annotate(
        rank=Window(RowNumber(), partition_by=[F("stage")], order_by=list(order))
    )
    return ranked.filter(rank__lte=CARDS_PER_STAGE).order_by("id")


def pipeline_by_program(queryset: QuerySet[Initiative]) -> list[tuple[str, dict[str, int]]]:
    """(program name, {stage: count}) for every program with initiatives (one query)."""
    rows = (
        queryset.order_by()
        .annotate(program_label=_program_label())
        .values_list("program_label", "stage")
        .annotate(n=Count("id"))
    )
    result: dict[str, dict[str, int]] = {}
    for name, stage, n in rows:
        result.setdefault(name, {})[stage] = n
    return sorted(result.items(), key=lambda item: (item[0] == "", item[0]))


def _program_label():
    return Case(
        When(program__isnull=True, then=Value("")),
        default=F("program__name"),
        output_field=CharField(),
    )


def pipeline_rows(queryset: QuerySet[Initiative]):
    """(id, program name or "", stage) of each initiative: what `pipeline_by_program`
    counts, one initiative at a time (the dashboard's ledger keeps the counts)."""
    return (
        queryset.order_by()
        .annotate(program_label=_program_label())
        .values_list("pk", "program_label", "stage")
    )


def _health_counted(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """The initiatives whose health is counted: active, past the idea."""
    return with_latest_health(
        queryset.filter(stage__in=ACTIVE_STAGES).exclude(stage__in=(Stage.IDEA,))
    )


def health_rows(queryset: QuerySet[Initiative]):
    """(id, health per dimension or None) of each initiative `health_counts` counts."""
    return (
        _health_counted(queryset)
        .order_by()
        .values_list("pk", *(f"latest_{name}" for name in HEALTH_FIELDS))
    )


def health_counts(queryset: QuerySet[Initiative]) -> dict[str, int]:
    """How many active initiatives are grön, gul, röd (or unreported), per dimension:
    {"health_time__gron": n, …, "health_time__none": n, …} (one query)."""
    annotated = _health_counted(queryset)
    aggregates = {}
    for name in HEALTH_FIELDS:
        for level in Health.values:
            aggregates[f"{name}__{level}"] = Count("id", filter=Q(**{f"latest_{name}": level}))
        aggregates[f"{name}__none"] = Count("id", filter=Q(**{f"latest_{name}__isnull": True}))
    return annotated.order_by().aggregate(**aggregates)


def health_summary(
    queryset: QuerySet[Initiative], counts: dict[str, int] | None = None
) -> list[HealthDimension]:
    """The counts of `health_counts` per dimension, labelled (pass them to reuse them)."""
    totals = counts if counts is not None else health_counts(queryset)
    labels = {
        "health_time": gettext_noop("Tid"),
        "health_cost": gettext_noop("Kostnad"),
        "health_quality": gettext_noop("Kvalitet"),
    }

    return [
        HealthDimension(
            key=name,
            label=_(labels[name]),
            counts={level: totals[f"{name}__{level}"] for level in (*Health.values, "none")},
        )
        for name in HEALTH_FIELDS
    ]


def awaiting_decisions(
    portfolio: Portfolio, queryset: QuerySet[Initiative], *, stages=BOARD_STAGES, nearly: int = 1
) -> list[AwaitingDecision]:
    """Initiatives whose next gate's criteria are met, or all but `nearly` of them.

    The database counts every candidate's unmet criteria (the SQL form of the gate
    checks); only the few that qualify are evaluated by the workflow's own checks
    (portfolio.domain.gate_checks), which also say why a criterion is unmet.
    """

    prefetch_related_objects(
        [portfolio],
        Prefetch("gate_criteria", queryset=GateCriterion.objects.filter(is_active=True)),
    )
    unmet = []
    for stage in stages:
        criteria = [c for c in portfolio.gate_criteria.all() if c.gate == GATE_FROM_STAGE[stage]]
        if criteria:
            unmet.append(When(stage=stage, then=unmet_count(criteria)))
    if not unmet:
        return []
    candidates = list(
        queryset.filter(stage__in=stages, is_paused=False)
        .alias(gate_unmet=Case(*unmet, default=None, output_field=IntegerField()))
        .filter(gate_unmet__lte=nearly)
        .order_by("id")
    )
    _attach_related(candidates)
    result = []
    for initiative in candidates:
        # One portfolio object with its criteria, shared by every candidate.
        initiative.portfolio = portfolio
        gate = next_gate(initiative)
        results = gate_evaluate(initiative, gate) if gate else []
        if not results:
            continue
        unmet_messages = [f"{r.criterion.label}: {r.reason}" for r in results if not r.met]
        if len(unmet_messages) <= nearly:
            result.append(
                AwaitingDecision(
                    initiative,
                    gate,
                    len(results) - len(unmet_messages),
                    len(results),
                    unmet_messages,
                )
            )
    result.sort(key=lambda a: (not a.ready, a.gate, a.initiative.pk))
    return result


def _attach_related(initiatives: list[Initiative]) -> None:
    """What the gate checks read through `.all()`, fetched once for all initiatives.

    Django's prefetch_related builds a queryset per initiative and relation, which
    costs more than the checks themselves; the checks only iterate, so plain lists in
    the prefetch cache serve them.
    """
    ids = [i.pk for i in initiatives]
    related = {
        "participations": Participation.objects.filter(initiative__in=ids)
        .select_related("municipality")
        .only(
            "id",
            "initiative_id",
            "municipality__id",
            "municipality__name",
            "status",
            "implemented_on",
            "implementation_opted_out",
        ),
        "costs": CostEntry.objects.filter(initiative__in=ids).only(
            "id", "initiative_id", "kind", "nature"
        ),
        "effect_goals": EffectGoal.objects.filter(initiative__in=ids),
        "confirmations": CriterionConfirmation.objects.filter(initiative__in=ids).only(
            "id", "initiative_id", "criterion_id"
        ),
    }
    by_initiative: dict[str, dict[int, list]] = {}
    for name, rows in related.items():
        grouped: dict[int, list] = {}
        if ids:
            for row in rows.order_by("id"):
                grouped.setdefault(row.initiative_id, []).append(row)
        by_initiative[name] = grouped
    for initiative in initiatives:
        initiative._prefetched_objects_cache = {
            name: grouped.get(initiative.pk, []) for name, grouped in by_initiative.items()
        }


DECISION_ROW_FIELDS = (
    "decided_on",
    "kind",
    "outcome",
    "body",
    "meeting_reference",
    "corrects_id",
    "initiative__reference",
    "initiative__title",
    "initiative__portfolio_id",
    "deciding_body__name",
)


def decisions_since(queryset: QuerySet[Initiative], since: dt.date) -> QuerySet[GateDecision]:
    return (
        GateDecision.objects.filter(
            initiative__in=queryset.order_by().values("id"), decided_on__gte=since
        )
        .select_related("initiative", "deciding_body")
        # What the dashboard's table shows; whole initiatives cost more than the query.
        .only(*DECISION_ROW_FIELDS)
        .order_by("-decided_on", "-id")
    )


def actual_costs_by_kind(queryset: QuerySet[Initiative]) -> dict[str, int]:
    """Actual costs to date, per kind (one query)."""
    rows = (
        CostEntry.objects.filter(
            initiative__in=queryset.order_by().values("id"), nature=CostNature.ACTUAL
        )
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    result = {kind: 0 for kind in CostKind.values}
    result.update({kind: total or 0 for kind, total in rows})
    return result


def participation_pending(queryset: QuerySet[Initiative], municipality_id: int):
    """Participation answers a municipality still owes (invited or interested)."""
    return (
        Participation.objects.filter(
            initiative__in=queryset.order_by().values("id"),
            municipality_id=municipality_id,
            status__in=(ParticipationStatus.INVITED, ParticipationStatus.INTERESTED),
        )
        .select_related("initiative", "initiative__portfolio")
        .order_by("initiative__portfolio__name", "initiative_id")
    )
