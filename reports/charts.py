"""The charts of the board report: the dashboard's own charts, from
`portfolio.dashboard_charts`.

Each returns SVG markup. When the shared chart module is not installed a plain bar
chart drawn here stands in. Every label is escaped: chart text can come from users.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .formatting import grouped

try:
    from portfolio import dashboard_charts as shared
    from portfolio.selectors.indicators import recent_half_years
except ImportError:  # pragma: no cover - the dashboard area is installed in the product
    shared = None


def stage_chart(labels: list[str], values: list[int]) -> str:
    if shared is None:
        return plain_bar_chart(_("Initiativ per steg"), list(zip(labels, values, strict=True)))
    return str(shared.stage_chart(labels, values))


def budget_chart(rows, year: int) -> str:
    if shared is None:
        title = _("Budget och utfall %(year)s") % {"year": year}
        return plain_bar_chart(title, [(r.program_name, r.actual) for r in rows], "kr")
    return str(shared.budget_chart(rows, year))


def allocation_chart(economy) -> str:
    if shared is None:
        title = _("Kostnad per kommun %(period)s") % {"period": economy.period.label}
        return plain_bar_chart(title, [(r.name, r.allocated) for r in economy.rows], "kr")
    return str(shared.allocation_chart(economy))


def trend_chart(portfolio, period) -> str | None:
    if shared is None:
        return None
    return str(shared.trend_chart(portfolio, recent_half_years(period.end, 4)))


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
