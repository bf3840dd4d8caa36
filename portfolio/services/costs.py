"""Cost and time entries: entered by the participating municipalities, kept with history.

An actual cost names the municipality that paid it and is entered by that municipality
(or the program on its behalf); an estimate names none and is a figure the whole
initiative shares, changed only by the program (`policies.can_write_cost`). No entry
can be added, corrected or removed inside a settled period: its result is frozen.

Corrections and removals lock the row and check the version the editor saw
(`versions.lock_at_version`); a correction bumps it, so history rows chain exactly.
"""

import copy
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import policies
from ..choices import CostKind, CostNature
from ..models import CostEntry, SettledPeriod, TimeEntry
from ..selectors.decision_basis import estimate_entries_behind_decisions
from .errors import DomainError, NotAllowedError, StaleVersionError
from .history import diff, history_record, snapshot
from .versions import lock_at_version

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


def _may_write_cost(actor, initiative, nature, paid_by) -> None:
    if policies.can_write_cost(actor, initiative, nature, paid_by.pk if paid_by else None):
        return
    if nature == CostNature.ESTIMATE:
        raise NotAllowedError(
            _(
                "Estimaten delas av alla deltagare; bara programledaren för initiativets "
                "program och samordnaren kan registrera, ändra eller ta bort dem."
            )
        )
    raise NotAllowedError(_("Du kan inte registrera kostnader för den kommunen i initiativet."))


def _may_enter_past(actor, initiative) -> None:
    if not policies.can_move_in(actor, initiative.portfolio):
        raise NotAllowedError(
            _("Bara portföljkontoret (samordnare) kan importera en portföljs historik.")
        )


def _locked(entry, version):
    """The stored entry under a row lock, with the caller's loaded initiative."""
    if isinstance(entry, CostEntry) and not entry.is_current:
        raise StaleVersionError(
            _(
                "Posten har rättats genom en ny post eftersom ett beslut vilar på den. "
                "Ladda om sidan och utgå från rättelsen."
            )
        )
    current = lock_at_version(type(entry), entry.pk, version)
    current.initiative = entry.initiative
    return current


def _reject_unknown(values, fields) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError({name: [_("Fältet kan inte ändras.")] for name in unknown})


def _save_recorded(entry, *, entity, action, actor, changes):
    """Save a cost or time entry, write its history row (which keeps the portfolio figures)."""
    if action == "corrected":
        entry.version += 1
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
    past: bool = False,
) -> CostEntry:
    """`past`: a cost from before the portfolio moved in, entered by the portfolio
    office (`policies.can_move_in`), also for a municipality that has since left."""
    if past:
        _may_enter_past(actor, initiative)
    else:
        _may_write_cost(actor, initiative, nature, paid_by)
    _validate_cost(kind=kind, nature=nature, period=period, amount=amount, paid_by=paid_by)
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


def cost_entry_changes(entry: CostEntry, **values) -> dict:
    """What a correction with `values` would change, {field: [old, new]}, saving nothing:
    the page shows it for confirmation before the correction is made."""
    _reject_unknown(values, COST_FIELDS)
    before = snapshot(entry, COST_FIELDS)
    probe = copy.copy(entry)
    for name, value in values.items():
        setattr(probe, name, (value or "").strip() if name == "description" else value)
    return diff(probe, COST_FIELDS, before)


@transaction.atomic
def cost_entry_correct(
    *, actor, entry: CostEntry, version: int | None = None, **values
) -> CostEntry:
    """Correct an entry; `values` are any of kind, nature, period, amount, paid_by,
    description; `version` is the one the editor saw. The history row keeps what it was."""
    _reject_unknown(values, COST_FIELDS)
    entry = _locked(entry, version)
    initiative = entry.initiative
    _may_write_cost(actor, initiative, entry.nature, entry.paid_by)
    before = snapshot(entry, COST_FIELDS)
    for name, value in values.items():
        setattr(entry, name, value)
    if "description" in values:
        entry.description = (entry.description or "").strip()
    _may_write_cost(actor, initiative, entry.nature, entry.paid_by)
    _validate_cost(
        kind=entry.kind,
        nature=entry.nature,
        period=entry.period,
        amount=entry.amount,
        paid_by=entry.paid_by,
    )
    ensure_not_settled(initiative, before["period"])
    ensure_not_settled(initiative, entry.period)
    changes = diff(entry, COST_FIELDS, before)
    if not changes:
        return entry
    if entry.pk in estimate_entries_behind_decisions([initiative.pk]):
        return _correct_by_new_entry(actor, entry, changes)
    return _save_recorded(
        entry, entity="cost_entry", action="corrected", actor=actor, changes=changes
    )


def _correct_by_new_entry(actor, entry: CostEntry, changes: dict) -> CostEntry:
    """A decision rests on `entry`: it stays as it was, for the record, and stops
    counting; a new entry that names it carries the corrected values."""
    correction = CostEntry(
        initiative=entry.initiative,
        **{name: getattr(entry, name) for name in COST_FIELDS},
        created_by=actor,
        corrects_id=entry.pk,
    )
    correction.full_clean()
    correction.save()
    CostEntry.all_entries.filter(pk=entry.pk).update(is_current=False, version=entry.version + 1)
    history_record(
        initiative=entry.initiative,
        entity="cost_entry",
        entity_id=correction.pk,
        action="corrected",
        actor=actor,
        changes=changes,
    )
    return correction


@transaction.atomic
def cost_entry_delete(*, actor, entry: CostEntry, version: int | None = None) -> None:
    entry = _locked(entry, version)
    initiative = entry.initiative
    _may_write_cost(actor, initiative, entry.nature, entry.paid_by)
    ensure_not_settled(initiative, entry.period)
    if entry.corrects_id is not None:
        raise DomainError(
            _(
                "Posten rättar ett estimat som ett beslut vilar på och kan inte tas bort. "
                "Rätta den igen i stället."
            ),
            rule="correction_kept",
        )
    if entry.pk in estimate_entries_behind_decisions([initiative.pk]):
        raise DomainError(
            _(
                "Estimatet ingår i underlaget för ett beslut och kan inte tas bort. Rätta "
                "beloppet i stället; beslutet behåller det underlag det fattades på."
            ),
            rule="estimate_behind_decision",
        )
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
    past: bool = False,
) -> TimeEntry:
    """`past`: as for cost_entry_create."""
    if past:
        _may_enter_past(actor, initiative)
        if municipality is None:
            raise ValidationError({"municipality": [_("Ange vilken kommun som gjorde insatsen.")]})
    else:
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
def time_entry_correct(
    *, actor, entry: TimeEntry, version: int | None = None, **values
) -> TimeEntry:
    _reject_unknown(values, TIME_FIELDS)
    entry = _locked(entry, version)
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
def time_entry_delete(*, actor, entry: TimeEntry, version: int | None = None) -> None:
    entry = _locked(entry, version)
    initiative = entry.initiative
    _may_report_time(actor, initiative, entry.municipality)
    ensure_not_settled(initiative, entry.period)
    _delete_recorded(entry, entity="time_entry", fields=TIME_FIELDS, actor=actor)
