"""The charts of the board report: the dashboard's own charts from
`portfolio.dashboard_charts`, so paper and screen show the same figures as SVG."""

from portfolio import dashboard_charts as shared
from portfolio.selectors.indicators import recent_half_years


def stage_chart(labels: list[str], values: list[int]) -> str:
    return str(shared.stage_chart(labels, values))


def budget_chart(rows, year: int) -> str:
    return str(shared.budget_chart(rows, year))


def allocation_chart(economy) -> str:
    return str(shared.allocation_chart(economy))


def trend_chart(portfolio, period) -> str:
    return str(shared.trend_chart(portfolio, recent_half_years(period.end, 4)))
