"""Starting a portfolio from the pages (the samordnare of a member municipality)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import policies
from ..forms.base import apply_error
from ..forms.portfolios import PortfolioForm
from ..selectors.access import visible_constellations
from ..services.errors import DomainError
from ..services.portfolios import portfolio_create


@login_required
def portfolio_new(request):
    if not policies.can_create_portfolio(request.user, None):
        raise PermissionDenied(_("Bara portföljkontoret (samordnare) kan starta en portfölj."))
    form = PortfolioForm(
        request.POST if request.method == "POST" else None,
        constellations=visible_constellations(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            portfolio = portfolio_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Portföljen är startad med standardchecklistan. Lägg till program, "
                    "fördelningsnyckel och beslutande organ här."
                ),
            )
            return redirect("portfolio:settings", pk=portfolio.pk)
    return render(
        request,
        "portfolio/portfolio_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
