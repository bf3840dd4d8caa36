from django import template

from portfolio.selectors.economy_types import net_wording
from samverkan import formatting

register = template.Library()

register.filter("kr", formatting.kr)
register.filter("net_wording", net_wording)
register.filter("kr_abs", formatting.kr_abs)
register.filter("iso", formatting.iso)
register.filter("percent", formatting.percent)


@register.filter
def num(value, decimals=0):
    return formatting.number(value, int(decimals))
