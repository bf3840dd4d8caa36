"""New dated versions of the allocation key (fördelningsnyckel).

A version is a record: it is never edited, and a new version may not start inside or
before a period that is already settled, since it would then apply to that period and
rewrite what the municipalities have settled. Settled periods keep their key and their
frozen result (SettledPeriod).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from municipalities.models import Population

from ..choices import AllocationMethod
from ..models import AllocationKey, Portfolio, SettledPeriod
from ..selectors.portfolio_cache import portfolio_changed
from .settings_common import require_settings_manager, settings_record

ENTITY = "allocation_key"
FIELDS = (
    "valid_from",
    "method",
    "population_weight",
    "equal_weight",
    "population_year",
    "hourly_rate",
    "yearly_fee_per_party",
    "decision_reference",
)


def _whole(value, name, errors, message, low=0, high=None):
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = [message]
        return None
    if value < low or (high is not None and value > high):
        errors[name] = [message]
        return None
    return value


def _missing_population(portfolio: Portfolio, year: int) -> list[str]:
    members = list(portfolio.constellation.members.order_by("name").values_list("pk", "name"))
    have = set(
        Population.objects.filter(
            year=year, municipality__in=[pk for pk, _name in members]
        ).values_list("municipality_id", flat=True)
    )
    return [name for pk, name in members if pk not in have]


def settled_until(portfolio: Portfolio) -> dt.date | None:
    return SettledPeriod.objects.filter(portfolio=portfolio).aggregate(end=Max("ends_on"))["end"]


def _validate(portfolio, data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    method = data.get("method")
    if method not in AllocationMethod.values:
        errors["method"] = [_("Välj metod: folkmängd och lika del, eller fast avgift per part.")]
    if not isinstance(data.get("valid_from"), dt.date):
        errors["valid_from"] = [_("Ange datumet som ÅÅÅÅ-MM-DD.")]
    weight_message = _("Ange vikten i hela procent, 0–100.")
    w_pop = _whole(
        data.get("population_weight"), "population_weight", errors, weight_message, 0, 100
    )
    w_eq = _whole(data.get("equal_weight"), "equal_weight", errors, weight_message, 0, 100)
    if w_pop is not None and w_eq is not None and w_pop + w_eq != 100:
        message = _(
            "Andelen efter folkmängd och lika andel ska tillsammans bli 100 %% (nu %(sum)d %%)."
        ) % {"sum": w_pop + w_eq}
        errors["population_weight"] = [message]
        errors["equal_weight"] = [message]
    year = _whole(
        data.get("population_year"),
        "population_year",
        errors,
        _("Ange året som fyra siffror, t.ex. 2025."),
        1900,
        2100,
    )
    _whole(
        data.get("hourly_rate"),
        "hourly_rate",
        errors,
        _("Ange timvärdet i hela kronor (0 eller mer)."),
        0,
        10_000_000,
    )
    fee = data.get("yearly_fee_per_party")
    if method == AllocationMethod.FIXED_FEE:
        if fee is None:
            errors["yearly_fee_per_party"] = [
                _("Metoden fast avgift kräver en årlig avgift per part (hela kronor).")
            ]
        else:
            _whole(
                fee,
                "yearly_fee_per_party",
                errors,
                _("Ange den årliga avgiften per part i hela kronor, större än noll."),
                1,
                10_000_000_000,
            )
    elif fee is not None:
        errors["yearly_fee_per_party"] = [
            _("En årlig avgift per part anges bara för metoden fast avgift.")
        ]
    if method == AllocationMethod.POPULATION_AND_EQUAL and year is not None:
        missing = _missing_population(portfolio, year)
        if missing:
            errors["population_year"] = [
                _("Folkmängd för år %(year)s saknas för %(names)s.")
                % {"year": year, "names": ", ".join(missing)}
            ]
    reference = (data.get("decision_reference") or "").strip()
    if len(reference) > 80:
        errors["decision_reference"] = [_("Beslutet får anges med högst 80 tecken.")]
    if errors:
        raise ValidationError(errors)
    return {**data, "decision_reference": reference}


def _refuse_settled(portfolio: Portfolio, valid_from: dt.date) -> None:
    last = (
        SettledPeriod.objects.filter(portfolio=portfolio, ends_on__gte=valid_from)
        .order_by("-ends_on")
        .first()
    )
    if last is None:
        return
    raise ValidationError(
        {
            "valid_from": [
                _(
                    "Perioden %(start)s – %(end)s är redan avräknad. En nyckel från "
                    "%(day)s skulle skriva om den; den nya nyckeln kan gälla tidigast från "
                    "%(first)s."
                )
                % {
                    "start": last.starts_on.isoformat(),
                    "end": last.ends_on.isoformat(),
                    "day": valid_from.isoformat(),
                    "first": (last.ends_on + dt.timedelta(days=1)).isoformat(),
                }
            ]
        }
    )


def allocation_key_add(
    *,
    actor,
    portfolio: Portfolio,
    valid_from: dt.date,
    method: str = AllocationMethod.POPULATION_AND_EQUAL,
    population_weight: int = 80,
    equal_weight: int = 20,
    population_year: int = 2025,
    hourly_rate: int = 700,
    yearly_fee_per_party: int | None = None,
    decision_reference: str = "",
) -> AllocationKey:
    """A new version of the key, applying to costs dated from `valid_from`."""
    require_settings_manager(actor, portfolio)
    data = _validate(
        portfolio,
        {
            "valid_from": valid_from,
            "method": method,
            "population_weight": population_weight,
            "equal_weight": equal_weight,
            "population_year": population_year,
            "hourly_rate": hourly_rate,
            "yearly_fee_per_party": yearly_fee_per_party,
            "decision_reference": decision_reference,
        },
    )
    try:
        with transaction.atomic():
            # The same lock period_settle takes: a key and a settlement never cross.
            Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()
            _refuse_settled(portfolio, valid_from)
            if AllocationKey.objects.filter(portfolio=portfolio, valid_from=valid_from).exists():
                raise ValidationError(
                    {
                        "valid_from": [
                            _("Portföljen har redan en fördelningsnyckel från %(day)s.")
                            % {"day": valid_from.isoformat()}
                        ]
                    }
                )
            key = AllocationKey(portfolio=portfolio, created_by=actor, **data)
            key.full_clean()
            key.save()
            portfolio_changed(portfolio.pk)
            settings_record(
                portfolio=portfolio,
                actor=actor,
                entity=ENTITY,
                entity_id=key.pk,
                action="created",
                label=_("Fördelningsnyckel från %(day)s") % {"day": valid_from.isoformat()},
                changes={name: getattr(key, name) for name in FIELDS},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"valid_from": [_("Portföljen har redan en fördelningsnyckel från det datumet.")]}
        ) from exc
    return key
