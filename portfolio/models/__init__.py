from .benefits import EffectGoal, Measurement, PriorityCriterion, PriorityScore
from .governance import CriterionConfirmation, GateCriterion, GateDecision, ImmutableRecordError
from .initiatives import HistoryEntry, Initiative, Participation, StatusUpdate
from .money import AllocationKey, CostEntry, SettledPeriod, TimeEntry
from .stage_field import StageChangeRefused, allow_stage_change
from .structure import Portfolio, PortfolioGoal, Program, ProgramBudget

__all__ = [
    "AllocationKey",
    "CostEntry",
    "CriterionConfirmation",
    "EffectGoal",
    "GateCriterion",
    "GateDecision",
    "HistoryEntry",
    "ImmutableRecordError",
    "Initiative",
    "Measurement",
    "Participation",
    "Portfolio",
    "PortfolioGoal",
    "PriorityCriterion",
    "PriorityScore",
    "Program",
    "ProgramBudget",
    "SettledPeriod",
    "StageChangeRefused",
    "StatusUpdate",
    "TimeEntry",
    "allow_stage_change",
]
