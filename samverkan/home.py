"""The start page: first what needs this person, then their portfolios and where to go.

It composes the apps (the portfolio's work and the reports' documents), so it lives
with the project, not inside either app."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.utils import timezone

from municipalities.models import Municipality
from portfolio import policies
from portfolio.selectors.access import visible_constellations, visible_portfolios
from portfolio.selectors.my_work import my_work
from reports.selectors import job_subject, recent_documents

RECENT_DOCUMENTS = dt.timedelta(days=14)


@login_required
def home(request):
    portfolios = (
        visible_portfolios(request.user)
        .select_related("constellation")
        .annotate(initiative_count=Count("initiatives"))
        .order_by("name")
    )
    constellations = visible_constellations(request.user).prefetch_related(
        Prefetch("members", queryset=Municipality.objects.order_by("name"))
    )
    documents = recent_documents(request.user, timezone.now() - RECENT_DOCUMENTS)
    return render(
        request,
        "portfolio/home.html",
        {
            "work": my_work(request.user, timezone.localdate()),
            "documents": [(job, job_subject(job)) for job in documents],
            "portfolios": portfolios,
            "constellations": constellations,
            "can_create_portfolio": policies.can_create_portfolio(request.user, None),
        },
    )
