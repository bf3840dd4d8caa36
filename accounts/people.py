"""Writing people and their roles: the samordnare's services, used by the people pages,
the API and the admin alike. Each grant, revocation and move is audit-logged after
commit with who acted and why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.choices import ChangeAction, ChangeSubject
from municipalities.history import reference_change_record
from portfolio.services.versions import lock_at_version
from samverkan.security import audit

from . import policies
from .models import RoleAssignment, User
from .roles import holders_q, roles_in
from .tasks import send_choose_password_link

PERSON_FIELDS = ("first_name", "last_name", "email", "title")


def refusal() -> str:
    return _(
        "Du kan inte ändra den här personen. Samordnaren hanterar personer i de egna "
        "samverkanskonstellationernas kommuner, men aldrig sitt eget konto, en "
        "kommundirektör, en samordnare eller en systemadministratör."
    )


def _check_roles(actor, roles) -> list[str]:
    roles = sorted(set(roles))
    not_grantable = [r for r in roles if r not in policies.grantable_roles(actor)]
    if not_grantable:
        raise ValidationError(
            {
                "roles": _(
                    "Rollerna kommundirektör och samordnare ges bara av en "
                    "systemadministratör, efter beslut i styrningen."
                )
            }
        )
    return roles


def _check_municipality(actor, municipality) -> None:
    if (
        municipality is None
        or not policies.managed_municipalities(actor).filter(pk=municipality.pk).exists()
    ):
        raise ValidationError(
            {"municipality": _("Välj en kommun i dina egna samverkanskonstellationer.")}
        )


def _check_email(email: str, person=None) -> str:
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Ange en e-postadress; inloggningslänken skickas dit.")})
    taken = User.objects.filter(email__iexact=email)
    if person is not None:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        raise ValidationError({"email": _("E-postadressen används redan av en annan person.")})
    return email


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Ange varför (till exempel beslutet eller ärendet) – det loggas.")}
        )
    return reason


def _record(action: str, actor, person, reason: str, detail: str = "") -> None:
    """The change as the people page shows it later (the audit log keeps its own line)."""
    reference_change_record(
        subject=ChangeSubject.PERSON,
        subject_id=person.pk,
        subject_name=person.get_full_name() or person.get_username(),
        action=action,
        actor=actor,
        reason=reason,
        municipality=person.municipality,
        detail=detail,
    )


def _audit_after_commit(event: str, actor, person, reason: str, **fields) -> None:
    transaction.on_commit(
        lambda: audit(
            event,
            actor=actor.get_username(),
            person=person.get_username(),
            reason=reason,
            **fields,
        )
    )


def _forget_roles(person) -> None:
    for name in ("role_grants", "roles"):
        person.__dict__.pop(name, None)


def _grant_everywhere(person, roles, actor) -> None:
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=person, role=r, starts_on=timezone.localdate(), granted_by=actor)
        for r in roles
    )
    _forget_roles(person)


def _end_everywhere(person, roles, actor) -> None:
    """End (never delete: the record is the role's history) the unscoped roles in force."""
    if not roles:
        return
    today = timezone.localdate()
    person.role_assignments.filter(
        holders_q(roles, today, None, prefix=""), portfolio__isnull=True
    ).update(ends_on=today, ended_by=actor, ended_at=timezone.now())
    _forget_roles(person)


@transaction.atomic
def person_create(
    *,
    actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    municipality,
    title: str = "",
    roles=(),
    reason: str,
) -> User:
    """A new person with no password; they choose one through the link e-mailed to them."""
    if not policies.can_manage_people(actor):
        raise PermissionDenied(refusal())
    reason = _check_reason(reason)
    _check_municipality(actor, municipality)
    roles = _check_roles(actor, roles)
    person = User(
        username=(username or "").strip(),
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=_check_email(email),
        municipality=municipality,
        title=(title or "").strip(),
    )
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    _grant_everywhere(person, roles, actor)
    _record(ChangeAction.PERSON_ADDED, actor, person, reason)
    for role in roles:
        _record(ChangeAction.ROLE_GRANTED, actor, person, reason, detail=role)
    _audit_after_commit(
        "people.created",
        actor,
        person,
        reason,
        municipality=municipality.code,
        roles=",".join(roles),
    )
    transaction.on_commit(lambda: send_choose_password_link.delay(person.pk))
    return person


@transaction.atomic
def person_update(
    *, actor, person: User, reason: str = "", version: int | None = None, **changes
) -> User:
    """Change what the samordnare may change: names, e-mail, title, municipality, active
    and the operational roles. `changes` holds only what the caller sends; `version`, if
    given, is the one the editor saw (another: StaleVersionError, nothing is changed)."""
    person = lock_at_version(User, person.pk, version)
    if not policies.can_manage_person(actor, person):
        raise PermissionDenied(refusal())
    unknown = set(changes) - {*PERSON_FIELDS, "municipality", "is_active", "roles"}
    if unknown:
        raise ValidationError({name: _("Fältet kan inte ändras här.") for name in unknown})
    # The form's and the API's `roles` are the roles held everywhere; a role for one
    # portfolio or program is granted and ended on its own (`role_grant`, `role_end`).
    old_roles = sorted(roles_in(person.role_grants, None))
    new_roles = _check_roles(actor, changes["roles"]) if "roles" in changes else old_roles
    moves = "municipality" in changes and changes["municipality"] != person.municipality
    deactivates = "is_active" in changes and changes["is_active"] != person.is_active
    if new_roles != old_roles or moves or deactivates:
        reason = _check_reason(reason)
    if moves:
        _check_municipality(actor, changes["municipality"])
    if "email" in changes:
        changes["email"] = _check_email(changes["email"], person)
    for name in (*PERSON_FIELDS, "municipality", "is_active"):
        if name in changes:
            value = changes[name]
            setattr(person, name, value.strip() if isinstance(value, str) else value)
    person.full_clean(exclude=["password"])
    person.version += 1
    person.save()
    granted = sorted(set(new_roles) - set(old_roles))
    revoked = sorted(set(old_roles) - set(new_roles))
    _end_everywhere(person, revoked, actor)
    _grant_everywhere(person, granted, actor)
    for role in granted:
        _record(ChangeAction.ROLE_GRANTED, actor, person, reason, detail=role)
        _audit_after_commit("people.role_granted", actor, person, reason, role=role)
    for role in revoked:
        _record(ChangeAction.ROLE_REVOKED, actor, person, reason, detail=role)
        _audit_after_commit("people.role_revoked", actor, person, reason, role=role)
    if moves:
        _record(ChangeAction.MOVED, actor, person, reason)
        _audit_after_commit(
            "people.moved", actor, person, reason, municipality=person.municipality.code
        )
    if deactivates:
        action = ChangeAction.ACTIVATED if person.is_active else ChangeAction.DEACTIVATED
        _record(action, actor, person, reason)
        event = "people.activated" if person.is_active else "people.deactivated"
        _audit_after_commit(event, actor, person, reason)
    return person


# Stored in the record like a reason the samordnare types, so in the record's language.
SSO_REASON = "Inloggning med kommunens konto: grupperna i identitetsleverantören"


@transaction.atomic
def roles_from_groups(*, person: User, roles: frozenset[str], managed: frozenset[str]) -> None:
    """Bring the roles that the identity provider's groups decide (`managed`) in line with
    the person's groups at sign-in; roles outside the map stay as the samordnare set them.
    Each grant and revocation is recorded and audit-logged like the samordnare's."""
    held = set(roles_in(person.role_grants, None))
    granted = sorted(set(roles) - held)
    revoked = sorted((held & set(managed)) - set(roles))
    _end_everywhere(person, revoked, None)
    _grant_everywhere(person, granted, None)
    reason = SSO_REASON
    for role in granted:
        _record(ChangeAction.ROLE_GRANTED, None, person, reason, detail=role)
        transaction.on_commit(
            lambda role=role: audit(
                "people.role_granted", person=person.get_username(), role=role, source="sso"
            )
        )
    for role in revoked:
        _record(ChangeAction.ROLE_REVOKED, None, person, reason, detail=role)
        transaction.on_commit(
            lambda role=role: audit(
                "people.role_revoked", person=person.get_username(), role=role, source="sso"
            )
        )
