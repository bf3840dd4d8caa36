"""Min kommun: what the user's municipality takes part in, across its constellations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import ParticipationStatus
from ..forms.base import apply_error
from ..forms.delegation import DelegationForm
from ..models import Participation, ParticipationDelegation
from ..periods import half_year_of, parse_period
from ..selectors.access import visible_initiatives, visible_portfolios
from ..selectors.dashboard import participation_pending
from ..selectors.indicators import recent_half_years
from ..selectors.portfolio_cache import cached_municipality_economy
from ..services import delegation as delegation_service
from ..services.errors import NotAllowedError

PARTICIPATIONS_PER_PAGE = 50


def _query_without(request, name) -> str:
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


@login_required
def my_municipality(request):
    municipality = request.user.municipality
    if municipality is None:
        return render(request, "portfolio/municipality.html", {"municipality": None})
    delegation_form = None
    if policies.can_delegate_participation(request.user, municipality):
        posted = request.method == "POST" and "revoke" not in request.POST
        delegation_form = DelegationForm(
            request.POST if posted else None, municipality=municipality, actor=request.user
        )
    if request.method == "POST":
        done = _delegation_post(request, municipality, delegation_form)
        if done is not None:
            return done
    error = ""
    period = half_year_of(timezone.localdate())
    text = request.GET.get("period", "").strip()
    if text:
        try:
            period = parse_period(text)
        except ValueError as exc:
            error = str(exc)
    initiatives = visible_initiatives(request.user)
    participations = (
        Participation.objects.filter(
            initiative__in=initiatives.values("id"), municipality=municipality
        )
        .select_related("initiative", "initiative__portfolio", "initiative__program")
        .order_by("initiative__portfolio__name", "initiative_id")
    )
    economies = [
        (economy, economy.row_for(municipality.code))
        for economy in cached_municipality_economy(municipality, period, user=request.user)
    ]
    context = {
        "municipality": municipality,
        "period": period,
        "period_text": text or period.label,
        "period_error": error,
        "choices": [p.label for p in recent_half_years(timezone.localdate(), 6)],
        "portfolios": visible_portfolios(request.user).select_related("constellation"),
        # Thousands at national scale: a page at a time, as the initiative list.
        "participations": Paginator(participations, PARTICIPATIONS_PER_PAGE).get_page(
            request.GET.get("sida")
        ),
        "query": _query_without(request, "sida"),
        "pending": participation_pending(initiatives, municipality.pk),
        "participating_status": ParticipationStatus.PARTICIPATING,
        "economies": economies,
        "delegation_form": delegation_form,
        "delegations": _delegations(request.user, municipality, delegation_form),
        "today": timezone.localdate(),
    }
    status = 400 if delegation_form is not None and delegation_form.errors else 200
    return render(request, "portfolio/municipality.html", context, status=status)


def _delegations(user, municipality, form):
    """The director sees the municipality's delegations, revoked ones included (history)."""
    if form is None:
        return None
    return list(
        ParticipationDelegation.objects.filter(municipality=municipality)
        .select_related("delegate", "delegated_by", "revoked_by")
        .order_by("-delegated_at", "-id")
    )


def _delegation_post(request, municipality, form):
    """Add or revoke a delegation; a redirect when done, None to show the form's errors."""
    if form is None:
        raise PermissionDenied(_("Bara kommunens kommundirektör kan delegera svar om deltagande."))
    try:
        if "revoke" in request.POST:
            item = get_object_or_404(
                ParticipationDelegation.objects.select_related("delegate", "municipality"),
                pk=int(request.POST["revoke"]) if request.POST["revoke"].isdigit() else 0,
                municipality=municipality,
            )
            delegation_service.delegation_revoke(actor=request.user, delegation=item)
            messages.success(
                request, _("Delegeringen till %(name)s är återkallad.") % {"name": item.delegate}
            )
            return redirect("portfolio:my-municipality")
        if not form.is_valid():
            return None
        item = delegation_service.delegation_create(
            actor=request.user,
            delegate=form.cleaned_data["delegate"],
            valid_until=form.cleaned_data["valid_until"],
        )
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ValidationError as exc:
        if "revoke" in request.POST:
            messages.error(request, " ".join(exc.messages))
            return redirect("portfolio:my-municipality")
        apply_error(form, exc)
        return None
    messages.success(
        request, _("%(name)s kan nu svara om deltagande för kommunen.") % {"name": item.delegate}
    )
    return redirect("portfolio:my-municipality")
