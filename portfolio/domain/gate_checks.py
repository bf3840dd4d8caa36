"""Gate checklists: which criteria an initiative meets, and in Swedish why not.

System checks read the initiative's own data; manual criteria are met when a person
has confirmed them (CriterionConfirmation). Every check reads related rows through
`.all()` so a caller that prefetched them (the detail page) pays no extra queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Case,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import IsNull
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..choices import CostKind, CostNature, CriterionKind, Gate, ParticipationStatus, Stage
from ..models import (
    CostEntry,
    CriterionConfirmation,
    EffectGoal,
    GateCriterion,
    Initiative,
    Participation,
)

GATE_FROM_STAGE = {
    Stage.IDEA: Gate.G0,
    Stage.PRESTUDY: Gate.G1,
    Stage.PROJECT: Gate.G2,
    Stage.ASSIGNMENT: Gate.G2,
    Stage.IMPLEMENTATION: Gate.G3,
}


@dataclass(frozen=True)
class CriterionResult:
    criterion: GateCriterion
    met: bool
    reason: str

    def as_dict(self) -> dict:
        return {
            "id": self.criterion.pk,
            "label": self.criterion.label,
            "kind": self.criterion.kind,
            "met": self.met,
            "reason": self.reason,
        }


def next_gate(initiative: Initiative) -> Gate | None:
    return GATE_FROM_STAGE.get(initiative.stage)


def _ok() -> tuple[bool, str]:
    return True, ""


def _description_complete(i: Initiative):
    labels = {
        "title": _("titel"),
        "need": _("behov eller problem"),
        "expected_benefit": _("förväntad nytta"),
        "area": _("område"),
        "target_group": _("målgrupp"),
        "collaboration_level": _("samverkansnivå"),
    }
    missing = [str(label) for name, label in labels.items() if getattr(i, name) in ("", None)]
    if missing:
        return False, _("Beskrivningen saknar: %(fields)s.") % {"fields": ", ".join(missing)}
    return _ok()


def description_missing(initiative: Initiative) -> str:
    """What the idea's description still lacks, in Swedish; empty when complete."""
    met, reason = _description_complete(initiative)
    return "" if met else str(reason)


def _has_owner(i):
    return (True, "") if i.owner_id else (False, _("Ingen initiativägare är utsedd."))


def _has_program(i):
    return (True, "") if i.program_id else (False, _("Initiativet hör inte till något program."))


def _participations(i, *statuses):
    return [p for p in i.participations.all() if p.status in statuses]


def _municipality_interested(i):
    if _participations(i, ParticipationStatus.INTERESTED, ParticipationStatus.PARTICIPATING):
        return _ok()
    return False, _("Ingen kommun har anmält intresse eller deltar.")


def _has_priority_score(i):
    if i.priority_score is not None:
        return _ok()
    return False, _("Initiativet har inga prioriteringspoäng.")


def _text(field, message):
    def check(i):
        # Translated when checked, in the asking user's language, not at import.
        return (True, "") if getattr(i, field).strip() else (False, _(message))

    return check


def _costs(i, kind, nature):
    return [c for c in i.costs.all() if c.kind == kind and c.nature == nature]


def _development_estimate(i):
    if _costs(i, CostKind.DEVELOPMENT, CostNature.ESTIMATE):
        return _ok()
    return False, _("Det finns inget estimat för utvecklingskostnaden.")


def _operation_estimate(i):
    if _costs(i, CostKind.OPERATION, CostNature.ESTIMATE):
        return _ok()
    return False, _("Det finns inget estimat för den årliga driftkostnaden.")


def _effect_goals_complete(i):
    goals = list(i.effect_goals.all())
    if not goals:
        return False, _("Initiativet har inga effektmål.")
    incomplete = [g.name for g in goals if g.baseline is None or g.target is None]
    if incomplete:
        return False, _("Effektmål saknar nollvärde eller målvärde: %(goals)s.") % {
            "goals": ", ".join(incomplete)
        }
    return _ok()


