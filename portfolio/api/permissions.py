"""Shared bases for API views: row-level restriction, permission before the body,
read-only sets, version checks.

Every viewset restricts its queryset through `portfolio.selectors.access`; what is
outside a user's constellations answers 404, never 403. Which actions a user may take
is decided by `portfolio.policies`: the services apply them, and the action endpoints
ask them once more before reading the body (`GuardedAPIView`), so a forbidden action
answers 403 whatever was sent. The rules are at the end of this module.
"""

import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.views import APIView

from .. import policies
from ..services.errors import NotAllowedError, StaleVersionError

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

    def visible_queryset(self):
        """What the user may see; each viewset narrows it from an access selector.
        Nothing, until a viewset says otherwise."""
        return self.queryset.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return self.visible_queryset()


class ReadOnlyRestrictedViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def etag_for(instance) -> str:
    return f'"{instance.version}"'


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='ETag från en tidigare läsning, till exempel "3". Inaktuell: 412.',
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="`*`: skapa bara om det inte redan finns; annars 412.",
)


def expected_version(request, instance, body_version, *, required=True) -> tuple[int, bool]:
    """The version the client edited: from If-Match (preferred) or the body.

    Returns (version, from_if_match). An If-Match that does not match the stored
    version raises 412; a body version is passed to the service, which answers 409.
    Where neither is `required` (a DELETE has no body), (None, False) means unconditional.
    """
    header = request.headers.get("If-Match")
    if header is not None:
        match = ETAG_VERSION.match(header)
        if match is None or int(match.group(1)) != instance.version:
            raise PreconditionFailed()
        return int(match.group(1)), True
    if body_version is None and required:
        raise exceptions.ValidationError(
            {"version": [_("Ange den version du utgick från, i fältet version eller If-Match.")]}
        )
    return body_version, False


@contextmanager
def precondition(from_if_match: bool):
    """A stale version found by the service under its row lock: 412 when the client
    sent If-Match, else the service's 409."""
    try:
        yield
    except StaleVersionError as exc:
        if from_if_match:
            raise PreconditionFailed() from exc
        raise


# --- permission before the body ----------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A policy guarding a write, and what the refused client is told.

    `allows(user, target)` is a `portfolio.policies` function (or a coarse form of one
    when the exact answer depends on the body, e.g. which gate a decision is for); the
    service still applies the exact rule afterwards.
    """

    allows: Callable[[Any, Any], bool]
    refusal: str


def require(rule: Rule, user, target) -> None:
    if not rule.allows(user, target):
        raise NotAllowedError(rule.refusal)


class GuardedAPIView(APIView):
    """An APIView whose writes ask the policy before reading the body.

    A write first fetches its target through the access selectors (outside: 404), then
    calls `self.permit(target)`, which applies `rules[method]` (403 whatever the body),
    and only then `self.valid(...)` (400). `valid` refuses to read the body of a write
    that has not been permitted, so a view cannot validate first by mistake.
    """

    rules: dict[str, Rule] = {}

    def permit(self, target):
        rule = self.rules.get(self.request.method)
        if rule is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} has no rule for {self.request.method}."
            )
        require(rule, self.request.user, target)
        self._permitted = True
        return target

    def valid(self, serializer_class, **kwargs):
        if self.request.method not in permissions.SAFE_METHODS and not getattr(
            self, "_permitted", False
        ):
            raise ImproperlyConfigured(
                f"{type(self).__name__} reads the body before calling permit()."
            )
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# --- the rules the action endpoints ask before reading the body ----------------------------

# A calculation that writes nothing and reads only what the user may see.
CALCULATE = Rule(lambda user, target: True, "")
EDIT_INITIATIVE = Rule(policies.can_edit_initiative, _("Du kan inte ändra det här initiativet."))
# Coarse: which portfolio is named in the body; the service checks membership of that one.
SUBMIT_IDEA = Rule(
    lambda user, target: not policies.is_reader_only(user),
    _("Du har bara läsbehörighet och kan inte lämna idéer."),
)
RECORD_DECISION = Rule(
    policies.can_record_any_decision,
    _(
        "Bara ordföranden eller sekreteraren i det organ som fattar beslutet kan registrera "
        "det (i standarduppsättningen programledaren för G0 och G2 och kommundirektörerna "
        "för G1, G3 och avbryt)."
    ),
)
CONFIRM_CRITERION = Rule(
    policies.can_confirm_criterion, _("Du kan inte bekräfta kriterier för initiativet.")
)
INVITE_MUNICIPALITY = Rule(
    policies.can_invite_municipalities, _("Du kan inte bjuda in kommuner till initiativet.")
)
ANSWER_PARTICIPATION = Rule(
    policies.can_answer_participation,
    _(
        "Bara kommundirektören i den kommunen, eller den som fått delegering, kan svara "
        "för kommunens deltagande."
    ),
)
RECORD_IMPLEMENTATION = Rule(
    policies.can_record_implementation,
    _("Du kan inte registrera implementering för den kommunen."),
)
REPORT_FOR_INITIATIVE = Rule(
    policies.can_report_for,
    _(
        "Bara personal i en deltagande kommun, programledaren och samordnaren kan "
        "rapportera för initiativet."
    ),
)
CORRECT_COST_ENTRY = Rule(
    policies.can_remove_entry,
    _(
        "Du kan inte ändra den här kostnaden: estimat ändras bara av programledaren och "
        "samordnaren, utfall av den kommun som betalade."
    ),
)
CORRECT_TIME_ENTRY = Rule(
    policies.can_remove_entry,
    _("Du kan inte ändra tid för den kommunen i initiativet."),
)
RECORD_MEASUREMENT = Rule(
    policies.can_record_measurement, _("Du kan inte registrera mätvärden för effektmålet.")
)
SCORE_PRIORITY = Rule(
    policies.can_score_priority, _("Du kan inte sätta prioriteringspoäng för initiativet.")
)
PAUSE_INITIATIVE = Rule(
    policies.can_pause_initiative, _("Du kan inte pausa eller återuppta initiativet.")
)
JUDGE_3N = Rule(policies.can_judge_3n, _("Du kan inte bedöma 3N för initiativet."))
SETTLE = Rule(policies.can_settle, policies.SETTLE_REFUSED)
MANAGE_SETTINGS = Rule(
    policies.can_manage_portfolio_settings,
    _("Bara portföljkontoret (samordnare i en medlemskommun) kan ändra inställningarna."),
)
# Coarse for a new meeting (which body is named in the body); the service checks that one.
PLAN_ANY_MEETING = Rule(
    lambda user, portfolio: any(
        policies.can_plan_meeting(user, body) for body in policies.bodies_of(user, portfolio)
    ),
    _("Bara ett organs ordförande eller sekreterare, eller portföljkontoret, planerar möten."),
)
PLAN_MEETING = Rule(
    lambda user, meeting: policies.can_plan_meeting(user, meeting.body),
    _("Bara organets ordförande eller sekreterare, eller portföljkontoret, planerar mötet."),
)
RECORD_MEETING = Rule(
    policies.can_record_meeting,
    _("Bara organets ordförande eller sekreterare för protokollet och registrerar besluten."),
)
SEND_AGENDA = Rule(
    policies.can_send_agenda,
    _("Bara organets ordförande eller sekreterare skickar kallelsen."),
)
ADJUST_MINUTES = Rule(
    policies.can_adjust_minutes,
    _("Protokollet justeras av ordföranden och den utsedda justeraren."),
)
