"""The dashboard's charts, built once for both the dashboard page and the board report."""

from django.utils.translation import gettext as _

from .charts import Chart, bar_chart, grouped_bar_chart, line_chart
from .selectors.indicators import TREND_LABELS
from .selectors.portfolio_cache import cached_indicator_trend


def stage_chart(labels: list[str], values: list[int]) -> Chart:
    return bar_chart(
        title=_("Initiativ per steg"),
        description=_("Antal initiativ i varje steg, från idé till förvaltning."),
        labels=labels,
        values=values,
        label_header=_("Steg"),
        value_header=_("Antal initiativ"),
    )


def budget_chart(rows, year: int) -> Chart:
    """`rows` are one year's `costs_against_budget` rows."""
    return grouped_bar_chart(
        title=_("Budget och utfall %(year)s") % {"year": year},
        description=_("Budget, estimerade kostnader och faktiska kostnader per program %(year)s.")
        % {"year": year},
        categories=[r.program_name for r in rows],
        series=[
            (_("Budget"), [r.budget for r in rows]),
            (_("Estimat"), [r.estimate for r in rows]),
            (_("Utfall"), [r.actual for r in rows]),
        ],
        unit="kr",
        label_header=_("Program"),
    )


def allocation_chart(economy) -> Chart:
    return bar_chart(
        title=_("Kostnad per kommun %(period)s") % {"period": economy.period.label},
        description=_(
            "Varje kommuns andel av de gemensamma kostnaderna (utfall och värdet av timmar) "
            "enligt fördelningsnyckeln."
        ),
        labels=[r.name for r in economy.rows],
        values=[r.allocated for r in economy.rows],
        unit="kr",
        label_header=_("Kommun"),
        value_header=_("Andel av kostnaderna"),
    )


def trend_chart(portfolio, periods) -> Chart:
    trend = cached_indicator_trend(portfolio, periods)
    return line_chart(
        title=_("Uppföljning per halvår"),
        description=_(
            "Inkomna initiativ, startade förstudier, startade projekt och uppdrag samt "
            "implementeringar i kommuner under de fyra senaste halvåren."
        ),
        x_labels=[p.label for p in periods],
        series=[(str(TREND_LABELS[key]), values) for key, values in trend.items()],
    )
