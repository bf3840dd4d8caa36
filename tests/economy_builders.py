"""Economy test state: a Dalsland-six portfolio, participants, costs and hours.

Costs and hours go through the real services (portfolio.services.costs); participation
rows are written directly where a test needs a past joining or leaving date that the
participation service (which answers for today) cannot express.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import factories

from accounts.models import Role
from portfolio.choices import CostKind, CostNature, ParticipationStatus
from portfolio.models import AllocationKey, Participation
from portfolio.services import costs

DALSLAND = ("1460", "1438", "1439", "1461", "1487", "1492")
POPULATION_2025 = {
    "1438": 4571,
    "1439": 6288,
    "1460": 8955,
    "1461": 9038,
    "1487": 40078,
    "1492": 11679,
}


@dataclass
class Money:
    portfolio: object
    program: object
    coordinator: object
    director: object
    itchef: object
    reader: object
    outsider: object

    @property
    def key(self):
        return AllocationKey.objects.filter(portfolio=self.portfolio).order_by("valid_from").first()


def money_world(hourly_rate: int = 700) -> Money:
    portfolio = factories.portfolio(factories.constellation(DALSLAND))
    AllocationKey.objects.filter(portfolio=portfolio).update(hourly_rate=hourly_rate)
    coordinator = factories.user("1487", Role.COORDINATOR)
    return Money(
        portfolio=portfolio,
        program=factories.program(portfolio),
        coordinator=coordinator,
        director=factories.user("1460", Role.DIRECTOR),
        itchef=factories.user("1460", Role.IT_MANAGER),
        reader=factories.user("1460", Role.READER),
        outsider=factories.user("1495", Role.COORDINATOR),
    )


def initiative(w: Money, participants=DALSLAND, joined=dt.date(2025, 1, 1), **fields):
    result = factories.initiative(w.portfolio, w.program, **fields)
    for code in participants:
        join(result, code, joined)
    return result


def join(initiative, code, joined_on, left_on=None):
    status = ParticipationStatus.LEFT if left_on else ParticipationStatus.PARTICIPATING
    return Participation.objects.update_or_create(
        initiative=initiative,
        municipality=factories.municipality(code),
        defaults={
            "status": status,
            "joined_on": joined_on,
            "left_on": left_on,
            "leave_reason": "Prioriterar annat enligt principerna" if left_on else "",
        },
    )[0]


def actual(w: Money, initiative, amount, day, paid_by="1460", kind=CostKind.DEVELOPMENT):
    return costs.cost_entry_create(
        actor=w.coordinator,
        initiative=initiative,
        kind=kind,
        nature=CostNature.ACTUAL,
        period=day,
        amount=amount,
        paid_by=factories.municipality(paid_by),
    )


def estimate(w: Money, initiative, amount, day, kind=CostKind.DEVELOPMENT):
    return costs.cost_entry_create(
        actor=w.coordinator,
        initiative=initiative,
        kind=kind,
        nature=CostNature.ESTIMATE,
        period=day,
        amount=amount,
    )


def hours(w: Money, initiative, code, amount, day):
    return costs.time_entry_create(
        actor=w.coordinator,
        initiative=initiative,
        municipality=factories.municipality(code),
        period=day,
        hours=Decimal(str(amount)),
        role="Projektledare",
    )


def nets(economy) -> dict[str, int]:
    return {r.code: r.net for r in economy.rows}


def column(economy, name) -> dict[str, int]:
    return {r.code: getattr(r, name) for r in economy.rows}
