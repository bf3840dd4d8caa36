"""Swedish number formats and health badges for the dashboard's templates."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..charts import format_number
from ..choices import Health
from ..selectors.economy_types import net_wording

register = template.Library()
register.filter("net_wording", net_wording)

# Health is told by an icon shape and a word as well as a colour.
HEALTH_ICONS = {Health.GREEN: "✓", Health.YELLOW: "!", Health.RED: "✕"}


@register.filter
def kr(value):
    """1 999 899 kr"""
    return format_number(value, "kr")


@register.filter
def number(value):
    return format_number(value)


@register.filter
def health_badge(value):
    # The same few badges on every row: built once per value and language.
    return _health_badge(value or "", get_language())


@lru_cache(maxsize=64)
def _health_badge(value: str, _language: str | None):
    if not value:
        return format_html('<span class="health health-none">{}</span>', _("Ingen rapport"))
    label = Health(value).label
    return format_html(
        '<span class="health health-{}"><span class="health-icon" aria-hidden="true">{}</span> '
        "{}</span>",
        value,
        HEALTH_ICONS[value],
        label,
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def nav_portfolios(context):
    """The portfolios the signed-in user may see, for the main menu (one query, cached)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(request, "_nav_portfolios", None)
    if cached is None:
        from ..selectors.access import visible_portfolios

        cached = list(visible_portfolios(user).only("id", "name"))
        request._nav_portfolios = cached
    return cached


# A number no initiative has, for the one reverse() per script prefix and language.
_PLACEHOLDER = "987654321"


@lru_cache(maxsize=32)
def _initiative_url_pattern(prefix: str, language: str | None) -> tuple[str, str] | None:
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("portfolio:initiative-detail", args=[int(_PLACEHOLDER)])
    except NoReverseMatch:
        return None
    before, found, after = url.rpartition(_PLACEHOLDER)
    return (before, after) if found else None


@register.simple_tag
def initiative_url(initiative_or_pk):
    """The initiative page (the workflow's), or the list when that page is not routed.

    A dashboard links about 150 initiatives; reverse() for each was a tenth of its
    rendering, so the URL is built once and the number put in."""
    from django.urls import get_script_prefix

    pk = getattr(initiative_or_pk, "pk", initiative_or_pk)
    pattern = _initiative_url_pattern(get_script_prefix(), get_language())
    if pattern is None:
        return ""
    return f"{pattern[0]}{int(pk)}{pattern[1]}"


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column heading that sorts the table; says which way it is sorted."""
    current = context.get("sort", "reference")
    query = context.get("sort_query", context.get("query", ""))
    descending = current == f"-{key}"
    active = current.lstrip("-") == key
    target = f"-{key}" if active and not descending else key
    prefix = f"{query}&" if query else ""
    arrow = ("▼" if descending else "▲") if active else ""
    return format_html(
        '<a href="?{}sortera={}">{}<span aria-hidden="true"> {}</span></a>',
        prefix,
        target,
        label,
        arrow,
    )


@register.simple_tag(takes_context=True)
def aria_sort(context, key):
    current = context.get("sort", "reference")
    if current.lstrip("-") != key:
        return ""
    return format_html(' aria-sort="{}"', "descending" if current.startswith("-") else "ascending")


@register.simple_tag(takes_context=True)
def may_submit_idea(context, portfolio):
    from .. import policies

    request = context.get("request")
    return bool(request) and policies.can_submit_idea(request.user, portfolio)
