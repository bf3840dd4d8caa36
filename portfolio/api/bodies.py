"""The portfolio's decision-making bodies in the REST API, through the same service as
the settings pages: /api/v1/portfolios/<id>/bodies/. Anyone who sees the portfolio reads;
the samordnare writes (403 for other roles, 404 outside the user's constellations)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from samverkan.api import KnownFieldsOnly, PatchInput

from ..choices import DecisionBody, Matter
from ..models import Body, Program
from ..selectors.bodies import body_of_portfolio, people_of_constellation, portfolio_bodies
from ..services import settings_bodies
from . import permissions as guard
from .settings import TAGS, PortfolioScoped, with_etag


class PersonRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")
    municipality = serializers.CharField(source="municipality.name", allow_null=True)


class BodySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    program_name = serializers.CharField(source="program.name", allow_null=True, default=None)
    matters = serializers.ListField(child=serializers.ChoiceField(choices=Matter.choices))
    matter_labels = serializers.ListField(child=serializers.CharField())
    chair = PersonRef()
    secretary = PersonRef(allow_null=True)
    members = PersonRef(many=True)
    substitutes = PersonRef(many=True)

    class Meta:
        model = Body
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "program",
            "program_name",
            "matters",
            "matter_labels",
            "chair",
            "secretary",
            "members",
            "substitutes",
            "is_active",
            "version",
        ]


PEOPLE_HELP = gettext_lazy("Användarnas id; personer i portföljens konstellation.")


class BodyInput(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=DecisionBody.choices)
    program = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Programmets id; null: hela portföljen."),
    )
    matters = serializers.ListField(
        child=serializers.ChoiceField(choices=Matter.choices), min_length=1, max_length=7
    )
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=200,
        help_text=PEOPLE_HELP,
    )
    substitutes = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Ersättarnas id; personer i portföljens konstellation som inte är ledamöter."
        ),
    )
    chair = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("Ordförandens id; en av ledamöterna.")
    )
    secretary = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False, default=True)


class BodyPatch(PatchInput, BodyInput):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=gettext_lazy(
            "Versionen du utgick från (eller skicka If-Match med ETag); inaktuell: 409."
        ),
    )


def _resolved(portfolio, data: dict) -> dict:
    """Ids to the portfolio's programs and the constellation's people; unknown: 400."""
    errors = {}
    values = dict(data)
    ids = {
        *(values.get("members") or []),
        *(values.get("substitutes") or []),
        values.get("chair"),
        values.get("secretary"),
    } - {None}
    people = {u.pk: u for u in people_of_constellation(portfolio).filter(pk__in=ids)}

    def person(field, pk):
        if pk is None:
            return None
        if pk not in people:
            errors.setdefault(field, []).append(
                _("Okänd person (id %(id)s) i portföljens konstellation.") % {"id": pk}
            )
        return people.get(pk)

    for field in ("members", "substitutes"):
        if field in values:
            values[field] = [person(field, pk) for pk in values[field]]
    for field in ("chair", "secretary"):
        if field in values:
            values[field] = person(field, values[field])
    if values.get("program") is not None:
        program = Program.objects.filter(portfolio=portfolio, pk=values["program"]).first()
        if program is None:
            errors["program"] = [_("Programmet hör inte till portföljen.")]
        values["program"] = program
    if errors:
        raise serializers.ValidationError(errors)
    return values


class BodyList(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=BodySerializer(many=True))
    def get(self, request, portfolio_pk):
        """The portfolio's bodies; none: the default set-up decides (see the README)."""
        portfolio = self.get_portfolio()
        return Response(BodySerializer(portfolio_bodies(portfolio), many=True).data)

    @extend_schema(tags=TAGS, request=BodyInput, responses={201: BodySerializer})
    def post(self, request, portfolio_pk):
        portfolio = self.get_portfolio()
        values = _resolved(portfolio, self.valid(BodyInput))
        body = settings_bodies.body_add(actor=request.user, portfolio=portfolio, **values)
        out = body_of_portfolio(portfolio, body.pk)
        data = BodySerializer(out).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": f'"{out.version}"'})


class BodyDetail(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=BodySerializer)
    def get(self, request, portfolio_pk, pk):
        return with_etag(BodySerializer(body_of_portfolio(self.get_portfolio(), pk)).data)

    @extend_schema(
        tags=TAGS,
        request=BodyPatch(partial=True),
        responses=BodySerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, portfolio_pk, pk):
        """Change a body: name, matters, people, or `is_active: false` to retire it (its
        decisions stay with it). If-Match or version is optional; stale: 412/409."""
        portfolio = self.get_portfolio()
        body = body_of_portfolio(portfolio, pk)
        data = _resolved(portfolio, dict(self.valid(BodyPatch, partial=True)))
        version, from_header = guard.expected_version(
            request, body, data.pop("version", None), required=False
        )
        with guard.precondition(from_header):
            settings_bodies.body_update(actor=request.user, body=body, version=version, **data)
        return with_etag(BodySerializer(body_of_portfolio(portfolio, pk)).data)
