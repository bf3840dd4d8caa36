"""The portfolio office's settings in the REST API: the same services and rules as the pages.

Everything hangs under /api/v1/portfolios/<id>/. Anyone who can see the portfolio may
read; writes are the samordnare's (403 for other roles, asked before the body is read).
A portfolio outside the user's constellations answers 404.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from ..choices import AllocationMethod, Gate
from ..selectors import settings as sel
from ..services import settings_gates, settings_keys, settings_programs
from . import permissions as guard
from . import settings_serializers as s

TAGS = ["inställningar"]


class PortfolioScoped(guard.GuardedAPIView):
    """Reads for everyone who sees the portfolio; every write is the portfolio office's."""

    rules = {method: guard.MANAGE_SETTINGS for method in ("POST", "PUT", "PATCH", "DELETE")}

    def get_portfolio(self):
        portfolio = sel.settings_portfolio(self.request.user, self.kwargs["portfolio_pk"])
        if self.request.method not in SAFE_METHODS:
            self.permit(portfolio)
        return portfolio


# --- gate criteria ----------------------------------------------------------------------


def _criteria(portfolio, gate=None) -> list:
    return [c for group in sel.gate_criteria_groups(portfolio, gate) for c in group.criteria]


def _criterion_out(portfolio, pk: int):
    found = next((c for c in _criteria(portfolio) if c.pk == pk), None)
    if found is None:
        raise Http404
    return s.GateCriterionSerializer(found).data


def with_etag(data, status_code=status.HTTP_200_OK) -> Response:
    return Response(data, status=status_code, headers={"ETag": f'"{data["version"]}"'})


