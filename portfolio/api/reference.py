"""Reference data under /api/v1/ (read-only, but for starting a portfolio).

Municipalities and counties are public reference data (SCB) for every signed-in user;
constellations, agreements, portfolios and programs are limited to the user's
constellations like everything else.
"""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from municipalities.agreements import REFUSED as AGREEMENT_REFUSED
from municipalities.agreements import (
    agreement_create,
    agreement_update,
    can_manage_agreements,
)
from municipalities.choices import CollaborationForm
from municipalities.models import Agreement, County, Municipality, Organisation, Population
from samverkan.api import KnownFieldsOnly, PatchInput

from .. import policies
from ..models import Portfolio, Program
from ..selectors.access import visible_agreements, visible_constellations, visible_portfolios
from ..services.portfolios import portfolio_create
from .permissions import ReadOnlyRestrictedViewSet


class CountySerializer(serializers.ModelSerializer):
    class Meta:
        model = County
        fields = ["id", "code", "name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)
    population = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Folkmängd 31 december det senaste året.")
    )
    population_year = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "county", "county_name", "population", "population_year"]


class AgreementSerializer(serializers.ModelSerializer):
    parties = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    organisations = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, source="organisation_parties"
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "constellation",
            "parties",
            "organisations",
            "form",
            "starts_on",
            "ends_on",
            "yearly_fee_per_party",
            "notice_period_months",
            "registration_number",
        ]


class PortfolioSerializer(serializers.ModelSerializer):
    class Meta:
        model = Portfolio
        fields = [
            "id",
            "name",
            "constellation",
            "description",
            "reference_prefix",
            "next_board_meeting",
        ]


class PortfolioInput(KnownFieldsOnly, serializers.Serializer):
    constellation = serializers.IntegerField(
        help_text=_("Konstellationens id; en konstellation som din kommun ingår i.")
    )
    name = serializers.CharField(max_length=160)
    reference_prefix = serializers.CharField(
        max_length=10, help_text=_("2–10 tecken, A–Z och siffror, börjar med en bokstav.")
    )
    sender = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "portfolio", "name", "description", "manager"]


@extend_schema(tags=["referensdata"])
class CountyViewSet(ReadOnlyRestrictedViewSet):
    queryset = County.objects.all()
    serializer_class = CountySerializer
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def visible_queryset(self):
        return County.objects.all()


@extend_schema(tags=["referensdata"])
class MunicipalityViewSet(ReadOnlyRestrictedViewSet):
    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    filterset_fields = ["county"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]
    ordering = ["name"]

    def visible_queryset(self):
        latest = Population.objects.filter(municipality=OuterRef("pk")).order_by("-year")
        return Municipality.objects.select_related("county").annotate(
            population=Subquery(latest.values("population")[:1]),
            population_year=Subquery(latest.values("year")[:1]),
        )


class AgreementInput(KnownFieldsOnly, serializers.Serializer):
    constellation = serializers.IntegerField(
        help_text=_("Konstellationens id; en konstellation som din kommun ingår i.")
    )
    title = serializers.CharField(max_length=200)
    form = serializers.ChoiceField(choices=CollaborationForm.choices, required=False)
    parties = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=300,
        required=False,
        default=list,
        help_text=_("Kommunernas id; kommuner i konstellationen."),
    )
    organisations = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("Organisationernas id (en region, ett universitet); vilken som helst."),
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    yearly_fee_per_party = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    notice_period_months = serializers.IntegerField(
        required=False, min_value=0, max_value=60, default=6
    )
    registration_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(
        max_length=300, help_text=_("Beslutet som avtalet bygger på (organ, datum, paragraf).")
    )


class AgreementPatch(PatchInput, AgreementInput):
    NOT_A_CHANGE = frozenset({"reason"})


def _agreement_values(data: dict, constellation) -> dict:
    values = dict(data)
    values.pop("constellation", None)
    if "parties" in values:
        members = {m.pk: m for m in constellation.members.all()} if constellation else {}
        unknown = [pk for pk in values["parties"] if pk not in members]
        if unknown:
            raise serializers.ValidationError(
                {"parties": [_("Parterna ska vara kommuner i konstellationen.")]}
            )
        values["parties"] = [members[pk] for pk in values["parties"]]
    return values


@extend_schema(tags=["referensdata"])
class AgreementViewSet(ReadOnlyRestrictedViewSet):
    """Agreements of your constellations, and those your municipality is a party to.
    The samordnare of the constellation registers (POST) and changes (PATCH) them."""

    queryset = Agreement.objects.all()
    serializer_class = AgreementSerializer
    filterset_fields = ["constellation"]
    search_fields = ["title", "registration_number"]
    ordering_fields = ["ends_on", "starts_on", "title"]
    ordering = ["ends_on"]

    def visible_queryset(self):
        user = self.request.user
        return visible_agreements(user).prefetch_related(
            Prefetch("parties", queryset=Municipality.objects.only("id")),
            Prefetch("organisation_parties", queryset=Organisation.objects.only("id")),
        )

    @extend_schema(request=AgreementInput, responses={201: AgreementSerializer})
    def create(self, request):
        if not can_manage_agreements(request.user, None):
            raise PermissionDenied(AGREEMENT_REFUSED)
        data = AgreementInput(data=request.data)
        data.is_valid(raise_exception=True)
        constellation = (
            visible_constellations(request.user)
            .filter(pk=data.validated_data["constellation"])
            .first()
        )
        values = _agreement_values(data.validated_data, constellation)
        agreement = agreement_create(actor=request.user, constellation=constellation, **values)
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgreementPatch(partial=True), responses=AgreementSerializer)
    def partial_update(self, request, pk=None):
        agreement = self.get_object()
        if not can_manage_agreements(request.user, agreement.constellation):
            raise PermissionDenied(AGREEMENT_REFUSED)
        data = AgreementPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = _agreement_values(data.validated_data, agreement.constellation)
        reason = values.pop("reason", "")
        agreement = agreement_update(
            actor=request.user, agreement=agreement, reason=reason, **values
        )
        return Response(AgreementSerializer(agreement).data)


@extend_schema(tags=["referensdata"])
class PortfolioViewSet(ReadOnlyRestrictedViewSet):
    queryset = Portfolio.objects.all()
    serializer_class = PortfolioSerializer
    filterset_fields = ["constellation"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["name"]

    def visible_queryset(self):
        return visible_portfolios(self.request.user)

    @extend_schema(request=PortfolioInput, responses={201: PortfolioSerializer})
    def create(self, request):
        """Start a portfolio for one of the samordnare's constellations (default checklist
        and default set-up of bodies); 403 for every other role, before the body is read."""
        if not policies.can_create_portfolio(request.user, None):
            raise PermissionDenied(_("Bara portföljkontoret (samordnare) kan starta en portfölj."))
        data = PortfolioInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        constellation_id = values.pop("constellation")
        constellation = visible_constellations(request.user).filter(pk=constellation_id).first()
        portfolio = portfolio_create(actor=request.user, constellation=constellation, **values)
        return Response(PortfolioSerializer(portfolio).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["referensdata"])
class ProgramViewSet(ReadOnlyRestrictedViewSet):
    queryset = Program.objects.all()
    serializer_class = ProgramSerializer
    filterset_fields = ["portfolio"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]
    ordering = ["portfolio", "name"]

    def visible_queryset(self):
        return Program.objects.filter(
            portfolio__in=visible_portfolios(self.request.user).values("id")
        )
