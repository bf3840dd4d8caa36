"""Small explicit serializers for the workflow endpoints: inputs name exactly what an
action takes (no mass assignment); outputs are read-only."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from municipalities.models import Municipality
from samverkan.api import KnownFieldsOnly, PatchInput

from ..choices import CriterionKind, DecisionKind, DecisionOutcome, Gate, Health, Stage
from ..models import (
    CriterionConfirmation,
    EffectGoal,
    GateDecision,
    HistoryEntry,
    Measurement,
    Participation,
    PriorityScore,
    StatusUpdate,
)
from ..selectors.history import history_line
from ..services.benefits import GOAL_FIELDS
from ..services.participation import LOCAL_DECISION_LIMITS as LIMITS

# ---- inputs -------------------------------------------------------------------------


class DecisionInput(KnownFieldsOnly, serializers.Serializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    decided_on = serializers.DateField()
    meeting_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    motivation = serializers.CharField(required=False, allow_blank=True)
    target_stage = serializers.ChoiceField(
        choices=[Stage.PROJECT, Stage.ASSIGNMENT], required=False, allow_null=True
    )
    corrects = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Initiativets version du såg; en annan version ger 409."),
    )


class ConfirmationInput(KnownFieldsOnly, serializers.Serializer):
    criterion = serializers.IntegerField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class InviteInput(KnownFieldsOnly, serializers.Serializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all())


class VersionInput(KnownFieldsOnly, serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class LocalDecisionInput(VersionInput):
    """The municipality's own decision behind the answer; organ and date go together."""

    local_decision_body = serializers.CharField(
        required=False, allow_blank=True, max_length=LIMITS["local_decision_body"]
    )
    local_decision_on = serializers.DateField(required=False, allow_null=True)
    local_decision_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=LIMITS["local_decision_reference"]
    )
    local_diary_number = serializers.CharField(
        required=False, allow_blank=True, max_length=LIMITS["local_diary_number"]
    )


class AnswerInput(LocalDecisionInput):
    answer = serializers.ChoiceField(choices=["intresserad", "deltar", "avstar"])
    joined_on = serializers.DateField(required=False, allow_null=True)


class LeaveInput(LocalDecisionInput):
    left_on = serializers.DateField()
    reason = serializers.CharField()


class ImplementedInput(VersionInput):
    implemented_on = serializers.DateField()


class StatusInput(KnownFieldsOnly, serializers.Serializer):
    reported_on = serializers.DateField()
    health_time = serializers.ChoiceField(choices=Health.choices)
    health_cost = serializers.ChoiceField(choices=Health.choices)
    health_quality = serializers.ChoiceField(choices=Health.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False, allow_null=True
    )


class EffectGoalInput(KnownFieldsOnly, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    indicator = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=40)
    baseline = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    baseline_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Dagen nollvärdet mättes.")
    )
    target = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    owner = serializers.IntegerField(required=False, allow_null=True)
    portfolio_goal = serializers.IntegerField(required=False, allow_null=True)


class EffectGoalPatch(PatchInput, EffectGoalInput):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Versionen du utgick från (eller skicka If-Match med ETag); inaktuell: 409."),
    )


class MeasurementInput(KnownFieldsOnly, serializers.Serializer):
    measured_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PriorityInput(KnownFieldsOnly, serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5, allow_null=True),
        help_text=_("Kriteriets id → poäng 1–5, eller null för att ta bort poängen."),
    )


class PauseInput(KnownFieldsOnly, serializers.Serializer):
    paused = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


class ThreeNInput(VersionInput):
    is_new = serializers.BooleanField()
    is_useful = serializers.BooleanField()
    is_used = serializers.BooleanField()


# ---- outputs ------------------------------------------------------------------------


class DecisionSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = GateDecision
        fields = [
            "id",
            "kind",
            "outcome",
            "stage_before",
            "stage_after",
            "decided_on",
            "body",
            "meeting_reference",
            "motivation",
            "criteria_snapshot",
            "basis",
            "recorded_by",
            "recorded_at",
            "corrects",
            "imported",
        ]
        read_only_fields = fields


class CriterionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="criterion.pk")
    label = serializers.CharField(source="criterion.label")
    kind = serializers.ChoiceField(source="criterion.kind", choices=CriterionKind.choices)
    met = serializers.BooleanField()
    reason = serializers.CharField()


class GateChecklistSerializer(serializers.Serializer):
    """One gate's checklist: whether it can be passed now, and each criterion's result."""

    gate = serializers.ChoiceField(choices=Gate.choices)
    passable = serializers.BooleanField()
    criteria = CriterionResultSerializer(many=True)


class ConfirmationSerializer(serializers.ModelSerializer):
    confirmed_by = serializers.StringRelatedField()
    gate = serializers.CharField(source="criterion.gate")
    label = serializers.CharField(source="criterion.label")

    class Meta:
        model = CriterionConfirmation
        fields = ["id", "criterion", "gate", "label", "confirmed_by", "confirmed_at", "note"]
        read_only_fields = fields


class ParticipationSerializer(serializers.ModelSerializer):
    municipality_name = serializers.CharField(source="municipality.name")
    municipality_code = serializers.CharField(source="municipality.code")

    class Meta:
        model = Participation
        fields = [
            "id",
            "municipality",
            "municipality_code",
            "municipality_name",
            "status",
            "joined_on",
            "left_on",
            "leave_reason",
            "implemented_on",
            "implementation_opted_out",
            "is_late_implementer",
            "local_decision_body",
            "local_decision_on",
            "local_decision_reference",
            "local_diary_number",
            "version",
        ]
        read_only_fields = fields


class StatusSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "reported_on",
            "health_time",
            "health_cost",
            "health_quality",
            "progress",
            "comment",
            "author",
            "municipality",
            "created_at",
        ]
        read_only_fields = fields


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value", "comment"]
        read_only_fields = fields


class EffectGoalSerializer(serializers.ModelSerializer):
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = EffectGoal
        # The goal's own fields are the ones the service lets a client change.
        fields = ["id", *GOAL_FIELDS, "measurements", "version"]
        read_only_fields = fields


class PriorityScoreSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="criterion.name")
    weight = serializers.IntegerField(source="criterion.weight")

    class Meta:
        model = PriorityScore
        fields = ["criterion", "name", "weight", "score"]
        read_only_fields = fields


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    text = serializers.SerializerMethodField(
        help_text="Ändringen som en mening på det valda språket, som på initiativets sida."
    )

    class Meta:
        model = HistoryEntry
        fields = ["id", "entity", "entity_id", "action", "changes", "text", "actor", "created_at"]
        read_only_fields = fields

    def get_text(self, entry) -> str:
        return history_line(entry).text


class PriorityScoresOutput(serializers.Serializer):
    priority_score = serializers.CharField(allow_null=True, help_text="Viktat medelvärde, 1–5.")
    scores = PriorityScoreSerializer(many=True)


class HistoryPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = HistorySerializer(many=True)
