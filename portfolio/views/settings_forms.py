"""What every settings form page shares: the samordnare's access, running the service
with its refusal shown on the form, and the way back to the overview."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import policies
from ..forms.base import apply_error
from ..selectors import settings as sel
from ..services.errors import DomainError, NotAllowedError


def manageable(request, pk):
    portfolio = sel.settings_portfolio(request.user, pk)
    if not policies.can_manage_portfolio_settings(request.user, portfolio):
        raise PermissionDenied(_("Bara portföljkontoret (samordnare) kan ändra inställningarna."))
    return portfolio


def back(portfolio, anchor=""):
    response = redirect("portfolio:settings", pk=portfolio.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def run(form, action) -> bool:
    try:
        action()
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except (ValidationError, DomainError) as exc:
        apply_error(form, exc)
        return False
    return True


def page(request, portfolio, form, heading, intro="", anchor="", **extra):
    return render(
        request,
        "portfolio/settings/form.html",
        {
            "portfolio": portfolio,
            "form": form,
            "heading": heading,
            "intro": intro,
            "anchor": anchor,
            **extra,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def bound(request):
    return request.POST if request.method == "POST" else None
