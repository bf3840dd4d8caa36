"""Delegation: a kommundirektör lets someone of the municipality answer its participation.

The delegation row is its own history: who delegated to whom and when, until when, and
who revoked it when. Rows are never deleted; revoking closes the row.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..models import ParticipationDelegation
from .errors import NotAllowedError


def _forget_cached_delegations(*users) -> None:
    for user in users:
        if user is not None:
            user.__dict__.pop("_delegated_municipality_ids", None)


def delegation_create(
    *, actor, delegate, valid_until: dt.date | None = None
) -> ParticipationDelegation:
    municipality = actor.municipality if actor.is_authenticated else None
    if not policies.can_delegate_participation(actor, municipality):
        raise NotAllowedError(_("Bara kommunens kommundirektör kan delegera svar om deltagande."))
    if delegate is None or delegate.municipality_id != municipality.pk or not delegate.is_active:
        raise ValidationError(
            {
                "delegate": [
                    _("Välj en person i %(name)s.") % {"name": municipality.name},
                ]
            }
        )
    if delegate.pk == actor.pk:
        raise ValidationError({"delegate": [_("Du kan inte delegera till dig själv.")]})
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": [_("Slutdatumet kan inte ligga i det förflutna.")]})
    now = timezone.now()
    try:
        with transaction.atomic():
            # An expired delegation that nobody revoked is closed so the new one can start.
            ParticipationDelegation.objects.filter(
                municipality=municipality,
                delegate=delegate,
                revoked_at=None,
                valid_until__lt=timezone.localdate(),
            ).update(revoked_at=now, revoked_by=actor)
            delegation = ParticipationDelegation(
                municipality=municipality,
                delegate=delegate,
                delegated_by=actor,
                valid_until=valid_until,
            )
            delegation.full_clean()
            delegation.save()
    except IntegrityError as exc:  # a concurrent delegation to the same person
        raise ValidationError(
            {"delegate": [_("Personen har redan en delegering för kommunen. Återkalla den först.")]}
        ) from exc
    except ValidationError as exc:
        # The one-active-delegation constraint speaks about the person chosen.
        errors = exc.message_dict
        errors["delegate"] = errors.pop("__all__", []) + errors.get("delegate", [])
        raise ValidationError({k: v for k, v in errors.items() if v}) from exc
    _forget_cached_delegations(delegate)
    return delegation


def delegation_revoke(*, actor, delegation: ParticipationDelegation) -> ParticipationDelegation:
    if not policies.can_delegate_participation(actor, delegation.municipality):
        raise NotAllowedError(_("Bara kommunens kommundirektör kan återkalla en delegering."))
    with transaction.atomic():
        updated = ParticipationDelegation.objects.filter(pk=delegation.pk, revoked_at=None).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if not updated:
            raise ValidationError({"delegation": [_("Delegeringen är redan återkallad.")]})
    delegation.refresh_from_db()
    _forget_cached_delegations(delegation.delegate)
    return delegation
