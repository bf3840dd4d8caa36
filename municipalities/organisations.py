"""Registering and changing organisations (parties besides the municipalities), by a
samordnare. Organisations are shared reference data: every samordnare may add one, and
every change keeps a history row with the reason."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policies import coordinates

from .choices import ChangeAction, ChangeSubject, OrganisationKind
from .history import reference_change_record
from .models import Organisation
from .models_organisations import validate_organisation_number

FIELDS = ("name", "kind", "organisation_number")
REFUSED = gettext_lazy("Bara portföljkontoret (samordnare) registrerar organisationer.")


def can_manage_organisations(user) -> bool:
    return coordinates(user, None)


def organisation_create(*, actor, reason: str = "", **values) -> Organisation:
    if not can_manage_organisations(actor):
        raise PermissionDenied(REFUSED)
    return organisation_register(actor=actor, reason=reason, **values)


def organisation_register(*, actor, reason: str = "", **values) -> Organisation:
    """The write itself, for a samordnare (above) and for loading reference or demo data
    (actor None: no person made the change)."""
    clean = _validated(values, exclude_pk=None)
    with transaction.atomic():
        organisation = Organisation.objects.create(**clean)
        _record(organisation, actor, ChangeAction.CREATED, reason)
    return organisation


def organisation_update(*, actor, organisation: Organisation, reason: str = "", **changes):
    if not can_manage_organisations(actor):
        raise PermissionDenied(REFUSED)
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {name: getattr(current, name) for name in FIELDS}
        clean = _validated({**before, **changes}, exclude_pk=current.pk)
        changed = [name for name in FIELDS if before[name] != clean[name]]
        for name, value in clean.items():
            setattr(current, name, value)
        current.save()
        if changed:
            _record(current, actor, ChangeAction.CHANGED, reason, detail=",".join(changed))
    return current


def _record(organisation, actor, action, reason, detail=""):
    reference_change_record(
        subject=ChangeSubject.ORGANISATION,
        subject_id=organisation.pk,
        subject_name=organisation.name,
        action=action,
        actor=actor,
        reason=reason,
        organisation=organisation,
        detail=detail,
    )


def _validated(values: dict, exclude_pk) -> dict:
    errors: dict[str, list] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Ange organisationens namn.")]
    elif len(name) > 200:
        errors["name"] = [_("Namnet får vara högst 200 tecken.")]
    kind = values.get("kind") or ""
    if kind not in OrganisationKind.values:
        errors["kind"] = [_("Välj vilken typ av organisation det är.")]
    number = (values.get("organisation_number") or "").strip()
    try:
        validate_organisation_number(number)
    except ValidationError as exc:
        errors["organisation_number"] = list(exc.messages)
    else:
        taken = Organisation.objects.filter(organisation_number=number).exclude(pk=exclude_pk)
        if taken.exists():
            errors["organisation_number"] = [
                _("Det finns redan en organisation med det organisationsnumret.")
            ]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "kind": kind, "organisation_number": number}
