"""Constellations, people, portfolios and programs of the national dataset."""

import datetime as dt

from accounts.models import Role, RoleAssignment, User
from municipalities.models import Constellation
from portfolio.gate_defaults import DEFAULT_CRITERIA
from portfolio.models import (
    AllocationKey,
    GateCriterion,
    Portfolio,
    PriorityCriterion,
    Program,
    ProgramBudget,
)

from .shape import (
    BENCH_MUNICIPALITY,
    BENCH_USERNAME,
    FYRBODAL,
    LARGEST_PREFIX,
    PROGRAM_NAMES,
    Table,
    at,
    columns,
    rng_for,
    spread,
)


class PeopleRows:
    # Constellations and people ------------------------------------------------------

    def constellations(self) -> list[Table]:
        rng = rng_for(self.seed, "constellations")
        groups = [("Fyrbodal", "FYR", FYRBODAL)]
        counties = sorted(self.ref.counties)
        first_of_county: dict[str, int] = {}
        for n in range(1, self.scale.constellations):
            county = counties[n % len(counties)]
            codes = self.ref.counties[county]
            size = rng.randint(min(3, len(codes)), min(10, len(codes)))
            start = rng.randrange(len(codes) - size + 1)
            name = f"{self.ref.county_names[county].removesuffix(' län')} samverkan {n}"
            groups.append((name, f"K{n:02d}", codes[start : start + size]))
            first_of_county.setdefault(county, len(groups) - 1)
        # Every municipality of the country takes part somewhere, as the national
        # figures (allocation and settlement of every portfolio) assume.
        covered = {code for _n, _s, group in groups for code in group}
        for county, index in first_of_county.items():
            missing = [c for c in self.ref.counties[county] if c not in covered]
            name, short, codes = groups[index]
            groups[index] = (name, short, [*codes, *missing])
        self.groups = groups
        ids = self.ids(Constellation, len(groups))
        self.constellation_ids = list(ids)
        members = Constellation.members.through
        member_rows = [
            (cid, self.ref.municipality_ids[code])
            for cid, (_n, _s, codes) in zip(ids, groups, strict=True)
            for code in codes
        ]
        member_ids = self.ids(members, len(member_rows))
        return [
            Table(
                Constellation,
                ("id", "name", "short_name", "description"),
                [
                    (cid, name, short, "Syntetisk samverkan för prestandamätning.")
                    for cid, (name, short, _c) in zip(ids, groups, strict=True)
                ],
            ),
            Table(
                members,
                ("id", "constellation_id", "municipality_id"),
                [(i, *row) for i, row in zip(member_ids, member_rows, strict=True)],
            ),
        ]

    def people(self) -> list[Table]:
        """A director per member municipality; per portfolio a samordnare, IT-chef and owner."""
        codes = sorted({code for _n, _s, group in self.groups for code in group})
        people = [(BENCH_USERNAME, BENCH_MUNICIPALITY, "Bänk", "Kommundirektör", Role.DIRECTOR)]
        people += [(f"kd.{c}", c, "Kommun", f"Direktör {c}", Role.DIRECTOR) for c in codes]
        for n, (_name, short, group) in enumerate(self.groups):
            people += [
                (f"samordnare.{short}", group[0], "Samordnare", short, Role.COORDINATOR),
                (f"itchef.{short}", group[-1], "IT-chef", short, Role.IT_MANAGER),
                (f"agare.{short}", group[n % len(group)], "Ägare", short, Role.INITIATIVE_OWNER),
            ]
        joined = at(dt.date(2020, 1, 1))
        user_ids = self.ids(User, len(people) + self.scale.programs)
        self.user_by_name = {}
        rows, roles = [], []
        for uid, (username, code, first, last, role) in zip(user_ids, people, strict=False):
            self.user_by_name[username] = uid
            rows.append(self._user(uid, username, code, first, last, joined))
            roles.append((uid, role))
        self.manager_ids = list(user_ids)[len(people) :]
        self._pending_managers = []
        self._user_rows, self._role_rows = rows, roles
        return []

    def _user(self, uid, username, code, first, last, joined):
        return (
            uid,
            self.password,
            username,
            first,
            last,
            f"{username}@bench.invalid",
            joined,
            self.ref.municipality_ids[code],
        )

    def user_tables(self) -> list[Table]:
        joined = at(dt.date(2020, 1, 1))
        rows, roles = list(self._user_rows), list(self._role_rows)
        for uid, (username, code) in zip(self.manager_ids, self._pending_managers, strict=True):
            rows.append(self._user(uid, username, code, "Programledare", username, joined))
            roles.append((uid, Role.PROGRAM_MANAGER))
        role_ids = self.ids(RoleAssignment, len(roles))
        return [
            Table(
                User,
                columns(
                    "id password username first_name last_name email date_joined municipality_id"
                ),
                rows,
            ),
            Table(
                RoleAssignment,
                ("id", "user_id", "role"),
                [(i, *r) for i, r in zip(role_ids, roles, strict=True)],
            ),
        ]

    # Portfolios and programs ------------------------------------------------------

    def portfolios(self) -> list[Table]:
        rng = rng_for(self.seed, "portfolios")
        ids = self.ids(Portfolio, len(self.groups))
        self.portfolio_ids = list(ids)
        rows, criteria, priority, keys = [], [], [], []
        for n, (pid, cid, (name, short, _group)) in enumerate(
            zip(ids, self.constellation_ids, self.groups, strict=True)
        ):
            prefix = LARGEST_PREFIX if n == 0 else f"P{n:02d}"
            rows.append(
                (
                    pid,
                    f"Portfölj {name}",
                    cid,
                    "Syntetisk portfölj för prestandamätning.",
                    prefix,
                    dt.date(2026, 12, 10) + dt.timedelta(days=n),
                    f"Portföljkontoret {short}",
                )
            )
            for order, (gate, label, kind, check) in enumerate(DEFAULT_CRITERIA):
                criteria.append((pid, gate, str(label), kind, check, order))
            for order, (label, weight) in enumerate(
                (("Nytta", 3), ("Strategisk träffsäkerhet", 2), ("Genomförbarhet", 2), ("Risk", 1))
            ):
                priority.append((pid, label, weight, order))
            coordinator = self.user_by_name[f"samordnare.{short}"]
            rate = rng.choice((650, 700, 760))
            keys.append((pid, dt.date(2020, 1, 1), 80, 20, 2025, rate, coordinator))
            if n % 3 == 0:
                keys.append((pid, dt.date(2026, 1, 1), 70, 30, 2025, 780, coordinator))
        return [
            Table(
                Portfolio,
                columns(
                    "id name constellation_id description reference_prefix "
                    "next_board_meeting sender"
                ),
                rows,
            ),
            Table(
                GateCriterion,
                ("id", "portfolio_id", "gate", "label", "kind", "system_check", "order"),
                [
                    (i, *r)
                    for i, r in zip(self.ids(GateCriterion, len(criteria)), criteria, strict=True)
                ],
            ),
            Table(
                PriorityCriterion,
                ("id", "portfolio_id", "name", "weight", "order"),
                [
                    (i, *r)
                    for i, r in zip(
                        self.ids(PriorityCriterion, len(priority)), priority, strict=True
                    )
                ],
            ),
            Table(
                AllocationKey,
                columns(
                    "id portfolio_id valid_from population_weight equal_weight "
                    "population_year hourly_rate decision_reference created_by_id "
                    "created_at"
                ),
                [
                    (i, *k[:6], "Portföljstyrgruppen § 4", k[6], at(k[1]))
                    for i, k in zip(self.ids(AllocationKey, len(keys)), keys, strict=True)
                ],
            ),
        ]

    def programs(self) -> list[Table]:
        rng = rng_for(self.seed, "programs")
        count = len(self.groups)
        largest = min(len(PROGRAM_NAMES), max(1, self.scale.programs - (count - 1) * 3))
        others = spread(
            self.scale.programs - largest,
            [1.0] * (count - 1),
            [1] * (count - 1),
            [len(PROGRAM_NAMES)] * (count - 1),
        )
        per_portfolio = [largest, *others]
        ids = iter(self.ids(Program, self.scale.programs))
        rows, budgets = [], []
        self.programs_of = []
        managers = iter(self.manager_ids)
        for n, (pid, amount) in enumerate(zip(self.portfolio_ids, per_portfolio, strict=True)):
            group = self.groups[n][2]
            mine = []
            for k in range(amount):
                program_id, manager = next(ids), next(managers)
                code = group[k % len(group)]
                self._pending_managers.append((f"programledare.{program_id}", code))
                rows.append((program_id, pid, PROGRAM_NAMES[k], "", manager))
                mine.append((program_id, manager))
                for year in (2024, 2025, 2026):
                    budgets.append((program_id, year, rng.randint(20, 400) * 50_000))
            self.programs_of.append(mine)
        return [
            Table(Program, ("id", "portfolio_id", "name", "description", "manager_id"), rows),
            Table(
                ProgramBudget,
                ("id", "program_id", "year", "amount"),
                [
                    (i, *b)
                    for i, b in zip(self.ids(ProgramBudget, len(budgets)), budgets, strict=True)
                ],
            ),
        ]
