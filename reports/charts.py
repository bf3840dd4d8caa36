"""The charts of the board report: the dashboard's figures, drawn by `portfolio.charts`.

Each returns SVG markup. When the shared chart module is not installed a plain bar
chart drawn here stands in. Every label is escaped: chart text can come from users.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .formatting import grouped

try:
    from portfolio import charts as shared
except ImportError:  # pragma: no cover - the dashboard area is installed in the product
    shared = None


def stage_chart(labels: list[str], values: list[int]) -> str:
    if shared is None:
        return plain_bar_chart(_("Initiativ per steg"), list(zip(labels, values, strict=True)))
    return str(
        shared.bar_chart(
            title=_("Initiativ per steg"),
            description=_("Antal initiativ i varje steg, från idé till förvaltning."),
            labels=labels,
            values=values,
            label_header=_("Steg"),
            value_header=_("Antal initiativ"),
        )
    )


def budget_chart(rows, year: int) -> str:
    title = _("Budget och utfall %(year)s") % {"year": year}
    if shared is None:
        return plain_bar_chart(title, [(r.program_name, r.actual) for r in rows], "kr")
    return str(
        shared.grouped_bar_chart(
            title=title,
            description=_(
                "Budget, estimerade kostnader och faktiska kostnader per program %(year)s."
            )
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
    )


def allocation_chart(economy) -> str:
    title = _("Kostnad per kommun %(period)s") % {"period": economy.period.label}
    if shared is None:
        return plain_bar_chart(title, [(r.name, r.allocated) for r in economy.rows], "kr")
    return str(
        shared.bar_chart(
            title=title,
            description=_(
                "Varje kommuns andel av de gemensamma kostnaderna (utfall och värdet av "
                "timmar) enligt fördelningsnyckeln."
            ),
            labels=[r.name for r in economy.rows],
            values=[r.allocated for r in economy.rows],
            unit="kr",
            label_header=_("Kommun"),
            value_header=_("Andel av kostnaderna"),
        )
    )


def trend_chart(portfolio, period) -> str | None:
    try:
        from portfolio.selectors.indicators import (
            TREND_LABELS,
            indicator_trend,
            recent_half_years,
        )
    except ImportError:
        return None
    if shared is None:
        return None
    periods = recent_half_years(period.end, 4)
    trend = indicator_trend(portfolio, periods)
    return str(
        shared.line_chart(
            title=_("Uppföljning per halvår"),
            description=_(
                "Inkomna initiativ, startade förstudier, startade projekt och uppdrag samt "
                "implementeringar i kommuner under de fyra senaste halvåren."
            ),
            x_labels=[p.label for p in periods],
            series=[(str(TREND_LABELS[key]), values) for key, values in trend.items()],
        )
    )


def plain_bar_chart(title: str, items: list[tuple[str, int]], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG; values are printed beside the bars."""
    row_height, label_width, bar_width = 22, 190, 300
    width = label_width + bar_width + 120
    height = 28 + row_height * max(len(items), 1)
    largest = max((abs(v) for _label, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(items):
        y = 24 + index * row_height
        length = abs(value) * bar_width / largest
        suffix = f" {unit}" if unit else ""
        parts.append(
            f'<text x="0" y="{y + 14}">{escape(label[:32])}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" '
            f'height="{row_height - 8}" fill="#00508c"/>'
            f'<text x="{label_width + bar_width + 6}" y="{y + 14}">'
            f"{escape(grouped(value))}{escape(suffix)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
