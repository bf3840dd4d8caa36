"""The board report's figures: counts for everything, names only for the exceptions.

The board decides from paper, so the report stays about twenty pages whatever the
size of the portfolio: per program the initiatives are counted per stage and health,
and only those that need the board's attention are named (red or yellow health in
the latest status report, awaiting a board decision, or a new stage in the period),
at most a fixed number per section. The full list is the Excel export.

The number of queries does not grow with the number of initiatives.

The report is of its period, as it stood at the period's end (`portfolio.selectors.
as_of`): initiatives that existed then, in the stage and health they had then, the
year's costs up to then. Only what awaits the next meeting is of the day the report
is made; so once the period has ended it no longer marks the programs' initiatives,
which then show what the period showed, the same whenever the report is made again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.choices import ACTIVE_STAGES, DecisionBody, Health, Stage
from portfolio.filters import overall_health
from portfolio.models import GateDecision, Initiative, Portfolio, Program
from portfolio.periods import Period
from portfolio.selectors.as_of import existing_on_q, health_on_annotations, stage_on_expression
from portfolio.selectors.dashboard import awaiting_decisions
from portfolio.selectors.economy_types import row_totals
from portfolio.selectors.portfolio_cache import cached_portfolio_economy

from . import charts as charts_module
from . import sources

PROGRAM_EXCEPTIONS_CAP = 12
DECISIONS_CAP = 25
AWAITING_CAP = 25
STAGE_ORDER = {stage: index for index, stage in enumerate([*ACTIVE_STAGES, *Stage])}
# The overview counts rejected and cancelled initiatives together as closed.
STAGE_COLUMNS = (*ACTIVE_STAGES, Stage.REJECTED)
STAGE_COLUMN_OF = {**{stage: stage for stage in ACTIVE_STAGES}, Stage.CANCELLED: Stage.REJECTED}
HEALTH_COLUMNS = (Health.GREEN, Health.YELLOW, Health.RED, None)
# Most urgent first: what the board must act on before what it should know.
REASON_ORDER = ("awaiting", "red", "yellow", "stage_changed")


@dataclass
class Line:
    """One initiative as the report names it (plain values, no model instance)."""

    pk: int
    reference: str
    title: str
    stage: str
    is_paused: bool
    program_id: int | None
    health_time: str | None
    health_cost: str | None
    health_quality: str | None
    reasons: list[str] = field(default_factory=list)
    reason_codes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def health(self) -> str | None:
        return overall_health(self.health_time, self.health_cost, self.health_quality)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    def health_label(self, value: str | None) -> str:
        return str(Health(value).label) if value else "–"

    @property
    def time_label(self) -> str:
        return self.health_label(self.health_time)

    @property
    def cost_label(self) -> str:
        return self.health_label(self.health_cost)

    @property
    def quality_label(self) -> str:
        return self.health_label(self.health_quality)

    @property
    def health_text(self) -> str:
        if not (self.health_time or self.health_cost or self.health_quality):
            return _("Ingen statusrapport")
        return " / ".join((self.time_label, self.cost_label, self.quality_label))

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)

    @property
    def urgency(self) -> tuple:
        return (
            min(REASON_ORDER.index(code) for code, _text in self.reason_codes),
            STAGE_ORDER.get(self.stage, 99),
            self.pk,
        )


@dataclass
class ProgramSection:
    name: str
    total: int
    stage_counts: list[int]
    health_counts: list[int]
    exceptions: list[Line]
    exception_count: int

    @property
    def more(self) -> int:
        return self.exception_count - len(self.exceptions)


def _existing(portfolio: Portfolio, period: Period):
    return Initiative.objects.filter(existing_on_q(period.end), portfolio=portfolio)


def _lines(portfolio: Portfolio, period: Period) -> list[Line]:
    rows = (
        _existing(portfolio, period)
        .annotate(stage_then=stage_on_expression(period.end))
        .annotate(**health_on_annotations(period.end))
        .order_by("id")
        .values_list(
            "id",
            "reference",
            "title",
            "stage_then",
            "is_paused",
            "program_id",
            "latest_health_time",
            "latest_health_cost",
            "latest_health_quality",
        )
    )
    return [Line(*row) for row in rows]


def _stage_changes(portfolio: Portfolio, period: Period) -> set[int]:
    return set(
        GateDecision.objects.filter(
            initiative__portfolio=portfolio,
            decided_on__gte=period.start,
            decided_on__lte=period.end,
        )
        .exclude(stage_after=F("stage_before"))
        .values_list("initiative_id", flat=True)
    )


def _mark_exceptions(lines: list[Line], awaiting: dict[int, str], changed: set[int]) -> None:
    for line in lines:
        codes = []
        health = line.health
        if line.pk in awaiting:
            codes.append(("awaiting", _("väntar på beslut %(gate)s") % {"gate": awaiting[line.pk]}))
        if health == Health.RED:
            codes.append(("red", _("röd status")))
        elif health == Health.YELLOW:
            codes.append(("yellow", _("gul status")))
        if line.pk in changed:
            codes.append(("stage_changed", _("nytt steg under perioden")))
        line.reason_codes = codes
        line.reasons = [text for _code, text in codes]


def _program_section(name: str, lines: list[Line]) -> ProgramSection:
    stages = {stage: 0 for stage in STAGE_COLUMNS}
    health = dict.fromkeys(HEALTH_COLUMNS, 0)
    for line in lines:
        stages[STAGE_COLUMN_OF.get(line.stage, Stage.REJECTED)] += 1
        health[line.health] += 1
    exceptions = sorted((line for line in lines if line.reason_codes), key=lambda x: x.urgency)
    return ProgramSection(
        name=name,
        total=len(lines),
        stage_counts=list(stages.values()),
        health_counts=list(health.values()),
        exceptions=exceptions[:PROGRAM_EXCEPTIONS_CAP],
        exception_count=len(exceptions),
    )


def _program_sections(portfolio: Portfolio, lines: list[Line]) -> list[ProgramSection]:
    by_program: dict[int | None, list[Line]] = {}
    for line in lines:
        by_program.setdefault(line.program_id, []).append(line)
    sections = [
        _program_section(name, by_program[pk])
        for pk, name in Program.objects.filter(portfolio=portfolio)
        .order_by("name", "id")
        .values_list("id", "name")
        if pk in by_program
    ]
    if None in by_program:
        sections.append(_program_section(_("Utan program"), by_program[None]))
    return sections


def _decisions(portfolio: Portfolio, period: Period) -> tuple[list[GateDecision], int]:
    """The board's own decisions first, then the program steering groups', by date."""
    taken = GateDecision.objects.filter(
        initiative__portfolio=portfolio,
        decided_on__gte=period.start,
        decided_on__lte=period.end,
    )
    shown = list(
        taken.select_related("initiative")
        .only(
            "id",
            "kind",
            "outcome",
            "decided_on",
            "body",
            "meeting_reference",
            "initiative__id",
            "initiative__reference",
            "initiative__title",
        )
        .order_by(
            Case(
                When(body=DecisionBody.BOARD, then=Value(0)), default=1, output_field=IntegerField()
            ),
            "decided_on",
            "id",
        )[:DECISIONS_CAP]
    )
    return shown, taken.count()


def board_report_data(portfolio: Portfolio, period: Period) -> dict:
    portfolio = Portfolio.objects.select_related("constellation").get(pk=portfolio.pk)
    lines = _lines(portfolio, period)
    awaiting = awaiting_decisions(portfolio, _existing(portfolio, period))
    running = period.end >= timezone.localdate()
    _mark_exceptions(
        lines,
        {a.initiative.pk: a.gate for a in awaiting} if running else {},
        _stage_changes(portfolio, period),
    )
    programs = _program_sections(portfolio, lines)
    decisions, decision_count = _decisions(portfolio, period)
    year = period.end.year
    budget_rows = sources.budget_rows(portfolio, year, until=period.end)
    # The dashboard's figures, from the same cache: rendering often follows a look at it.
    economy = cached_portfolio_economy(portfolio, period)
    counts = {stage: 0 for stage in Stage}
    for line in lines:
        counts[line.stage] += 1
    summary = {
        "all": len(lines),
        "initiatives": sum(counts[stage] for stage in ACTIVE_STAGES),
        "decisions": decision_count,
        "awaiting": len(awaiting),
        "awaiting_ready": sum(1 for a in awaiting if a.ready),
        "red": sum(1 for line in lines if line.health == Health.RED),
        "yellow": sum(1 for line in lines if line.health == Health.YELLOW),
        "actual_costs": sum(row.actual for row in budget_rows),
        "budget": sum(row.budget for row in budget_rows),
    }
    charts = [
        charts_module.stage_chart(
            [str(stage.label) for stage in Stage], [counts[stage] for stage in Stage]
        ),
        charts_module.budget_chart(budget_rows, year) if budget_rows else None,
        charts_module.allocation_chart(economy),
        charts_module.trend_chart(portfolio, period),
    ]
    return {
        "portfolio": portfolio,
        "constellation": portfolio.constellation,
        "period": period,
        "previous_period": period.previous_half_year(),
        "generated_on": timezone.localdate(),
        "summary": summary,
        "programs": programs,
        "stage_columns": [
            _("Avslutade") if stage == Stage.REJECTED else Stage(stage).label
            for stage in STAGE_COLUMNS
        ],
        "health_columns": [
            Health(level).label if level else _("Ingen status") for level in HEALTH_COLUMNS
        ],
        "decisions": decisions,
        "decisions_more": decision_count - len(decisions),
        "awaiting": awaiting[:AWAITING_CAP],
        "awaiting_more": max(len(awaiting) - AWAITING_CAP, 0),
        "budget_rows": budget_rows,
        "economy": economy,
        "economy_totals": economy_totals(economy.rows),
        "indicators": sources.indicators(portfolio, period),
        "charts": [chart for chart in charts if chart],
    }


economy_totals = row_totals
