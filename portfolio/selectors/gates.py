"""Reads about gates: the next gate's checklist and which decisions a user may record."""

from dataclasses import dataclass, field

from .. import policies
from ..choices import TERMINAL_STAGES, DecisionKind
from ..domain.gate_checks import CriterionResult, gate_evaluate, next_gate


@dataclass
class Checklist:
    gate: str | None
    results: list[CriterionResult] = field(default_factory=list)

    @property
    def unmet(self) -> list[CriterionResult]:
        return [r for r in self.results if not r.met]

    @property
    def passable(self) -> bool:
        return self.gate is not None and not self.unmet


def gate_checklist(initiative, gate: str | None = None) -> Checklist:
    gate = gate or next_gate(initiative)
    if gate is None:
        return Checklist(None)
    return Checklist(gate, gate_evaluate(initiative, gate))


def decision_kinds_for(user, initiative) -> list[str]:
    """The decisions the user may record on the initiative now."""
    if initiative.stage in TERMINAL_STAGES:
        return []
    kinds = []
    gate = next_gate(initiative)
    if gate and policies.can_record_decision(user, initiative, gate):
        kinds.append(gate)
    if policies.can_record_decision(user, initiative, DecisionKind.CANCEL):
        kinds.append(DecisionKind.CANCEL)
    return kinds
