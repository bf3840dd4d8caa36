"""The economy of a portfolio, program, initiative or municipality for a period.

Every figure on the allocation pages, in the API, the PDF reports and the exports comes
from these functions. A settled period (SettledPeriod) is frozen: its stored result is
what is shown afterwards, whatever has changed since (the key, late entries).
Only a request for exactly the settled period answers from the stored result.
"""

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.membership import constellations_on

from ..choices import CostNature
from ..models import CostEntry, Portfolio, SettledPeriod, TimeEntry
from ..periods import Period, half_year_of, parse_period
from . import economy_data
from .access import visible_portfolios
from .economy_compute import compute
from .economy_tools import (  # noqa: F401 - part of this module's contract
    allocation_preview,
    costs_against_budget,
    scenario_compare,
)
from .economy_types import Economy, EconomyRow, Transfer  # noqa: F401


def activity_entries(today, **scope):
    """The entries that make a half-year active: actual costs and hours dated up to
    `today` within `scope` (filters on the entries)."""
    return (
        CostEntry.objects.filter(nature=CostNature.ACTUAL, period__lte=today, **scope),
        TimeEntry.objects.filter(period__lte=today, **scope),
    )


def latest_active_period(**scope) -> Period:
    """The half-year of the newest actual cost or hours dated up to today within
    `scope` (filters on the entries, e.g. initiative__portfolio=portfolio): where the
    economy pages open, so nobody lands on an empty half-year. The current half-year
    when nothing is recorded."""
    today = timezone.localdate()
    newest = [q.aggregate(day=Max("period"))["day"] for q in activity_entries(today, **scope)]
    return active_period_of([day for day in newest if day is not None], today)


def active_period_of(days, today) -> Period:
    """The half-year of the newest of `days`, or of `today` when there is none."""
    return half_year_of(max(days) if days else today)


def as_period(period) -> Period:
    if isinstance(period, Period):
        return period
    if period is None or period == "":
        from django.utils import timezone

        return half_year_of(timezone.localdate())
    return parse_period(str(period))


def _settled(portfolio_ids, period: Period) -> dict[int, dict]:
    return dict(
        SettledPeriod.objects.filter(
            portfolio_id__in=portfolio_ids, starts_on=period.start, ends_on=period.end
        ).values_list("portfolio_id", "result")
    )


def settlement_decision(portfolio, period: Period) -> SettledPeriod | None:
    """The board's decision that settled the portfolio's period, if it is settled."""
    return (
        SettledPeriod.objects.select_related("settled_by")
        .filter(portfolio=portfolio, starts_on=period.start, ends_on=period.end)
        .first()
    )


def _empty(period, scope, scope_id, name, portfolio_id) -> Economy:
    return Economy(period, scope, scope_id, name, portfolio_id, settled=True)


def compute_portfolios(portfolios, period: Period, *, every=False) -> dict[int, Economy]:
    """Live (never frozen) economies of the given portfolios, from one set of queries.
    `every`: these are all the portfolios there are, so nothing needs filtering."""
    ids = [p.pk for p in portfolios]
    if not ids:
        return {}
    initiative_filter = None if every else {"portfolio_id__in": ids}
    raw = economy_data.fetch(initiative_filter, ids, period, "portfolio")
    return compute(raw, {p.pk: p.name for p in portfolios})


def _portfolios_economy(portfolios, period: Period, every=False) -> list[Economy]:
    portfolios = list(portfolios)
    settled = _settled([p.pk for p in portfolios], period)
    live = compute_portfolios(
        [p for p in portfolios if p.pk not in settled], period, every=every and not settled
    )
    result = []
    for p in portfolios:
        if p.pk in settled:
            result.append(Economy.from_dict(settled[p.pk]["portfolio"], period))
        else:
            result.append(live[p.pk])
    return result


def portfolio_economy(portfolio, period) -> Economy:
    return _portfolios_economy([portfolio], as_period(period))[0]


def all_portfolios_economy(period) -> list[Economy]:
    return _portfolios_economy(Portfolio.objects.order_by("name"), as_period(period), every=True)


def municipality_portfolios(municipality, period: Period, user=None):
    """The portfolios the municipality belonged to at the period's end (and `user` may see)."""
    portfolios = Portfolio.objects.filter(
        constellation__in=constellations_on(municipality.pk, period.end)
    )
    if user is not None:
        portfolios = portfolios.filter(pk__in=visible_portfolios(user).values("pk"))
    return portfolios.order_by("name").distinct()


def municipality_economy(municipality, period, user=None) -> list[Economy]:
    """One Economy per portfolio the municipality belonged to at the period's end (and
    `user` may see); the municipality's own figures are `economy.row_for(code)`."""
    period = as_period(period)
    return _portfolios_economy(municipality_portfolios(municipality, period, user), period)


def program_economy(program, period) -> Economy:
    period = as_period(period)
    settled = _settled([program.portfolio_id], period)
    if settled:
        stored = settled[program.portfolio_id].get("programs", {}).get(str(program.pk))
        if stored is None:
            return _empty(period, "program", program.pk, program.name, program.portfolio_id)
        return Economy.from_dict(stored, period)
    raw = economy_data.fetch({"program_id": program.pk}, [program.portfolio_id], period, "program")
    return compute(raw, {program.pk: program.name})[program.pk]


def initiative_economy(initiative, period) -> Economy:
    period = as_period(period)
    settled = _settled([initiative.portfolio_id], period)
    name = str(initiative)
    if settled:
        stored = settled[initiative.portfolio_id].get("initiatives", {}).get(str(initiative.pk))
        if stored is None:
            return _empty(period, "initiative", initiative.pk, name, initiative.portfolio_id)
        return Economy.from_dict(stored, period)
    raw = economy_data.fetch({"pk": initiative.pk}, [initiative.portfolio_id], period, "initiative")
    return compute(raw, {initiative.pk: name})[initiative.pk]


def settlement_snapshot(portfolio, period: Period) -> dict:
    """What settling stores: the portfolio, each program and each initiative, live."""
    portfolio_part = compute_portfolios([portfolio], period)[portfolio.pk]
    programs = {p.pk: p.name for p in portfolio.programs.all()}
    raw = economy_data.fetch({"portfolio_id": portfolio.pk}, [portfolio.pk], period, "program")
    by_program = compute(raw, programs)
    initiatives = {i.pk: str(i) for i in portfolio.initiatives.all()}
    raw = economy_data.fetch({"portfolio_id": portfolio.pk}, [portfolio.pk], period, "initiative")
    by_initiative = compute(raw, initiatives)
    return {
        "portfolio": portfolio_part.as_dict(),
        "programs": {str(k): e.as_dict() for k, e in by_program.items() if e.rows},
        "initiatives": {str(k): e.as_dict() for k, e in by_initiative.items() if e.rows},
    }


def period_choices(today=None) -> list[Period]:
    """The half-years offered in period pickers: this one and the six before it."""
    from django.utils import timezone

    current = half_year_of(today or timezone.localdate())
    result = [current]
    for _i in range(6):
        result.append(result[-1].previous_half_year())
    return result


def describe_period(period: Period) -> str:
    if period.label.endswith(("H1", "H2")):
        half = _("första halvåret") if period.label.endswith("H1") else _("andra halvåret")
        return f"{half} {period.start.year}"
    return period.label
