"""API conventions shared by every endpoint.

Every error has one JSON shape:
    {"detail": "...", "code": "...", "errors": {"field": ["message", ...]}}
`errors` is present for field errors (400). Domain errors name their rule in `code`.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portfolio.services.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _django_validation_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            (field if field != "__all__" else "non_field_errors"): [str(m) for m in e.messages]
            for field, e in exc.error_dict.items()
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
