"""The plain select widgets write exactly what Django's templates write."""

from django import forms

from samverkan.widgets import PlainSelect, PlainSelectMultiple

CHOICES = [("", "Alla"), ("a", "Ett & två"), ("b", 'Tre "citat"'), (3, "Tre")]
GROUPED = [("Grupp <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")]


def _both(plain, django_widget, name, value, attrs=None):
    return plain.render(name, value, attrs), django_widget.render(name, value, attrs)


def test_single_select_matches_django():
    for value in ("", "a", "b", 3, None, "saknas"):
        mine, theirs = _both(
            PlainSelect(choices=CHOICES), forms.Select(choices=CHOICES), "area", value
        )
        assert mine == theirs


def test_attributes_and_groups_match_django():
    attrs = {"id": "id_x", "aria-describedby": 'h<"1">', "required": True, "disabled": False}
    mine, theirs = _both(
        PlainSelect(choices=GROUPED), forms.Select(choices=GROUPED), "x", "y", attrs
    )
    assert mine == theirs
    assert "disabled" not in mine


def test_multiple_select_matches_django():
    for value in ([], ["a"], ["a", "b"]):
        mine, theirs = _both(
            PlainSelectMultiple(choices=CHOICES),
            forms.SelectMultiple(choices=CHOICES),
            "stage",
            value,
        )
        assert mine == theirs
        assert " multiple" in mine
