"""People and their roles in the REST API: the same policies and services as the people
pages. Only the samordnare uses these endpoints (403 for everyone else, asked before the
body is read); a person outside their constellations' municipalities answers 404."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from municipalities.models import Municipality
from portfolio.api import permissions as guard
from samverkan.api import KnownFieldsOnly, Pagination, PatchInput

from . import people, policies, selectors
from .api_roles import RoleAssignmentSerializer
from .models import Role, User
from .roles import roles_in

TAGS = ["personer"]


class PersonSerializer(serializers.ModelSerializer):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    roles = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Rollerna som gäller i dag i alla portföljer; roller för en portfölj eller ett "
            "program står i role_assignments."
        )
    )
    role_assignments = serializers.SerializerMethodField(
        help_text=gettext_lazy("Alla roller med omfattning och historik, även avslutade.")
    )
    can_change = serializers.SerializerMethodField(
        help_text=gettext_lazy("Om du får ändra personen (annars gör en systemadministratör det).")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "municipality",
            "municipality_name",
            "title",
            "roles",
            "role_assignments",
            "is_active",
            "can_change",
            "version",
        ]

    def get_roles(self, person) -> list[str]:
        return sorted(roles_in(person.role_grants, None))

    @extend_schema_field(RoleAssignmentSerializer(many=True))
    def get_role_assignments(self, person) -> list[dict]:
        return RoleAssignmentSerializer(person.role_assignments.all(), many=True).data

    def get_can_change(self, person) -> bool:
        changeable = self.context.get("changeable")
        if changeable is None:
            return policies.can_manage_person(self.context["request"].user, person)
        return person.pk in changeable


class _PersonInput(KnownFieldsOnly, serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.none())
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False, max_length=6
    )
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "Varför: krävs för nya personer och när roller, kommun eller aktivt konto ändras."
        ),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None:
            self.fields["municipality"].queryset = policies.managed_municipalities(actor)


class PersonCreateInput(_PersonInput):
    username = serializers.CharField(max_length=150)
    reason = serializers.CharField(max_length=300)


class PersonUpdateInput(PatchInput, _PersonInput):
    is_active = serializers.BooleanField(required=False)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "Versionen du utgick från (eller If-Match); är den inaktuell avvisas ändringen."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


def _refuse(message) -> None:
    raise exceptions.PermissionDenied(message)


def _with_etag(body) -> Response:
    return Response(body, headers={"ETag": f'"{body["version"]}"'})


class PeopleList(generics.ListAPIView):
    serializer_class = PersonSerializer
    pagination_class = Pagination
    search_fields = ["first_name", "last_name", "username", "email", "municipality__name"]
    ordering_fields = ["last_name", "first_name", "username"]

    def check_permissions(self, request):
        super().check_permissions(request)
        if not policies.can_manage_people(request.user):
            _refuse(_("Bara samordnaren hanterar personer och roller."))

    def get_queryset(self):
        return selectors.people_for(self.request.user)

    @extend_schema(tags=TAGS)
    def get(self, request):
        """Everyone in the municipalities of the samordnare's constellations."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {"request": request, "changeable": policies.manageable(request.user, page)}
        data = PersonSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(tags=TAGS, request=PersonCreateInput, responses={201: PersonSerializer})
    def post(self, request):
        """A new person; they receive an e-mail with a link to choose their password."""
        serializer = PersonCreateInput(data=request.data, actor=request.user)
        serializer.is_valid(raise_exception=True)
        person = people.person_create(actor=request.user, **serializer.validated_data)
        person = selectors.person_for(request.user, person.pk)
        body = PersonSerializer(person, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class PersonDetail(APIView):
    def _person(self, request, pk):
        if not policies.can_manage_people(request.user):
            _refuse(_("Bara samordnaren hanterar personer och roller."))
        try:
            return selectors.person_for(request.user, pk)
        except User.DoesNotExist as exc:
            raise exceptions.NotFound() from exc

    @extend_schema(tags=TAGS, responses=PersonSerializer)
    def get(self, request, pk):
        person = self._person(request, pk)
        return _with_etag(PersonSerializer(person, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        request=PersonUpdateInput,
        responses=PersonSerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, pk):
        """Change names, e-mail, title, municipality, active and operational roles.
        If-Match or version is optional; either one, if stale, refuses the change."""
        person = self._person(request, pk)
        if not policies.can_manage_person(request.user, person):
            _refuse(people.refusal())
        serializer = PersonUpdateInput(data=request.data, actor=request.user)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version, from_header = guard.expected_version(
            request, person, data.pop("version", None), required=False
        )
        with guard.precondition(from_header):
            people.person_update(actor=request.user, person=person, version=version, **data)
        person = selectors.person_for(request.user, pk)
        return _with_etag(PersonSerializer(person, context={"request": request}).data)
