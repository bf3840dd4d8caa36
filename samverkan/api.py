"""API conventions shared by every endpoint.

Every error has one JSON shape:
    {"detail": "...", "code": "...", "errors": {"field": ["message", ...]}}
`errors` is present for field errors (400). Domain errors name their rule in `code`.
"""

import re

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from samverkan.domain_errors import DomainError


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` up to 500. A bad `page_size` is a 400, not ignored."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Ange ett heltal från 1 till %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = _(
                    "Antal per sida, högst %(max)d (standard %(default)d)."
                ) % {"max": self.max_page_size, "default": self.page_size}
        return parameters


class FilterBackend(DjangoFilterBackend):
    """django-filter, but an API client's empty value for a non-text filter is a 400.

    Pages send empty selects to mean "all"; an API client that sends `portfolio=` has
    made a mistake and is told so rather than silently getting everything.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = {
                name: [_("Ange ett värde eller utelämna parametern.")]
                for name, values in request.query_params.lists()
                if name in filterset_class.base_filters
                and not isinstance(filterset_class.base_filters[name], django_filters.CharFilter)
                and any(value == "" for value in values)
            }
            if empty:
                raise exceptions.ValidationError(empty)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if filterset.is_valid():
            return filterset.qs
        if _only_unknown_ids(request, filterset):
            return queryset.none()
        raise utils.translate_validation(filterset.errors)


_INTEGER = re.compile(r"-?[0-9]+")


def _only_unknown_ids(request, filterset) -> bool:
    """Whether every error is an id that is well formed but names nothing the user can
    see: a client filtering by such an id gets no rows, as for an id with none (not a
    400 that would tell it the id exists elsewhere)."""
    for name, errors in filterset.errors.as_data().items():
        model_filter = isinstance(
            filterset.filters.get(name),
            django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter,
        )
        values = request.query_params.getlist(name)
        if not (
            model_filter
            and all(error.code == "invalid_choice" for error in errors)
            and values
            and all(_INTEGER.fullmatch(value) for value in values)
        ):
            return False
    return True


# The largest integer a database column holds (64 bits): a larger id or number in a body
# is a 400, not an overflow in the database driver (a 500).
INTEGER_MAX = 2**63 - 1


def _bounded(field) -> None:
    if isinstance(field, serializers.ListField):
        _bounded(field.child)
    elif isinstance(field, serializers.IntegerField) and field.max_value is None:
        field.max_value = INTEGER_MAX
        message = field.error_messages["max_value"].format(max_value=INTEGER_MAX)
        field.validators.append(MaxValueValidator(INTEGER_MAX, message=message))


class KnownFieldsOnly:
    """Serializer mixin: a body naming a field the endpoint does not know is refused (400),
    rather than the field being silently ignored. Every input serializer has it (the
    schema says `additionalProperties: false` of each), so it also bounds their integers."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _bounded(field)
        return fields

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - self._writable_names())
            if unknown:
                raise exceptions.ValidationError({name: [_("Okänt fält.")] for name in unknown})
        return super().to_internal_value(data)

    def _writable_names(self) -> set[str]:
        return {name for name, field in self.fields.items() if not field.read_only}


class PatchInput(KnownFieldsOnly):
    """Mixin for every PATCH input serializer: besides naming only known fields, the body
    names at least one it can change (the `version` the client saw is no change).

    Otherwise the PATCH would answer 200 and change nothing the client meant to change.
    """

    NOT_A_CHANGE = frozenset({"version"})

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not set(data.keys()) - self.NOT_A_CHANGE:
            raise exceptions.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("Ange minst ett fält att ändra.")]}
            )
        return value


class SearchFilter(filters.SearchFilter):
    """DRF's search, refusing characters no database can search for (NUL) with a 400."""

    def get_search_terms(self, request):
        raw = request.query_params.get(self.search_param, "")
        if "\x00" in raw:
            raise exceptions.ValidationError(
                {self.search_param: [_("Söktexten innehåller otillåtna tecken.")]}
            )
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["pattern"] = "^[^\\u0000]*$"
        return parameters


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering with the primary key as the last key, so pages never overlap.
    A key the endpoint does not sort by is a 400 naming the keys it does, not ignored."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        unknown = [term for term in fields if term not in valid]
        if unknown:
            keys = [name for name, _label in self.get_valid_fields(queryset, view, {})]
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Kan inte sortera efter %(unknown)s. Välj bland: %(keys)s.")
                        % {"unknown": ", ".join(unknown), "keys": ", ".join(sorted(keys))}
                    ]
                }
            )
        return valid

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None)
        if not isinstance(fields, list | tuple):
            return super().get_schema_operation_parameters(view)
        keys = sorted(fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": _("Sortering: nycklar åtskilda med komma, minus för fallande."),
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [*keys, *(f"-{k}" for k in keys)]},
                },
            }
        ]

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not {"pk", "-pk", "id", "-id"}.intersection(ordering):
            ordering.append("pk")
        return ordering


def _django_validation_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            (field if field != "__all__" else "non_field_errors"): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.rule}
        if exc.fields:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.fields.items()}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(
            {
                "detail": _("Uppgifterna är inte giltiga."),
                "code": "invalid",
                "errors": _django_validation_errors(exc),
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        if isinstance(data, list):
            data = {"non_field_errors": data}
        response.data = {
            "detail": _("Uppgifterna är inte giltiga."),
            "code": "invalid",
            "errors": data,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    return response


ERROR_SCHEMA = {
    "type": "object",
    "description": "Samma form för alla fel. `errors` finns vid fältfel (400).",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Felkod; domänfel namnger regeln."},
        "errors": {
            "type": "object",
            "description": "Fältnamn till en lista med meddelanden.",
            "additionalProperties": {},
        },
    },
    "required": ["detail", "code"],
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_ALWAYS = {
    "400": "Ogiltiga uppgifter; `errors` anger vad som är fel i varje fält.",
    "401": "Inte inloggad, eller ogiltig, utgången eller återkallad API-nyckel.",
    "403": "Din roll får inte göra detta.",
    "404": "Finns inte, eller ligger utanför dina samverkanskonstellationer.",
}
_WRITES = {
    "409": "Någon annan har sparat först (inaktuell `version`), eller en domänregel "
    "som beror på läget säger nej.",
    "412": "`If-Match` stämmer inte med den aktuella versionen (ETag).",
    "415": "Innehållstypen stöds inte; skicka JSON.",
}
# Only where a body is sent: RequestSizeLimitMiddleware refuses it before it is read.
_BODIES = {
    "413": "Uppgifterna eller filen är för stora.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents its errors once."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(_ALWAYS)
            if method in ("post", "put", "patch", "delete"):
                errors.update(_WRITES)
            if "requestBody" in operation:
                errors.update(_BODIES)
            for code, description in errors.items():
                # A view's own description of an error stays; its body is the one shape.
                response = operation["responses"].setdefault(code, {})
                response["description"] = response.get("description") or description
                response["content"] = {"application/json": {"schema": _ERROR_REF}}
    return result
