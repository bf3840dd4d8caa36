"""Workflow actions in the REST API: the same services and rules as the pages.

Everything hangs under /api/v1/initiatives/<id>/; an initiative outside the user's
constellations answers 404; a write the user's role does not allow answers 403 before
the body is read (`permissions.GuardedAPIView`). Decisions can be listed, read and
recorded; there is no PUT, PATCH or DELETE for them anywhere (a correction is a new
decision).
"""

from abc import ABCMeta, abstractmethod

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from accounts.models import User

from ..choices import Gate
from ..models import EffectGoal, GateCriterion, GateDecision, Participation, PortfolioGoal
from ..selectors.gates import gate_checklist
from ..selectors.initiatives import initiative_history, initiative_visible
from ..services import benefits, participation, priority, workflow
from ..services import status as status_service
from . import permissions as guard
from . import workflow_serializers as s
from .permissions import GuardedAPIView

TAGS = ["arbetsflöde"]


class InitiativeScoped(GuardedAPIView):
    def get_initiative(self):
        return initiative_visible(self.request.user, self.kwargs["initiative_pk"])


class DecisionList(InitiativeScoped):
    rules = {"POST": guard.RECORD_DECISION}

    @extend_schema(tags=TAGS, responses=s.DecisionSerializer(many=True))
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        decisions = initiative.decisions.select_related("recorded_by").order_by(
            "-decided_on", "-id"
        )
        return Response(s.DecisionSerializer(decisions, many=True).data)

    @extend_schema(tags=TAGS, request=s.DecisionInput, responses={201: s.DecisionSerializer})
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.DecisionInput)
        corrects = None
        if data.get("corrects"):
            corrects = get_object_or_404(GateDecision, pk=data["corrects"], initiative=initiative)
        decision = workflow.decision_record(
            actor=request.user,
            initiative=initiative,
            kind=data["kind"],
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            meeting_reference=data.get("meeting_reference", ""),
            motivation=data.get("motivation", ""),
            target_stage=data.get("target_stage"),
            corrects=corrects,
            version=data.get("version"),
        )
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionDetail(InitiativeScoped):
    @extend_schema(tags=TAGS, responses=s.DecisionSerializer)
    def get(self, request, initiative_pk, pk):
        initiative = self.get_initiative()
        decision = get_object_or_404(
            GateDecision.objects.select_related("recorded_by"), pk=pk, initiative=initiative
        )
        return Response(s.DecisionSerializer(decision).data)


class GateChecklist(InitiativeScoped):
    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("gate", str, OpenApiParameter.PATH, enum=Gate.values)],
        responses=s.GateChecklistSerializer,
    )
    def get(self, request, initiative_pk, gate):
        initiative = self.get_initiative()
        if gate not in Gate.values:
            return Response(
                {"detail": _("Okänd grind. Ange G0, G1, G2 eller G3."), "code": "not_found"},
                status=status.HTTP_404_NOT_FOUND,
            )
        checklist = gate_checklist(initiative, gate)
        return Response(
            s.GateChecklistSerializer(
                {"gate": gate, "passable": checklist.passable, "criteria": checklist.results}
            ).data
        )


class ConfirmationList(InitiativeScoped):
    rules = {"POST": guard.CONFIRM_CRITERION}

    @extend_schema(tags=TAGS, responses=s.ConfirmationSerializer(many=True))
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        items = initiative.confirmations.select_related("criterion", "confirmed_by")
        return Response(s.ConfirmationSerializer(items, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.ConfirmationInput, responses={201: s.ConfirmationSerializer}
    )
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.ConfirmationInput)
        criterion = get_object_or_404(
            GateCriterion, pk=data["criterion"], portfolio=initiative.portfolio
        )
        item = workflow.criterion_confirm(
            actor=request.user,
            initiative=initiative,
            criterion=criterion,
            note=data.get("note", ""),
        )
        return Response(s.ConfirmationSerializer(item).data, status=status.HTTP_201_CREATED)


class ConfirmationDetail(InitiativeScoped):
    rules = {"DELETE": guard.CONFIRM_CRITERION}

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, initiative_pk, criterion_pk):
        initiative = self.permit(self.get_initiative())
        criterion = get_object_or_404(
            GateCriterion, pk=criterion_pk, portfolio=initiative.portfolio
        )
        workflow.criterion_unconfirm(actor=request.user, initiative=initiative, criterion=criterion)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParticipationList(InitiativeScoped):
    rules = {"POST": guard.INVITE_MUNICIPALITY}

    @extend_schema(tags=TAGS, responses=s.ParticipationSerializer(many=True))
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        items = initiative.participations.select_related("municipality").order_by(
            "municipality__name"
        )
        return Response(s.ParticipationSerializer(items, many=True).data)

    @extend_schema(tags=TAGS, request=s.InviteInput, responses={201: s.ParticipationSerializer})
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.InviteInput)
        item = participation.participation_invite(
            actor=request.user, initiative=initiative, municipality=data["municipality"]
        )
        return Response(s.ParticipationSerializer(item).data, status=status.HTTP_201_CREATED)


