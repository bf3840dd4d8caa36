"""Query parameters: what the schema documents for an operation is all it accepts.

The schema generator (samverkan.api_schema.AutoSchema) records each operation's query
parameters as it describes it; the permission below refuses any other. Nothing here
imports the generator at load time: DRF reads DEFAULT_PERMISSION_CLASSES while its
views are being defined, before drf-spectacular can be imported.
"""

import threading

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

# (view class, action, method) -> the query parameters the schema documents for it, each
# with whether it may be repeated (an array).
_QUERY_PARAMETERS: dict[tuple, dict[str, bool]] = {}
_LOCK = threading.Lock()


def operation_key(view, method: str) -> tuple:
    return (type(view), getattr(view, "action", None), method.upper())


def record_query_parameters(key: tuple, parameters: dict[str, bool]) -> None:
    _QUERY_PARAMETERS[key] = dict(parameters)


def documented_query_parameters(view, method: str) -> dict[str, bool] | None:
    """The query parameters the schema documents for this view and method; None for an
    operation the schema does not describe. The schema is generated once per process."""
    if not _QUERY_PARAMETERS:
        with _LOCK:
            if not _QUERY_PARAMETERS:
                from drf_spectacular.generators import SchemaGenerator

                SchemaGenerator().get_schema(request=None, public=True)
    return _QUERY_PARAMETERS.get(operation_key(view, method))


class KnownQueryParameters(permissions.BasePermission):
    """Refuses (400) a query parameter the schema does not document for the operation,
    naming it, rather than ignoring it: a misspelt filter would otherwise answer with
    everything. A parameter that takes one value, given twice, is refused the same way.
    Checked as a permission so that it comes after authentication (401)."""

    def has_permission(self, request, view):
        method = "GET" if request.method == "HEAD" else request.method
        known = documented_query_parameters(view, method)
        if known is None:
            return True
        errors = {}
        for name, values in request.query_params.lists():
            if name not in known:
                errors[name] = [_("Okänd parameter.")]
            elif len(values) > 1 and not known[name]:
                errors[name] = [_("Ange parametern en gång.")]
        if errors:
            raise exceptions.ValidationError(errors)
        return True
