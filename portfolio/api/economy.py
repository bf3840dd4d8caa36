"""/api/v1/ economy: the allocation calculator, costs and hours, allocations,
settlement and scenarios. Reads go through the access selectors (outside: 404); a write
the user's role does not allow answers 403 before the body is read; the services then
apply the exact policy (403) and the rules (400/409)."""

import re

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from ..models import CostEntry, Program, TimeEntry
from ..periods import PERIOD_PATTERN, Period
from ..selectors.access import (
    visible_constellations,
    visible_initiatives,
    visible_municipalities,
    visible_portfolios,
)
from ..selectors.economy import (
    allocation_preview,
    as_period,
    initiative_economy,
    municipality_economy,
    portfolio_economy,
    program_economy,
    scenario_compare,
    settlement_decision,
)
from ..services import costs
from ..services.allocation import period_settle
from . import economy_serializers as s
from . import permissions as guard

TAGS = ["ekonomi"]
PERIOD = OpenApiParameter(
    "period",
    str,
    pattern=PERIOD_PATTERN,
    description="Halvår som 2026H1 (standard: innevarande) eller 2026-01-01:2026-03-31.",
)
KOMMUNKOD = re.compile(r"\d{4}")
CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, pattern=rf"^{KOMMUNKOD.pattern}$", description="Kommunkod."
)


def period_from(text) -> Period:
    if text is not None and not re.fullmatch(PERIOD_PATTERN, text):
        raise ValidationError(
            {
                "period": [
                    _("Ange perioden som ett halvår, till exempel 2026H1, eller som två datum.")
                ]
            }
        )
    try:
        return as_period(text)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc


def visible_programs(user):
    return Program.objects.filter(portfolio__in=visible_portfolios(user).values("pk"))


class AllocationPreviewView(guard.GuardedAPIView):
    """Fördela ett belopp mellan kommuner med en fördelningsnyckel (kalkylator)."""

    rules = {"POST": guard.CALCULATE}

    @extend_schema(
        tags=TAGS, request=s.AllocationPreviewInput, responses=s.AllocationPreviewSerializer
    )
    def post(self, request):
        self.permit(None)
        data = self.valid(s.AllocationPreviewInput)
        return Response(s.preview_out(allocation_preview(**data)))


class _InitiativeEntries(guard.GuardedAPIView):
    model = output = input = None
    related: tuple = ()
    rules = {"POST": guard.REPORT_FOR_INITIATIVE}

    def initiative(self):
        return get_object_or_404(
            visible_initiatives(self.request.user).select_related("portfolio", "program"),
            pk=self.kwargs["initiative_pk"],
        )

    def get(self, request, initiative_pk):
        entries = self.model.objects.filter(initiative=self.initiative()).select_related(
            *self.related, "created_by"
        )
        return Response(self.output(entries, many=True).data)

    def post(self, request, initiative_pk):
        initiative = self.permit(self.initiative())
        data = self.valid(self.input)
        entry = self.create(actor=request.user, initiative=initiative, **data)
        return Response(
            self.output(entry).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": guard.etag_for(entry)},
        )


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses=s.CostEntrySerializer(many=True)),
    post=extend_schema(
        tags=TAGS, request=s.CostEntryInputSerializer, responses={201: s.CostEntrySerializer}
    ),
)
class InitiativeCostsView(_InitiativeEntries):
    """Kostnader (estimat och utfall) för ett initiativ."""

    model, output, input = CostEntry, s.CostEntrySerializer, s.CostEntryInputSerializer
    related = ("paid_by",)
    create = staticmethod(costs.cost_entry_create)


@extend_schema_view(
    get=extend_schema(tags=TAGS, responses=s.TimeEntrySerializer(many=True)),
    post=extend_schema(
        tags=TAGS, request=s.TimeEntryInputSerializer, responses={201: s.TimeEntrySerializer}
    ),
)
class InitiativeTimeEntriesView(_InitiativeEntries):
    """Tidsinsatser för ett initiativ."""

    model, output, input = TimeEntry, s.TimeEntrySerializer, s.TimeEntryInputSerializer
    related = ("municipality",)
    create = staticmethod(costs.time_entry_create)


