"""The allocation key (fördelningsnyckel) and settling a period (avräkning)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import policies
from ..choices import DecisionBody, Matter
from ..models import Portfolio, SettledPeriod
from ..periods import Period
from ..selectors.keys import portfolio_key_in_force
from .errors import DomainError, NotAllowedError

# Shared with the API's input, which states the same fields as required in the schema.
DECIDED_ON_MISSING = _lazy("Ange datumet för styrgruppens beslut.")
REFERENCE_MISSING = _lazy("Ange protokollets paragraf för beslutet, till exempel § 12.")


class AlreadySettledError(DomainError):
    status_code = 409
    rule = "already_settled"


def period_settle(
    *,
    actor,
    portfolio: Portfolio,
    period: Period,
    decided_on: dt.date | None,
    meeting_reference: str,
    today=None,
) -> SettledPeriod:
    """Freeze the allocation of `period` for the portfolio, as the board decided.

    The portfolio office records the board's decision (date and § of its minutes). The
    stored result (portfolio, each program and each initiative) is what every view shows
    for the period afterwards.
    """
    from ..selectors.economy import settlement_snapshot
    from ..selectors.portfolio_cache import portfolio_changed

    if not policies.can_settle(actor, portfolio):
        raise NotAllowedError(policies.SETTLE_REFUSED)
    deciding = policies.deciding_body(actor, portfolio, None, Matter.SETTLEMENT)
    today = today or timezone.localdate()
    if period.end >= today:
        raise DomainError(
            _("Perioden har inte tagit slut ännu; den kan avräknas från %(day)s.")
            % {"day": (period.end + dt.timedelta(days=1)).isoformat()},
            rule="period_open",
        )
    _validate_settlement_decision(period, decided_on, meeting_reference.strip(), today)
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
                body=deciding.kind if deciding else DecisionBody.BOARD,
                deciding_body=deciding,
                decided_on=decided_on,
                meeting_reference=meeting_reference.strip(),
            )
    except IntegrityError as exc:
        raise AlreadySettledError(_("Perioden är redan avräknad.")) from exc


def _validate_settlement_decision(period: Period, decided_on, reference: str, today) -> None:
    errors = {}
    if decided_on is None:
        errors["decided_on"] = [DECIDED_ON_MISSING]
    elif decided_on <= period.end:
        errors["decided_on"] = [
            _("Beslutet om avräkning kan tidigast tas dagen efter periodens slut, %(day)s.")
            % {"day": (period.end + dt.timedelta(days=1)).isoformat()}
        ]
    elif decided_on > today:
        errors["decided_on"] = [_("Beslutsdatumet kan inte ligga i framtiden.")]
    if not reference:
        errors["meeting_reference"] = [REFERENCE_MISSING]
    elif len(reference) > 60:
        errors["meeting_reference"] = [_("Protokollets paragraf får vara högst 60 tecken.")]
    if errors:
        raise ValidationError(errors)


def validate_period_text(text: str) -> Period:
    from ..periods import parse_period

    try:
        return parse_period(text)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc
