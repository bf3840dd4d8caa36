"""The figures an issued document was printed from, as JSON kept with the job.

`snapshot` turns a document template's context into plain JSON: numbers, text, dates
and lists as they were when the document was rendered. A record (model instance) is
kept shallow, as its own column values and the ids it points to, with the text the
document shows for it; people are kept as id and name only. Money stays integer kronor;
Decimal and Fraction values are kept as exact strings, so nothing is rounded by JSON.

The snapshot is read back as it is; the document is never rendered again from it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models
from django.utils.functional import Promise

FORMAT = 1
# Deeper than any document's context nests; a guard against an unexpected cycle.
MAX_DEPTH = 12


def snapshot(context: dict) -> dict:
    """The context as JSON-safe data, with the format number for later readers."""
    return {"format": FORMAT, "data": _plain(context, 0)}


def _plain(value, depth: int):
    if depth > MAX_DEPTH:
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, Promise | enum.Enum):
        return str(value)
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return _record(value, depth)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kept = {
            field.name: _plain(getattr(value, field.name), depth + 1)
            for field in dataclasses.fields(value)
        }
        if isinstance(getattr(type(value), "label", None), property):
            kept["label"] = str(value.label)  # a period as the document names it
        return kept
    if isinstance(value, dict):
        return {str(key): _plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item, depth + 1) for item in value]
    return str(value)


def _record(instance: models.Model, depth: int) -> dict:
    meta = instance._meta
    kept = {"record": meta.label_lower, "id": instance.pk, "text": str(instance)}
    if meta.label == settings.AUTH_USER_MODEL:
        # A person is named, never copied (no password hash, no contact details).
        kept["text"] = instance.get_full_name() or instance.get_username()
        return kept
    deferred = instance.get_deferred_fields()
    for field in meta.concrete_fields:
        if field.attname in deferred or field.primary_key:
            continue
        kept[field.attname] = _plain(getattr(instance, field.attname), depth + 1)
    return kept
