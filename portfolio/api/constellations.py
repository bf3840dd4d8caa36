"""Constellations and organisations under /api/v1/: everyone signed in reads their
constellations and the organisations (reference data); the samordnare creates and
changes them and records members joining or leaving on a date
(municipalities.constellations, municipalities.organisations). 403 comes before the
body is read; bad input is a 400 with field errors from the service."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from municipalities.choices import CollaborationForm, GovernanceMode, OrganisationKind
from municipalities.constellations import (
    JOIN,
    LEAVE,
    can_manage_constellation,
    constellation_create,
    constellation_update,
    membership_change,
)
from municipalities.constellations import REFUSED as CONSTELLATION_REFUSED
from municipalities.models import (
    CollaborationArea,
    Constellation,
    Municipality,
    Organisation,
)
from municipalities.organisations import (
    REFUSED as ORGANISATION_REFUSED,
)
from municipalities.organisations import (
    can_manage_organisations,
    organisation_create,
    organisation_update,
)
from samverkan.api import KnownFieldsOnly, PatchInput

from ..selectors.access import visible_constellations
from .permissions import ReadOnlyRestrictedViewSet


class ConstellationSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Constellation
        fields = [
            "id",
            "name",
            "short_name",
            "description",
            "members",
            "organisations",
            "governance_mode",
            "lead_municipality",
            "collaboration_form",
            "host_municipality",
            "areas",
        ]


def _municipality(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True, **kwargs
    )


class ConstellationInput(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=120)
    short_name = serializers.CharField(max_length=30)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    governance_mode = serializers.ChoiceField(choices=GovernanceMode.choices, required=False)
    lead_municipality = _municipality(help_text=_("Kommunens id; vid ledande organisation."))
    collaboration_form = serializers.ChoiceField(choices=CollaborationForm.choices, required=False)
    host_municipality = _municipality(help_text=_("Kommunens id; vid gemensam nämnd."))
    areas = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="name",
        queryset=CollaborationArea.objects.all(),
        help_text=_("Samverkansområdenas namn."),
    )
    joined_on = serializers.DateField(
        required=False, help_text=_("Dagen då din kommun gick med; i dag om den utelämnas.")
    )
    reason = serializers.CharField(
        max_length=300, help_text=_("Beslutet som ändringen bygger på (organ, datum, paragraf).")
    )


class ConstellationPatch(PatchInput, ConstellationInput):
    NOT_A_CHANGE = frozenset({"reason"})

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("joined_on")
        return fields


class MembershipInput(KnownFieldsOnly, serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(JOIN, _("går med")), (LEAVE, _("lämnar"))],
        help_text=_("join: går med; leave: lämnar."),
    )
    municipality = _municipality(help_text=_("Kommunens id; eller organisation."))
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    on = serializers.DateField(help_text=_("Dagen då ändringen gäller; inte i framtiden."))
    reason = serializers.CharField(max_length=300)

    def validate(self, attrs):
        if bool(attrs.get("municipality")) == bool(attrs.get("organisation")):
            raise serializers.ValidationError(
                {"municipality": [_("Ange antingen en kommun eller en organisation.")]}
            )
        return attrs


@extend_schema(tags=["referensdata"])
class ConstellationViewSet(ReadOnlyRestrictedViewSet):
    """Your constellations. The samordnare creates one (their municipality its first
    member), changes it (PATCH) and records members joining or leaving (membership)."""

    queryset = Constellation.objects.all()
    serializer_class = ConstellationSerializer
    search_fields = ["name", "short_name"]
    ordering_fields = ["name", "short_name"]
    ordering = ["name"]

    def visible_queryset(self):
        return visible_constellations(self.request.user).prefetch_related(
            Prefetch("members", queryset=Municipality.objects.only("id")),
            Prefetch("organisations", queryset=Organisation.objects.only("id")),
            "areas",
        )

    @extend_schema(request=ConstellationInput, responses={201: ConstellationSerializer})
    def create(self, request):
        if not can_manage_constellation(request.user, None):
            raise PermissionDenied(CONSTELLATION_REFUSED)
        data = ConstellationInput(data=request.data)
        data.is_valid(raise_exception=True)
        constellation = constellation_create(actor=request.user, **data.validated_data)
        return Response(ConstellationSerializer(constellation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConstellationPatch(partial=True), responses=ConstellationSerializer)
    def partial_update(self, request, pk=None):
        constellation = self.get_object()
        if not can_manage_constellation(request.user, constellation):
            raise PermissionDenied(CONSTELLATION_REFUSED)
        data = ConstellationPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        constellation = constellation_update(
            actor=request.user,
            constellation=constellation,
            reason=values.pop("reason", ""),
            **values,
        )
        return Response(ConstellationSerializer(constellation).data)

    @extend_schema(request=MembershipInput, responses=ConstellationSerializer)
    @action(detail=True, methods=["post"], url_path="membership", url_name="membership")
    def membership(self, request, pk=None):
        """A municipality or an organisation joins or leaves on a date (not before it
        joined, not in the future); kept in the constellation's history."""
        constellation = self.get_object()
        if not can_manage_constellation(request.user, constellation):
            raise PermissionDenied(CONSTELLATION_REFUSED)
        data = MembershipInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        constellation = membership_change(
            actor=request.user,
            constellation=constellation,
            member=values.get("municipality") or values.get("organisation"),
            action=values["action"],
            on=values["on"],
            reason=values["reason"],
        )
        return Response(ConstellationSerializer(constellation).data)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "organisation_number"]


class OrganisationInput(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    organisation_number = serializers.CharField(
        max_length=20, help_text=_("NNNNNN-NNNN, med rätt kontrollsiffra.")
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OrganisationPatch(PatchInput, OrganisationInput):
    NOT_A_CHANGE = frozenset({"reason"})


@extend_schema(tags=["referensdata"])
class OrganisationViewSet(ReadOnlyRestrictedViewSet):
    """Organisations besides the municipalities (reference data every signed-in user
    reads); a samordnare registers (POST) and changes (PATCH) them."""

    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]
    search_fields = ["name", "organisation_number"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def visible_queryset(self):
        return Organisation.objects.all()

    @extend_schema(request=OrganisationInput, responses={201: OrganisationSerializer})
    def create(self, request):
        if not can_manage_organisations(request.user):
            raise PermissionDenied(ORGANISATION_REFUSED)
        data = OrganisationInput(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = organisation_create(actor=request.user, **data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationPatch(partial=True), responses=OrganisationSerializer)
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        if not can_manage_organisations(request.user):
            raise PermissionDenied(ORGANISATION_REFUSED)
        data = OrganisationPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organisation = organisation_update(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)
