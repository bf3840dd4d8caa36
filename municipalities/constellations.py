"""Setting up constellations in the pages: the samordnare creates and changes one, and
records that a municipality or an organisation joins or leaves it on a date. Every
change keeps a history row (ReferenceChange) with the reason; membership dates are what
`membership.py` reads for the figures of a past period.

Dates may not lie in the future: the members in force today are what grants visibility
(`Constellation.members`), so a change is registered once it has taken effect.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policies import coordinates

from .choices import ChangeAction, ChangeSubject, CollaborationForm, GovernanceMode
from .history import reference_change_record
from .membership import effective_day
from .models import Constellation, Municipality, Organisation, ReferenceChange

FIELDS = (
    "name",
    "short_name",
    "description",
    "governance_mode",
    "lead_municipality",
    "collaboration_form",
    "host_municipality",
)
REFUSED = gettext_lazy(
    "Bara portföljkontoret (samordnare) i konstellationen ändrar den och dess medlemmar."
)
JOIN, LEAVE = "join", "leave"
MEMBER_ACTIONS = {
    (JOIN, Municipality): ChangeAction.MEMBER_ADDED,
    (LEAVE, Municipality): ChangeAction.MEMBER_REMOVED,
    (JOIN, Organisation): ChangeAction.ORGANISATION_ADDED,
    (LEAVE, Organisation): ChangeAction.ORGANISATION_REMOVED,
}


def can_manage_constellation(user, constellation: Constellation | None) -> bool:
    """The samordnare of a member municipality (None: creating one; their municipality
    becomes its first member)."""
    if constellation is None and getattr(user, "municipality_id", None) is None:
        return False
    return coordinates(user, constellation)


def constellation_create(*, actor, reason: str, joined_on=None, areas=(), **values):
    if not can_manage_constellation(actor, None):
        raise PermissionDenied(REFUSED)
    clean = _validated(values, reason, exclude_pk=None)
    joined_on = joined_on or timezone.localdate()
    _check_day(joined_on, {})
    with transaction.atomic():
        constellation = Constellation.objects.create(**clean["fields"])
        constellation.areas.set(areas)
        constellation.members.add(actor.municipality)
        record = _recorder(constellation, actor, clean["reason"])
        record(action=ChangeAction.CREATED)
        record(
            action=ChangeAction.MEMBER_ADDED,
            municipality=actor.municipality,
            effective_on=joined_on,
        )
    return constellation


def constellation_update(*, actor, constellation: Constellation, reason: str, **changes):
    if not can_manage_constellation(actor, constellation):
        raise PermissionDenied(REFUSED)
    with transaction.atomic():
        current = Constellation.objects.select_for_update().get(pk=constellation.pk)
        before = {name: getattr(current, name) for name in FIELDS}
        areas_before = set(current.areas.all())
        areas = set(changes.pop("areas", areas_before))
        clean = _validated({**before, **changes}, reason, exclude_pk=current.pk)
        for name, value in clean["fields"].items():
            setattr(current, name, value)
        current.save()
        current.areas.set(areas)
        changed = [name for name in FIELDS if before[name] != clean["fields"][name]]
        if areas != areas_before:
            changed.append("areas")
        if changed:
            _recorder(current, actor, clean["reason"])(
                action=ChangeAction.CHANGED, detail=",".join(changed)
            )
    return current


def membership_change(*, actor, constellation, member, action: str, on, reason: str):
    """`member` (a Municipality or an Organisation) joins or leaves on the day `on`."""
    if not can_manage_constellation(actor, constellation):
        raise PermissionDenied(REFUSED)
    return membership_record(
        actor=actor, constellation=constellation, member=member, action=action, on=on, reason=reason
    )


def membership_record(*, actor, constellation, member, action: str, on, reason: str):
    """The change itself, for the samordnare (above) and for loading reference or demo
    data (actor None: no person made the change)."""
    errors: dict[str, list] = {}
    if action not in (JOIN, LEAVE):
        errors["action"] = [_("Välj om medlemmen går med eller lämnar.")]
    if not isinstance(member, Municipality | Organisation):
        errors["member"] = [_("Välj en kommun eller en organisation.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Ange beslutet som ändringen bygger på; det loggas.")]
    _check_day(on, errors)
    if errors:
        raise ValidationError(errors)
    is_municipality = isinstance(member, Municipality)
    with transaction.atomic():
        current = Constellation.objects.select_for_update().get(pk=constellation.pk)
        related = current.members if is_municipality else current.organisations
        is_member = related.filter(pk=member.pk).exists()
        latest = _latest_change(current, member)
        if action == JOIN and is_member:
            errors["member"] = [_("%(name)s är redan medlem.") % {"name": member.name}]
        elif action == LEAVE and not is_member:
            errors["member"] = [_("%(name)s är inte medlem.") % {"name": member.name}]
        elif (
            action == LEAVE
            and is_municipality
            and member.pk == getattr(actor, "municipality_id", None)
        ):
            errors["member"] = [
                _("Din egen kommun kan inte lämna här: be en samordnare i en annan medlemskommun.")
            ]
        elif (
            action == LEAVE
            and is_municipality
            and member.pk in (current.lead_municipality_id, current.host_municipality_id)
        ):
            errors["member"] = [_("Kommunen är ledande kommun eller värdkommun: ändra det först.")]
        elif latest is not None and on < latest[0]:
            errors["on"] = [
                (
                    _("Utträdet kan inte ligga före inträdet den %(day)s.")
                    if action == LEAVE
                    else _("Datumet kan inte ligga före utträdet den %(day)s.")
                )
                % {"day": latest[0].isoformat()}
            ]
        if errors:
            raise ValidationError(errors)
        (related.add if action == JOIN else related.remove)(member)
        _recorder(current, actor, reason[:300])(
            action=MEMBER_ACTIONS[(action, type(member))],
            effective_on=on,
            **({"municipality": member} if is_municipality else {"organisation": member}),
        )
    return current


def _latest_change(constellation, member):
    """(day, action) of the member's latest membership change in the constellation."""
    rows = ReferenceChange.objects.filter(
        subject=ChangeSubject.CONSTELLATION,
        subject_id=constellation.pk,
        action__in=[a for a in MEMBER_ACTIONS.values()],
        **(
            {"municipality": member}
            if isinstance(member, Municipality)
            else {"organisation": member}
        ),
    ).values_list("created_at", "effective_on", "action")
    days = [(effective_day(created, effective), action) for created, effective, action in rows]
    return max(days, default=None)


