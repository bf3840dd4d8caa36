"""What the meetings API reads and writes; the meeting services decide."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from samverkan.api import KnownFieldsOnly, PatchInput

from ..choices import DecisionKind, Stage
from ..models import AgendaItem, ItemKind, ItemOutcome, Meeting, MeetingStatus
from ..selectors.history import meeting_lines


class PersonName(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="get_full_name")


class AgendaItemSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    outcome = serializers.ChoiceField(choices=ItemOutcome.choices, allow_blank=True)
    outcome_label = serializers.CharField(source="get_outcome_display")
    initiative_reference = serializers.CharField(
        source="initiative.reference", allow_null=True, default=None
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "kind",
            "kind_label",
            "title",
            "initiative",
            "initiative_reference",
            "decision_kind",
            "agreement",
            "memo_reference",
            "note",
            "outcome",
            "outcome_label",
            "motivation",
            "paragraph",
            "decision",
            "recorded_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "body_name",
            "starts_at",
            "place",
            "link",
            "status",
            "status_label",
            "agenda_notice_days",
            "agenda_sent_at",
            "version",
        ]


class AgendaSendingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    sent_at = serializers.DateTimeField()
    sent_by = serializers.CharField(source="sent_by.get_full_name")
    items = serializers.IntegerField()
    late = serializers.BooleanField()


class ServingSubstituteSerializer(serializers.Serializer):
    substitute = PersonName()
    serves_for = PersonName()


class MeetingHistorySerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    actor = PersonName(allow_null=True)
    text = serializers.CharField()
    after_notice = serializers.BooleanField(
        help_text=gettext_lazy("Ändringen gjordes efter att kallelsen skickats.")
    )


class MeetingDetailSerializer(MeetingSerializer):
    secretary = PersonName(allow_null=True)
    adjuster = PersonName(allow_null=True)
    present = PersonName(many=True)
    substitutes = ServingSubstituteSerializer(many=True)
    history = serializers.SerializerMethodField()
    items = AgendaItemSerializer(many=True)
    sendings = AgendaSendingSerializer(many=True)

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "secretary",
            "adjuster",
            "present",
            "substitutes",
            "chair_adjusted_at",
            "adjuster_adjusted_at",
            "items",
            "sendings",
            "history",
        ]

    @extend_schema_field(MeetingHistorySerializer(many=True))
    def get_history(self, meeting) -> list:
        return MeetingHistorySerializer(meeting_lines(meeting), many=True).data


class ProposalSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    title = serializers.CharField()
    initiative = serializers.IntegerField(source="initiative.pk", allow_null=True, default=None)
    decision_kind = serializers.CharField()
    agreement = serializers.IntegerField(source="agreement.pk", allow_null=True, default=None)
    memo_reference = serializers.CharField()
    note = serializers.CharField()


class MeetingInput(KnownFieldsOnly, serializers.Serializer):
    body = serializers.IntegerField(help_text=gettext_lazy("Organets id i portföljen."))
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    link = serializers.URLField(required=False, allow_blank=True, default="")
    agenda_notice_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=60
    )


class SeriesInput(KnownFieldsOnly, serializers.Serializer):
    body = serializers.IntegerField(help_text=gettext_lazy("Organets id i portföljen."))
    first_starts_at = serializers.DateTimeField()
    every_weeks = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=52
    )
    until = serializers.DateField(required=False, allow_null=True, default=None)
    dates = serializers.ListField(
        child=serializers.DateField(), required=False, default=list, max_length=24
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    link = serializers.URLField(required=False, allow_blank=True, default="")
    agenda_notice_days = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=60
    )


class ItemInput(KnownFieldsOnly, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    memo_reference = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    initiative = serializers.IntegerField(required=False, allow_null=True, default=None)
    decision_kind = serializers.ChoiceField(
        choices=DecisionKind.choices, required=False, allow_blank=True, default=""
    )


class ItemDecisionInput(KnownFieldsOnly, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ItemOutcome.choices)
    motivation = serializers.CharField(required=False, allow_blank=True, default="")
    target_stage = serializers.ChoiceField(
        choices=[(Stage.PROJECT, Stage.PROJECT.label), (Stage.ASSIGNMENT, Stage.ASSIGNMENT.label)],
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("Vid G1: om initiativet blir ett projekt eller ett uppdrag."),
    )


class ServingInput(KnownFieldsOnly, serializers.Serializer):
    substitute = serializers.IntegerField(min_value=1, help_text=gettext_lazy("Ersättarens id."))
    serves_for = serializers.IntegerField(
        min_value=1,
        help_text=gettext_lazy("Id för den frånvarande ledamot ersättaren tjänstgör för."),
    )


class MeetingPatch(PatchInput, serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    link = serializers.URLField(required=False, allow_blank=True)
    agenda_notice_days = serializers.IntegerField(required=False, min_value=0, max_value=60)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=gettext_lazy("Versionen du utgick från; inaktuell: 409."),
    )


class AttendanceInput(KnownFieldsOnly, serializers.Serializer):
    present = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=200)
    adjuster = serializers.IntegerField(required=False, allow_null=True, default=None)
    substitutes = ServingInput(
        many=True,
        required=False,
        max_length=200,
        help_text=gettext_lazy("Tjänstgörande ersättare; utelämnat: som förut."),
    )
