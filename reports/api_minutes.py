"""The minutes of a meeting in the REST API: /api/v1/meetings/<id>/minutes/.

GET says where the minutes stand (draft, or issued with the report that holds the
PDF); POST is one justering, by the chair or the adjuster (403 for anyone else before
the body is read; a second justering by the same person, or after both: 400 with the
reason in Swedish). After the second, the issued PDF is a report job like any other."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from portfolio.api import permissions as guard
from portfolio.selectors.meetings import meeting_for

from . import minutes


class MinutesSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    adjusted = serializers.BooleanField()
    chair_adjusted_at = serializers.DateTimeField(allow_null=True)
    adjuster_adjusted_at = serializers.DateTimeField(allow_null=True)
    report = serializers.IntegerField(allow_null=True)
    draft_pdf = serializers.CharField(allow_null=True)


def _state(meeting) -> dict:
    job = minutes.minutes_job(meeting)
    return {
        "meeting": meeting.pk,
        "adjusted": meeting.is_adjusted,
        "chair_adjusted_at": meeting.chair_adjusted_at,
        "adjuster_adjusted_at": meeting.adjuster_adjusted_at,
        "report": job.pk if job else None,
        "draft_pdf": None
        if meeting.is_adjusted
        else reverse("reports:meeting-minutes", args=[meeting.pk]),
    }


class MeetingMinutes(guard.GuardedAPIView):
    rules = {"POST": guard.ADJUST_MINUTES}

    @extend_schema(tags=["möten"], responses=MinutesSerializer)
    def get(self, request, pk):
        """Where the minutes stand; once justerade, `report` is the issued document
        (/api/v1/reports/<report>/download/)."""
        return Response(MinutesSerializer(_state(meeting_for(request.user, pk))).data)

    @extend_schema(tags=["möten"], request=None, responses={200: MinutesSerializer})
    def post(self, request, pk):
        """One justering of the minutes (the chair's or the adjuster's)."""
        meeting = self.permit(meeting_for(request.user, pk))
        minutes.minutes_adjust(actor=request.user, meeting=meeting)
        return Response(
            MinutesSerializer(_state(meeting_for(request.user, pk))).data,
            status=status.HTTP_200_OK,
        )
