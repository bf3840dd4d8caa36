from .archive_exports import ArchiveExport, ArchiveExportStatus
from .attachments import Attachment
from .benefits import EffectGoal, Measurement, PriorityCriterion, PriorityScore
from .bodies import Body
from .delegation import DelegationDeleteRefused, ParticipationDelegation
from .governance import CriterionConfirmation, GateCriterion, GateDecision, ImmutableRecordError
from .import_jobs import ImportJob, ImportJobStatus
from .initiatives import HistoryEntry, Initiative, Participation, StatusUpdate
from .meetings import (
    AgendaItem,
    AgendaSending,
    ItemKind,
    ItemOutcome,
    Meeting,
    MeetingStatus,
    ServingSubstitute,
)
from .money import AllocationKey, CostEntry, SettledPeriod, TimeEntry
from .settings_history import SettingsChange
from .stage_field import StageChangeRefused, allow_stage_change
from .structure import Portfolio, PortfolioGoal, Program, ProgramBudget

__all__ = [
    "AgendaItem",
    "AgendaSending",
    "ItemKind",
    "ItemOutcome",
    "Meeting",
    "MeetingStatus",
    "ServingSubstitute",
    "AllocationKey",
    "Attachment",
    "Body",
    "ArchiveExport",
    "ArchiveExportStatus",
    "CostEntry",
    "CriterionConfirmation",
    "DelegationDeleteRefused",
    "EffectGoal",
    "GateCriterion",
    "GateDecision",
    "HistoryEntry",
    "ImmutableRecordError",
    "ImportJob",
    "ImportJobStatus",
    "Initiative",
    "Measurement",
    "Participation",
    "ParticipationDelegation",
    "Portfolio",
    "PortfolioGoal",
    "PriorityCriterion",
    "PriorityScore",
    "Program",
    "ProgramBudget",
    "SettledPeriod",
    "SettingsChange",
    "StageChangeRefused",
    "StatusUpdate",
    "TimeEntry",
    "allow_stage_change",
]
