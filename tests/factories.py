"""Builders for test data: real municipalities, invented people."""

import datetime as dt
import itertools

from accounts.models import RoleAssignment, User
from municipalities.models import Constellation, Municipality
from portfolio.gate_defaults import create_default_criteria
from portfolio.models import AllocationKey, Initiative, Portfolio, Program

_counter = itertools.count(1)
PASSWORD = "ett-testlosenord-2026"


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def user(code: str = "1460", *roles: str, username: str | None = None) -> User:
    username = username or f"user{next(_counter)}"
    person = User.objects.create_user(
        username=username,
        password=PASSWORD,
        municipality=municipality(code),
        first_name="Test",
        last_name=username,
    )
    for role in roles:
        RoleAssignment.objects.create(user=person, role=role)
    return person


def constellation(codes=("1460", "1438", "1439", "1461", "1487", "1492"), name=None):
    n = next(_counter)
    group = Constellation.objects.create(name=name or f"Konstellation {n}", short_name=f"K{n}")
    group.members.add(*Municipality.objects.filter(code__in=codes))
    return group


def portfolio(group=None, **kwargs) -> Portfolio:
    n = next(_counter)
    result = Portfolio.objects.create(
        name=kwargs.pop("name", f"Portfölj {n}"),
        constellation=group or constellation(),
        reference_prefix=f"P{n}",
        **kwargs,
    )
    create_default_criteria(result)
    AllocationKey.objects.create(portfolio=result, valid_from=dt.date(2020, 1, 1))
    return result


def program(portfolio_obj=None, manager=None) -> Program:
    return Program.objects.create(
        portfolio=portfolio_obj or portfolio(), name=f"Program {next(_counter)}", manager=manager
    )


def initiative(portfolio_obj=None, program_obj=None, **fields) -> Initiative:
    portfolio_obj = portfolio_obj or (program_obj.portfolio if program_obj else portfolio())
    n = next(_counter)
    defaults = {
        "title": f"Initiativ {n}",
        "proposing_municipality": portfolio_obj.constellation.members.first(),
        "reference": f"{portfolio_obj.reference_prefix}-{n}",
    }
    defaults.update(fields)
    return Initiative.objects.create(portfolio=portfolio_obj, program=program_obj, **defaults)


# Before the dates tests give their decisions: a decision cannot predate the submission.
SUBMITTED_ON = dt.date(2025, 12, 1)


def submitted_on(initiative: Initiative, day: dt.date = SUBMITTED_ON) -> Initiative:
    """Backdate the submission, as if the initiative had been submitted on `day`."""
    from django.utils import timezone

    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Initiative.objects.filter(pk=initiative.pk).update(submitted_at=moment)
    initiative.submitted_at = moment
    return initiative
