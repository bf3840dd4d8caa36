"""Starting a portfolio: the samordnare of a member municipality, for its constellation.

A new portfolio starts with the default gate checklist and the default set-up of bodies
(none of its own until the samordnare names them); its allocation key and programs are
set on the settings pages.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import policies
from ..gate_defaults import create_default_criteria
from ..models import Portfolio
from .errors import NotAllowedError
from .settings_common import settings_record

PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


def portfolio_create(
    *,
    actor,
    constellation,
    name: str,
    reference_prefix: str,
    sender: str = "",
    description: str = "",
) -> Portfolio:
    if not policies.can_create_portfolio(actor, None):
        raise NotAllowedError(_("Bara portföljkontoret (samordnare) kan starta en portfölj."))
    errors: dict[str, list] = {}
    if constellation is None or not policies.can_create_portfolio(actor, constellation):
        errors["constellation"] = [_("Välj en konstellation som din kommun ingår i.")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Ge portföljen ett namn.")]
    elif len(name) > 160:
        errors["name"] = [_("Namnet får vara högst 160 tecken.")]
    prefix = (reference_prefix or "").strip().upper()
    if not PREFIX.match(prefix):
        errors["reference_prefix"] = [
            _(
                "Prefixet är 2–10 tecken, A–Z och siffror, och börjar med en bokstav "
                "(till exempel DAL)."
            )
        ]
    elif Portfolio.objects.filter(reference_prefix=prefix).exists():
        errors["reference_prefix"] = [_("Prefixet används redan av en annan portfölj.")]
    if len(sender or "") > 160:
        errors["sender"] = [_("Avsändaren får vara högst 160 tecken.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            portfolio = Portfolio.objects.create(
                name=name,
                constellation=constellation,
                reference_prefix=prefix,
                sender=(sender or "").strip(),
                description=(description or "").strip(),
            )
            create_default_criteria(portfolio)
            settings_record(
                portfolio=portfolio,
                actor=actor,
                entity="portfolio",
                entity_id=portfolio.pk,
                action="created",
                label=portfolio.name,
                changes={
                    "name": [None, portfolio.name],
                    "constellation": [None, constellation.name],
                    "reference_prefix": [None, prefix],
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"reference_prefix": [_("Prefixet används redan av en annan portfölj.")]}
        ) from exc
    return portfolio
