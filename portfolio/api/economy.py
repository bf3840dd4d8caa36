"""/api/v1/ economy: the allocation calculator, costs and hours, allocations,
settlement and scenarios. Reads go through the access selectors (outside: 404); writes
call the services, which check the policies (403) and the rules (400/409)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from municipalities.models import Municipality

from ..models import CostEntry, Program, TimeEntry
from ..periods import Period, parse_period
from ..selectors.access import visible_constellations, visible_initiatives, visible_portfolios
from ..selectors.economy import (
    allocation_preview,
    initiative_economy,
    municipality_economy,
    portfolio_economy,
    program_economy,
    scenario_compare,
)
from ..services import costs
from ..services.allocation import period_settle
from .economy_serializers import (
    CostEntryInputSerializer,
    CostEntryPatchSerializer,
    CostEntrySerializer,
    TimeEntryInputSerializer,
    TimeEntryPatchSerializer,
    TimeEntrySerializer,
    economy_json,
    preview_json,
    scenario_json,
)

PERIOD = OpenApiParameter(
    "period",
    str,
    description="Halvår som 2026H1 (standard: innevarande) eller 2026-01-01:2026-03-31.",
)


def period_from(text) -> Period:
    from ..selectors.economy import as_period

    try:
        return as_period(text)
    except ValueError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc


class EconomyAPIView(APIView):
    permission_classes = [permissions.IsAuthenticated]


@extend_schema(tags=["ekonomi"])
class AllocationPreviewView(EconomyAPIView):
    """Fördela ett belopp mellan kommuner med en fördelningsnyckel (kalkylator)."""

    def post(self, request):
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Skicka ett JSON-objekt.")]})
        data = request.data
        rows = allocation_preview(
            municipalities=data.get("municipalities"),
            amount=data.get("amount"),
            population_weight=data.get("population_weight"),
            equal_weight=data.get("equal_weight"),
            population_year=data.get("population_year"),
        )
        return Response(preview_json(rows))


class _InitiativeEntries(EconomyAPIView):
    model = None
    output = None
    input = None

    def initiative(self, request, pk):
        return get_object_or_404(
            visible_initiatives(request.user).select_related("portfolio", "program"), pk=pk
        )

    def get(self, request, initiative_pk):
        initiative = self.initiative(request, initiative_pk)
        entries = self.model.objects.filter(initiative=initiative).select_related(
            *self.related, "created_by"
        )
        return Response(self.output(entries, many=True).data)


@extend_schema(tags=["ekonomi"], parameters=[PERIOD])
class InitiativeCostsView(_InitiativeEntries):
    """Kostnader (estimat och utfall) för ett initiativ."""

    model, output, related = CostEntry, CostEntrySerializer, ("paid_by",)

    @extend_schema(request=CostEntryInputSerializer, responses=CostEntrySerializer)
    def post(self, request, initiative_pk):
        initiative = self.initiative(request, initiative_pk)
        form = CostEntryInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = costs.cost_entry_create(
            actor=request.user, initiative=initiative, **form.validated_data
        )
        return Response(CostEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["ekonomi"])
class InitiativeTimeEntriesView(_InitiativeEntries):
    """Tidsinsatser för ett initiativ."""

    model, output, related = TimeEntry, TimeEntrySerializer, ("municipality",)

    @extend_schema(request=TimeEntryInputSerializer, responses=TimeEntrySerializer)
    def post(self, request, initiative_pk):
        initiative = self.initiative(request, initiative_pk)
        form = TimeEntryInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        entry = costs.time_entry_create(
            actor=request.user, initiative=initiative, **form.validated_data
        )
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class _EntryDetail(EconomyAPIView):
    def entry(self, request, pk):
        return get_object_or_404(
            self.model.objects.filter(
                initiative__in=visible_initiatives(request.user).values("pk")
            ).select_related("initiative__portfolio", "initiative__program"),
            pk=pk,
        )

    def get(self, request, pk):
        return Response(self.output(self.entry(request, pk)).data)

    def patch(self, request, pk):
        entry = self.entry(request, pk)
        form = self.patch_input(data=request.data)
        form.is_valid(raise_exception=True)
        entry = self.correct(actor=request.user, entry=entry, **form.validated_data)
        return Response(self.output(entry).data)

    def delete(self, request, pk):
        self.remove(actor=request.user, entry=self.entry(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["ekonomi"])
class CostEntryDetailView(_EntryDetail):
    """Läs, rätta eller ta bort en kostnad (historiken sparas)."""

    model, output, patch_input = CostEntry, CostEntrySerializer, CostEntryPatchSerializer
    correct, remove = staticmethod(costs.cost_entry_correct), staticmethod(costs.cost_entry_delete)


@extend_schema(tags=["ekonomi"])
class TimeEntryDetailView(_EntryDetail):
    """Läs, rätta eller ta bort en tidsinsats (historiken sparas)."""

    model, output, patch_input = TimeEntry, TimeEntrySerializer, TimeEntryPatchSerializer
    correct, remove = staticmethod(costs.time_entry_correct), staticmethod(costs.time_entry_delete)


@extend_schema(tags=["ekonomi"], parameters=[PERIOD])
class PortfolioEconomyView(EconomyAPIView):
    """Fördelning, betalt, timmar och netto per kommun för en portfölj och period."""

    def get(self, request, pk):
        portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
        return Response(
            economy_json(portfolio_economy(portfolio, period_from(request.GET.get("period"))))
        )


@extend_schema(tags=["ekonomi"], parameters=[PERIOD])
class ProgramEconomyView(EconomyAPIView):
    def get(self, request, pk):
        program = get_object_or_404(
            Program.objects.filter(portfolio__in=visible_portfolios(request.user).values("pk")),
            pk=pk,
        )
        return Response(
            economy_json(program_economy(program, period_from(request.GET.get("period"))))
        )


@extend_schema(tags=["ekonomi"], parameters=[PERIOD])
class InitiativeEconomyView(EconomyAPIView):
    def get(self, request, pk):
        initiative = get_object_or_404(visible_initiatives(request.user), pk=pk)
        period = period_from(request.GET.get("period"))
        return Response(economy_json(initiative_economy(initiative, period)))


@extend_schema(tags=["ekonomi"], parameters=[PERIOD])
class MunicipalityEconomyView(EconomyAPIView):
    """En kommuns ekonomi i varje portfölj den ingår i och du får se."""

    def get(self, request, code):
        municipality = get_object_or_404(Municipality, code=code)
        period = period_from(request.GET.get("period"))
        economies = municipality_economy(municipality, period, user=request.user)
        return Response(
            {
                "municipality": municipality.code,
                "name": municipality.name,
                "period": period.label,
                "portfolios": [
                    {
                        "portfolio": e.scope_id,
                        "name": e.scope_name,
                        "settled": e.settled,
                        "row": e.row_for(municipality.code).as_dict()
                        if e.row_for(municipality.code)
                        else None,
                        "transfers": [
                            t.__dict__
                            for t in e.transfers
                            if municipality.code in (t.from_code, t.to_code)
                        ],
                    }
                    for e in economies
                ],
            }
        )


@extend_schema(tags=["ekonomi"], parameters=[PERIOD])
class SettlementView(EconomyAPIView):
    """GET: avräkningens överföringar för perioden. POST {"period": "2026H1"}: avräkna
    och lås perioden (samordnare eller kommundirektör)."""

    def get(self, request, pk):
        portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
        economy = portfolio_economy(portfolio, period_from(request.GET.get("period")))
        return Response(
            {
                "period": economy.period.label,
                "settled": economy.settled,
                "transfers": [t.__dict__ for t in economy.transfers],
                "nets": {r.code: r.net for r in economy.rows},
            }
        )

    def post(self, request, pk):
        portfolio = get_object_or_404(
            visible_portfolios(request.user).select_related("constellation"), pk=pk
        )
        text = request.data.get("period") if isinstance(request.data, dict) else None
        if not text:
            raise ValidationError({"period": [_("Ange perioden, till exempel 2026H1.")]})
        try:
            period = parse_period(str(text))
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        settled = period_settle(actor=request.user, portfolio=portfolio, period=period)
        economy = portfolio_economy(portfolio, period)
        return Response(
            {
                "id": settled.pk,
                "period": period.label,
                "settled": True,
                "transfers": [t.__dict__ for t in economy.transfers],
            },
            status=status.HTTP_201_CREATED,
        )


def _codes_of_constellation(user, value) -> list[str] | None:
    if isinstance(value, str):
        group = visible_constellations(user).filter(short_name__iexact=value).first()
        if group is None:
            return None
        return list(group.members.order_by("code").values_list("code", flat=True))
    return value


@extend_schema(tags=["ekonomi"])
class ScenarioView(EconomyAPIView):
    """Samma kostnader under andra uppsättningar kommuner, sida vid sida.

    {"sets": {"4D": "4D", "Egna": ["1460", "1492"]}, "amount": 1000000} eller
    {"initiative": 12, ...} eller {"program": 3, ...}; valfritt population_weight,
    equal_weight, population_year. En uppsättning kan vara en konstellations kortnamn.
    """

    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        errors = {}
        sets = data.get("sets")
        if not isinstance(sets, dict) or not sets:
            raise ValidationError({"sets": [_("Ange minst en uppsättning kommuner.")]})
        resolved = {}
        for label, value in sets.items():
            codes = _codes_of_constellation(request.user, value)
            if codes is None:
                errors[f"sets.{label}"] = [_("Okänd konstellation: %(name)s.") % {"name": value}]
            resolved[str(label)] = codes or []
        if errors:
            raise ValidationError(errors)
        kwargs = {"sets": resolved}
        if data.get("initiative") is not None:
            kwargs["initiative"] = get_object_or_404(
                visible_initiatives(request.user), pk=_int(data["initiative"], "initiative")
            )
        elif data.get("program") is not None:
            kwargs["program"] = get_object_or_404(
                Program.objects.filter(portfolio__in=visible_portfolios(request.user).values("pk")),
                pk=_int(data["program"], "program"),
            )
        if data.get("amount") is not None:
            kwargs["amount"] = data["amount"]
        if any(k in data for k in ("population_weight", "equal_weight", "population_year")):
            kwargs["key"] = {
                "population_weight": data.get("population_weight", 80),
                "equal_weight": data.get("equal_weight", 20),
                "population_year": data.get("population_year", 2025),
            }
        return Response(scenario_json(scenario_compare(**kwargs)))


def _int(value, name) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Ange ett id (heltal).")]}) from None