def _participants_confirmed(i):
    if not _participations(i, ParticipationStatus.PARTICIPATING):
        return False, _("Ingen kommun har bekräftat att den deltar.")
    open_ = _participations(i, ParticipationStatus.INVITED, ParticipationStatus.INTERESTED)
    if open_:
        names = ", ".join(p.municipality.name for p in open_)
        return False, _("Kommuner har inte svarat om de deltar: %(names)s.") % {"names": names}
    return _ok()


def _security_classified(i):
    if i.security_classification:
        return _ok()
    return False, _("Informationssäkerhetsklassningen är inte gjord.")


def _all_implemented(i):
    participants = _participations(i, ParticipationStatus.PARTICIPATING)
    if not participants:
        return False, _("Inga kommuner deltar.")
    pending = [
        p.municipality.name
        for p in participants
        if p.implemented_on is None and not p.implementation_opted_out
    ]
    if pending:
        return False, _("Har varken implementerat eller avstått: %(names)s.") % {
            "names": ", ".join(pending)
        }
    return _ok()


def _actual_cost_reported(i):
    if [c for c in i.costs.all() if c.nature == CostNature.ACTUAL]:
        return _ok()
    return False, _("Ingen faktisk kostnad (utfall) är rapporterad.")


SYSTEM_CHECKS: dict[str, Callable[[Initiative], tuple[bool, str]]] = {
    "description_complete": _description_complete,
    "has_owner": _has_owner,
    "has_program": _has_program,
    "municipality_interested": _municipality_interested,
    "has_priority_score": _has_priority_score,
    "prestudy_conclusion": _text(
        "prestudy_conclusion", gettext_noop("Förstudiens slutsats är inte ifylld.")
    ),
    "development_estimate": _development_estimate,
    "operation_estimate": _operation_estimate,
    "effect_goals_complete": _effect_goals_complete,
    "participants_confirmed": _participants_confirmed,
    "security_classified": _security_classified,
    "implementation_plan": _text(
        "implementation_plan", gettext_noop("Implementeringsplanen är inte ifylld.")
    ),
    "operation_owner": _text(
        "operation_owner", gettext_noop("Ingen objektägare eller systemförvaltare är utsedd.")
    ),
    "all_implemented": _all_implemented,
    "benefit_followup_plan": _text(
        "benefit_followup_plan", gettext_noop("Plan för nyttouppföljning saknas.")
    ),
    "actual_cost_reported": _actual_cost_reported,
}


def gate_criteria(initiative: Initiative, gate: str) -> list[GateCriterion]:
    return [c for c in initiative.portfolio.gate_criteria.all() if c.gate == gate and c.is_active]


def criterion_evaluate(initiative: Initiative, criterion: GateCriterion) -> CriterionResult:
    if criterion.kind == CriterionKind.MANUAL:
        confirmed = any(c.criterion_id == criterion.pk for c in initiative.confirmations.all())
        reason = "" if confirmed else _("Ingen har bekräftat kriteriet.")
        return CriterionResult(criterion, confirmed, reason)
    check = SYSTEM_CHECKS.get(criterion.system_check)
    if check is None:
        return CriterionResult(
            criterion,
            False,
            _("Okänd systemkontroll: %(code)s.") % {"code": criterion.system_check},
        )
    met, reason = check(initiative)
    return CriterionResult(criterion, met, str(reason))


def gate_evaluate(initiative: Initiative, gate: str) -> list[CriterionResult]:
    criteria = sorted(gate_criteria(initiative, gate), key=lambda c: (c.order, c.pk))
    return [criterion_evaluate(initiative, c) for c in criteria]


def unmet_messages(results: list[CriterionResult]) -> list[str]:
    return [f"{r.criterion.label}: {r.reason}" for r in results if not r.met]


# The same checks as conditions on Initiative rows, for lists that evaluate many
# initiatives at once (the dashboard). Each entry states in SQL exactly what the Python
# check above states; tests/test_gate_checks_sql.py holds the two in agreement.


