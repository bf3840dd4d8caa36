"""Granting a role for one portfolio or one program, and ending a role: the samordnare's
services, used by the people page and the API alike. A role is never deleted: ending it
sets the day it stops holding, and the record stays as its history."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.choices import ChangeAction
from portfolio.services.versions import lock_at_version

from . import policies
from .models import Role, RoleAssignment, User
from .people import _audit_after_commit, _check_reason, _forget_roles, _record, refusal

# The portfolio app builds on this one; its models are reached through the relation.
Portfolio = RoleAssignment._meta.get_field("portfolio").related_model
Program = RoleAssignment._meta.get_field("program").related_model


def scope_label(assignment) -> str:
    """Where the role holds, as the history and the pages name it."""
    if assignment.program_id is not None:
        return _("program %(name)s") % {"name": assignment.program}
    if assignment.portfolio_id is not None:
        return _("portfölj %(name)s") % {"name": assignment.portfolio}
    return _("alla portföljer")


def grantable_portfolios(actor, person=None):
    """The portfolios of the actor's own constellations (and, given a person, that the
    person's municipality also sees): the only ones the actor grants roles for."""
    if not policies.can_manage_people(actor):
        return Portfolio.objects.none()
    found = Portfolio.objects.filter(constellation__members=actor.municipality_id)
    if person is not None:
        found = found.filter(constellation__members=person.municipality_id)
    return found.distinct().order_by("name")


def _scope(actor, person, portfolio, program):
    if program is not None:
        if portfolio is not None and program.portfolio_id != portfolio.pk:
            raise ValidationError({"program": _("Programmet hör inte till den valda portföljen.")})
        portfolio = program.portfolio
    if portfolio is None:
        raise ValidationError(
            {"portfolio": _("Välj portföljen (eller programmet) som rollen gäller för.")}
        )
    if not grantable_portfolios(actor, person).filter(pk=portfolio.pk).exists():
        raise ValidationError(
            {
                "portfolio": _(
                    "Välj en portfölj i dina egna samverkanskonstellationer som personens "
                    "kommun också ingår i."
                )
            }
        )
    return portfolio, program


def _check_period(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError(
            {"ends_on": _("Rollen måste upphöra efter den dag den börjar gälla.")}
        )


def _check_no_overlap(person, role, portfolio, program, starts_on, ends_on) -> None:
    """The same role for the same scope, or a wider one that already covers it (every
    portfolio; the whole portfolio for a program), at some day of the new period."""
    covering = Q(portfolio__isnull=True, program__isnull=True) | Q(
        portfolio=portfolio, program__isnull=True
    )
    if program is not None:
        covering |= Q(program=program)
    overlapping = (
        person.role_assignments.filter(covering, role=role)
        .exclude(ends_on__lte=starts_on)
        .order_by("portfolio_id", "program_id")
    )
    if ends_on is not None:
        overlapping = overlapping.exclude(starts_on__gte=ends_on)
    if overlapping.exists():
        raise ValidationError(
            {
                "role": _(
                    "Personen har redan rollen %(role)s för %(scope)s under den tiden. "
                    "Avsluta den först, eller välj andra datum."
                )
                % {"role": Role(role).label, "scope": scope_label(overlapping.first())}
            }
        )


def _lock_person(actor, person, version):
    person = lock_at_version(User, person.pk, version)
    if not policies.can_manage_person(actor, person):
        raise PermissionDenied(refusal())
    return person


@transaction.atomic
def role_grant(
    *,
    actor,
    person: User,
    role: str,
    portfolio=None,
    program=None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    reason: str,
    version: int | None = None,
) -> RoleAssignment:
    """One of the operational roles, for one portfolio or one of its programs."""
    person = _lock_person(actor, person, version)
    if role not in policies.grantable_roles(actor):
        raise ValidationError(
            {
                "role": _(
                    "Rollerna kommundirektör och samordnare ges bara av en "
                    "systemadministratör, efter beslut i styrningen."
                )
            }
        )
    reason = _check_reason(reason)
    portfolio, program = _scope(actor, person, portfolio, program)
    starts_on = starts_on or timezone.localdate()
    _check_period(starts_on, ends_on)
    _check_no_overlap(person, role, portfolio, program, starts_on, ends_on)
    assignment = RoleAssignment.objects.create(
        user=person,
        role=role,
        portfolio=portfolio,
        program=program,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor,
    )
    _bump(person)
    detail = f"{role} ({scope_label(assignment)}, {starts_on.isoformat()}–{ends_on or ''})"
    _record(ChangeAction.ROLE_GRANTED, actor, person, reason, detail=detail[:300])
    _audit_after_commit(
        "people.role_granted",
        actor,
        person,
        reason,
        role=role,
        portfolio=portfolio.pk,
        program=program.pk if program else "",
    )
    return assignment


@transaction.atomic
def role_end(
    *,
    actor,
    person: User,
    assignment_id: int,
    ends_on: dt.date | None = None,
    reason: str,
    version: int | None = None,
) -> RoleAssignment:
    """The role stops holding from `ends_on` (today by default); the record is kept."""
    person = _lock_person(actor, person, version)
    assignment = person.role_assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise ValidationError({"assignment": _("Personen har ingen sådan roll.")})
    if assignment.role not in policies.grantable_roles(actor):
        raise PermissionDenied(refusal())
    reason = _check_reason(reason)
    today = timezone.localdate()
    # Without a day: from today, or a role not yet begun never begins.
    ends_on = ends_on or max(today, assignment.starts_on or today)
    if assignment.ends_on is not None and assignment.ends_on <= today:
        raise ValidationError({"assignment": _("Rollen har redan upphört.")})
    if ends_on < today:
        raise ValidationError(
            {"ends_on": _("En roll avslutas från i dag eller senare, inte i efterhand.")}
        )
    if assignment.starts_on is not None and ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("Rollen kan inte upphöra innan den börjar gälla.")})
    assignment.ends_on = ends_on
    assignment.ended_by = actor
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ends_on", "ended_by", "ended_at"])
    _bump(person)
    detail = f"{assignment.role} ({scope_label(assignment)}, {ends_on.isoformat()})"
    _record(ChangeAction.ROLE_REVOKED, actor, person, reason, detail=detail[:300])
    _audit_after_commit(
        "people.role_revoked", actor, person, reason, role=assignment.role, ends_on=str(ends_on)
    )
    return assignment


def _bump(person) -> None:
    # A page or API read of the person from before this change is now outdated.
    person.version += 1
    person.save(update_fields=["version"])
    _forget_roles(person)
