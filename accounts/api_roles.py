"""A person's roles for one portfolio or program in the REST API: granted and ended by the
samordnare through the same services as the people page (`role_grants`). Asked before
the body is read: 403 for anyone but a samordnare, 404 for a person outside their
constellations, 403 for a person they may not change."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samverkan.api import KnownFieldsOnly

from . import people, policies, role_grants, selectors
from .models import Role, RoleAssignment, User
from .roles import is_in_force

TAGS = ["personer"]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    in_force = serializers.SerializerMethodField(help_text=gettext_lazy("Om rollen gäller i dag."))

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "role",
            "portfolio",
            "program",
            "starts_on",
            "ends_on",
            "granted_by",
            "granted_at",
            "ended_by",
            "ended_at",
            "in_force",
        ]
        read_only_fields = fields

    def get_in_force(self, assignment) -> bool:
        return is_in_force(assignment, timezone.localdate())


class _VersionedInput(KnownFieldsOnly, serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Personens version du utgick från; är den inaktuell avvisas ändringen."
        ),
    )


class RoleGrantInput(_VersionedInput):
    role = serializers.ChoiceField(choices=Role.choices)
    portfolio = serializers.PrimaryKeyRelatedField(
        queryset=role_grants.Portfolio.objects.all(), required=False, allow_null=True
    )
    program = serializers.PrimaryKeyRelatedField(
        queryset=role_grants.Program.objects.select_related("portfolio"),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("För en roll i ett enda program (portföljen följer med)."),
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Första dagen rollen inte längre gäller; tomt: tills vidare."),
    )


class RoleEndInput(_VersionedInput):
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Första dagen rollen inte längre gäller; tomt: i dag."),
    )


def _person(request, pk) -> User:
    if not policies.can_manage_people(request.user):
        raise exceptions.PermissionDenied(_("Bara samordnaren hanterar personer och roller."))
    try:
        person = selectors.person_for(request.user, pk)
    except User.DoesNotExist as exc:
        raise exceptions.NotFound() from exc
    if not policies.can_manage_person(request.user, person):
        raise exceptions.PermissionDenied(people.refusal())
    return person


class PersonRoles(APIView):
    @extend_schema(tags=TAGS, request=RoleGrantInput, responses={201: RoleAssignmentSerializer})
    def post(self, request, pk):
        """Grant an operational role for one portfolio or one program of the samordnare's
        constellations; a role already in force for that scope is refused (400)."""
        person = _person(request, pk)
        serializer = RoleGrantInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = role_grants.role_grant(
            actor=request.user, person=person, **serializer.validated_data
        )
        return Response(RoleAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class PersonRoleEnd(APIView):
    @extend_schema(tags=TAGS, request=RoleEndInput, responses=RoleAssignmentSerializer)
    def post(self, request, pk, assignment_pk):
        """End a role from a day (today by default); the record stays as its history."""
        person = _person(request, pk)
        serializer = RoleEndInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = role_grants.role_end(
            actor=request.user,
            person=person,
            assignment_id=assignment_pk,
            **serializer.validated_data,
        )
        return Response(RoleAssignmentSerializer(assignment).data)
