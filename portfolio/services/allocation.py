"""The allocation key (fördelningsnyckel) and settling a period (avräkning)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..models import Portfolio, SettledPeriod
from ..periods import Period
from ..selectors.keys import portfolio_key_in_force
from .errors import DomainError, NotAllowedError


class AlreadySettledError(DomainError):
    status_code = 409
    rule = "already_settled"


def period_settle(*, actor, portfolio: Portfolio, period: Period, today=None) -> SettledPeriod:
    """Freeze the allocation of `period` for the portfolio (samordnare or kommundirektör).

    The stored result (portfolio, each program and each initiative) is what every view
    shows for the period afterwards.
    """
    from ..selectors.economy import settlement_snapshot
    from ..selectors.portfolio_cache import portfolio_changed

    if not policies.can_settle(actor, portfolio):
        raise NotAllowedError(_("Bara samordnare och kommundirektörer kan avräkna en period."))
    today = today or timezone.localdate()
    if period.end >= today:
        raise DomainError(
            _("Perioden har inte tagit slut ännu; den kan avräknas från %(day)s.")
            % {"day": (period.end + dt.timedelta(days=1)).isoformat()},
            rule="period_open",
        )
    key = portfolio_key_in_force(portfolio, period.end)
    # Settling records the key in force at the end; a key chosen later cannot be it.
    if key is None or key.valid_from > period.end:
        raise DomainError(
            _("Portföljen har ingen fördelningsnyckel för perioden."), rule="no_allocation_key"
        )
    try:
        with transaction.atomic():
            # Lock the portfolio: two people settling at once get one settlement.
            Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()
            overlapping = SettledPeriod.objects.filter(
                portfolio=portfolio, starts_on__lte=period.end, ends_on__gte=period.start
            ).first()
            if overlapping:
                raise AlreadySettledError(
                    _("Perioden %(start)s – %(end)s är redan avräknad.")
                    % {
                        "start": overlapping.starts_on.isoformat(),
                        "end": overlapping.ends_on.isoformat(),
                    }
                )
            portfolio_changed(portfolio.pk)
            return SettledPeriod.objects.create(
                portfolio=portfolio,
                starts_on=period.start,
                ends_on=period.end,
                key=key,
                result=settlement_snapshot(portfolio, period),
                settled_by=actor,
            )
    except IntegrityError as exc:
        raise AlreadySettledError(_("Perioden är redan avräknad.")) from exc


def validate_period_text(text: str) -> Period:
    from ..periods import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc
