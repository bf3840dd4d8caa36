"""The API schema's generator: drf-spectacular's, made to say what the server answers.

Every view uses it (DEFAULT_SCHEMA_CLASS), so each point below is stated once.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers

from samverkan.api import KnownFieldsOnly, PatchInput
from samverkan.api_query import operation_key, record_query_parameters


def _model_field(field):
    """The model field a serializer field of a ModelSerializer reads, if any."""
    meta = getattr(field.parent, "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


# Text the server takes: never a NUL (DRF refuses it), and, where it may not be blank,
# something besides whitespace (DRF trims it before checking).
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _text_constraints(field, schema: dict) -> None:
    """What DRF checks of text and decimals, as patterns (the generator states neither)."""
    if isinstance(field, serializers.DecimalField) and schema.get("type") == "string":
        whole, places = field.max_whole_digits, field.decimal_places
        if whole and places:
            # drf-spectacular's pattern lets "" and "-" through; DRF wants a digit.
            schema["pattern"] = rf"^-?(\d{{1,{whole}}}(\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
    elif (
        isinstance(field, serializers.CharField)
        and schema.get("type") == "string"
        and "pattern" not in schema
    ):
        blank_ok = field.allow_blank or not field.trim_whitespace
        schema["pattern"] = NO_NUL if blank_ok else NOT_BLANK


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops `allow_blank` from read-only model fields, so a choice the model
        # allows to be blank ("" for an initiative without an area) would be missing
        # from the response's enum although the server returns it.
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and getattr(_model_field(field), "blank", False)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and not field.read_only and isinstance(schema, dict):
            _text_constraints(field, schema)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        # A body naming a field the endpoint does not know is refused (KnownFieldsOnly),
        # so the schema says so; a test holds every request body to it.
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, KnownFieldsOnly):
            schema["additionalProperties"] = False
        if direction == "request" and isinstance(serializer, PatchInput):
            # ... and a PATCH names at least one field it changes (`version` is none).
            changes = sorted(set(schema.get("properties", {})) - PatchInput.NOT_A_CHANGE)
            schema["anyOf"] = [{"required": [name]} for name in changes]
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            query = {
                p["name"]: p.get("schema", {}).get("type") == "array"
                for p in operation.get("parameters", [])
                if p["in"] == "query"
            }
            record_query_parameters(operation_key(self.view, method), query)
        return operation
