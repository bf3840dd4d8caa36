"""Cost and time entries: entered by the participating municipalities, kept with history.

An actual cost names the municipality that paid it; an estimate names none. Entries that
count in an allocation (actual costs, hours) cannot be added, corrected or removed inside
a settled period: its result is frozen.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import policies
from ..choices import CostKind, CostNature
from ..models import CostEntry, SettledPeriod, TimeEntry
from ..selectors.portfolio_cache import portfolio_changed
from .errors import DomainError, NotAllowedError
from .history import diff, history_record, snapshot

COST_FIELDS = ("kind", "nature", "period", "amount", "paid_by", "description")
TIME_FIELDS = ("municipality", "period", "hours", "role", "description")


class PeriodSettledError(DomainError):
    status_code = 409
    rule = "period_settled"


def ensure_not_settled(initiative, day: dt.date) -> None:
    settled = SettledPeriod.objects.filter(
        portfolio_id=initiative.portfolio_id, starts_on__lte=day, ends_on__gte=day
    ).first()
    if settled:
        raise PeriodSettledError(
            _(
                "Perioden %(start)s – %(end)s är avräknad och låst. Registrera ändringen i en "
                "öppen period."
            )
            % {"start": settled.starts_on.isoformat(), "end": settled.ends_on.isoformat()},
            fields={"period": [_("Perioden är avräknad och låst.")]},
        )


def _validate_cost(*, kind, nature, period, amount, paid_by) -> None:
    errors = {}
    if kind not in CostKind.values:
        errors["kind"] = [_("Välj förstudie och utveckling eller drift och förvaltning.")]
    if nature not in CostNature.values:
        errors["nature"] = [_("Välj estimat eller utfall.")]
    if not isinstance(period, dt.date):
        errors["period"] = [_("Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.")]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = [_("Ange beloppet i hela kronor, större än noll.")]
    if nature == CostNature.ACTUAL and paid_by is None:
        errors["paid_by"] = [_("Ange vilken kommun som betalade kostnaden.")]
    if nature == CostNature.ESTIMATE and paid_by is not None:
        errors["paid_by"] = [_("Ett estimat har ingen betalande kommun; lämna fältet tomt.")]
    if errors:
        raise ValidationError(errors)


def _may_report_cost(actor, initiative, paid_by) -> None:
    if not policies.can_report_for(actor, initiative, paid_by.pk if paid_by else None):
        raise NotAllowedError(_("Du kan inte registrera kostnader för den kommunen i initiativet."))


def _counts(nature) -> bool:
    return nature == CostNature.ACTUAL


def _reject_unknown(values, fields) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError({name: [_("Fältet kan inte ändras.")] for name in unknown})


def _save_recorded(entry, *, entity, action, actor, changes):
    """Save a cost or time entry, write its history row and mark the economy stale."""
    entry.full_clean()
    entry.save()
    history_record(
        initiative=entry.initiative,
        entity=entity,
        entity_id=entry.pk,
        action=action,
        actor=actor,
        changes=changes,
    )
    portfolio_changed(entry.initiative.portfolio_id)
    return entry


def _delete_recorded(entry, *, entity, fields, actor) -> None:
    initiative, pk = entry.initiative, entry.pk
    was = snapshot(entry, fields)
    entry.delete()
    history_record(
        initiative=initiative,
        entity=entity,
        entity_id=pk,
        action="deleted",
        actor=actor,
        changes={name: [value, None] for name, value in was.items()},
    )
    portfolio_changed(initiative.portfolio_id)


@transaction.atomic
def cost_entry_create(
    *,
    actor,
    initiative,
    kind: str,
    nature: str,
    period: dt.date,
    amount: int,
    paid_by=None,
    description: str = "",
) -> CostEntry:
    _may_report_cost(actor, initiative, paid_by)
    _validate_cost(kind=kind, nature=nature, period=period, amount=amount, paid_by=paid_by)
    if _counts(nature):
        ensure_not_settled(initiative, period)
    entry = CostEntry(
        initiative=initiative,
        kind=kind,
        nature=nature,
        period=period,
        amount=amount,
        paid_by=paid_by,
        description=(description or "").strip(),
        created_by=actor,
    )
    return _save_recorded(
        entry,
        entity="cost_entry",
        action="created",
        actor=actor,
        changes={name: [None, getattr(entry, name)] for name in COST_FIELDS},
    )


@transaction.atomic
def cost_entry_correct(*, actor, entry: CostEntry, **values) -> CostEntry:
    """Correct an entry; `values` are any of kind, nature, period, amount, paid_by,
    description. The history row keeps what it was."""
    _reject_unknown(values, COST_FIELDS)
    initiative = entry.initiative
    _may_report_cost(actor, initiative, entry.paid_by)
    before = snapshot(entry, COST_FIELDS)
    for name, value in values.items():
        setattr(entry, name, value)
    if "description" in values:
        entry.description = (entry.description or "").strip()
    _may_report_cost(actor, initiative, entry.paid_by)
    _validate_cost(
        kind=entry.kind,
        nature=entry.nature,
        period=entry.period,
        amount=entry.amount,
        paid_by=entry.paid_by,
    )
    if _counts(before["nature"]):
        ensure_not_settled(initiative, before["period"])
    if _counts(entry.nature):
        ensure_not_settled(initiative, entry.period)
    changes = diff(entry, COST_FIELDS, before)
    if not changes:
        return entry
    return _save_recorded(
        entry, entity="cost_entry", action="corrected", actor=actor, changes=changes
    )


@transaction.atomic
def cost_entry_delete(*, actor, entry: CostEntry) -> None:
    initiative = entry.initiative
    _may_report_cost(actor, initiative, entry.paid_by)
    if _counts(entry.nature):
        ensure_not_settled(initiative, entry.period)
    _delete_recorded(entry, entity="cost_entry", fields=COST_FIELDS, actor=actor)


def _hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not hours.is_finite() or hours <= 0 or hours >= Decimal("1000000"):
        return None
    if hours != hours.quantize(Decimal("0.01")):
        return None
    return hours.quantize(Decimal("0.01"))


def _validate_time(*, period, hours) -> Decimal:
    errors = {}
    if not isinstance(period, dt.date):
        errors["period"] = [_("Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.")]
    parsed = _hours(hours)
    if parsed is None:
        errors["hours"] = [_("Ange antalet timmar, större än noll och med högst två decimaler.")]
    if errors:
        raise ValidationError(errors)
    return parsed


def _may_report_time(actor, initiative, municipality) -> None:
    if municipality is None:
        raise ValidationError({"municipality": [_("Ange vilken kommun som gjorde insatsen.")]})
    if not policies.can_report_for(actor, initiative, municipality.pk):
        raise NotAllowedError(
            _("Du kan inte registrera tid för %(name)s i initiativet.") % {"name": municipality}
        )


@transaction.atomic
def time_entry_create(
    *,
    actor,
    initiative,
    municipality,
    period: dt.date,
    hours,
    role: str = "",
    description: str = "",
) -> TimeEntry:
    _may_report_time(actor, initiative, municipality)
    parsed = _validate_time(period=period, hours=hours)
    ensure_not_settled(initiative, period)
    entry = TimeEntry(
        initiative=initiative,
        municipality=municipality,
        period=period,
        hours=parsed,
        role=(role or "").strip(),
        description=(description or "").strip(),
        created_by=actor,
    )
    return _save_recorded(
        entry,
        entity="time_entry",
        action="created",
        actor=actor,
        changes={name: [None, getattr(entry, name)] for name in TIME_FIELDS},
    )


@transaction.atomic
def time_entry_correct(*, actor, entry: TimeEntry, **values) -> TimeEntry:
    _reject_unknown(values, TIME_FIELDS)
    initiative = entry.initiative
    _may_report_time(actor, initiative, entry.municipality)
    before = snapshot(entry, TIME_FIELDS)
    for name, value in values.items():
        setattr(entry, name, value)
    _may_report_time(actor, initiative, entry.municipality)
    entry.hours = _validate_time(period=entry.period, hours=entry.hours)
    ensure_not_settled(initiative, before["period"])
    ensure_not_settled(initiative, entry.period)
    changes = diff(entry, TIME_FIELDS, before)
    if not changes:
        return entry
    return _save_recorded(
        entry, entity="time_entry", action="corrected", actor=actor, changes=changes
    )


@transaction.atomic
def time_entry_delete(*, actor, entry: TimeEntry) -> None:
    initiative = entry.initiative
    _may_report_time(actor, initiative, entry.municipality)
    ensure_not_settled(initiative, entry.period)
    _delete_recorded(entry, entity="time_entry", fields=TIME_FIELDS, actor=actor)
