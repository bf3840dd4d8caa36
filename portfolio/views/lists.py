"""The filterable, paginated initiative list of a portfolio."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from ..excel.imports import allowed_kinds
from ..selectors.dashboard import sorted_initiatives
from .dashboard import portfolio_filter, portfolio_for

LIST_FILTERS = (
    "q",
    "program",
    "stage",
    "area",
    "collaboration_level",
    "municipality",
    "health",
    "is_paused",
)
PAGE_SIZE = 25


@login_required
def initiative_list(request, pk):
    portfolio = portfolio_for(request, pk)
    filterset = portfolio_filter(request, portfolio)
    sort = request.GET.get("sortera", "reference")
    rows = sorted_initiatives(filterset.qs, sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    params = request.GET.copy()
    params.pop("sida", None)
    sort_params = params.copy()
    sort_params.pop("sortera", None)
    context = {
        "portfolio": portfolio,
        "filter": filterset,
        "filter_fields": [filterset.form[name] for name in LIST_FILTERS],
        "page": page,
        "sort": sort,
        "query": params.urlencode(),
        "sort_query": sort_params.urlencode(),
        "export_url": _with_query(
            reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk]), sort_params
        ),
        "import_url": (
            reverse("portfolio:excel-import", args=[portfolio.pk])
            if allowed_kinds(request.user, portfolio)
            else ""
        ),
    }
    template = "portfolio/list_table.html" if request.headers.get("HX-Request") else None
    return render(request, template or "portfolio/list.html", context)


def _with_query(url: str, params) -> str:
    query = params.urlencode()
    return f"{url}?{query}" if query else url
