"""What the economy selectors answer: one shape for pages, API, PDF reports and exports."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..periods import Period


@dataclass(frozen=True)
class Transfer:
    """`from_code` pays `amount` kronor to `to_code` in the settlement (avräkning)."""

    from_code: str
    from_name: str
    to_code: str
    to_name: str
    amount: int


@dataclass
class EconomyRow:
    """One municipality in one period.

    allocated: its share of the shared costs (actual costs + value of all hours);
    paid: actual costs it paid; hours / hours_value: its staff time and what it is worth;
    buy_in: a late joiner's buy-in (positive) or the credit an earlier participant
    receives from it (negative); buy_in = buy_in_charged - buy_in_credited, the two
    printed apart because a municipality can join late in one initiative and be
    credited in another;
    net = allocated - (paid + hours_value) + buy_in. Positive: the municipality owes.
    """

    code: str
    name: str
    population: int
    allocated: int = 0
    paid: int = 0
    hours: Decimal = Decimal("0")
    hours_value: int = 0
    buy_in: int = 0
    net: int = 0
    buy_in_charged: int = 0
    buy_in_credited: int = 0

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "population": self.population,
            "allocated": self.allocated,
            "paid": self.paid,
            "hours": str(self.hours),
            "hours_value": self.hours_value,
            "buy_in": self.buy_in,
            "buy_in_charged": self.buy_in_charged,
            "buy_in_credited": self.buy_in_credited,
            "net": self.net,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "EconomyRow":
        data = {**data, "hours": Decimal(data["hours"])}
        if "buy_in_charged" not in data:
            # Settled before the two were kept apart: one side is all that is known.
            data["buy_in_charged"] = max(data["buy_in"], 0)
            data["buy_in_credited"] = max(-data["buy_in"], 0)
        return cls(**data)


TOTALLED = (
    "allocated",
    "paid",
    "hours",
    "hours_value",
    "buy_in",
    "buy_in_charged",
    "buy_in_credited",
    "net",
)


def row_totals(rows) -> dict:
    """Each column's total is the sum of the rows printed above it."""
    return {name: sum(getattr(row, name) for row in rows) for name in TOTALLED}


def net_wording(net: int) -> str:
    """What a municipality's net means, in words: every document and page says it so."""
    if net > 0:
        return _("att betala")
    if net < 0:
        return _("att få tillbaka")
    return _("varken att betala eller att få tillbaka")


@dataclass
class Economy:
    """The allocation of one scope (portfolio, program or initiative) for one period."""

    period: Period
    scope: str  # "portfolio", "program" or "initiative"
    scope_id: int
    scope_name: str
    portfolio_id: int
    rows: list[EconomyRow] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    settled: bool = False
    # What was shared: actual costs plus the value of the hours (= sum of `allocated`).
    total_costs: int = 0
    total_actual_costs: int = 0
    total_hours_value: int = 0

    @property
    def totals(self) -> dict:
        return row_totals(self.rows)

    def row_for(self, code: str) -> EconomyRow | None:
        return next((r for r in self.rows if r.code == code), None)

    @property
    def max_allocated(self) -> int:
        return max((r.allocated for r in self.rows), default=0)

    def as_dict(self) -> dict:
        return {
            "period": self.period.label,
            "scope": self.scope,
            "scope_id": self.scope_id,
            "scope_name": self.scope_name,
            "portfolio_id": self.portfolio_id,
            "settled": self.settled,
            "total_costs": self.total_costs,
            "total_actual_costs": self.total_actual_costs,
            "total_hours_value": self.total_hours_value,
            "rows": [r.as_dict() for r in self.rows],
            "transfers": [t.__dict__ for t in self.transfers],
        }

    @classmethod
    def from_dict(cls, data: dict, period: Period, *, settled: bool = True) -> "Economy":
        return cls(
            period=period,
            scope=data["scope"],
            scope_id=data["scope_id"],
            scope_name=data["scope_name"],
            portfolio_id=data["portfolio_id"],
            rows=[EconomyRow.from_dict(r) for r in data["rows"]],
            transfers=[Transfer(**t) for t in data["transfers"]],
            settled=settled,
            total_costs=data["total_costs"],
            total_actual_costs=data["total_actual_costs"],
            total_hours_value=data["total_hours_value"],
        )