class ParticipationAction(InitiativeScoped, metaclass=ABCMeta):
    """POST .../participations/<id>/<action>/ with the participation's version."""

    input_class = s.VersionInput
    rules = {"POST": guard.RECORD_IMPLEMENTATION}

    def participation(self):
        initiative = self.get_initiative()
        item = get_object_or_404(
            Participation.objects.select_related("municipality"),
            pk=self.kwargs["pk"],
            initiative=initiative,
        )
        item.initiative = initiative
        return item

    @abstractmethod
    def act(self, item, data):
        """Call the participation service for this action."""

    def post(self, request, initiative_pk, pk):
        item = self.permit(self.participation())
        data = self.valid(self.input_class)
        self.act(item, data)
        return Response(s.ParticipationSerializer(item).data)


@extend_schema(tags=TAGS, request=s.AnswerInput, responses=s.ParticipationSerializer)
class ParticipationAnswer(ParticipationAction):
    input_class = s.AnswerInput
    rules = {"POST": guard.ANSWER_PARTICIPATION}

    def act(self, item, data):
        participation.participation_answer(
            actor=self.request.user,
            participation=item,
            version=data["version"],
            answer=data["answer"],
            joined_on=data.get("joined_on"),
            local_decision=data,
        )


@extend_schema(tags=TAGS, request=s.LeaveInput, responses=s.ParticipationSerializer)
class ParticipationLeave(ParticipationAction):
    input_class = s.LeaveInput
    rules = {"POST": guard.ANSWER_PARTICIPATION}

    def act(self, item, data):
        participation.participation_leave(
            actor=self.request.user,
            participation=item,
            version=data["version"],
            left_on=data["left_on"],
            reason=data["reason"],
            local_decision=data,
        )


@extend_schema(tags=TAGS, request=s.ImplementedInput, responses=s.ParticipationSerializer)
class ParticipationImplemented(ParticipationAction):
    input_class = s.ImplementedInput

    def act(self, item, data):
        participation.participation_implemented(
            actor=self.request.user,
            participation=item,
            version=data["version"],
            implemented_on=data["implemented_on"],
        )


@extend_schema(tags=TAGS, request=s.VersionInput, responses=s.ParticipationSerializer)
class ParticipationOptOut(ParticipationAction):
    def act(self, item, data):
        participation.participation_opt_out(
            actor=self.request.user, participation=item, version=data["version"]
        )


class StatusList(InitiativeScoped):
    rules = {"POST": guard.REPORT_FOR_INITIATIVE}

    @extend_schema(tags=TAGS, responses=s.StatusSerializer(many=True))
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        items = initiative.status_updates.select_related("author")
        return Response(s.StatusSerializer(items, many=True).data)

    @extend_schema(tags=TAGS, request=s.StatusInput, responses={201: s.StatusSerializer})
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.StatusInput)
        item = status_service.status_update_create(
            actor=request.user, initiative=initiative, **data
        )
        return Response(s.StatusSerializer(item).data, status=status.HTTP_201_CREATED)


def _goal_relations(initiative, data: dict) -> dict:
    """Turn owner / portfolio_goal ids into objects the user may reference."""
    values = dict(data)
    if values.get("owner") is not None:
        values["owner"] = get_object_or_404(
            User,
            pk=values["owner"],
            municipality__in=initiative.portfolio.constellation.members.all(),
        )
    if values.get("portfolio_goal") is not None:
        values["portfolio_goal"] = get_object_or_404(
            PortfolioGoal, pk=values["portfolio_goal"], portfolio=initiative.portfolio
        )
    return values


