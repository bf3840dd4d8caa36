"""A body's meetings in the REST API, through the same services as the meeting page:
/api/v1/portfolios/<id>/meetings/ and /api/v1/meetings/<id>/ (agenda, proposal,
attendance, a decision per item). Everyone who sees the portfolio reads; the policies
say who writes (403 before the body is read; 404 outside the user's constellations).
The minutes and their justering are the reports app's (/api/v1/meetings/<id>/minutes/).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from ..models import Body, Initiative
from ..selectors.access import visible_portfolios
from ..selectors.bodies import active_bodies
from ..selectors.meeting_calendar import body_calendar
from ..selectors.meetings import agenda_proposal, body_people, meeting_for, portfolio_meetings
from ..selectors.settings import settings_portfolio
from ..services import meetings as services
from ..services.meeting_agenda import agenda_send
from ..services.meeting_changes import meeting_update
from ..services.meeting_decisions import item_record
from ..services.meeting_series import meeting_series_plan
from . import meeting_serializers as s
from . import permissions as guard

TAGS = ["möten"]


def _detail(request, pk, code=status.HTTP_200_OK) -> Response:
    meeting = meeting_for(request.user, pk)
    return Response(
        s.MeetingDetailSerializer(meeting).data,
        status=code,
        headers={"ETag": f'"{meeting.version}"'},
    )


class PortfolioMeetings(guard.GuardedAPIView):
    rules = {"POST": guard.PLAN_ANY_MEETING}

    @extend_schema(tags=TAGS, responses=s.MeetingSerializer(many=True))
    def get(self, request, portfolio_pk):
        """The meetings of the portfolio's bodies, the latest first."""
        portfolio = settings_portfolio(request.user, portfolio_pk)
        return Response(s.MeetingSerializer(portfolio_meetings(portfolio), many=True).data)

    @extend_schema(tags=TAGS, request=s.MeetingInput, responses={201: s.MeetingDetailSerializer})
    def post(self, request, portfolio_pk):
        """Plan a meeting of one of the portfolio's bodies."""
        portfolio = self.permit(settings_portfolio(request.user, portfolio_pk))
        data = self.valid(s.MeetingInput)
        body = next((b for b in active_bodies(portfolio.pk) if b.pk == data["body"]), None)
        if body is None:
            raise serializers.ValidationError({"body": [_("Okänt organ i portföljen.")]})
        body.portfolio = portfolio
        meeting = services.meeting_plan(
            actor=request.user,
            body=body,
            starts_at=data["starts_at"],
            place=data["place"],
            link=data["link"],
            agenda_notice_days=data["agenda_notice_days"],
        )
        return _detail(request, meeting.pk, status.HTTP_201_CREATED)


class PortfolioMeetingSeries(guard.GuardedAPIView):
    rules = {"POST": guard.PLAN_ANY_MEETING}

    @extend_schema(
        tags=TAGS, request=s.SeriesInput, responses={201: s.MeetingSerializer(many=True)}
    )
    def post(self, request, portfolio_pk):
        """Plan a series of a body's meetings at once (every N weeks until a date, or on
        the dates given; at most 24), all or none."""
        portfolio = self.permit(settings_portfolio(request.user, portfolio_pk))
        data = dict(self.valid(s.SeriesInput))
        body_id = data.pop("body")
        body = next((b for b in active_bodies(portfolio.pk) if b.pk == body_id), None)
        if body is None:
            raise serializers.ValidationError({"body": [_("Okänt organ i portföljen.")]})
        body.portfolio = portfolio
        made = meeting_series_plan(actor=request.user, body=body, **data)
        return Response(s.MeetingSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class MeetingScoped(guard.GuardedAPIView):
    def get_meeting(self):
        meeting = meeting_for(self.request.user, self.kwargs["pk"])
        return self.permit(meeting) if self.request.method != "GET" else meeting


class MeetingDetail(MeetingScoped):
    rules = {"PATCH": guard.PLAN_MEETING}

    @extend_schema(tags=TAGS, responses=s.MeetingDetailSerializer)
    def get(self, request, pk):
        """The meeting with its agenda, who was present, each item's decision and §,
        and the history of changes to the meeting and its agenda."""
        return _detail(request, pk)

    @extend_schema(tags=TAGS, request=s.MeetingPatch, responses=s.MeetingDetailSerializer)
    def patch(self, request, pk):
        """Change a planned meeting's time, place, link or days of notice; kept in the
        meeting's history, marked when made after the kallelse."""
        meeting = self.get_meeting()
        meeting_update(actor=request.user, meeting=meeting, **self.valid(s.MeetingPatch))
        return _detail(request, pk)


class MeetingProposal(MeetingScoped):
    rules = {"POST": guard.PLAN_MEETING}

    @extend_schema(tags=TAGS, responses=s.ProposalSerializer(many=True))
    def get(self, request, pk):
        """What is ready for the body and not yet on the agenda."""
        return Response(s.ProposalSerializer(agenda_proposal(self.get_meeting()), many=True).data)

    @extend_schema(tags=TAGS, request=None, responses={201: s.MeetingDetailSerializer})
    def post(self, request, pk):
        """Add the proposal to the agenda."""
        services.agenda_propose(actor=request.user, meeting=self.get_meeting())
        return _detail(request, pk, status.HTTP_201_CREATED)


class MeetingItems(MeetingScoped):
    rules = {"POST": guard.PLAN_MEETING}

    @extend_schema(tags=TAGS, request=s.ItemInput, responses={201: s.MeetingDetailSerializer})
    def post(self, request, pk):
        """Add a matter to the agenda: any other matter, or a decision on an initiative."""
        meeting = self.get_meeting()
        data = dict(self.valid(s.ItemInput))
        if data["initiative"] is not None:
            data["initiative"] = Initiative.objects.filter(
                pk=data["initiative"], portfolio_id=meeting.body.portfolio_id
            ).first()
            if data["initiative"] is None:
                raise serializers.ValidationError(
                    {"initiative": [_("Initiativet hör inte till organets portfölj.")]}
                )
        services.agenda_item_add(actor=request.user, meeting=meeting, **data)
        return _detail(request, pk, status.HTTP_201_CREATED)


class MeetingItem(MeetingScoped):
    rules = {"DELETE": guard.PLAN_MEETING}

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, pk, item_pk):
        """Remove an undecided item; a decided one is part of the minutes (409)."""
        meeting = self.get_meeting()
        item = get_object_or_404(meeting.items.all(), pk=item_pk)
        services.agenda_item_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeetingItemDecision(MeetingScoped):
    rules = {"POST": guard.RECORD_MEETING}

    @extend_schema(tags=TAGS, request=s.ItemDecisionInput, responses={201: s.AgendaItemSerializer})
    def post(self, request, pk, item_pk):
        """Record the meeting's decision on the item; it takes the body's next § of the
        year. A gate or cancellation is recorded as a gate decision, with its rules."""
        meeting = self.get_meeting()
        item = get_object_or_404(meeting.items.all(), pk=item_pk)
        data = self.valid(s.ItemDecisionInput)
        recorded = item_record(actor=request.user, item=item, **data)
        return Response(s.AgendaItemSerializer(recorded).data, status=status.HTTP_201_CREATED)


