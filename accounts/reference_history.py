"""Reference-data history as the samordnare reads it: who changed a constellation's
membership or a person's roles, when, what and why — one sentence per change in the
active language, never a stored code."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from municipalities.choices import ChangeAction as A
from municipalities.choices import ChangeSubject
from municipalities.models import (
    Agreement,
    Constellation,
    Organisation,
    ReferenceChange,
)

from . import policies
from .models import Role

SENTENCES = {
    A.MEMBER_ADDED: _("%(municipality)s gick med i %(subject)s"),
    A.MEMBER_REMOVED: _("%(municipality)s lämnade %(subject)s"),
    A.PERSON_ADDED: _("%(subject)s lades till i %(municipality)s"),
    A.ROLE_GRANTED: _("%(subject)s fick rollen %(role)s"),
    A.ROLE_REVOKED: _("%(subject)s har inte längre rollen %(role)s"),
    A.MOVED: _("%(subject)s flyttades till %(municipality)s"),
    A.ACTIVATED: _("Kontot för %(subject)s aktiverades"),
    A.DEACTIVATED: _("Kontot för %(subject)s inaktiverades"),
    A.AGREEMENT_ADDED: _("Avtalet %(subject)s lades till"),
    A.AGREEMENT_CHANGED: _("Avtalet %(subject)s ändrades: %(fields)s"),
    A.PARTY_ADDED: _("%(municipality)s blev part i avtalet %(subject)s"),
    A.PARTY_REMOVED: _("%(municipality)s är inte längre part i avtalet %(subject)s"),
    A.ORGANISATION_ADDED: _("%(municipality)s gick med i %(subject)s"),
    A.ORGANISATION_REMOVED: _("%(municipality)s lämnade %(subject)s"),
    A.CREATED: _("%(subject)s skapades"),
    A.CHANGED: _("%(subject)s ändrades: %(fields)s"),
}
# Membership changes name the day they took effect when it is not the day recorded.
DATED = frozenset({A.MEMBER_ADDED, A.MEMBER_REMOVED, A.ORGANISATION_ADDED, A.ORGANISATION_REMOVED})
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class ReferenceLine:
    created_at: object
    actor: object
    sentence: str
    reason: str


def reference_changes_for(actor, limit: int = HISTORY_LIMIT) -> QuerySet[ReferenceChange]:
    """The changes that concern the municipalities the actor manages, and every change
    to the actor's own constellations (a municipality that left is no longer managed,
    but its leaving is their history); none for anyone who manages no people."""
    if not policies.can_manage_people(actor):
        return ReferenceChange.objects.none()
    managed = policies.managed_municipalities(actor)
    own = Constellation.objects.filter(members=actor.municipality_id).values("pk")
    agreements = Agreement.objects.filter(Q(constellation__in=own) | Q(parties__in=managed)).values(
        "pk"
    )
    return (
        ReferenceChange.objects.filter(
            Q(municipality__in=managed)
            | Q(subject=ChangeSubject.CONSTELLATION, subject_id__in=own)
            | Q(subject=ChangeSubject.AGREEMENT, subject_id__in=agreements)
        )
        .select_related("municipality", "organisation", "actor")
        .order_by("-created_at", "-id")[:limit]
    )


def _in_sentence(label) -> str:
    """ "Programledare" → "programledare" inside a sentence; "IT-chef" keeps its capitals."""
    label = str(label)
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


MODELS = {
    ChangeSubject.AGREEMENT: Agreement,
    ChangeSubject.CONSTELLATION: Constellation,
    ChangeSubject.ORGANISATION: Organisation,
}


def _field_labels(names: str, subject=ChangeSubject.AGREEMENT) -> str:
    labels = []
    model = MODELS.get(subject, Agreement)
    for name in filter(None, names.split(",")):
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            continue  # a field since removed; its name is no label
    return ", ".join(labels) or "–"


def reference_line(change: ReferenceChange) -> ReferenceLine:
    # A role's detail is its code, then where and when it holds, if only somewhere.
    code, _space, scope = change.detail.partition(" ")
    role = dict(Role.choices).get(code, "")
    values = {
        "subject": change.subject_name,
        "municipality": (
            change.municipality.name
            if change.municipality
            else change.organisation.name
            if change.organisation
            else "–"
        ),
        "role": f"{_in_sentence(role)} {scope}".strip() if role else "",
        "fields": (
            _field_labels(change.detail, change.subject)
            if change.action in (A.AGREEMENT_CHANGED, A.CHANGED)
            else ""
        ),
    }
    sentence = SENTENCES.get(change.action)
    text = sentence % values if sentence else change.get_action_display()
    if change.action in DATED and change.effective_on:
        text = _("%(change)s den %(day)s") % {
            "change": text,
            "day": change.effective_on.isoformat(),
        }
    return ReferenceLine(
        created_at=change.created_at,
        actor=change.actor,
        sentence=text,
        reason=change.reason,
    )


def reference_lines_for(actor) -> list[ReferenceLine]:
    return [reference_line(change) for change in reference_changes_for(actor)]


def reference_lines_of(subject: str, subject_id: int, limit: int = HISTORY_LIMIT) -> list:
    """One object's history (an agreement's, say), newest first, for whoever may see it."""
    changes = (
        ReferenceChange.objects.filter(subject=subject, subject_id=subject_id)
        .select_related("municipality", "organisation", "actor")
        .order_by("-created_at", "-id")[:limit]
    )
    return [reference_line(change) for change in changes]