def _filled(name: str) -> Q:
    field = Initiative._meta.get_field(name)
    if field.get_internal_type() in ("CharField", "TextField"):
        return Q(**{f"{name}__isnull": False}) & ~Q(**{name: ""})
    return Q(**{f"{name}__isnull": False})


def _related(model, **filters) -> IsNull:
    # A scalar subquery rather than EXISTS: PostgreSQL may turn EXISTS into one hashed
    # scan of the whole related table (200 000 cost rows for a few hundred candidates);
    # a scalar subquery is probed per row through the initiative index.
    first = model.objects.filter(initiative=OuterRef("pk"), **filters).order_by().values("pk")[:1]
    return IsNull(Subquery(first), False)


def _participating(**filters) -> IsNull:
    return _related(Participation, status=ParticipationStatus.PARTICIPATING, **filters)


def _sql_description_complete() -> Q:
    fields = ("title", "need", "expected_benefit", "area", "target_group", "collaboration_level")
    condition = Q()
    for name in fields:
        condition &= _filled(name)
    return condition


def _sql_text(name: str) -> Callable[[], Q]:
    # Python's str.strip() leaves nothing when the text is only whitespace.
    return lambda: Q(**{f"{name}__regex": r"\S"})


def _sql_cost(kind=None, nature=None) -> Callable[[], Q]:
    filters = {"kind": kind} if kind else {}
    return lambda: Q(_related(CostEntry, nature=nature, **filters))


SYSTEM_CHECK_CONDITIONS: dict[str, Callable[[], Q]] = {
    "description_complete": _sql_description_complete,
    "has_owner": lambda: _filled("owner"),
    "has_program": lambda: _filled("program"),
    "municipality_interested": lambda: Q(
        _related(
            Participation,
            status__in=(ParticipationStatus.INTERESTED, ParticipationStatus.PARTICIPATING),
        )
    ),
    "has_priority_score": lambda: _filled("priority_score"),
    "prestudy_conclusion": _sql_text("prestudy_conclusion"),
    "development_estimate": _sql_cost(CostKind.DEVELOPMENT, CostNature.ESTIMATE),
    "operation_estimate": _sql_cost(CostKind.OPERATION, CostNature.ESTIMATE),
    "effect_goals_complete": lambda: (
        Q(_related(EffectGoal))
        & ~Q(_related(EffectGoal, baseline__isnull=True))
        & ~Q(_related(EffectGoal, target__isnull=True))
    ),
    "participants_confirmed": lambda: (
        Q(_participating())
        & ~Q(
            _related(
                Participation,
                status__in=(ParticipationStatus.INVITED, ParticipationStatus.INTERESTED),
            )
        )
    ),
    "security_classified": lambda: _filled("security_classification"),
    "implementation_plan": _sql_text("implementation_plan"),
    "operation_owner": _sql_text("operation_owner"),
    "all_implemented": lambda: (
        Q(_participating())
        & ~Q(_participating(implemented_on__isnull=True, implementation_opted_out=False))
    ),
    "benefit_followup_plan": _sql_text("benefit_followup_plan"),
    "actual_cost_reported": _sql_cost(nature=CostNature.ACTUAL),
}


def criterion_condition(criterion: GateCriterion) -> Q:
    """The criterion as a condition on Initiative rows: true where it is met."""
    if criterion.kind == CriterionKind.MANUAL:
        return Q(_related(CriterionConfirmation, criterion_id=criterion.pk))
    condition = SYSTEM_CHECK_CONDITIONS.get(criterion.system_check)
    # An unknown check is never met, as in criterion_evaluate.
    return condition() if condition else Q(pk__in=[])


def unmet_count(criteria: list[GateCriterion]):
    """How many of `criteria` an Initiative row does not meet, as an SQL expression."""
    if not criteria:
        return Value(0)
    terms = [Case(When(criterion_condition(c), then=Value(0)), default=Value(1)) for c in criteria]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return ExpressionWrapper(total, output_field=IntegerField())
