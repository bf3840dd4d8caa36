"""Participation: every municipality decides its own.

invited/interested -> participating | declined; participating -> left (date and
reason); implemented (date) or opted out of implementation. A municipality that
implements after the initiative reached förvaltning is a late implementer.
Every change carries the version the user saw and writes a history row.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Municipality

from .. import policies
from ..choices import TERMINAL_STAGES, ParticipationStatus, Stage
from ..models import Initiative, Participation
from ..models.initiatives import LOCAL_DECISION_FIELDS
from . import notices
from .errors import DomainError, NotAllowedError
from .history import history_record
from .initiatives import versioned_update

S = ParticipationStatus
ANSWERS = (S.INTERESTED, S.PARTICIPATING, S.DECLINED)
# From which statuses each answer may be given.
ANSWER_FROM = {
    S.INTERESTED: (S.INVITED, S.DECLINED),
    S.PARTICIPATING: (S.INVITED, S.INTERESTED, S.DECLINED),
    S.DECLINED: (S.INVITED, S.INTERESTED),
}


LOCAL_DECISION_LIMITS = {
    "local_decision_body": 120,
    "local_decision_reference": 60,
    "local_diary_number": 60,
}


def local_decision_values(decision: dict | None) -> dict:
    """The municipality's own decision behind an answer, checked: the organ and the date
    go together, the date is not in the future. Nothing given: nothing changes."""
    decision = decision or {}
    values = {
        name: (decision.get(name) or "").strip() if name != "local_decision_on" else None
        for name in LOCAL_DECISION_FIELDS
    }
    values["local_decision_on"] = decision.get("local_decision_on")
    if not any(values.values()):
        return {}
    errors = {}
    for name, limit in LOCAL_DECISION_LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = [_("Högst %(n)s tecken.") % {"n": limit}]
    if not values["local_decision_body"]:
        errors["local_decision_body"] = [
            _("Ange vilket organ i kommunen som beslutade, till exempel kommunstyrelsen.")
        ]
    if values["local_decision_on"] is None:
        errors["local_decision_on"] = [_("Ange dagen för kommunens beslut.")]
    elif values["local_decision_on"] > timezone.localdate():
        errors["local_decision_on"] = [_("Kommunens beslut kan inte ligga i framtiden.")]
    if errors:
        raise ValidationError(errors)
    return values


def _label(status) -> str:
    return str(ParticipationStatus(status).label).lower()


def _write(*, actor, participation: Participation, version: int, action: str, values: dict):
    changes = {
        name: [getattr(participation, name), value]
        for name, value in values.items()
        if getattr(participation, name) != value
    }
    with transaction.atomic():
        new_version = versioned_update(
            Participation, pk=participation.pk, version=version, values=values
        )
        history_record(
            initiative=participation.initiative,
            entity="participation",
            entity_id=participation.pk,
            action=action,
            actor=actor,
            changes={"municipality": participation.municipality.name, **changes},
        )
    for name, value in values.items():
        setattr(participation, name, value)
    participation.version = new_version
    return participation


def participation_invite(
    *, actor, initiative: Initiative, municipality: Municipality
) -> Participation:
    if not policies.can_invite_municipalities(actor, initiative):
        raise NotAllowedError(_("Du kan inte bjuda in kommuner till initiativet."))
    if not initiative.portfolio.constellation.members.filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": [_("Kommunen ingår inte i portföljens samverkanskonstellation.")]}
        )
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                initiative=initiative, municipality=municipality, status=S.INVITED
            )
            history_record(
                initiative=initiative,
                entity="participation",
                entity_id=participation.pk,
                action="invited",
                actor=actor,
                changes={"municipality": municipality.name, "status": S.INVITED},
            )
            notices.invitation_waits(actor=actor, participation=participation)
    except IntegrityError as exc:
        raise ValidationError(
            {
                "municipality": [
                    _("%(name)s har redan ett deltagande i initiativet.")
                    % {"name": municipality.name}
                ]
            }
        ) from exc
    return participation


def participation_answer(
    *,
    actor,
    participation: Participation,
    version: int,
    answer: str,
    joined_on: dt.date | None = None,
    local_decision: dict | None = None,
) -> Participation:
    if not policies.can_answer_participation(actor, participation):
        raise NotAllowedError(
            _(
                "Bara kommundirektören i %(name)s, eller den som fått delegering, kan svara "
                "för kommunen."
            )
            % {"name": participation.municipality.name}
        )
    if answer not in ANSWERS:
        raise ValidationError({"answer": [_("Svara intresserad, deltar eller avstår.")]})
    if participation.initiative.stage in TERMINAL_STAGES:
        raise DomainError(_("Initiativet är avslutat."), rule="terminal_stage")
    if participation.status not in ANSWER_FROM[answer]:
        raise DomainError(
            _("En kommun som är %(current)s kan inte svara %(answer)s.")
            % {"current": _label(participation.status), "answer": _label(answer)},
            rule="participation_transition",
            fields={"answer": [_("Svaret passar inte kommunens nuvarande status.")]},
        )
    values = {"status": answer, **local_decision_values(local_decision)}
    if answer == S.PARTICIPATING:
        values["joined_on"] = joined_on or timezone.localdate()
    return _write(
        actor=actor, participation=participation, version=version, action=answer, values=values
    )


def participation_leave(
    *,
    actor,
    participation: Participation,
    version: int,
    left_on: dt.date | None,
    reason: str,
    local_decision: dict | None = None,
) -> Participation:
    if not policies.can_answer_participation(actor, participation):
        raise NotAllowedError(
            _(
                "Bara kommundirektören i %(name)s, eller den som fått delegering, kan anmäla "
                "att kommunen lämnar."
            )
            % {"name": participation.municipality.name}
        )
    errors = {}
    if left_on is None:
        errors["left_on"] = [_("Ange datum då kommunen lämnar.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Ange skälet till att kommunen lämnar.")]
    if errors:
        raise ValidationError(errors)
    if participation.joined_on and left_on < participation.joined_on:
        joined = participation.joined_on.isoformat()
        raise DomainError(
            _("%(name)s kan inte lämna före den dag kommunen började delta (%(date)s).")
            % {"name": participation.municipality.name, "date": joined},
            rule="left_before_joined",
            fields={
                "left_on": [
                    _("Datumet ligger före dagen kommunen började delta (%(date)s).")
                    % {"date": joined}
                ]
            },
        )
    if participation.status != S.PARTICIPATING:
        raise DomainError(
            _("Bara en kommun som deltar kan lämna."), rule="participation_transition"
        )
    return _write(
        actor=actor,
        participation=participation,
        version=version,
        action="left",
        values={
            "status": S.LEFT,
            "left_on": left_on,
            "leave_reason": reason.strip(),
            **local_decision_values(local_decision),
        },
    )


def _may_implement(actor, participation: Participation) -> None:
    if not policies.can_record_implementation(actor, participation):
        raise NotAllowedError(
            _("Du kan inte registrera implementering för %(name)s.")
            % {"name": participation.municipality.name}
        )
    stage = participation.initiative.stage
    late = stage == Stage.OPERATION
    if participation.status != S.PARTICIPATING and not late:
        raise DomainError(
            _("Bara en deltagande kommun kan implementera innan initiativet är i förvaltning."),
            rule="participation_transition",
        )
    if stage in TERMINAL_STAGES:
        raise DomainError(_("Initiativet är avslutat."), rule="terminal_stage")


def participation_implemented(
    *, actor, participation: Participation, version: int, implemented_on: dt.date | None
) -> Participation:
    _may_implement(actor, participation)
    if implemented_on is None:
        raise ValidationError({"implemented_on": [_("Ange datum för implementeringen.")]})
    if implemented_on > timezone.localdate():
        raise ValidationError(
            {"implemented_on": [_("Implementeringsdatumet kan inte ligga i framtiden.")]}
        )
    late = participation.initiative.stage == Stage.OPERATION
    return _write(
        actor=actor,
        participation=participation,
        version=version,
        action="implemented_late" if late else "implemented",
        values={
            "implemented_on": implemented_on,
            "implementation_opted_out": False,
            "is_late_implementer": late,
        },
    )


def participation_opt_out(*, actor, participation: Participation, version: int) -> Participation:
    _may_implement(actor, participation)
    if participation.implemented_on is not None:
        raise DomainError(
            _("Kommunen har redan implementerat lösningen."), rule="already_implemented"
        )
    return _write(
        actor=actor,
        participation=participation,
        version=version,
        action="opted_out",
        values={"implementation_opted_out": True},
    )