class MeetingAttendance(MeetingScoped):
    rules = {"PUT": guard.RECORD_MEETING}

    @extend_schema(tags=TAGS, request=s.AttendanceInput, responses=s.MeetingDetailSerializer)
    def put(self, request, pk):
        """Who was present (ids of the body's people) and who of them adjusts."""
        meeting = self.get_meeting()
        data = self.valid(s.AttendanceInput)
        people = {p.pk: p for p in body_people(meeting.body)}
        unknown = [i for i in [*data["present"], data["adjuster"]] if i and i not in people]
        if unknown:
            raise serializers.ValidationError(
                {"present": [_("Personen sitter inte i organet (id %(id)s).") % {"id": unknown[0]}]}
            )
        services.attendance_set(
            actor=request.user,
            meeting=meeting,
            present=[people[i] for i in data["present"]],
            adjuster=people.get(data["adjuster"]),
            substitutes=_serving(meeting.body, people, data.get("substitutes")),
        )
        return _detail(request, pk)


def _serving(body, people: dict, pairs):
    """The ids to the body's substitutes and people; an unknown id: 400 on the field."""
    if pairs is None:
        return None
    substitutes = {p.pk: p for p in body.substitutes.all()}
    unknown = [
        pair[key]
        for pair in pairs
        for key, known in (("substitute", substitutes), ("serves_for", people))
        if pair[key] not in known
    ]
    if unknown:
        raise serializers.ValidationError(
            {
                "substitutes": [
                    _("Personen är inte ersättare eller ledamot i organet (id %(id)s).")
                    % {"id": unknown[0]}
                ]
            }
        )
    return [(substitutes[p["substitute"]], people[p["serves_for"]]) for p in pairs]


class MeetingAgendaSend(MeetingScoped):
    rules = {"POST": guard.SEND_AGENDA}

    @extend_schema(tags=TAGS, request=None, responses={201: s.AgendaSendingSerializer})
    def post(self, request, pk):
        """Send the agenda (kallelse) to the body's members; refused (400) for a meeting
        already held, an empty agenda, or an agenda unchanged since the last sending."""
        sending = agenda_send(actor=request.user, meeting=self.get_meeting())
        return Response(s.AgendaSendingSerializer(sending).data, status=status.HTTP_201_CREATED)


class BodyCalendar(guard.GuardedAPIView):
    @extend_schema(tags=TAGS, responses={(200, "text/calendar"): OpenApiTypes.STR})
    def get(self, request, pk):
        """The body's meetings as an iCalendar feed for the members' calendars."""
        body = get_object_or_404(
            Body.objects.select_related("portfolio"),
            pk=pk,
            portfolio__in=visible_portfolios(request.user).values("id"),
        )
        content = body_calendar(body, request.get_host().split(":")[0] or "samverkan")
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="moten-{body.pk}.ics"'
        return response
