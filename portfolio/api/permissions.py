"""Shared bases for API viewsets: row-level restriction, read-only sets, version checks.

Every viewset restricts its queryset through `portfolio.selectors.access`; what is
outside a user's constellations answers 404, never 403. Which actions a user may take
is decided by `portfolio.policies`, called by the services; the API does not repeat it.
"""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, status, viewsets

ETAG_VERSION = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Någon annan har sparat ändringar sedan du hämtade objektet (If-Match stämmer inte). "
        "Hämta det igen och gör dina ändringar på nytt."
    )
    default_code = "stale_version"


class RestrictedViewSetMixin:
    """Subclasses implement `visible_queryset()`, always starting from an access selector."""

    permission_classes = [permissions.IsAuthenticated]

    def visible_queryset(self):  # pragma: no cover - each viewset implements it
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.visible_queryset()


class ReadOnlyRestrictedViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def etag_for(instance) -> str:
    return f'"{instance.version}"'


def expected_version(request, instance, body_version) -> tuple[int, bool]:
    """The version the client edited: from If-Match (preferred) or the body.

    Returns (version, from_if_match). An If-Match that does not match the stored
    version raises 412; a body version is passed to the service, which answers 409.
    """
    header = request.headers.get("If-Match")
    if header is not None:
        match = ETAG_VERSION.match(header)
        if match is None or int(match.group(1)) != instance.version:
            raise PreconditionFailed()
        return int(match.group(1)), True
    if body_version is None:
        raise exceptions.ValidationError(
            {"version": [_("Ange den version du utgick från, i fältet version eller If-Match.")]}
        )
    return body_version, False
