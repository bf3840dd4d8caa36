"""A collaboration's past, entered from its portfolio workbook (excel/book_*.py).

Past decisions are recorded as imported decisions: the gate order and the outcomes are
those of `workflow.next_stage`, so a stage still changes only by a decision, but the
gate criteria of today are not checked against decisions taken before the product
was used. Each function checks the portfolio office's policy, writes in the caller's
transaction and records history naming the importing person. Nothing here notifies:
the past is not news.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..models import GateDecision, Initiative, Participation, StatusUpdate
from .errors import DomainError, NotAllowedError
from .history import history_record
from .initiatives import initiative_create
from .status import latest_status_refresh
from .workflow import (
    base_stage,
    decision_write,
    next_stage,
    refuse_date_out_of_order,
    with_stage,
)

PARTICIPATION_FIELDS = (
    "status",
    "joined_on",
    "left_on",
    "leave_reason",
    "implemented_on",
    "implementation_opted_out",
    "is_late_implementer",
)


def _refuse(actor, portfolio) -> None:
    if not policies.can_move_in(actor, portfolio):
        raise NotAllowedError(
            _("Bara portföljkontoret (samordnare) kan importera en portföljs historik.")
        )


def submitted_at(day: dt.date) -> dt.datetime:
    """A submission known by its date only: noon, so no time zone moves it a day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def initiative_move_in(
    *,
    actor,
    portfolio,
    title: str,
    imported_reference: str,
    submitted_on: dt.date | None,
    **fields,
) -> Initiative:
    """A past initiative: numbered here, keeping its number from before and its date."""
    _refuse(actor, portfolio)
    if submitted_on and submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": [_("Datumet kan inte ligga i framtiden.")]})
    with transaction.atomic():
        initiative = initiative_create(
            actor=actor, portfolio=portfolio, title=title, notify=False, **fields
        )
        values = {"imported_reference": imported_reference}
        if submitted_on:
            values["submitted_at"] = submitted_at(submitted_on)
        Initiative.objects.filter(pk=initiative.pk).update(**values)
        for name, value in values.items():
            setattr(initiative, name, value)
    return initiative


def decision_import(
    *,
    actor,
    initiative: Initiative,
    kind: str,
    outcome: str,
    decided_on: dt.date,
    body: str,
    deciding_body=None,
    meeting_reference: str = "",
    motivation: str = "",
    target_stage: str | None = None,
    is_correction: bool = False,
) -> GateDecision:
    """Record a decision taken before the move, after the ones already recorded. A
    correction corrects the latest uncorrected decision of its kind, by the rules of
    `decision_record` (the initiative must still stand where that decision left it)."""
    _refuse(actor, initiative.portfolio)
    if decided_on is None:
        raise ValidationError({"decided_on": [_("Ange beslutsdatum.")]})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("Beslutsdatumet kan inte ligga i framtiden.")]})
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        corrects = None
        if is_correction:
            corrects = corrected_decision(locked, kind)
            start = base_stage(locked, kind, corrects)
        else:
            start = locked.stage
        after = next_stage(start, kind, outcome, target_stage)
        refuse_date_out_of_order(locked, decided_on, corrects)
        decision = decision_write(
            locked,
            actor=actor,
            action="imported",
            kind=kind,
            outcome=outcome,
            stage_after=after,
            decided_on=decided_on,
            body=body,
            deciding_body=deciding_body,
            meeting_reference=meeting_reference,
            motivation=motivation,
            imported=True,
            corrects=corrects,
        )
    with_stage(initiative, after, locked.version + 1)
    return decision


def corrected_decision(initiative: Initiative, kind: str) -> GateDecision:
    """The decision a correction of `kind` corrects: the latest not yet corrected."""
    decision = (
        initiative.decisions.filter(kind=kind, corrections__isnull=True)
        .order_by("-decided_on", "-id")
        .first()
    )
    if decision is None:
        raise DomainError(
            _("Det finns inget beslut av det slaget att rätta."), rule="nothing_to_correct"
        )
    return decision


def participation_move_in(
    *, actor, initiative: Initiative, municipality, **values
) -> Participation:
    """A municipality's participation as the workbook states it, created or brought in
    line; the model's rules (a leaver has a date and a reason, no leaving before
    joining) are checked before anything is written."""
    _refuse(actor, initiative.portfolio)
    if not initiative.portfolio.constellation.members.filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": [_("Kommunen ingår inte i portföljens samverkanskonstellation.")]}
        )
    with transaction.atomic():
        participation = Participation.objects.filter(
            initiative=initiative, municipality=municipality
        ).first()
        created = participation is None
        if created:
            participation = Participation(initiative=initiative, municipality=municipality)
        changes = {
            name: [getattr(participation, name), value]
            for name, value in values.items()
            if getattr(participation, name) != value
        }
        if not created and not changes:
            return participation
        for name, value in values.items():
            setattr(participation, name, value)
        participation.full_clean()
        if created:
            participation.save()
        else:
            Participation.objects.filter(pk=participation.pk).update(
                version=F("version") + 1, **values
            )
            participation.version += 1
        history_record(
            initiative=initiative,
            entity="participation",
            entity_id=participation.pk,
            action="imported",
            actor=actor,
            changes={"municipality": municipality.name, **changes},
        )
    return participation


def status_move_in(*, actor, initiative: Initiative, **values) -> StatusUpdate:
    """A past status report, reported by the importing person on the stated date."""
    _refuse(actor, initiative.portfolio)
    if values["reported_on"] > timezone.localdate():
        raise ValidationError({"reported_on": [_("Datumet kan inte ligga i framtiden.")]})
    update = StatusUpdate(initiative=initiative, author=actor, **values)
    update.full_clean()
    with transaction.atomic():
        update.save()
        history_record(
            initiative=initiative,
            entity="status",
            entity_id=update.pk,
            action="imported",
            actor=actor,
            changes={"reported_on": update.reported_on},
        )
        latest_status_refresh([initiative.pk])
    return update
