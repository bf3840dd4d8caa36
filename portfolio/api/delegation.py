"""Delegations in the REST API: who answers participation for the user's municipality.

GET lists the municipality's delegations (revoked and expired ones too: the history);
only the municipality's kommundirektör may add or revoke one, and is asked before the
body is read. A delegation of another municipality answers 404.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.models import User
from samverkan.api import KnownFieldsOnly

from .. import policies
from ..models import ParticipationDelegation
from ..services import delegation as delegation_service
from .permissions import GuardedAPIView, Rule

TAGS = ["delegering"]

DELEGATE = Rule(
    policies.can_delegate_participation,
    _("Bara kommunens kommundirektör kan delegera svar om deltagande."),
)
REVOKE = Rule(
    lambda user, item: policies.can_delegate_participation(user, item.municipality),
    _("Bara kommunens kommundirektör kan återkalla en delegering."),
)


class DelegationInput(KnownFieldsOnly, serializers.Serializer):
    delegate = serializers.IntegerField(min_value=1, help_text=_("Id för en person i din kommun."))
    valid_until = serializers.DateField(
        required=False, allow_null=True, help_text=_("Sista dagen delegeringen gäller.")
    )


class DelegationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)
    delegate_name = serializers.CharField(source="delegate.__str__", read_only=True)
    delegated_by_name = serializers.CharField(source="delegated_by.__str__", read_only=True)
    revoked_by_name = serializers.SerializerMethodField()
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ParticipationDelegation
        fields = [
            "id",
            "municipality",
            "delegate",
            "delegate_name",
            "delegated_by",
            "delegated_by_name",
            "delegated_at",
            "valid_until",
            "revoked_at",
            "revoked_by",
            "revoked_by_name",
            "is_active",
        ]
        read_only_fields = fields

    def get_revoked_by_name(self, obj) -> str | None:
        return str(obj.revoked_by) if obj.revoked_by_id else None

    def get_is_active(self, obj) -> bool:
        return obj.revoked_at is None and (
            obj.valid_until is None or obj.valid_until >= timezone.localdate()
        )


def _own(user):
    """The delegations of the user's municipality: the only ones the user can see."""
    return ParticipationDelegation.objects.filter(
        municipality_id=user.municipality_id
    ).select_related("municipality", "delegate", "delegated_by", "revoked_by")


class DelegationList(GuardedAPIView):
    rules = {"POST": DELEGATE}

    @extend_schema(tags=TAGS, responses=DelegationSerializer(many=True))
    def get(self, request):
        items = _own(request.user).order_by("-delegated_at", "-id")
        return Response(DelegationSerializer(items, many=True).data)

    @extend_schema(tags=TAGS, request=DelegationInput, responses={201: DelegationSerializer})
    def post(self, request):
        municipality = self.permit(request.user.municipality)
        data = self.valid(DelegationInput)
        delegate = User.objects.filter(pk=data["delegate"], municipality=municipality).first()
        item = delegation_service.delegation_create(
            actor=request.user, delegate=delegate, valid_until=data.get("valid_until")
        )
        item = _own(request.user).get(pk=item.pk)
        return Response(DelegationSerializer(item).data, status=status.HTTP_201_CREATED)


class DelegationRevoke(GuardedAPIView):
    rules = {"POST": REVOKE}

    @extend_schema(tags=TAGS, request=None, responses=DelegationSerializer)
    def post(self, request, pk):
        item = self.permit(get_object_or_404(_own(request.user), pk=pk))
        item = delegation_service.delegation_revoke(actor=request.user, delegation=item)
        return Response(DelegationSerializer(_own(request.user).get(pk=item.pk)).data)
