"""Organisations besides the municipalities: every signed-in user reads the register;
a samordnare registers and changes them (municipalities.organisations)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from municipalities.models import Organisation
from municipalities.organisations import (
    FIELDS,
    REFUSED,
    can_manage_organisations,
    organisation_create,
    organisation_update,
)

from ..forms.base import apply_error
from ..forms.constellations import OrganisationForm


@login_required
def organisation_list(request):
    return render(
        request,
        "portfolio/organisations/list.html",
        {
            "organisations": Organisation.objects.order_by("name"),
            "can_add": can_manage_organisations(request.user),
        },
    )


@login_required
def organisation_form(request, pk=None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else None
    if not can_manage_organisations(request.user):
        raise PermissionDenied(REFUSED)
    initial = {name: getattr(organisation, name) for name in FIELDS} if organisation else {}
    form = OrganisationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if organisation is None:
                organisation_create(actor=request.user, **form.cleaned_data)
            else:
                organisation_update(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Organisationen är sparad."))
            return redirect("portfolio:organisation-list")
    return render(
        request,
        "portfolio/organisations/form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.is_bound and form.errors else 200,
    )
