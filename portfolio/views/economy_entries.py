"""Correcting and removing a cost or time entry from the initiative page. Both ask for
confirmation first, saying what changes and which decisions rest on the entry; the
services decide who may and what is allowed."""

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import policies
from ..forms.base import VersionField, apply_error
from ..models import CostEntry, TimeEntry
from ..selectors.access import visible_initiatives
from ..selectors.decision_basis import decisions_resting_on
from ..selectors.history import history_line
from ..services import costs
from ..services.errors import DomainError, StaleVersionError
from .economy import initiative_url, participating_municipalities
from .economy_forms import CostEntryForm, EntryVersionForm


def _entry(request, model, pk):
    own = "paid_by" if model is CostEntry else "municipality"
    return get_object_or_404(
        model._base_manager.filter(
            initiative__in=visible_initiatives(request.user).values("pk")
        ).select_related("initiative__portfolio", "initiative__program", own),
        pk=pk,
    )


class CostCorrectionForm(CostEntryForm):
    version = VersionField()
    # Set by the confirmation page: the person has seen what changes.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _change_lines(changes: dict):
    entry = SimpleNamespace(
        entity="cost_entry", action="corrected", changes=changes, created_at=None, actor=None
    )
    return history_line(entry).changes


@login_required
def cost_entry_correct(request, pk):
    entry = _entry(request, CostEntry, pk)
    initiative = entry.initiative
    if not policies.can_remove_entry(request.user, entry):
        raise PermissionDenied
    form = CostCorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "kind": entry.kind,
            "nature": entry.nature,
            "period": entry.period,
            "amount": entry.amount,
            "paid_by": entry.paid_by,
            "description": entry.description,
            "version": entry.version,
        },
        municipalities=participating_municipalities(initiative),
        estimates=policies.can_change_shared_figures(request.user, initiative),
    )
    context = {
        "initiative": initiative,
        "entry": entry,
        "form": form,
        "back_url": initiative_url(initiative),
        "decisions": decisions_resting_on(entry),
    }
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "confirmed")}
        try:
            changes = costs.cost_entry_changes(entry, **values)
            if not changes:
                raise ValidationError(_("Inget är ändrat: ange det nya värdet och spara."))
            if form.cleaned_data["confirmed"]:
                costs.cost_entry_correct(
                    actor=request.user,
                    entry=entry,
                    version=form.cleaned_data["version"],
                    **values,
                )
                messages.success(request, _("Kostnaden är rättad; historiken visar vad den var."))
                return redirect(initiative_url(initiative))
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status_code == 403:
                raise PermissionDenied from exc
            apply_error(form, exc)
        else:
            return render(
                request,
                "portfolio/economy/entry_correct_confirm.html",
                {**context, "changes": _change_lines(changes), "values": form.data},
            )
    return render(
        request,
        "portfolio/economy/entry_correct.html",
        context,
        status=400 if form.errors else 200,
    )


# The kinds of entry a page may remove; any other kind in the address is 404.
REMOVABLE = {
    "kostnad": (CostEntry, costs.cost_entry_delete),
    "tid": (TimeEntry, costs.time_entry_delete),
}


@login_required
def entry_delete(request, kind, pk):
    """GET: what will be removed, with a button to confirm. POST: remove it."""
    if kind not in REMOVABLE:
        raise Http404
    model, remove = REMOVABLE[kind]
    entry = _entry(request, model, pk)
    initiative = entry.initiative
    if request.method != "POST":
        if not policies.can_remove_entry(request.user, entry):
            raise PermissionDenied
        decisions = decisions_resting_on(entry) if model is CostEntry else []
        return render(
            request,
            "portfolio/economy/entry_delete_confirm.html",
            {
                "initiative": initiative,
                "entry": entry,
                "kind": kind,
                "decisions": decisions,
                "back_url": initiative_url(initiative),
            },
        )
    form = EntryVersionForm(request.POST)
    try:
        if not form.is_valid():
            # A page from before entries had versions: what it showed may be outdated.
            raise StaleVersionError()
        remove(actor=request.user, entry=entry, version=form.cleaned_data["version"])
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Posten är borttagen; historiken finns kvar."))
    return redirect(initiative_url(initiative))
