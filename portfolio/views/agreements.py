"""The agreements register: every party's people read it; the samordnare of the
constellation registers and changes agreements (municipalities.agreements)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.reference_history import reference_lines_of
from municipalities.agreements import (
    REFUSED,
    agreement_create,
    agreement_update,
    can_manage_agreements,
)
from municipalities.choices import ChangeSubject
from municipalities.models import Municipality

from ..forms.agreements import AgreementForm
from ..forms.base import apply_error
from ..selectors.access import visible_agreements, visible_constellations
from .attachments import attachment_block


def _agreements(request):
    return (
        visible_agreements(request.user)
        .select_related("constellation")
        .prefetch_related("parties", "organisation_parties")
    )


@login_required
def agreement_list(request):
    return render(
        request,
        "portfolio/agreements/list.html",
        {
            "agreements": _agreements(request).order_by("ends_on", "title"),
            "can_add": can_manage_agreements(request.user, None),
        },
    )


@login_required
def agreement_detail(request, pk):
    agreement = get_object_or_404(_agreements(request), pk=pk)
    return render(
        request,
        "portfolio/agreements/detail.html",
        {
            "agreement": agreement,
            "history": reference_lines_of(ChangeSubject.AGREEMENT, agreement.pk),
            "can_edit": can_manage_agreements(request.user, agreement.constellation),
            "attachments_block": attachment_block(request.user, agreement),
        },
    )


def _constellation(request, agreement=None):
    if agreement is not None:
        return agreement.constellation
    pk = request.GET.get("konstellation") or request.POST.get("constellation")
    mine = visible_constellations(request.user).order_by("name")
    return mine.filter(pk=pk).first() if str(pk or "").isdigit() else mine.first()


@login_required
def agreement_form(request, pk=None):
    agreement = get_object_or_404(_agreements(request), pk=pk) if pk else None
    constellation = _constellation(request, agreement)
    if not can_manage_agreements(request.user, constellation):
        raise PermissionDenied(REFUSED)
    municipalities = (
        constellation.members.order_by("name") if constellation else Municipality.objects.none()
    )
    initial = {}
    if agreement is not None:
        initial = {
            name: getattr(agreement, name)
            for name in (
                "title",
                "form",
                "starts_on",
                "ends_on",
                "yearly_fee_per_party",
                "notice_period_months",
                "registration_number",
            )
        }
        initial["parties"] = list(agreement.parties.all())
        initial["organisations"] = list(agreement.organisation_parties.all())
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        municipalities=municipalities,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["parties"] = list(values["parties"])
        values["organisations"] = list(values["organisations"])
        try:
            if agreement is None:
                saved = agreement_create(actor=request.user, constellation=constellation, **values)
            else:
                saved = agreement_update(actor=request.user, agreement=agreement, **values)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Avtalet är sparat."))
            return redirect("portfolio:agreement-detail", pk=saved.pk)
    return render(
        request,
        "portfolio/agreements/form.html",
        {"form": form, "agreement": agreement, "constellation": constellation},
        status=400 if form.is_bound and form.errors else 200,
    )
