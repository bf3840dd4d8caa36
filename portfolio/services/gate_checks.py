"""Gate checklists: which criteria an initiative meets, and in Swedish why not.

System checks read the initiative's own data; manual criteria are met when a person
has confirmed them (CriterionConfirmation). Every check reads related rows through
`.all()` so a caller that prefetched them (the detail page) pays no extra queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..choices import CostKind, CostNature, CriterionKind, Gate, ParticipationStatus, Stage
from ..models import GateCriterion, Initiative

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
        return (True, "") if getattr(i, field).strip() else (False, message)

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
    "prestudy_conclusion": _text("prestudy_conclusion", _("Förstudiens slutsats är inte ifylld.")),
    "development_estimate": _development_estimate,
    "operation_estimate": _operation_estimate,
    "effect_goals_complete": _effect_goals_complete,
    "participants_confirmed": _participants_confirmed,
    "security_classified": _security_classified,
    "implementation_plan": _text("implementation_plan", _("Implementeringsplanen är inte ifylld.")),
    "operation_owner": _text(
        "operation_owner", _("Ingen objektägare eller systemförvaltare är utsedd.")
    ),
    "all_implemented": _all_implemented,
    "benefit_followup_plan": _text("benefit_followup_plan", _("Plan för nyttouppföljning saknas.")),
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
