"""Registering and changing agreements (avtal), by the portfolio office of a party's
constellation. Every change keeps a history row with the reason, as in the admin."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policies import coordinates

from .choices import ChangeAction, ChangeSubject, CollaborationForm
from .history import reference_change_record
from .models import Agreement, Constellation

FIELDS = (
    "title",
    "form",
    "starts_on",
    "ends_on",
    "yearly_fee_per_party",
    "notice_period_months",
    "registration_number",
)


def can_manage_agreements(user, constellation: Constellation | None) -> bool:
    """The samordnare of a member municipality registers the constellation's agreements."""
    return coordinates(user, constellation)


REFUSED = gettext_lazy(
    "Bara portföljkontoret (samordnare) i konstellationen registrerar dess avtal."
)


def agreement_create(
    *, actor, constellation, parties, reason: str, organisations=(), **values
) -> Agreement:
    if not can_manage_agreements(actor, None):
        raise PermissionDenied(REFUSED)
    clean = _validated(actor, constellation, parties, reason, values, organisations)
    with transaction.atomic():
        agreement = Agreement.objects.create(constellation=constellation, **clean["fields"])
        agreement.parties.set(clean["parties"])
        agreement.organisation_parties.set(clean["organisations"])
        record = _recorder(agreement, actor, clean["reason"])
        record(action=ChangeAction.AGREEMENT_ADDED)
        for municipality in sorted(clean["parties"], key=lambda m: m.code):
            record(action=ChangeAction.PARTY_ADDED, municipality=municipality)
        for organisation in sorted(clean["organisations"], key=lambda o: o.name):
            record(action=ChangeAction.PARTY_ADDED, organisation=organisation)
    return agreement


def agreement_update(*, actor, agreement: Agreement, reason: str, **changes) -> Agreement:
    if not can_manage_agreements(actor, agreement.constellation):
        raise PermissionDenied(REFUSED)
    with transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        before = {name: getattr(current, name) for name in FIELDS}
        parties_before = set(current.parties.all())
        organisations_before = set(current.organisation_parties.all())
        values = {**before, **{k: v for k, v in changes.items() if k in FIELDS}}
        parties = changes.get("parties", parties_before)
        organisations = changes.get("organisations", organisations_before)
        clean = _validated(actor, current.constellation, parties, reason, values, organisations)
        for name, value in clean["fields"].items():
            setattr(current, name, value)
        current.save()
        current.parties.set(clean["parties"])
        current.organisation_parties.set(clean["organisations"])
        record = _recorder(current, actor, clean["reason"])
        changed = [name for name in FIELDS if before[name] != clean["fields"][name]]
        if changed:
            record(action=ChangeAction.AGREEMENT_CHANGED, detail=",".join(changed))
        after = set(clean["parties"])
        for action, moved in (
            (ChangeAction.PARTY_ADDED, after - parties_before),
            (ChangeAction.PARTY_REMOVED, parties_before - after),
        ):
            for municipality in sorted(moved, key=lambda m: m.code):
                record(action=action, municipality=municipality)
        organisations_after = set(clean["organisations"])
        for action, moved in (
            (ChangeAction.PARTY_ADDED, organisations_after - organisations_before),
            (ChangeAction.PARTY_REMOVED, organisations_before - organisations_after),
        ):
            for organisation in sorted(moved, key=lambda o: o.name):
                record(action=action, organisation=organisation)
    return current


def _recorder(agreement, actor, reason):
    def record(*, action, municipality=None, organisation=None, detail=""):
        reference_change_record(
            subject=ChangeSubject.AGREEMENT,
            subject_id=agreement.pk,
            subject_name=agreement.title,
            action=action,
            actor=actor,
            reason=reason,
            municipality=municipality,
            organisation=organisation,
            detail=detail,
        )

    return record


def _validated(actor, constellation, parties, reason, values, organisations=()) -> dict:
    errors: dict[str, list] = {}
    if constellation is None or not can_manage_agreements(actor, constellation):
        errors["constellation"] = [_("Välj en konstellation som din kommun ingår i.")]
    title = (values.get("title") or "").strip()
    if not title:
        errors["title"] = [_("Ange avtalets benämning.")]
    elif len(title) > 200:
        errors["title"] = [_("Benämningen får vara högst 200 tecken.")]
    form = values.get("form") or CollaborationForm.AGREEMENT
    if form not in CollaborationForm.values:
        errors["form"] = [_("Okänd samverkansform.")]
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = [_("Ange när avtalet börjar gälla.")]
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = [_("Ange när avtalet slutar gälla.")]
    elif isinstance(starts_on, dt.date) and ends_on < starts_on:
        errors["ends_on"] = [_("Avtalet kan inte sluta innan det börjar.")]
    fee = values.get("yearly_fee_per_party")
    if fee is not None and (not isinstance(fee, int) or isinstance(fee, bool) or fee < 0):
        errors["yearly_fee_per_party"] = [_("Avgiften anges i hela kronor, noll eller mer.")]
    months = values.get("notice_period_months")
    if months is None:
        months = 6
    if not isinstance(months, int) or isinstance(months, bool) or not 0 <= months <= 60:
        errors["notice_period_months"] = [_("Uppsägningstiden anges i hela månader, 0–60.")]
    registration = (values.get("registration_number") or "").strip()
    if len(registration) > 40:
        errors["registration_number"] = [_("Diarienumret får vara högst 40 tecken.")]
    parties = list(parties or [])
    members = set(constellation.members.values_list("pk", flat=True)) if constellation else set()
    organisations = list(organisations or [])
    if not parties and not organisations:
        errors["parties"] = [_("Ett avtal har minst en part.")]
    elif any(p.pk not in members for p in parties):
        errors["parties"] = [_("Parterna ska vara kommuner i konstellationen.")]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [
            _("Ange beslutet som avtalet bygger på (organ, datum, paragraf); det loggas.")
        ]
    if errors:
        raise ValidationError(errors)
    return {
        "fields": {
            "title": title,
            "form": form,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "yearly_fee_per_party": fee,
            "notice_period_months": months,
            "registration_number": registration,
        },
        "parties": parties,
        # Any registered organisation may be a party (a region, a university): it pays
        # no key share; the agreement's fee is what it states.
        "organisations": organisations,
        "reason": reason[:300],
    }
