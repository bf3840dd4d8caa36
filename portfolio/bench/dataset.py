"""A synthetic national dataset: every collaboration in Sweden on one instance.

`build_dataset(seed, scale, reference, first_ids)` is pure: the same seed, scale and
reference data give the same rows, table by table, in the order they must be written.
Each table draws from its own random stream (seeded by the seed and the table's name),
so a change to one table's generator leaves the others as they were.

The shape follows the domain: overlapping constellations of real municipalities, one
portfolio each, programs, initiatives whose decisions lead exactly to their stage,
participations of member municipalities, costs paid and hours given by participants.
"""

from django.contrib.auth.hashers import make_password

from accounts.models import RoleAssignment, User
from municipalities.models import Constellation
from portfolio.models import (
    AllocationKey,
    CostEntry,
    EffectGoal,
    GateCriterion,
    GateDecision,
    HistoryEntry,
    Initiative,
    Participation,
    Portfolio,
    PriorityCriterion,
    Program,
    ProgramBudget,
    StatusUpdate,
    TimeEntry,
)

from .rows_people import PeopleRows
from .rows_work import WorkRows
from .shape import (  # noqa: F401 - re-exported
    BENCH_MUNICIPALITY,
    BENCH_PASSWORD,
    BENCH_USERNAME,
    LARGEST_PREFIX,
    NATIONAL,
    TINY,
    Reference,
    Scale,
    Table,
    spread,
)


class _Builder(PeopleRows, WorkRows):
    def __init__(self, seed: int, scale: Scale, reference: Reference, first_ids: dict):
        self.seed, self.scale, self.ref = seed, scale, reference
        self.next = dict(first_ids)
        self.password = make_password(BENCH_PASSWORD, salt=f"bench{seed}")

    def ids(self, model, count: int) -> range:
        start = self.next[model]
        self.next[model] = start + count
        return range(start, start + count)


MODELS = (
    Constellation,
    Constellation.members.through,
    User,
    RoleAssignment,
    Portfolio,
    GateCriterion,
    PriorityCriterion,
    AllocationKey,
    Program,
    ProgramBudget,
    Initiative,
    GateDecision,
    Participation,
    CostEntry,
    TimeEntry,
    StatusUpdate,
    EffectGoal,
    HistoryEntry,
)


def build_dataset(seed: int, scale: Scale, reference: Reference, first_ids: dict) -> list[Table]:
    """Every table's rows, in the order they must be written (parents first)."""
    b = _Builder(seed, scale, reference, first_ids)
    constellations = b.constellations()
    b.people()
    portfolios = b.portfolios()
    programs = b.programs()
    users = b.user_tables()
    tables = [*constellations, *users, *portfolios, *programs]
    tables += b.initiatives()
    tables += b.decisions()
    tables += b.participations()
    tables += b.costs()
    tables += b.time_entries()
    tables += b.follow_up()
    return tables
