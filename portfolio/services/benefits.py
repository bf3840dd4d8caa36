"""Benefits: effect goals with indicator, baseline and target; dated measurements; 3N."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import Stage
from ..models import EffectGoal, Initiative, Measurement
from .errors import DomainError, NotAllowedError
from .history import diff, history_record, snapshot
from .initiatives import versioned_update
from .versions import lock_at_version

GOAL_FIELDS = (
    "name",
    "indicator",
    "unit",
    "baseline",
    "baseline_on",
    "target",
    "owner",
    "portfolio_goal",
)
IMPLEMENTED_STAGES = (Stage.IMPLEMENTATION, Stage.OPERATION)


def _may_edit_goals(actor, initiative) -> None:
    if not policies.can_edit_initiative(actor, initiative):
        raise NotAllowedError(_("Du kan inte ändra initiativets effektmål."))


def _refuse_unknown(fields: dict) -> None:
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise DomainError(
            _("Okända fält."),
            rule="field_not_editable",
            fields={k: [_("Okänt fält.")] for k in sorted(unknown)},
        )


def _check_goal(goal: EffectGoal) -> None:
    goal.full_clean()
    if goal.portfolio_goal_id and goal.portfolio_goal.portfolio_id != goal.initiative.portfolio_id:
        raise ValidationError({"portfolio_goal": [_("Effektmålet hör inte till portföljen.")]})
    if goal.baseline_on and goal.baseline_on > timezone.localdate():
        raise ValidationError({"baseline_on": [_("Nollvärdets datum kan inte ligga i framtiden.")]})
    first = (
        goal.measurements.order_by("measured_on").values_list("measured_on", flat=True).first()
        if goal.pk and goal.baseline_on
        else None
    )
    if first is not None and first < goal.baseline_on:
        raise DomainError(
            _("Nollvärdet kan inte dateras efter det första mätvärdet (%(date)s).")
            % {"date": first.isoformat()},
            rule="baseline_after_measurement",
            fields={
                "baseline_on": [
                    _("Nollvärdets datum ligger efter det första mätvärdet (%(date)s).")
                    % {"date": first.isoformat()}
                ]
            },
        )


def _refuse_measurement_before_baseline(goal: EffectGoal, measured_on: dt.date) -> None:
    if goal.baseline_on and measured_on and measured_on < goal.baseline_on:
        raise DomainError(
            _("Ett mätvärde kan inte dateras före nollvärdet (%(date)s).")
            % {"date": goal.baseline_on.isoformat()},
            rule="measurement_before_baseline",
            fields={
                "measured_on": [
                    _("Mätdatumet ligger före nollvärdets datum (%(date)s).")
                    % {"date": goal.baseline_on.isoformat()}
                ]
            },
        )


def effect_goal_create(*, actor, initiative: Initiative, **fields) -> EffectGoal:
    _may_edit_goals(actor, initiative)
    _refuse_unknown(fields)
    goal = EffectGoal(initiative=initiative, **fields)
    _check_goal(goal)
    with transaction.atomic():
        goal.save()
        history_record(
            initiative=initiative,
            entity="effect_goal",
            entity_id=goal.pk,
            action="created",
            actor=actor,
            changes={name: getattr(goal, name) for name in GOAL_FIELDS if getattr(goal, name)},
        )
    return goal


def effect_goal_update(
    *, actor, effect_goal: EffectGoal, version: int | None = None, **fields
) -> EffectGoal:
    """Edit a goal; `version` is the one the editor saw (another: StaleVersionError).
    The row is locked and its version bumped with the history row."""
    initiative = effect_goal.initiative
    _may_edit_goals(actor, initiative)
    _refuse_unknown(fields)
    with transaction.atomic():
        goal = lock_at_version(EffectGoal, effect_goal.pk, version)
        goal.initiative = initiative
        before = snapshot(goal, GOAL_FIELDS)
        for name, value in fields.items():
            setattr(goal, name, value)
        _check_goal(goal)
        changes = diff(goal, GOAL_FIELDS, before)
        if changes:
            goal.version += 1
            goal.save()
            history_record(
                initiative=initiative,
                entity="effect_goal",
                entity_id=goal.pk,
                action="updated",
                actor=actor,
                changes=changes,
            )
    return goal


def _may_measure(actor, goal: EffectGoal) -> None:
    if not policies.can_record_measurement(actor, goal):
        raise NotAllowedError(_("Du kan inte registrera mätvärden för effektmålet."))


def measurement_record(
    *, actor, effect_goal: EffectGoal, measured_on: dt.date, value: Decimal, comment: str = ""
) -> Measurement:
    _may_measure(actor, effect_goal)
    if measured_on and measured_on > timezone.localdate():
        raise ValidationError({"measured_on": [_("Mätdatumet kan inte ligga i framtiden.")]})
    _refuse_measurement_before_baseline(effect_goal, measured_on)
    measurement = Measurement(
        effect_goal=effect_goal,
        measured_on=measured_on,
        value=value,
        comment=comment,
        recorded_by=actor,
    )
    if Measurement.objects.filter(effect_goal=effect_goal, measured_on=measured_on).exists():
        raise ValidationError({"measured_on": [_("Det finns redan ett mätvärde för det datumet.")]})
    measurement.full_clean()
    try:
        with transaction.atomic():
            measurement.save()
            history_record(
                initiative=effect_goal.initiative,
                entity="measurement",
                entity_id=measurement.pk,
                action="recorded",
                actor=actor,
                changes={
                    "effect_goal": effect_goal.name,
                    "measured_on": measured_on,
                    "value": value,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"measured_on": [_("Det finns redan ett mätvärde för det datumet.")]}
        ) from exc
    return measurement


def initiative_set_3n(
    *, actor, initiative: Initiative, version: int, is_new: bool, is_useful: bool, is_used: bool
) -> Initiative:
    """3N is judged on implemented solutions: ny, nyttig, nyttiggjord."""
    if not policies.can_judge_3n(actor, initiative):
        raise NotAllowedError(_("Du kan inte bedöma 3N för initiativet."))
    implemented = (
        initiative.stage in IMPLEMENTED_STAGES
        or initiative.participations.filter(implemented_on__isnull=False).exists()
    )
    if not implemented:
        raise DomainError(
            _("3N bedöms först när lösningen är implementerad."), rule="not_implemented"
        )
    fields = ("is_new", "is_useful", "is_used")
    before = snapshot(initiative, fields)
    values = {"is_new": is_new, "is_useful": is_useful, "is_used": is_used}
    with transaction.atomic():
        new_version = versioned_update(Initiative, pk=initiative.pk, version=version, values=values)
        for name, value in values.items():
            setattr(initiative, name, value)
        changes = diff(initiative, fields, before)
        if changes:
            history_record(
                initiative=initiative,
                entity="initiative",
                entity_id=initiative.pk,
                action="3n",
                actor=actor,
                changes=changes,
            )
    initiative.version = new_version
    return initiative
