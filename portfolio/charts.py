"""Accessible charts drawn on the server as SVG, so the page and the PDF are identical.

Each chart is a `Chart`: the SVG (role="img" with <title> and <desc>) and the same
figures as a table, which the page shows beside the picture as its text alternative.
Series are told apart by pattern and marker shape and are labelled in the picture,
so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samverkan import formatting

_ids = itertools.count(1)

WIDTH = 640
TEXT = "#1a1a1a"
AXIS = "#595959"
# Dark enough for 3:1 against white (WCAG 1.4.11), and patterned as well.
SERIES = [
    ("#00508c", "solid"),
    ("#8a4b00", "hatch"),
    ("#1b6b3a", "dots"),
    ("#6b2c91", "cross"),
]
MARKERS = ["circle", "square", "triangle", "diamond"]


def format_number(value, unit: str = "") -> str:
    """1 999 899 kr on a page: samverkan.formatting's digits and rounding (half up), with
    non-breaking spaces so that an amount never wraps. A Decimal keeps its decimals."""
    if value is None:
        return "–"
    decimals = 0
    if isinstance(value, Decimal) and value != value.to_integral_value():
        decimals = -value.normalize().as_tuple().exponent
    text = formatting.number(value, decimals, sep=formatting.NBSP)
    return f"{text}{formatting.NBSP}{unit}" if unit else text


@dataclass
class ChartTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    title: str
    description: str
    svg: SafeString
    table: ChartTable
    dom_id: str = field(default="")

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


def _new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _svg(dom_id: str, title: str, desc: str, height: int, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" class="chart" role="img" id="{dom_id}" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc">'
        f'<title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(desc)}</desc>'
        f"<defs>{_patterns(dom_id)}</defs>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every value is escaped


def _patterns(dom_id: str) -> str:
    parts = []
    for i, (colour, kind) in enumerate(SERIES):
        pid = f"{dom_id}-p{i}"
        if kind == "solid":
            inner = f'<rect width="8" height="8" fill="{colour}"/>'
        elif kind == "hatch":
            inner = (
                f'<rect width="8" height="8" fill="#fff"/>'
                f'<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" '
                f'stroke="{colour}" stroke-width="2.5"/>'
            )
        elif kind == "dots":
            inner = (
                f'<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2.4" '
                f'fill="{colour}"/>'
            )
        else:
            inner = (
                f'<rect width="8" height="8" fill="#fff"/>'
                f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f"{inner}</pattern>"
        )
    return "".join(parts)


def _fill(dom_id: str, index: int) -> tuple[str, str]:
    colour = SERIES[index % len(SERIES)][0]
    return f"url(#{dom_id}-p{index % len(SERIES)})", colour


def _text(x, y, content, anchor="start", size=12, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{TEXT}" '
        f'text-anchor="{anchor}" font-weight="{weight}" '
        f'font-family="system-ui, sans-serif">{escape(str(content))}</text>'
    )


def bar_chart(
    *,
    title: str,
    description: str,
    labels: list[str],
    values: list[int],
    unit: str = "",
    label_header: str = "",
    value_header: str = "",
) -> Chart:
    """Horizontal bars, one per label, each with its value written at its end."""
    dom_id = _new_id("chart")
    label_width, row, top = 190, 26, 10
    height = top + row * max(1, len(labels)) + 10
    longest = max(values, default=0) or 1
    plot = WIDTH - label_width - 130
    body = []
    fill, colour = _fill(dom_id, 0)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        width = plot * value / longest
        body.append(_text(label_width - 8, y + 16, label, anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="{row - 8}" '
            f'fill="{fill}" stroke="{colour}"/>'
        )
        body.append(_text(label_width + width + 6, y + 16, format_number(value, unit)))
    body.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - 8}" '
        f'stroke="{AXIS}"/>'
    )
    table = ChartTable(
        caption=title,
        headers=[label_header or _("Kategori"), value_header or _("Värde")],
        rows=[[label, format_number(value, unit)] for label, value in zip(labels, values)],  # noqa: B905
    )
    return Chart(title, description, _svg(dom_id, title, description, height, body), table, dom_id)


def grouped_bar_chart(
    *,
    title: str,
    description: str,
    categories: list[str],
    series: list[tuple[str, list[int]]],
    unit: str = "",
    label_header: str = "",
) -> Chart:
    """Bars side by side per category; each series has its own pattern and a legend."""
    dom_id = _new_id("chart")
    label_width, bar, gap, top = 190, 16, 12, 34
    group = bar * len(series) + gap
    height = top + group * max(1, len(categories)) + 10
    longest = max((v for _, values in series for v in values), default=0) or 1
    plot = WIDTH - label_width - 130
    body = _legend(dom_id, [name for name, _values in series])
    for c, category in enumerate(categories):
        y0 = top + c * group
        body.append(_text(label_width - 8, y0 + bar * len(series) / 2 + 4, category, "end"))
        for s, (_name, values) in enumerate(series):
            fill, colour = _fill(dom_id, s)
            value = values[c]
            width = plot * value / longest
            y = y0 + s * bar
            body.append(
                f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar - 3}" '
                f'fill="{fill}" stroke="{colour}"/>'
            )
            body.append(
                _text(label_width + width + 6, y + bar - 5, format_number(value, unit), size=11)
            )
    body.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - 8}" '
        f'stroke="{AXIS}"/>'
    )
    table = ChartTable(
        caption=title,
        headers=[label_header or _("Kategori")] + [name for name, _values in series],
        rows=[
            [category] + [format_number(values[c], unit) for _, values in series]
            for c, category in enumerate(categories)
        ],
    )
    return Chart(title, description, _svg(dom_id, title, description, height, body), table, dom_id)


def _legend(dom_id: str, names: list[str]) -> list[str]:
    body, x = [], 10
    for s, name in enumerate(names):
        fill, colour = _fill(dom_id, s)
        body.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{fill}" stroke="{colour}"/>')
        body.append(_text(x + 20, 20, name))
        x += 30 + 7 * len(name)
    return body


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z" '
            f'fill="{colour}"/>'
        )
    return (
        f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} '
        f'L{x - 5:.1f},{y:.1f} Z" fill="{colour}"/>'
    )


def line_chart(
    *,
    title: str,
    description: str,
    x_labels: list[str],
    series: list[tuple[str, list[int]]],
    unit: str = "",
) -> Chart:
    """Lines over periods; each series has its own marker shape and dash, and a legend."""
    dom_id = _new_id("chart")
    rows_of_legend = (len(series) + 1) // 2
    left, right, top, bottom = 50, 30, 24 + 20 * rows_of_legend, 40
    height = 220 + 20 * rows_of_legend
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    highest = max((v for _, values in series for v in values), default=0) or 1
    step = plot_w / max(1, len(x_labels) - 1)
    body = []
    dashes = ["", "6 3", "2 3", "8 3 2 3"]
    for s, (name, _values) in enumerate(series):
        colour = SERIES[s % len(SERIES)][0]
        x = 10 + (s % 2) * (WIDTH // 2)
        y = 15 + (s // 2) * 20
        body.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 22}" y2="{y}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dashes[s % 4]}"/>'
        )
        body.append(_marker(MARKERS[s % 4], x + 11, y, colour))
        body.append(_text(x + 28, y + 4, name, size=12))
    for tick in range(0, 5):
        value = highest * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#d0d0d0"/>'
        )
        body.append(_text(left - 6, y + 4, format_number(round(value)), "end", size=11))
    for i, label in enumerate(x_labels):
        body.append(_text(left + i * step, height - bottom + 18, label, "middle", size=11))
    for s, (_name, values) in enumerate(series):
        colour = SERIES[s % len(SERIES)][0]
        points = [
            (left + i * step, top + plot_h - plot_h * v / highest) for i, v in enumerate(values)
        ]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dashes[s % 4]}"/>'
        )
        body.extend(_marker(MARKERS[s % 4], px, py, colour) for px, py in points)
    table = ChartTable(
        caption=title,
        headers=[_("Serie")] + list(x_labels),
        rows=[[name] + [format_number(v, unit) for v in values] for name, values in series],
    )
    return Chart(title, description, _svg(dom_id, title, description, height, body), table, dom_id)


@dataclass
class TimelineRow:
    group: str
    label: str
    start: dt.date
    end: dt.date
    note: str = ""


def timeline_chart(*, title: str, description: str, rows: list[TimelineRow]) -> Chart:
    """A Gantt-like timeline: one bar per row from planned start to planned end."""
    dom_id = _new_id("chart")
    label_width, row_h, top = 220, 22, 34
    lines: list[tuple[str, TimelineRow | None]] = []
    for group, items in itertools.groupby(rows, key=lambda r: r.group):
        lines.append((group, None))
        lines.extend((group, item) for item in items)
    height = top + row_h * max(1, len(lines)) + 10
    if rows:
        first = min(r.start for r in rows)
        last = max(r.end for r in rows)
    else:
        first = last = dt.date.today()  # noqa: DTZ011 - only an empty axis
    first = dt.date(first.year, 1, 1)
    last = dt.date(last.year, 12, 31)
    span = (last - first).days or 1
    plot = WIDTH - label_width - 10

    def x_of(day: dt.date) -> float:
        return label_width + plot * (day - first).days / span

    body = []
    for year in range(first.year, last.year + 1):
        x = x_of(dt.date(year, 1, 1))
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height}" stroke="#d0d0d0"/>'
        )
        body.append(_text(x + 4, top - 12, year, size=11))
    fill, colour = _fill(dom_id, 0)
    for i, (group, item) in enumerate(lines):
        y = top + i * row_h
        if item is None:
            body.append(_text(6, y + 15, group, weight="bold"))
            continue
        body.append(_text(label_width - 8, y + 15, item.label[:34], "end", size=11))
        x1, x2 = x_of(item.start), x_of(item.end)
        body.append(
            f'<rect x="{x1:.1f}" y="{y + 4}" width="{max(2.0, x2 - x1):.1f}" height="{row_h - 8}" '
            f'fill="{fill}" stroke="{colour}"/>'
        )
    table = ChartTable(
        caption=title,
        headers=[_("Program"), _("Initiativ"), _("Planerad start"), _("Planerat slut")],
        rows=[[r.group, r.label, r.start.isoformat(), r.end.isoformat()] for r in rows],
    )
    return Chart(title, description, _svg(dom_id, title, description, height, body), table, dom_id)
