"""The portfolio dashboard and the follow-up indicators page."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.widgets import PlainSelect

from .. import dashboard_charts as charts
from ..choices import Stage
from ..filters import InitiativeFilter
from ..models import Initiative, Program
from ..periods import half_year_of, parse_period
from ..selectors import dashboard as board
from ..selectors import portfolio_cache as kept
from ..selectors.access import visible_portfolios
from ..selectors.economy import period_choices
from ..selectors.indicators import portfolio_indicators, recent_half_years

DASHBOARD_FILTERS = (
    "program",
    "stage",
    "area",
    "collaboration_level",
    "municipality",
    "health",
    "q",
)
TABLE_ROWS = 25


def portfolio_for(request, pk):
    return get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=pk
    )


def portfolio_filter(request, portfolio) -> InitiativeFilter:
    """The shared filter set, its choices narrowed to this portfolio."""
    filterset = InitiativeFilter(
        request.GET or None,
        queryset=Initiative.objects.filter(portfolio=portfolio),
        request=request,
    )
    filterset.form.fields["program"].queryset = Program.objects.filter(portfolio=portfolio)
    filterset.form.fields["municipality"].queryset = portfolio.constellation.members.order_by(
        "name"
    )
    _blank_means_all(filterset.form)
    paused = filterset.form.fields.get("is_paused")
    if paused is not None:
        paused.widget = PlainSelect(
            choices=[("", _("Alla")), ("true", _("Ja")), ("false", _("Nej"))]
        )
    return filterset


def _blank_means_all(form) -> None:
    """Every single-choice filter starts with "Alla" (not dashes, and never a real value)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = _("Alla")
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = [c for c in field.choices if c[0] not in ("", None)]
            field.choices = [("", _("Alla")), *choices]


def _since(request) -> tuple[dt.date, str]:
    today = timezone.localdate()
    default = half_year_of(today).previous_half_year().start
    text = request.GET.get("sedan", "").strip()
    if not text:
        return default, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return default, _("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-01.")


def _pipeline_chart(columns):
    return charts.stage_chart([c.label for c in columns], [c.count for c in columns])


def _trend_chart(portfolio):
    return charts.trend_chart(portfolio, recent_half_years(timezone.localdate(), 4))


def _period(request, name="period"):
    """The half-year asked for in the URL (default: the current one) and any error."""
    text = request.GET.get(name, "").strip()
    current = half_year_of(timezone.localdate())
    if not text:
        return current, ""
    try:
        return parse_period(text), ""
    except ValueError as exc:
        return current, str(exc)


def _budget_chart(rows, year):
    rows = [r for r in rows if r.year == year]
    return charts.budget_chart(rows, year) if rows else None


@login_required
def dashboard(request, pk):
    portfolio = portfolio_for(request, pk)
    filterset = portfolio_filter(request, portfolio)
    initiatives = filterset.qs
    since, since_error = _since(request)
    period, period_error = _period(request)
    budget_rows = kept.cached_costs_against_budget(portfolio)
    budget_year = period.start.year
    economy = kept.cached_portfolio_economy(portfolio, period)
    # The whole portfolio's figures (the board's usual view) are kept write by write.
    if any(request.GET.get(name) for name in filterset.filters):
        by_program = board.pipeline_by_program(initiatives)
        health = board.health_counts(initiatives)
        awaiting = board.awaiting_decisions(portfolio, initiatives)
    else:
        by_program = kept.pipeline_counts(portfolio)
        health = kept.health_counts(portfolio)
        awaiting = kept.awaiting_decisions(portfolio)
    columns = board.pipeline(initiatives, by_program)
    sort = request.GET.get("sortera", "reference")
    table = list(board.sorted_initiatives(initiatives, sort)[:TABLE_ROWS])
    context = {
        "portfolio": portfolio,
        "filter": filterset,
        "filter_fields": [filterset.form[name] for name in DASHBOARD_FILTERS],
        "columns": columns,
        "by_program": by_program,
        "stage_labels": [(s, label) for s, label in Stage.choices],
        "health": board.health_summary(initiatives, health),
        "awaiting": awaiting,
        "since": since,
        "since_error": since_error,
        "decisions": list(board.decisions_since(initiatives, since)[:50]),
        "table": table,
        "table_total": sum(c.count for c in columns),
        "sort": sort,
        "query": _query_without(request, "sortera"),
        "pipeline_chart": _pipeline_chart(columns),
        "trend_chart": _trend_chart(portfolio),
        "period": period,
        "period_error": period_error,
        "period_choices": [p.label for p in period_choices()],
        "budget_rows": budget_rows,
        "budget_year": budget_year,
        "budget_chart": _budget_chart(budget_rows, budget_year),
        "economy": economy,
        "allocation_chart": charts.allocation_chart(economy) if economy.rows else None,
    }
    return render(request, "portfolio/dashboard.html", context)


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
def indicators(request, pk):
    portfolio = portfolio_for(request, pk)
    error = ""
    text = request.GET.get("period", "").strip()
    period = half_year_of(timezone.localdate())
    if text:
        try:
            period = parse_period(text)
        except ValueError as exc:
            error = str(exc)
    report = portfolio_indicators(portfolio, period)
    shown_key = request.GET.get("visa", "")
    shown_which = "previous" if request.GET.get("jamfor") == "1" else "current"
    shown_row = report.row(shown_key)
    context = {
        "portfolio": portfolio,
        "report": report,
        "period_text": text or period.label,
        "period_error": error,
        "choices": [p.label for p in recent_half_years(timezone.localdate(), 6)],
        "shown_row": shown_row,
        "shown_which": shown_which,
        "shown_period": report.previous_period if shown_which == "previous" else report.period,
        "shown": report.initiatives_behind(shown_key, shown_which) if shown_row else [],
    }
    return render(request, "portfolio/dashboard_indicators.html", context)
