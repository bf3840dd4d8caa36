"""National reference data and constellations, for the system administrator only (see
`samverkan.admin_site`). A constellation's membership changes what every member sees and
pays, so each change names why, is audit-logged with the members before and after, and
kept as reference history (ReferenceChange) that the samordnare reads on the people page."""

import functools

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samverkan.admin_site import ViewOnlyAdmin
from samverkan.security import audit

from .choices import ChangeAction, ChangeSubject
from .history import reference_change_record
from .models import (
    Agreement,
    CollaborationArea,
    Constellation,
    County,
    Municipality,
    Organisation,
    Population,
    ReferenceChange,
)


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["code", "name"]
    list_select_related = ["county"]
    inlines = [PopulationInline]


class ConstellationForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=300,
        help_text=_(
            "Beslutet som ändringen bygger på (organ, datum, paragraf). Det loggas med ditt "
            "namn och berör alla medlemmar."
        ),
    )

    class Meta:
        model = Constellation
        fields = [
            "name",
            "short_name",
            "description",
            "members",
            "governance_mode",
            "lead_municipality",
            "collaboration_form",
            "host_municipality",
            "areas",
        ]


def _codes(municipalities) -> str:
    return ",".join(sorted(m.code for m in municipalities)) or "-"


@admin.register(Constellation)
class ConstellationAdmin(admin.ModelAdmin):
    form = ConstellationForm
    list_display = ["short_name", "name", "governance_mode", "collaboration_form"]
    filter_horizontal = ["members", "areas"]

    def save_model(self, request, obj, form, change):
        request._members_before = set(obj.members.all()) if obj.pk else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = request._members_before
        after = set(form.instance.members.all())
        fields = {
            "actor": request.user.get_username(),
            "constellation": form.instance.short_name or form.instance.pk,
            "reason": form.cleaned_data["reason"],
            "members_before": _codes(before),
            "members_after": _codes(after),
        }
        for event, action, changed in (
            ("constellation.member_added", ChangeAction.MEMBER_ADDED, after - before),
            ("constellation.member_removed", ChangeAction.MEMBER_REMOVED, before - after),
        ):
            for municipality in sorted(changed, key=lambda m: m.code):
                reference_change_record(
                    subject=ChangeSubject.CONSTELLATION,
                    subject_id=form.instance.pk,
                    subject_name=form.instance.name,
                    action=action,
                    actor=request.user,
                    reason=fields["reason"],
                    municipality=municipality,
                )
                transaction.on_commit(
                    lambda e=event, m=municipality: audit(e, request, municipality=m.code, **fields)
                )
        transaction.on_commit(lambda: audit("constellation.saved", request, **fields))


class AgreementForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=300,
        help_text=_(
            "Beslutet som ändringen bygger på (organ, datum, paragraf). Det sparas i "
            "historiken med ditt namn."
        ),
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "constellation",
            "parties",
            "form",
            "starts_on",
            "ends_on",
            "yearly_fee_per_party",
            "notice_period_months",
            "registration_number",
        ]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    form = AgreementForm
    list_display = ["title", "starts_on", "ends_on", "yearly_fee_per_party", "registration_number"]
    filter_horizontal = ["parties"]

    def save_model(self, request, obj, form, change):
        request._parties_before = set(obj.parties.all()) if obj.pk else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        agreement = form.instance
        before, after = request._parties_before, set(agreement.parties.all())
        record = functools.partial(
            reference_change_record,
            subject=ChangeSubject.AGREEMENT,
            subject_id=agreement.pk,
            subject_name=agreement.title,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        changed = [name for name in form.changed_data if name not in {"parties", "reason"}]
        if not change:
            record(action=ChangeAction.AGREEMENT_ADDED)
        elif changed:
            record(action=ChangeAction.AGREEMENT_CHANGED, detail=",".join(changed))
        for action, parties in (
            (ChangeAction.PARTY_ADDED, after - before),
            (ChangeAction.PARTY_REMOVED, before - after),
        ):
            for municipality in sorted(parties, key=lambda m: m.code):
                record(action=action, municipality=municipality)


admin.site.register(CollaborationArea)


@admin.register(ReferenceChange)
class ReferenceChangeAdmin(ViewOnlyAdmin):
    """History is a record: shown, never written here."""

    list_display = ["created_at", "subject_name", "action", "municipality", "actor", "reason"]
    list_filter = ["subject", "action"]
    list_select_related = ["municipality", "actor"]


@admin.register(Organisation)
class OrganisationAdmin(ViewOnlyAdmin):
    """Organisations are registered in the pages, where each change keeps its history."""

    list_display = ["name", "kind", "organisation_number"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation_number"]
