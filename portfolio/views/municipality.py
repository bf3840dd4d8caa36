"""Min kommun: what the user's municipality takes part in, across its constellations."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..choices import ParticipationStatus
from ..models import Participation
from ..periods import half_year_of, parse_period
from ..selectors.access import visible_initiatives, visible_portfolios
from ..selectors.dashboard import participation_pending
from ..selectors.economy import municipality_economy
from ..selectors.indicators import recent_half_years


@login_required
def my_municipality(request):
    municipality = request.user.municipality
    if municipality is None:
        return render(request, "portfolio/municipality.html", {"municipality": None})
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
        for economy in municipality_economy(municipality, period, user=request.user)
    ]
    context = {
        "municipality": municipality,
        "period": period,
        "period_text": text or period.label,
        "period_error": error,
        "choices": [p.label for p in recent_half_years(timezone.localdate(), 6)],
        "portfolios": visible_portfolios(request.user).select_related("constellation"),
        "participations": participations,
        "pending": participation_pending(initiatives, municipality.pk),
        "participating_status": ParticipationStatus.PARTICIPATING,
        "economies": economies,
    }
    return render(request, "portfolio/municipality.html", context)
