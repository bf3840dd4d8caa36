"""One wrapper for every wide data table: it scrolls inside itself on a narrow screen.

WCAG 2.1 1.4.10 lets a data table scroll sideways when the page around it does not. The
region takes the keyboard focus (so it can be scrolled without a mouse) and is named by
the table's caption or heading, which a screen reader announces on entering it.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, labelledby, label):
        self.nodelist = nodelist
        self.labelledby = labelledby
        self.label = label

    def render(self, context):
        inner = self.nodelist.render(context)
        if self.labelledby is not None:
            name = format_html(' aria-labelledby="{}"', self.labelledby.resolve(context))
        elif self.label is not None:
            name = format_html(' aria-label="{}"', self.label.resolve(context))
        else:
            name = ""
        role = mark_safe(' role="region"') if name else ""
        return format_html('<div class="table-scroll"{}{} tabindex="0">{}</div>', role, name, inner)


@register.tag
def scroll_region(parser, token):
    """{% scroll_region labelledby="caption-id" %} or label=_("…"); {% endscroll_region %}."""
    bits = token.split_contents()[1:]
    options = {"labelledby": None, "label": None}
    for bit in bits:
        key, _, value = bit.partition("=")
        if key not in options or not value:
            raise template.TemplateSyntaxError(f"scroll_region does not take {bit!r}")
        options[key] = parser.compile_filter(value)
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, **options)
