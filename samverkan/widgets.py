"""Select widgets that write their options in Python.

Django renders each <option> through two included templates; a filter form with some
sixty options cost a dashboard about 10 ms. These widgets write the same markup as
Django's templates (tests/test_widgets.py compares them) without the template engine.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


def _options(optgroups) -> str:
    parts = []
    for group_name, group_choices, _index in optgroups:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    mark_safe(_attrs(option["attrs"])),  # noqa: S308 - escaped in _attrs
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(  # noqa: S308 - every part is escaped above
            format_html('<select name="{}"', widget["name"])
            + _attrs(widget["attrs"])
            + ">"
            + _options(widget["optgroups"])
            + "\n</select>"
        )


class PlainSelectMultiple(PlainSelect, forms.SelectMultiple):
    pass
