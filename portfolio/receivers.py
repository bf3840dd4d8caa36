"""Writes past the portfolio services that still change a portfolio's cached figures.

Population figures (admin, Kolada import) and the members of a constellation (the
samordnare's admin) feed the allocation key and the economy; when they change, the
portfolios concerned move on to a new version (`portfolio_cache.portfolio_changed`).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from municipalities.models import Constellation, Population
from municipalities.signals import reference_data_imported

from .models import Portfolio
from .selectors.portfolio_cache import portfolio_changed


def _portfolios_changed(portfolios) -> None:
    for portfolio_id in portfolios.values_list("pk", flat=True):
        portfolio_changed(portfolio_id)


def every_portfolio_changed(**kwargs) -> None:
    _portfolios_changed(Portfolio.objects.all())


def constellation_members_changed(instance, action, pk_set, reverse, **kwargs) -> None:
    # reverse: municipality.constellations changed, pk_set holds constellations.
    if action in ("post_add", "post_remove"):
        constellations = list(pk_set) if reverse else [instance.pk]
    elif action == "pre_clear":  # after the clear a municipality no longer says which
        constellations = (
            list(instance.constellations.values_list("pk", flat=True)) if reverse else [instance.pk]
        )
    else:
        return
    _portfolios_changed(Portfolio.objects.filter(constellation__in=constellations))


def connect() -> None:
    reference_data_imported.connect(every_portfolio_changed, dispatch_uid="portfolio-reference")
    for signal in (post_save, post_delete):
        signal.connect(every_portfolio_changed, sender=Population, dispatch_uid="portfolio-pop")
    m2m_changed.connect(
        constellation_members_changed,
        sender=Constellation.members.through,
        dispatch_uid="portfolio-members",
    )
