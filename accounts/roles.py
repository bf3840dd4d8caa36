"""Which roles a person holds, for which portfolio or program, today: the one rule.

An assignment without a scope holds in every portfolio the person's municipality sees
(as every role did before roles had a scope); one with a portfolio holds only there;
one with a program only for that program's matters. An assignment is in force from
`starts_on` (empty: always) until the day before `ends_on` (empty: until ended).
"""

import datetime as dt
from typing import NamedTuple


class Grant(NamedTuple):
    role: str
    portfolio_id: int | None
    program_id: int | None


def is_in_force(assignment, today: dt.date) -> bool:
    starts, ends = assignment.starts_on, assignment.ends_on
    return (starts is None or starts <= today) and (ends is None or today < ends)


def in_force(assignments, today: dt.date) -> tuple[Grant, ...]:
    return tuple(
        Grant(a.role, a.portfolio_id, a.program_id) for a in assignments if is_in_force(a, today)
    )


def roles_in(grants, portfolio_id, program_id=None) -> frozenset[str]:
    """The roles that hold for a matter of `portfolio_id` (None: a matter of no single
    portfolio, where only unscoped roles hold) and, if given, of `program_id`. A
    program's role holds only for that program's matters, never the portfolio's as a
    whole; a portfolio's role never in another portfolio."""
    return frozenset(
        g.role
        for g in grants
        if (g.portfolio_id is None and g.program_id is None)
        or (
            portfolio_id is not None
            and g.portfolio_id == portfolio_id
            and (g.program_id is None or (program_id is not None and g.program_id == program_id))
        )
    )


def roles_within(grants, portfolio_id) -> frozenset[str]:
    """Every role that holds somewhere in the portfolio, its programs' included: whether
    the person takes part in it beyond reading."""
    return frozenset(
        g.role for g in grants if g.portfolio_id is None or g.portfolio_id == portfolio_id
    )


def holders_q(
    roles,
    today: dt.date,
    portfolio_id=None,
    *,
    within: bool = False,
    anywhere: bool = False,
    prefix: str = "role_assignments__",
):
    """`roles_in` as a filter on people: holding one of `roles` today for the portfolio as
    a whole (None: unscoped only); `within` counts its programs' roles too (as
    `roles_within`), `anywhere` any scope at all. Use it in one `filter()` call so every
    condition applies to the same assignment."""
    from django.db.models import Q

    def f(**kw):
        return Q(**{prefix + k: v for k, v in kw.items()})

    in_force_today = (f(starts_on__isnull=True) | f(starts_on__lte=today)) & (
        f(ends_on__isnull=True) | f(ends_on__gt=today)
    )
    condition = f(role__in=list(roles)) & in_force_today
    if anywhere:
        return condition
    scope = f(portfolio__isnull=True, program__isnull=True)
    if portfolio_id is not None:
        scope |= (
            f(portfolio_id=portfolio_id)
            if within
            else f(portfolio_id=portfolio_id, program__isnull=True)
        )
    return condition & scope
