"""Constellations in the pages: everyone reads their own constellations; the
samordnare of a member municipality creates and changes one and records members joining
or leaving on a date (municipalities.constellations)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.reference_history import reference_lines_of
from municipalities.choices import ChangeSubject
from municipalities.constellations import (
    FIELDS,
    REFUSED,
    can_manage_constellation,
    constellation_create,
    constellation_update,
    membership_change,
)
from municipalities.membership import members_in_force

from ..forms.base import apply_error
from ..forms.constellations import ConstellationForm, MembershipForm
from ..selectors.access import visible_constellations


def _status(form):
    return 400 if form.is_bound and form.errors else 200


@login_required
def constellation_list(request):
    return render(
        request,
        "portfolio/constellations/list.html",
        {
            "constellations": visible_constellations(request.user)
            .select_related("lead_municipality", "host_municipality")
            .prefetch_related("members", "organisations")
            .order_by("name"),
            "can_add": can_manage_constellation(request.user, None),
        },
    )


@login_required
def constellation_detail(request, pk):
    constellation = get_object_or_404(
        visible_constellations(request.user).prefetch_related("areas"), pk=pk
    )
    can_edit = can_manage_constellation(request.user, constellation)
    return render(
        request,
        "portfolio/constellations/detail.html",
        {
            "constellation": constellation,
            "members": members_in_force(constellation),
            "history": reference_lines_of(ChangeSubject.CONSTELLATION, constellation.pk),
            "can_edit": can_edit,
            "membership_form": MembershipForm(constellation=constellation) if can_edit else None,
        },
    )


@login_required
def constellation_form(request, pk=None):
    constellation = get_object_or_404(visible_constellations(request.user), pk=pk) if pk else None
    if not can_manage_constellation(request.user, constellation):
        raise PermissionDenied(REFUSED)
    initial = {"joined_on": timezone.localdate()}
    if constellation is not None:
        initial = {name: getattr(constellation, name) for name in FIELDS}
        initial["areas"] = list(constellation.areas.all())
    form = ConstellationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        creating=constellation is None,
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["areas"] = list(values["areas"])
        try:
            if constellation is None:
                saved = constellation_create(actor=request.user, **values)
            else:
                saved = constellation_update(
                    actor=request.user, constellation=constellation, **values
                )
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Konstellationen är sparad."))
            return redirect("portfolio:constellation-detail", pk=saved.pk)
    return render(
        request,
        "portfolio/constellations/form.html",
        {"form": form, "constellation": constellation},
        status=_status(form),
    )


@login_required
def constellation_membership(request, pk):
    constellation = get_object_or_404(visible_constellations(request.user), pk=pk)
    if not can_manage_constellation(request.user, constellation):
        raise PermissionDenied(REFUSED)
    form = MembershipForm(
        request.POST if request.method == "POST" else None, constellation=constellation
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership_change(actor=request.user, constellation=constellation, **form.cleaned_data)
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Medlemskapet är registrerat."))
            return redirect("portfolio:constellation-detail", pk=constellation.pk)
    return render(
        request,
        "portfolio/constellations/membership.html",
        {"form": form, "constellation": constellation},
        status=_status(form),
    )