class _EntryDetail(guard.GuardedAPIView):
    def entry(self):
        # The base manager: an estimate corrected after a decision is still a record to
        # read; writing to it is refused by the service with a clear 409.
        return get_object_or_404(
            self.model._base_manager.filter(
                initiative__in=visible_initiatives(self.request.user).values("pk")
            ).select_related("initiative__portfolio", "initiative__program"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, pk):
        entry = self.entry()
        return Response(self.output(entry).data, headers={"ETag": guard.etag_for(entry)})

    def patch(self, request, pk):
        entry = self.permit(self.entry())
        data = dict(self.valid(self.patch_input))
        version, from_header = guard.expected_version(request, entry, data.pop("version", None))
        with guard.precondition(from_header):
            entry = self.correct(actor=request.user, entry=entry, version=version, **data)
        return Response(self.output(entry).data, headers={"ETag": guard.etag_for(entry)})

    def delete(self, request, pk):
        entry = self.permit(self.entry())
        version, from_header = guard.expected_version(request, entry, None, required=False)
        with guard.precondition(from_header):
            self.remove(actor=request.user, entry=entry, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _entry_schema(output, patch_input):
    return extend_schema_view(
        get=extend_schema(tags=TAGS, responses=output),
        patch=extend_schema(
            tags=TAGS, request=patch_input, responses=output, parameters=[guard.IF_MATCH]
        ),
        delete=extend_schema(tags=TAGS, responses={204: None}, parameters=[guard.IF_MATCH]),
    )


@_entry_schema(s.CostEntrySerializer, s.CostEntryPatchSerializer)
class CostEntryDetailView(_EntryDetail):
    """Läs, rätta eller ta bort en kostnad (historiken sparas)."""

    model, output, patch_input = CostEntry, s.CostEntrySerializer, s.CostEntryPatchSerializer
    correct, remove = staticmethod(costs.cost_entry_correct), staticmethod(costs.cost_entry_delete)
    rules = {"PATCH": guard.CORRECT_COST_ENTRY, "DELETE": guard.CORRECT_COST_ENTRY}


@_entry_schema(s.TimeEntrySerializer, s.TimeEntryPatchSerializer)
class TimeEntryDetailView(_EntryDetail):
    """Läs, rätta eller ta bort en tidsinsats (historiken sparas)."""

    model, output, patch_input = TimeEntry, s.TimeEntrySerializer, s.TimeEntryPatchSerializer
    correct, remove = staticmethod(costs.time_entry_correct), staticmethod(costs.time_entry_delete)
    rules = {"PATCH": guard.CORRECT_TIME_ENTRY, "DELETE": guard.CORRECT_TIME_ENTRY}


class PortfolioEconomyView(guard.GuardedAPIView):
    @extend_schema(tags=TAGS, parameters=[PERIOD], responses=s.EconomySerializer)
    def get(self, request, pk):
        """Fördelning, betalt, timmar och netto per kommun för en portfölj och period."""
        portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
        economy = portfolio_economy(portfolio, period_from(request.GET.get("period")))
        return Response(s.EconomySerializer(economy).data)


class ProgramEconomyView(guard.GuardedAPIView):
    @extend_schema(tags=TAGS, parameters=[PERIOD], responses=s.EconomySerializer)
    def get(self, request, pk):
        """Fördelning, betalt, timmar och netto per kommun för ett program och period."""
        program = get_object_or_404(visible_programs(request.user), pk=pk)
        economy = program_economy(program, period_from(request.GET.get("period")))
        return Response(s.EconomySerializer(economy).data)


class InitiativeEconomyView(guard.GuardedAPIView):
    @extend_schema(tags=TAGS, parameters=[PERIOD], responses=s.EconomySerializer)
    def get(self, request, pk):
        """Fördelning, betalt, timmar och netto per kommun för ett initiativ och period."""
        initiative = get_object_or_404(visible_initiatives(request.user), pk=pk)
        economy = initiative_economy(initiative, period_from(request.GET.get("period")))
        return Response(s.EconomySerializer(economy).data)


class MunicipalityEconomyView(guard.GuardedAPIView):
    @extend_schema(tags=TAGS, parameters=[CODE, PERIOD], responses=s.MunicipalityEconomySerializer)
    def get(self, request, code):
        """En kommuns ekonomi i varje portfölj den ingår i och du får se.

        Bara kommuner i dina samverkanskonstellationer; andra svarar 404 som en okänd
        kommunkod. Portföljer utanför dina konstellationer finns inte med.
        """
        if not KOMMUNKOD.fullmatch(code):
            raise Http404
        municipality = get_object_or_404(visible_municipalities(request.user), code=code)
        period = period_from(request.GET.get("period"))
        economies = municipality_economy(municipality, period, user=request.user)
        return Response(s.municipality_out(municipality, period, economies))


class SettlementView(guard.GuardedAPIView):
    rules = {"POST": guard.SETTLE}

    @extend_schema(tags=TAGS, parameters=[PERIOD], responses=s.SettlementSerializer)
    def get(self, request, pk):
        """Avräkningens överföringar och varje kommuns netto för perioden."""
        portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
        economy = portfolio_economy(portfolio, period_from(request.GET.get("period")))
        decision = settlement_decision(portfolio, economy.period)
        return Response(s.SettlementSerializer(economy, context={"decision": decision}).data)

    @extend_schema(tags=TAGS, request=s.SettleInput, responses={201: s.SettledSerializer})
    def post(self, request, pk):
        """Registrera portföljstyrgruppens beslut att avräkna och låsa perioden (samordnaren)."""
        portfolio = self.permit(
            get_object_or_404(
                visible_portfolios(request.user).select_related("constellation"), pk=pk
            )
        )
        data = self.valid(s.SettleInput)
        period = data["period"]
        settled = period_settle(
            actor=request.user,
            portfolio=portfolio,
            period=period,
            decided_on=data["decided_on"],
            meeting_reference=data["meeting_reference"],
        )
        economy = portfolio_economy(portfolio, period)
        out = {"id": settled.pk, "period": period.label, "settled": True, "decision": settled}
        out["transfers"] = economy.transfers
        return Response(s.SettledSerializer(out).data, status=status.HTTP_201_CREATED)


class ScenarioView(guard.GuardedAPIView):
    rules = {"POST": guard.CALCULATE}

    @extend_schema(tags=TAGS, request=s.ScenarioInput, responses=s.ScenarioSerializer)
    def post(self, request):
        """Samma kostnader under andra uppsättningar kommuner, sida vid sida.

        {"sets": {"4D": "4D", "Egna": ["1460", "1492"]}, "amount": 1000000} eller
        {"initiative": 12, ...} eller {"program": 3, ...}; valfritt population_weight,
        equal_weight, population_year. En uppsättning kan vara en konstellations kortnamn.
        """
        self.permit(None)
        data = self.valid(s.ScenarioInput)
        kwargs = {"sets": self.resolve_sets(data["sets"])}
        if data.get("initiative") is not None:
            kwargs["initiative"] = get_object_or_404(
                visible_initiatives(request.user), pk=data["initiative"]
            )
        elif data.get("program") is not None:
            kwargs["program"] = get_object_or_404(
                visible_programs(request.user), pk=data["program"]
            )
        if data.get("amount") is not None:
            kwargs["amount"] = data["amount"]
        if any(k in data for k in ("population_weight", "equal_weight", "population_year")):
            kwargs["key"] = {
                "population_weight": data.get("population_weight", 80),
                "equal_weight": data.get("equal_weight", 20),
                "population_year": data.get("population_year", 2025),
            }
        return Response(s.ScenarioSerializer(scenario_compare(**kwargs)).data)

    def resolve_sets(self, sets: dict) -> dict[str, list[str]]:
        """A set named by a constellation's short name becomes its members' codes."""
        resolved, errors = {}, {}
        for label, value in sets.items():
            if isinstance(value, list):
                resolved[label] = value
                continue
            group = (
                visible_constellations(self.request.user).filter(short_name__iexact=value).first()
            )
            if group is None:
                errors[f"sets.{label}"] = [_("Okänd konstellation: %(name)s.") % {"name": value}]
                continue
            resolved[label] = list(group.members.order_by("code").values_list("code", flat=True))
        if errors:
            raise ValidationError(errors)
        return resolved
