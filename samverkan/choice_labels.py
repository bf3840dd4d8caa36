"""Choice labels read from a dictionary kept per field and language.

Django's get_FOO_display builds a dictionary of every choice on each call, and hashing
each lazy label translates it: about 0.1 ms per call. A dashboard shows a few hundred
of them, so models listed in bulk read their labels from here instead.
"""

from django.utils.encoding import force_str
from django.utils.translation import get_language

_labels: dict[tuple[int, str | None], dict] = {}


def choice_label(field, value):
    """The label of `value` among `field`'s choices in the active language; the value
    itself when it is not a choice (as Django's get_FOO_display)."""
    key = (id(field), get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = {choice: force_str(label) for choice, label in field.flatchoices}
        _labels[key] = labels
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value is never a choice
        return value


class ChoiceLabels:
    """Mixin for a model: its get_FOO_display methods read the kept labels."""

    def _get_FIELD_display(self, field):
        return force_str(choice_label(field, getattr(self, field.attname)), strings_only=True)
