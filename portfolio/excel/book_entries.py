"""The dated entries of a portfolio workbook: status reports, costs and hours.

None of them has a number of its own, so a row counts as already imported when an
identical entry exists for the same initiative (matched one to one, as the cost and
time import does); importing the workbook again changes nothing. Costs and hours are
parsed and checked by the cost and time import's own rules (entries_import.py).
"""

from collections import Counter

from django.utils.translation import gettext as _

from ..choices import Health
from ..models import CostEntry, StatusUpdate, TimeEntry
from . import cells
from .book_columns import COSTS, STATUS, TIME
from .book_history import _choice, _required_date, _rows, _text
from .book_preview import Book
from .columns import REFERENCE
from .entries_import import KINDS, _check_rules, _signature
from .entries_import import _Context as EntriesContext
from .lookups import MunicipalityLookup
from .preview import CREATE, UNCHANGED, Preview


def _key_id(key):
    # Entries of an initiative still to be created cannot match a stored one.
    return key.target.pk if key.target is not None else ("new", key.number.casefold())


def _match(preview: Preview, parsed, remaining: Counter, signature) -> None:
    for row, key in parsed:
        if key is None or row.has_errors:
            continue
        row.target = key
        wanted = signature(row, key)
        if wanted is None:
            continue
        if remaining[wanted] > 0:
            remaining[wanted] -= 1
            row.action = UNCHANGED
        else:
            row.action = CREATE


def _status_signature(key_id, values) -> tuple:
    municipality = values.get("municipality")
    return (
        key_id,
        values["reported_on"],
        values["health_time"],
        values["health_cost"],
        values["health_quality"],
        values["progress"],
        values.get("comment") or "",
        getattr(municipality, "pk", municipality),
    )


def status_sheet(content, titles, book: Book):
    municipalities = MunicipalityLookup()
    missing = _("Ange Grön, Gul eller Röd.")

    def parse(name, raw):
        if name in ("health_time", "health_cost", "health_quality"):
            return _choice(raw, Health.choices, missing)
        if name == "reported_on":
            return _required_date(raw, book)
        if name == "progress":
            value = cells.integer(raw)
            if value is None or not 0 <= value <= 100:
                raise cells.CellError(_("Ange framsteget i procent, 0–100."))
            return value
        if name == "municipality":
            return municipalities.find(raw)
        return _text(raw)

    preview, parsed = _rows(content, titles, book, STATUS, parse)
    targets = {key.target.pk for _row, key in parsed if key is not None and key.target}
    remaining = Counter(
        _status_signature(u.initiative_id, {**u.__dict__, "municipality": u.municipality_id})
        for u in StatusUpdate.objects.filter(initiative__in=targets)
    )

    def signature(row, key):
        needed = ("reported_on", "health_time", "health_cost", "health_quality", "progress")
        if any(name not in row.fields for name in needed):
            row.add_error("", _("Datum, hälsa och framsteg behövs för en statusrapport."))
            return None
        if row.fields["reported_on"] < key.submitted_on:
            row.add_error(
                preview.mapping["reported_on"],
                _("Rapporten ligger före %(date)s, då %(reference)s lämnades in.")
                % {"date": key.submitted_on.isoformat(), "reference": key.name},
            )
            return None
        return _status_signature(_key_id(key), row.fields)

    _match(preview, parsed, remaining, signature)
    return preview


def _entries_sheet(content, titles, book: Book, kind: str, model):
    spec = KINDS[kind]
    context = EntriesContext(actor=book.actor, portfolio=book.portfolio, kind=spec)
    preview, parsed = _rows(content, titles, book, kind, context.parse)
    targets = {key.target.pk for _row, key in parsed if key is not None and key.target}
    remaining = Counter(
        _signature(kind, entry.__dict__) for entry in model.objects.filter(initiative__in=targets)
    )

    def signature(row, key):
        headers = {column.field: str(column.header) for column in spec.specs}
        missing = [
            headers[name] for name in spec.required if name != REFERENCE and name not in row.fields
        ]
        if missing:
            row.add_error("", _("Kolumnen saknas: %(names)s.") % {"names": ", ".join(missing)})
            return None
        _check_rules(row, kind, context, preview.mapping)
        if row.has_errors:
            return None
        return _signature(kind, {**row.fields, "initiative": _key_id(key)})

    _match(preview, parsed, remaining, signature)
    return preview


def cost_sheet(content, titles, book: Book):
    return _entries_sheet(content, titles, book, COSTS, CostEntry)


def time_sheet(content, titles, book: Book):
    return _entries_sheet(content, titles, book, TIME, TimeEntry)
