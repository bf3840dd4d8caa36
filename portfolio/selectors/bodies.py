"""The bodies a portfolio decides through, and which body decides a matter."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from ..models import Body


def portfolio_bodies(portfolio) -> QuerySet[Body]:
    """Every body of the portfolio, with its people, for the settings page and the API."""
    return (
        Body.objects.filter(portfolio=portfolio)
        .select_related("program", "chair", "secretary")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("last_name")),
            Prefetch("substitutes", queryset=User.objects.order_by("last_name")),
        )
        .order_by("program__name", "name")
    )


def active_bodies(portfolio_id: int) -> list[Body]:
    return list(
        Body.objects.filter(portfolio_id=portfolio_id, is_active=True).prefetch_related(
            Prefetch("members", queryset=User.objects.only("id"))
        )
    )


def body_for(bodies: list[Body], program_id: int | None, matter: str) -> Body | None:
    """The body that decides `matter`: the program's own body first, then the portfolio's."""
    deciding = [body for body in bodies if matter in body.matters]
    for body in deciding:
        if program_id is not None and body.program_id == program_id:
            return body
    for body in deciding:
        if body.program_id is None:
            return body
    return None


def people_of_constellation(portfolio) -> QuerySet[User]:
    """Who may sit in or serve a body of the portfolio: people of its municipalities."""
    return (
        User.objects.filter(municipality__in=portfolio.constellation.members.all(), is_active=True)
        .select_related("municipality")
        .order_by("last_name", "first_name")
    )


def body_of_portfolio(portfolio, pk: int) -> Body:
    body = get_object_or_404(portfolio_bodies(portfolio), pk=pk)
    body.portfolio = portfolio
    return body