class EffectGoalList(InitiativeScoped):
    rules = {"POST": guard.EDIT_INITIATIVE}

    @extend_schema(tags=TAGS, responses=s.EffectGoalSerializer(many=True))
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        goals = initiative.effect_goals.prefetch_related("measurements")
        return Response(s.EffectGoalSerializer(goals, many=True).data)

    @extend_schema(tags=TAGS, request=s.EffectGoalInput, responses={201: s.EffectGoalSerializer})
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = _goal_relations(initiative, self.valid(s.EffectGoalInput))
        goal = benefits.effect_goal_create(actor=request.user, initiative=initiative, **data)
        return Response(s.EffectGoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class GoalScoped(InitiativeScoped):
    def goal(self):
        initiative = self.get_initiative()
        goal = get_object_or_404(EffectGoal, pk=self.kwargs["pk"], initiative=initiative)
        goal.initiative = initiative
        return goal


class EffectGoalDetail(GoalScoped):
    rules = {"PATCH": guard.EDIT_INITIATIVE}

    @extend_schema(tags=TAGS, responses=s.EffectGoalSerializer)
    def get(self, request, initiative_pk, pk):
        goal = self.goal()
        return Response(s.EffectGoalSerializer(goal).data, headers={"ETag": guard.etag_for(goal)})

    @extend_schema(
        tags=TAGS,
        request=s.EffectGoalPatch,
        responses=s.EffectGoalSerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, initiative_pk, pk):
        """If-Match or version is optional here; either one, if stale, refuses the edit."""
        goal = self.goal()
        self.permit(goal.initiative)
        data = dict(self.valid(s.EffectGoalPatch, partial=True))
        version, from_header = guard.expected_version(
            request, goal, data.pop("version", None), required=False
        )
        data = _goal_relations(goal.initiative, data)
        with guard.precondition(from_header):
            goal = benefits.effect_goal_update(
                actor=request.user, effect_goal=goal, version=version, **data
            )
        return Response(s.EffectGoalSerializer(goal).data, headers={"ETag": guard.etag_for(goal)})


class MeasurementList(GoalScoped):
    rules = {"POST": guard.RECORD_MEASUREMENT}

    @extend_schema(tags=TAGS, responses=s.MeasurementSerializer(many=True))
    def get(self, request, initiative_pk, pk):
        return Response(s.MeasurementSerializer(self.goal().measurements.all(), many=True).data)

    @extend_schema(tags=TAGS, request=s.MeasurementInput, responses={201: s.MeasurementSerializer})
    def post(self, request, initiative_pk, pk):
        goal = self.permit(self.goal())
        data = self.valid(s.MeasurementInput)
        item = benefits.measurement_record(actor=request.user, effect_goal=goal, **data)
        return Response(s.MeasurementSerializer(item).data, status=status.HTTP_201_CREATED)


class PriorityScores(InitiativeScoped):
    rules = {"POST": guard.SCORE_PRIORITY}

    @extend_schema(tags=TAGS, responses=s.PriorityScoresOutput)
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        scores = initiative.priority_scores.select_related("criterion")
        return Response(
            {
                "priority_score": None
                if initiative.priority_score is None
                else str(initiative.priority_score),
                "scores": s.PriorityScoreSerializer(scores, many=True).data,
            }
        )

    @extend_schema(tags=TAGS, request=s.PriorityInput, responses=s.PriorityScoresOutput)
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.PriorityInput)
        scores = {}
        for key, value in data["scores"].items():
            if not str(key).isdigit():
                raise ValidationError({"scores": [_("Nycklarna ska vara kriteriernas id.")]})
            scores[int(key)] = value
        priority.priority_scores_set(actor=request.user, initiative=initiative, scores=scores)
        return self.get(request, initiative_pk)


class History(InitiativeScoped):
    @extend_schema(tags=TAGS, responses=s.HistoryPage)
    def get(self, request, initiative_pk):
        initiative = self.get_initiative()
        paginator = PageNumberPagination()
        paginator.page_size = 100
        page = paginator.paginate_queryset(initiative_history(initiative), request, view=self)
        return paginator.get_paginated_response(s.HistorySerializer(page, many=True).data)


class Pause(InitiativeScoped):
    rules = {"POST": guard.PAUSE_INITIATIVE}

    @extend_schema(tags=TAGS, request=s.PauseInput, responses={200: None})
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.PauseInput)
        workflow.initiative_set_paused(
            actor=request.user,
            initiative=initiative,
            paused=data["paused"],
            reason=data.get("reason", ""),
            version=data.get("version"),
        )
        return Response({"is_paused": initiative.is_paused, "version": initiative.version})


class ThreeN(InitiativeScoped):
    rules = {"POST": guard.JUDGE_3N}

    @extend_schema(tags=TAGS, request=s.ThreeNInput, responses={200: None})
    def post(self, request, initiative_pk):
        initiative = self.permit(self.get_initiative())
        data = self.valid(s.ThreeNInput)
        benefits.initiative_set_3n(actor=request.user, initiative=initiative, **data)
        return Response(
            {
                "is_new": initiative.is_new,
                "is_useful": initiative.is_useful,
                "is_used": initiative.is_used,
                "version": initiative.version,
            }
        )