class GateCriterionList(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.GateCriterionSerializer(many=True))
    def get(self, request, portfolio_pk):
        """Every gate's criteria in order (?gate=G1 for one gate), inactive ones too."""
        portfolio = self.get_portfolio()
        gate = request.query_params.get("gate") or None
        if gate is not None and gate not in Gate.values:
            return Response(
                {
                    "detail": _("Okänd grind. Ange G0, G1, G2 eller G3."),
                    "code": "invalid",
                    "errors": {"gate": [_("Okänd grind. Ange G0, G1, G2 eller G3.")]},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(s.GateCriterionSerializer(_criteria(portfolio, gate), many=True).data)

    @extend_schema(
        tags=TAGS, request=s.GateCriterionInput, responses={201: s.GateCriterionSerializer}
    )
    def post(self, request, portfolio_pk):
        portfolio = self.get_portfolio()
        data = self.valid(s.GateCriterionInput)
        criterion = settings_gates.gate_criterion_add(
            actor=request.user, portfolio=portfolio, **data
        )
        return Response(_criterion_out(portfolio, criterion.pk), status=status.HTTP_201_CREATED)


class GateCriterionDetail(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.GateCriterionSerializer)
    def get(self, request, portfolio_pk, pk):
        return with_etag(_criterion_out(self.get_portfolio(), pk))

    @extend_schema(
        tags=TAGS,
        request=s.GateCriterionPatch,
        responses=s.GateCriterionSerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, portfolio_pk, pk):
        """Edit the label or (de)activate. There is no DELETE: decisions keep their snapshot.
        If-Match or version is optional; either one, if stale, refuses the edit."""
        portfolio = self.get_portfolio()
        criterion = sel.gate_criterion_for(portfolio, pk)
        data = dict(self.valid(s.GateCriterionPatch))
        version, from_header = guard.expected_version(
            request, criterion, data.pop("version", None), required=False
        )
        with guard.precondition(from_header):
            settings_gates.gate_criterion_update(
                actor=request.user, criterion=criterion, version=version, **data
            )
        return with_etag(_criterion_out(portfolio, pk))


class GateCriterionReorder(PortfolioScoped):
    @extend_schema(
        tags=TAGS, request=s.ReorderInput, responses=s.GateCriterionSerializer(many=True)
    )
    def post(self, request, portfolio_pk):
        portfolio = self.get_portfolio()
        data = self.valid(s.ReorderInput)
        settings_gates.gate_criteria_reorder(
            actor=request.user, portfolio=portfolio, gate=data["gate"], order=data["order"]
        )
        return Response(
            s.GateCriterionSerializer(_criteria(portfolio, data["gate"]), many=True).data
        )


# --- allocation key ---------------------------------------------------------------------

KEY_DEFAULTS = {
    "method": AllocationMethod.POPULATION_AND_EQUAL,
    "population_weight": 80,
    "equal_weight": 20,
    "population_year": 2025,
    "hourly_rate": 700,
    "yearly_fee_per_party": None,
    "decision_reference": "",
}


class AllocationKeyList(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.AllocationKeySerializer(many=True))
    def get(self, request, portfolio_pk):
        """The key's versions, newest first."""
        portfolio = self.get_portfolio()
        keys = sel.allocation_key_versions(portfolio)
        return Response(s.AllocationKeySerializer(keys, many=True).data)

    @extend_schema(
        tags=TAGS, request=s.AllocationKeyInput, responses={201: s.AllocationKeySerializer}
    )
    def post(self, request, portfolio_pk):
        """A new dated version. Fields left out take the latest version's values."""
        portfolio = self.get_portfolio()
        data = self.valid(s.AllocationKeyInput)
        latest = sel.allocation_key_versions(portfolio).first()
        values = {
            name: (getattr(latest, name) if latest is not None else default)
            for name, default in KEY_DEFAULTS.items()
        }
        values["decision_reference"] = ""
        if data.get("method") == AllocationMethod.POPULATION_AND_EQUAL:
            values["yearly_fee_per_party"] = None
        values.update(data)
        key = settings_keys.allocation_key_add(actor=request.user, portfolio=portfolio, **values)
        out = sel.allocation_key_for(portfolio, key.pk)
        return Response(s.AllocationKeySerializer(out).data, status=status.HTTP_201_CREATED)


class AllocationKeyDetail(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.AllocationKeySerializer)
    def get(self, request, portfolio_pk, pk):
        """A version is a record: there is no PUT, PATCH or DELETE."""
        key = sel.allocation_key_for(self.get_portfolio(), pk)
        return Response(s.AllocationKeySerializer(key).data)


# --- priority criteria ------------------------------------------------------------------


class PriorityCriterionList(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.PriorityCriterionSerializer(many=True))
    def get(self, request, portfolio_pk):
        items = sel.priority_criteria(self.get_portfolio())
        return Response(s.PriorityCriterionSerializer(items, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=s.PriorityCriterionInput,
        responses={201: s.PriorityCriterionSerializer},
    )
    def post(self, request, portfolio_pk):
        portfolio = self.get_portfolio()
        data = self.valid(s.PriorityCriterionInput)
        item = settings_programs.priority_criterion_add(
            actor=request.user, portfolio=portfolio, **data
        )
        out = sel.priority_criterion_for(portfolio, item.pk)
        return Response(s.PriorityCriterionSerializer(out).data, status=status.HTTP_201_CREATED)


class PriorityCriterionDetail(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.PriorityCriterionSerializer)
    def get(self, request, portfolio_pk, pk):
        item = sel.priority_criterion_for(self.get_portfolio(), pk)
        return with_etag(s.PriorityCriterionSerializer(item).data)

    @extend_schema(
        tags=TAGS,
        request=s.PriorityCriterionPatch(partial=True),
        responses=s.PriorityCriterionSerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, portfolio_pk, pk):
        """A new weight recomputes every initiative's priority score. If-Match or version
        is optional; either one, if stale, refuses the edit."""
        portfolio = self.get_portfolio()
        item = sel.priority_criterion_for(portfolio, pk)
        data = dict(self.valid(s.PriorityCriterionPatch, partial=True))
        version, from_header = guard.expected_version(
            request, item, data.pop("version", None), required=False
        )
        with guard.precondition(from_header):
            settings_programs.priority_criterion_update(
                actor=request.user, criterion=item, version=version, **data
            )
        out = sel.priority_criterion_for(portfolio, pk)
        return with_etag(s.PriorityCriterionSerializer(out).data)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, portfolio_pk, pk):
        """Only a criterion no initiative has been scored on (otherwise 409)."""
        item = sel.priority_criterion_for(self.get_portfolio(), pk)
        settings_programs.priority_criterion_delete(actor=request.user, criterion=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- programs and budgets ---------------------------------------------------------------


class SettingsProgramList(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.SettingsProgramSerializer(many=True))
    def get(self, request, portfolio_pk):
        items = sel.programs_with_budgets(self.get_portfolio())
        return Response(s.SettingsProgramSerializer(items, many=True).data)

    @extend_schema(tags=TAGS, request=s.ProgramInput, responses={201: s.SettingsProgramSerializer})
    def post(self, request, portfolio_pk):
        portfolio = self.get_portfolio()
        data = self.valid(s.ProgramInput)
        program = settings_programs.program_create(
            actor=request.user,
            portfolio=portfolio,
            name=data["name"],
            description=data.get("description", ""),
            manager=data.get("manager"),
        )
        out = sel.program_for(portfolio, program.pk)
        return Response(s.SettingsProgramSerializer(out).data, status=status.HTTP_201_CREATED)


class SettingsProgramDetail(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.SettingsProgramSerializer)
    def get(self, request, portfolio_pk, pk):
        program = sel.program_for(self.get_portfolio(), pk)
        return with_etag(s.SettingsProgramSerializer(program).data)

    @extend_schema(
        tags=TAGS,
        request=s.ProgramPatch(partial=True),
        responses=s.SettingsProgramSerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, portfolio_pk, pk):
        """Rename, describe or set the programledare (`"manager": null` removes them).
        If-Match or version is optional; either one, if stale, refuses the edit."""
        portfolio = self.get_portfolio()
        program = sel.program_for(portfolio, pk)
        data = dict(self.valid(s.ProgramPatch, partial=True))
        version, from_header = guard.expected_version(
            request, program, data.pop("version", None), required=False
        )
        with guard.precondition(from_header):
            settings_programs.program_update(
                actor=request.user, program=program, version=version, **data
            )
        out = sel.program_for(portfolio, pk)
        return with_etag(s.SettingsProgramSerializer(out).data)


class ProgramBudgetList(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.BudgetSerializer(many=True))
    def get(self, request, portfolio_pk, pk):
        program = sel.program_for(self.get_portfolio(), pk)
        return Response(s.BudgetSerializer(program.budgets.all(), many=True).data)


class ProgramBudgetYear(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.BudgetSerializer)
    def get(self, request, portfolio_pk, pk, year):
        program = sel.program_for(self.get_portfolio(), pk)
        budget = program.budgets.filter(year=year).first()
        if budget is None:
            raise Http404
        return with_etag(s.BudgetSerializer(budget).data)

    @extend_schema(
        tags=TAGS,
        request=s.BudgetInput,
        responses=s.BudgetSerializer,
        parameters=[guard.IF_MATCH, guard.IF_NONE_MATCH],
    )
    def put(self, request, portfolio_pk, pk, year):
        """Set the program's budget for the year (whole kronor), creating or replacing it.
        If-Match or version is optional; either one, if stale, refuses the change (so
        does either one for a year without a budget). `If-None-Match: *` creates only:
        a year someone has already set is refused with 412."""
        program = sel.program_for(self.get_portfolio(), pk)
        data = dict(self.valid(s.BudgetInput))
        budget = program.budgets.filter(year=year).first()
        if budget is None:
            # If-Match on nothing stored never matches (RFC 9110 13.1.1).
            if "If-Match" in request.headers:
                raise guard.PreconditionFailed()
            version, from_header = data.pop("version", None), False
        else:
            version, from_header = guard.expected_version(
                request, budget, data.pop("version", None), required=False
            )
        new_year_only = request.headers.get("If-None-Match", "").strip() == "*"
        if new_year_only and budget is not None:
            raise guard.PreconditionFailed()
        with guard.precondition(from_header or new_year_only):
            budget = settings_programs.program_budget_set(
                actor=request.user,
                program=program,
                year=year,
                version=version,
                new_year_only=new_year_only,
                **data,
            )
        return with_etag(s.BudgetSerializer(budget).data)


# --- the board's meeting, memo sender, history ---------------------------------------------


class PortfolioSettings(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.PortfolioSettingsSerializer)
    def get(self, request, portfolio_pk):
        return with_etag(s.PortfolioSettingsSerializer(self.get_portfolio()).data)

    @extend_schema(
        tags=TAGS,
        request=s.PortfolioSettingsInput,
        responses=s.PortfolioSettingsSerializer,
        parameters=[guard.IF_MATCH],
    )
    def patch(self, request, portfolio_pk):
        """The board's next meeting date and the sender of decision memos. If-Match or
        version is optional; either one, if stale, refuses the edit."""
        portfolio = self.get_portfolio()
        data = dict(self.valid(s.PortfolioSettingsInput))
        version, from_header = guard.expected_version(
            request, portfolio, data.pop("version", None), required=False
        )
        with guard.precondition(from_header):
            updated = settings_programs.portfolio_meeting_update(
                actor=request.user, portfolio=portfolio, version=version, **data
            )
        return with_etag(s.PortfolioSettingsSerializer(updated).data)


class SettingsHistory(PortfolioScoped):
    @extend_schema(tags=TAGS, responses=s.SettingsChangeSerializer(many=True))
    def get(self, request, portfolio_pk):
        """The latest 200 changes of the portfolio's settings, newest first."""
        rows = sel.settings_history(self.get_portfolio(), limit=200)
        return Response(s.SettingsChangeSerializer(rows, many=True).data)
