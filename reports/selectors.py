"""Reads: which report jobs a user may see, and the figures each document shows."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Municipality
from portfolio.choices import (
    CostKind,
    CostNature,
    DecisionBody,
    DecisionKind,
    Gate,
    ParticipationStatus,
    Stage,
)
from portfolio.models import (
    CostEntry,
    GateDecision,
    Initiative,
    Participation,
    Portfolio,
)
from portfolio.periods import Period
from portfolio.selectors.access import visible_constellations, visible_portfolios
from portfolio.services.gate_checks import gate_evaluate

from . import selectors_board, sources
from .models import SPREADSHEET_KINDS, ReportJob, ReportKind

# --- access -------------------------------------------------------------------------


def visible_report_jobs(user) -> QuerySet[ReportJob]:
    """Jobs about portfolios the user sees; a municipality report only for whoever asked.

    A municipality report covers the portfolios its requester could see, which another
    person may not, so it is personal. So is an Excel export: it holds the requester's
    filtered list, and stays visible only while they still see its portfolio.
    """
    if not user.is_authenticated:
        return ReportJob.objects.none()
    portfolios = visible_portfolios(user).values("id")
    shared = Q(kind__in=[ReportKind.BOARD_REPORT, ReportKind.DECISION_MEMO]) & Q(
        portfolio__in=portfolios
    )
    personal = (
        Q(kind=ReportKind.MUNICIPALITY_REPORT)
        & Q(requested_by=user)
        & Q(municipality__in=visible_municipalities(user).values("id"))
    )
    personal |= Q(kind__in=SPREADSHEET_KINDS) & Q(requested_by=user) & Q(portfolio__in=portfolios)
    return ReportJob.objects.filter(shared | personal).select_related(
        "portfolio", "initiative", "municipality", "requested_by"
    )


def visible_municipalities(user) -> QuerySet[Municipality]:
    return Municipality.objects.filter(
        constellations__in=visible_constellations(user).values("id")
    ).distinct()


def report_job_for(user, job_id) -> ReportJob | None:
    return visible_report_jobs(user).filter(pk=job_id).first()


# --- board report: reports/selectors_board.py ------------------------------------------

board_report_data = selectors_board.board_report_data
_economy_totals = selectors_board.economy_totals


# --- decision memo ------------------------------------------------------------------

GATE_STEPS = {
    Gate.G0: (Stage.IDEA, Stage.PRESTUDY),
    Gate.G1: (Stage.PRESTUDY, Stage.PROJECT),
    Gate.G2: (Stage.PROJECT, Stage.IMPLEMENTATION),
    Gate.G3: (Stage.IMPLEMENTATION, Stage.OPERATION),
}


def memo_body(kind: str) -> str:
    board = kind in (DecisionKind.G1, DecisionKind.G3, DecisionKind.CANCEL)
    return DecisionBody.BOARD if board else DecisionBody.PROGRAM


def decision_memo_data(initiative: Initiative, gate: str, decision: GateDecision | None) -> dict:
    initiative = (
        Initiative.objects.select_related(
            "portfolio__constellation", "program__manager", "proposing_municipality", "owner"
        )
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("municipality").order_by(
                    "municipality__name"
                ),
            ),
            "effect_goals__owner",
            "effect_goals__measurements",
            "confirmations",
        )
        .get(pk=initiative.pk)
    )
    kind = decision.kind if decision else gate
    body = memo_body(kind)
    before, after = GATE_STEPS.get(gate, (initiative.stage, initiative.stage))
    if decision is not None:
        before, after = decision.stage_before, decision.stage_after
    elif gate == Gate.G1 and initiative.stage == Stage.PRESTUDY:
        after = Stage.PROJECT
    estimates = dict(
        CostEntry.objects.filter(initiative=initiative, nature=CostNature.ESTIMATE)
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    development = estimates.get(CostKind.DEVELOPMENT, 0)
    operation = estimates.get(CostKind.OPERATION, 0)
    memo_date = decision.decided_on if decision else timezone.localdate()
    operation_split = {
        row.code: row.amount for row in sources.allocation_for(initiative, operation, memo_date)
    }
    allocation_rows = [
        {
            "code": row.code,
            "name": row.name,
            "population": row.population,
            "share": row.share,
            "development": row.amount,
            "operation": operation_split[row.code],
        }
        for row in sources.allocation_for(initiative, development, memo_date)
    ]
    key = sources.allocation_key(initiative.portfolio, memo_date)
    criteria = gate_evaluate(initiative, gate)
    program_name = initiative.program.name if initiative.program else ""
    if body == DecisionBody.BOARD:
        recipient = _("Portföljstyrgruppen (kommundirektörerna i %(group)s)") % {
            "group": initiative.portfolio.constellation.name
        }
    else:
        recipient = _("Programstyrgruppen för %(program)s") % {"program": program_name or "–"}
    return {
        "initiative": initiative,
        "portfolio": initiative.portfolio,
        "gate": gate,
        "gate_label": Gate(gate).label if gate in Gate.values else gate,
        "decision": decision,
        "body": DecisionBody(body),
        "body_name": _("Portföljstyrgruppen")
        if body == DecisionBody.BOARD
        else _("Programstyrgruppen"),
        "stage_before": Stage(before).label,
        "stage_after": Stage(after).label,
        "sender": initiative.portfolio.sender or _("Portföljkontoret"),
        "recipient": recipient,
        "memo_date": memo_date,
        "registration_number": initiative.registration_number,
        "participants": [p for p in initiative.participations.all()],
        "development": development,
        "operation": operation,
        "allocation_rows": allocation_rows,
        "key": key,
        "criteria": criteria,
        "effect_goals": list(initiative.effect_goals.all()),
    }


# --- municipality report ------------------------------------------------------------


def municipality_report_data(municipality: Municipality, period: Period, user=None) -> dict:
    portfolios = Portfolio.objects.filter(constellation__members=municipality)
    if user is not None:
        portfolios = portfolios.filter(pk__in=visible_portfolios(user).values("id"))
    portfolios = list(portfolios.select_related("constellation").distinct().order_by("name"))
    participations = list(
        Participation.objects.filter(
            municipality=municipality, initiative__portfolio__in=portfolios
        )
        .select_related("initiative__program")
        .order_by("initiative__portfolio_id", "initiative__reference")
    )
    economies = {
        economy.portfolio_id: economy
        for economy in sources.municipality_economy(municipality, period, user)
    }
    sections = []
    for portfolio in portfolios:
        economy = economies.get(portfolio.pk)
        sections.append(
            {
                "portfolio": portfolio,
                "row": economy.row_for(municipality.code) if economy else None,
                "participations": [
                    p for p in participations if p.initiative.portfolio_id == portfolio.pk
                ],
            }
        )
    rows = [s["row"] for s in sections if s["row"] is not None]
    return {
        "municipality": municipality,
        "period": period,
        "generated_on": timezone.localdate(),
        "sections": sections,
        "totals": _economy_totals(rows),
        "participating_count": sum(
            1 for p in participations if p.status == ParticipationStatus.PARTICIPATING
        ),
    }


# --- presentation ---------------------------------------------------------------------

FILENAME_PREFIX = {
    ReportKind.BOARD_REPORT: "portfoljrapport",
    ReportKind.DECISION_MEMO: "beslutsunderlag",
    ReportKind.MUNICIPALITY_REPORT: "kommunrapport",
    ReportKind.INITIATIVES_XLSX: "initiativ",
    ReportKind.ENTRIES_XLSX: "kostnader-och-tid",
}


def download_filename(job: ReportJob) -> str:
    """Chosen by the server from ids and codes only: nothing a user typed."""
    from django.utils.text import slugify

    parameters = job.parameters or {}
    if job.kind == ReportKind.BOARD_REPORT:
        subject = [job.portfolio.reference_prefix, parameters.get("period", "")]
    elif job.kind == ReportKind.DECISION_MEMO:
        subject = [job.initiative.reference, parameters.get("gate", "")]
    elif job.kind in SPREADSHEET_KINDS:
        subject = [job.portfolio.reference_prefix]
    else:
        subject = [job.municipality.code, parameters.get("period", "")]
    stem = slugify("-".join([FILENAME_PREFIX[job.kind], *subject, str(job.pk)]))
    return f"{stem or 'rapport'}.{job.file_extension}"


def job_subject(job: ReportJob) -> str:
    parameters = job.parameters or {}
    if job.kind == ReportKind.BOARD_REPORT:
        return f"{job.portfolio.name} {parameters.get('period', '')}"
    if job.kind == ReportKind.DECISION_MEMO:
        return f"{job.initiative.reference} {job.initiative.title} ({parameters.get('gate', '')})"
    if job.kind in SPREADSHEET_KINDS:
        if parameters.get("filters"):
            return _("%(portfolio)s, filtrerat urval") % {"portfolio": job.portfolio.name}
        return job.portfolio.name
    return f"{job.municipality.name} {parameters.get('period', '')}"
