from django import template

from .. import formatting

register = template.Library()

register.filter("kr", formatting.kr)
register.filter("iso", formatting.iso)
register.filter("percent", formatting.percent)


@register.filter
def num(value, decimals=0):
    return formatting.number(value, int(decimals))
