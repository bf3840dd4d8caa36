from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render

from municipalities.models import Municipality

from .selectors.access import visible_constellations, visible_portfolios


@login_required
def home(request):
    portfolios = (
        visible_portfolios(request.user)
        .select_related("constellation")
        .annotate(initiative_count=Count("initiatives"))
    )
    constellations = visible_constellations(request.user).prefetch_related(
        Prefetch("members", queryset=Municipality.objects.order_by("name"))
    )
    return render(
        request,
        "portfolio/home.html",
        {"portfolios": portfolios, "constellations": constellations},
    )
