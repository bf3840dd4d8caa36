"""Initiative serializers: one for reading, one per write operation with explicit fields.

The stage, version, reference, owner, priority score and history are never written
through these: the workflow and their own services change them.

The list builds its rows from values() with `list_representation` (same JSON as
InitiativeSerializer, a test holds them equal): model instances and a serializer per
row cost several times the SQL for a page of 50.
"""

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models.fields.related import ForeignKey
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipalities.models import Municipality
from samverkan.api import KnownFieldsOnly, PatchInput

from ..choices import Health, ParticipationStatus
from ..filters import overall_health
from ..models import Initiative, Participation, Portfolio, Program
from ..selectors.access import visible_portfolios
from ..services.initiatives import EDITABLE_FIELDS

# What a person edits through the API: the service's editable fields except the
# proposing municipality (given once, on create) and the owner (not written here).
WRITABLE_FIELDS = tuple(f for f in EDITABLE_FIELDS if f not in ("proposing_municipality", "owner"))


class ParticipantSerializer(serializers.ModelSerializer):
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Participation
        fields = ["municipality", "municipality_name", "status", "joined_on", "left_on"]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer):
    program_name = serializers.CharField(source="program.name", read_only=True, allow_null=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    health = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "reference",
            "portfolio",
            "program",
            "program_name",
            "stage",
            "stage_label",
            "is_paused",
            "health",
            *[f for f in WRITABLE_FIELDS if f != "program"],
            "proposing_municipality",
            "owner",
            "priority_score",
            "is_new",
            "is_useful",
            "is_used",
            "participants",
            "submitted_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_health(self, obj) -> Health | None:
        """Worst health of the latest status report; null without one."""
        return overall_health(
            getattr(obj, "latest_health_time", None),
            getattr(obj, "latest_health_cost", None),
            getattr(obj, "latest_health_quality", None),
        )

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, obj):
        """Municipalities taking part now (status deltar)."""
        rows = [
            p for p in obj.participations.all() if p.status == ParticipationStatus.PARTICIPATING
        ]
        return ParticipantSerializer(rows, many=True).data


# Columns of InitiativeSerializer that are not model fields, as values() names.
_COMPUTED = {"program_name", "stage_label", "health", "participants"}


def list_columns() -> list[str]:
    """The values() names the list selects: the serializer's model fields, ids for relations."""
    return [
        *(name for name in InitiativeSerializer.Meta.fields if name not in _COMPUTED),
        "program__name",
    ]


def list_representation(rows: list[dict], participants: dict[int, list[dict]]) -> list[dict]:
    """InitiativeSerializer's output, built from values() rows with the latest health
    (latest_health_*) and each initiative's participations (municipality__name)."""
    fields, participant_fields = _representers()
    stage_labels = dict(Initiative._meta.get_field("stage").flatchoices)
    result = []
    for row in rows:
        data = {}
        for name in InitiativeSerializer.Meta.fields:
            if name == "program_name":
                data[name] = row["program__name"]
            elif name == "stage_label":
                data[name] = str(stage_labels.get(row["stage"], row["stage"]))
            elif name == "health":
                data[name] = overall_health(
                    row["latest_health_time"],
                    row["latest_health_cost"],
                    row["latest_health_quality"],
                )
            elif name == "participants":
                data[name] = [
                    _represent(p, participant_fields) for p in participants.get(row["id"], [])
                ]
            else:
                data[name] = _represent_value(row[name], fields[name])
        result.append(data)
    return result


def participant_columns() -> list[str]:
    return [
        "initiative_id",
        *(name for name in ParticipantSerializer.Meta.fields if name != "municipality_name"),
        "municipality__name",
    ]


def _represent(row: dict, fields: dict) -> dict:
    out = {}
    for name in fields:
        source = "municipality__name" if name == "municipality_name" else name
        out[name] = _represent_value(row[source], fields[name])
    return out


def _represent_value(value, to_representation):
    # As Serializer.to_representation: None stays None; relations are already ids.
    if value is None or to_representation is None:
        return value
    return to_representation(value)


# Fields whose to_representation returns a value from the database unchanged (str, int,
# bool, a stored choice): the list skips the call, 2 500 of them per page.
NATIVE_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
)


@cache
def _representers() -> tuple[dict, dict]:
    """Each field's to_representation, or None where values() already gives the JSON
    value (relations as ids, computed columns)."""

    def of(serializer, model):
        found = {}
        for name, field in serializer.fields.items():
            model_field = _model_field(model, name)
            is_relation = isinstance(model_field, ForeignKey)
            computed = isinstance(field, serializers.SerializerMethodField)
            plain = computed or is_relation or isinstance(field, NATIVE_FIELDS)
            found[name] = None if plain or field.source != name else field.to_representation
        return found

    return of(InitiativeSerializer(), Initiative), of(ParticipantSerializer(), Participation)


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a serializer-only column
        return None


class _RestrictedRelations:
    """Limits related-object choices to what the requesting user can see."""

    def _restrict(self):
        request = self.context.get("request")
        if request is None:
            return
        portfolios = visible_portfolios(request.user)
        if "portfolio" in self.fields:
            self.fields["portfolio"].queryset = portfolios
        if "program" in self.fields:
            self.fields["program"].queryset = Program.objects.filter(
                portfolio__in=portfolios.values("id")
            )


class InitiativeCreateSerializer(
    KnownFieldsOnly, _RestrictedRelations, serializers.ModelSerializer
):
    portfolio = serializers.PrimaryKeyRelatedField(queryset=Portfolio.objects.all())
    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.all(), allow_null=True, required=False
    )
    proposing_municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("Standard: din egen kommun."),
    )

    class Meta:
        model = Initiative
        fields = ["portfolio", *WRITABLE_FIELDS, "proposing_municipality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._restrict()


class InitiativeUpdateSerializer(_RestrictedRelations, PatchInput, serializers.ModelSerializer):
    program = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.all(), allow_null=True, required=False
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        required=False,
        help_text=_("Versionen du utgick från (eller skicka If-Match med ETag)."),
    )

    class Meta:
        model = Initiative
        fields = [*WRITABLE_FIELDS, "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._restrict()


class InitiativeExportRowSerializer(serializers.Serializer):
    """Documents one row of the export; the rows themselves are built from values()."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    portfolio = serializers.IntegerField()
    program = serializers.IntegerField(allow_null=True)
    program_name = serializers.CharField(allow_null=True)
    stage = serializers.CharField()
    is_paused = serializers.BooleanField()
    health = serializers.ChoiceField(choices=Health.choices, allow_null=True)
    area = serializers.CharField()
    target_group = serializers.CharField()
    collaboration_level = serializers.IntegerField(allow_null=True)
    proposing_municipality = serializers.IntegerField()
    owner = serializers.IntegerField(allow_null=True)
    planned_start = serializers.DateField(allow_null=True)
    planned_end = serializers.DateField(allow_null=True)
    priority_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    participants = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Id för kommuner som deltar.")
    )
