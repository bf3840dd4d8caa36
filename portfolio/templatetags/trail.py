"""Breadcrumbs that lead back: start page, portfolio, initiative, the page itself.

One tag for every page below the start page, so the trail reads the same everywhere and
a screen reader finds it as a named navigation with the current page marked."""

from django import template

register = template.Library()


@register.inclusion_tag("portfolio/_breadcrumbs.html")
def breadcrumbs(here, portfolio=None, initiative=None, parent_url="", parent_label=""):
    """`here` is the page's own name; `parent_*` is a step between the portfolio (or
    initiative) and the page, such as the portfolio's economy above a program's."""
    if initiative is not None and portfolio is None:
        portfolio = initiative.portfolio
    return {
        "here": here,
        "portfolio": portfolio,
        "initiative": initiative,
        "parent_url": parent_url,
        "parent_label": parent_label,
    }
