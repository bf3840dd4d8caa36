"""/api/v1/initiatives/: list, read, submit, edit and export initiatives.

Reads go through `visible_initiatives`; writes call `services.initiatives`, which
checks the policy (403) and the version (409). A forbidden initiative answers 404.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..choices import ParticipationStatus
from ..filters import InitiativeFilter, overall_health, with_latest_health
from ..models import Initiative, Participation
from ..selectors.access import visible_initiatives
from ..services.initiatives import initiative_create, initiative_update
from .initiative_serializers import (
    InitiativeCreateSerializer,
    InitiativeExportRowSerializer,
    InitiativeSerializer,
    InitiativeUpdateSerializer,
    list_columns,
    list_representation,
    participant_columns,
)
from .permissions import (
    EDIT_INITIATIVE,
    IF_MATCH,
    SUBMIT_IDEA,
    RestrictedViewSetMixin,
    etag_for,
    expected_version,
    precondition,
    require,
)

EXPORT_FIELDS = (
    "id",
    "reference",
    "title",
    "portfolio",
    "program",
    "program__name",
    "stage",
    "is_paused",
    "area",
    "target_group",
    "collaboration_level",
    "proposing_municipality",
    "owner",
    "planned_start",
    "planned_end",
    "priority_score",
    "updated_at",
    "version",
)

HEALTH_COLUMNS = ("latest_health_time", "latest_health_cost", "latest_health_quality")


class _PageRows:
    """The filtered, ordered initiatives as values() rows, for the paginator.

    A page slices the ids first and reads columns and latest health for those ids only:
    health computed before OFFSET would cost every skipped row as well.
    """

    def __init__(self, queryset):
        self.queryset = queryset
        order = list(queryset.query.order_by) or list(Initiative._meta.ordering)
        keys = {str(key).lstrip("-") for key in order}
        self.order = order if {"id", "pk"} & keys else [*order, "id"]

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice):
        ids = self.queryset.order_by(*self.order).values("pk")[window]
        return (
            with_latest_health(Initiative.objects.filter(pk__in=ids))
            .order_by(*self.order)
            .values(*list_columns(), *HEALTH_COLUMNS)
        )


@extend_schema(tags=["initiativ"])
class InitiativeViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Initiatives in the portfolios of your constellations."""

    queryset = Initiative.objects.all()
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    search_fields = ["title", "need", "expected_benefit", "reference"]
    ordering_fields = [
        "id",
        "reference",
        "title",
        "stage",
        "planned_start",
        "planned_end",
        "priority_score",
        "submitted_at",
        "updated_at",
    ]
    ordering = ["id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible_queryset(self):
        participants = Participation.objects.filter(
            status=ParticipationStatus.PARTICIPATING
        ).select_related("municipality")
        return with_latest_health(
            visible_initiatives(self.request.user)
            .select_related("program")
            .prefetch_related(Prefetch("participations", queryset=participants))
        )

    def get_serializer_class(self):
        if self.action == "create":
            return InitiativeCreateSerializer
        if self.action == "partial_update":
            return InitiativeUpdateSerializer
        return InitiativeSerializer

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(visible_initiatives(request.user))
        page = self.paginate_queryset(_PageRows(queryset))
        rows = list(page if page is not None else _PageRows(queryset)[:])
        participants: dict[int, list[dict]] = {}
        for row in (
            Participation.objects.filter(
                initiative__in=[row["id"] for row in rows],
                status=ParticipationStatus.PARTICIPATING,
            )
            .order_by("initiative_id", "municipality__name", "id")
            .values(*participant_columns())
        ):
            participants.setdefault(row["initiative_id"], []).append(row)
        data = list_representation(rows, participants)
        if page is None:
            return Response(data)
        return self.get_paginated_response(data)

    def _output(self, pk, status_code=status.HTTP_200_OK):
        instance = self.visible_queryset().get(pk=pk)
        data = InitiativeSerializer(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": etag_for(instance)})

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        return Response(data, headers={"ETag": etag_for(instance)})

    @extend_schema(request=InitiativeCreateSerializer, responses={201: InitiativeSerializer})
    def create(self, request, *args, **kwargs):
        require(SUBMIT_IDEA, request.user, None)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        initiative = initiative_create(
            actor=request.user,
            portfolio=fields.pop("portfolio"),
            title=fields.pop("title"),
            **fields,
        )
        return self._output(initiative.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=InitiativeUpdateSerializer,
        responses={200: InitiativeSerializer},
        parameters=[IF_MATCH],
    )
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        require(EDIT_INITIATIVE, request.user, instance)
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version, from_header = expected_version(request, instance, fields.pop("version", None))
        with precondition(from_header):
            initiative_update(actor=request.user, initiative=instance, version=version, **fields)
        return self._output(instance.pk)

    @extend_schema(responses={200: InitiativeExportRowSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        """All matching initiatives in one unpaginated list, for BI and spreadsheets."""
        queryset = self.filter_queryset(with_latest_health(visible_initiatives(request.user)))
        rows = list(queryset.values(*EXPORT_FIELDS, *HEALTH_COLUMNS))
        participants: dict[int, list[int]] = {}
        # No default ordering: it would join initiative, portfolio and municipality to sort.
        for initiative_id, municipality_id in (
            Participation.objects.filter(
                initiative__in=queryset.values("id"), status=ParticipationStatus.PARTICIPATING
            )
            .order_by()
            .values_list("initiative_id", "municipality_id")
        ):
            participants.setdefault(initiative_id, []).append(municipality_id)
        for row in rows:
            row["program_name"] = row.pop("program__name")
            row["health"] = overall_health(
                row.pop("latest_health_time"),
                row.pop("latest_health_cost"),
                row.pop("latest_health_quality"),
            )
            if row["priority_score"] is not None:
                row["priority_score"] = str(row["priority_score"])
            row["participants"] = sorted(participants.get(row["id"], []))
        return Response(rows)