def _check_day(on, errors):
    if not isinstance(on, dt.date):
        errors["on"] = [_("Ange datumet då ändringen gäller.")]
    elif on > timezone.localdate():
        errors["on"] = [
            _("Datumet får inte ligga i framtiden: registrera ändringen när den har börjat gälla.")
        ]
    if errors:
        raise ValidationError(errors)


def _recorder(constellation, actor, reason):
    def record(*, action, municipality=None, organisation=None, detail="", effective_on=None):
        reference_change_record(
            subject=ChangeSubject.CONSTELLATION,
            subject_id=constellation.pk,
            subject_name=constellation.name,
            action=action,
            actor=actor,
            reason=reason,
            municipality=municipality,
            organisation=organisation,
            detail=detail,
            effective_on=effective_on,
        )

    return record


def _validated(values: dict, reason, exclude_pk) -> dict:
    errors: dict[str, list] = {}
    fields = {}
    for name, limit, label in (
        ("name", 120, _("Ange konstellationens namn.")),
        ("short_name", 30, _("Ange ett kortnamn.")),
    ):
        value = (values.get(name) or "").strip()
        fields[name] = value
        if not value:
            errors[name] = [label]
        elif len(value) > limit:
            errors[name] = [_("Högst %(limit)s tecken.") % {"limit": limit}]
        elif Constellation.objects.filter(**{name: value}).exclude(pk=exclude_pk).exists():
            errors[name] = [_("Det finns redan en konstellation med det namnet.")]
    fields["description"] = (values.get("description") or "").strip()
    mode = values.get("governance_mode") or GovernanceMode.SHARED
    form = values.get("collaboration_form") or CollaborationForm.INFORMAL
    lead, host = values.get("lead_municipality"), values.get("host_municipality")
    if mode not in GovernanceMode.values:
        errors["governance_mode"] = [_("Okänd styrningsform.")]
    elif mode == GovernanceMode.LEAD_ORGANISATION and lead is None:
        errors["lead_municipality"] = [
            _("Vid ledande organisation ska den ledande kommunen anges.")
        ]
    if form not in CollaborationForm.values:
        errors["collaboration_form"] = [_("Okänd samverkansform.")]
    elif form == CollaborationForm.JOINT_COMMITTEE and host is None:
        errors["host_municipality"] = [_("En gemensam nämnd ska ha en värdkommun.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Ange beslutet som ändringen bygger på; det loggas.")]
    if errors:
        raise ValidationError(errors)
    fields.update(
        governance_mode=mode,
        collaboration_form=form,
        lead_municipality=lead if mode == GovernanceMode.LEAD_ORGANISATION else None,
        host_municipality=host if form == CollaborationForm.JOINT_COMMITTEE else None,
    )
    return {"fields": fields, "reason": reason[:300]}
