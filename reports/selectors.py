"""Reads: which report jobs a user may see, and the figures each document shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.membership import constellations_on
from municipalities.models import Municipality
from portfolio.choices import (
    DecisionBody,
    DecisionKind,
    Gate,
    ParticipationStatus,
    Stage,
)
from portfolio.domain.gate_checks import gate_evaluate
from portfolio.models import (
    GateDecision,
    Initiative,
    Participation,
    Portfolio,
)
from portfolio.periods import Period
from portfolio.selectors.access import visible_constellations, visible_portfolios
from portfolio.selectors.as_of import TAKES_PART, existing_on_q, stage_on_expression, status_on
from portfolio.selectors.bodies import active_bodies, body_for
from portfolio.services.workflow import decision_body

from . import selectors_board, sources
from .models import ISSUED_KINDS, SPREADSHEET_KINDS, ReportJob, ReportKind, ReportStatus

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
    shared = Q(
        kind__in=[ReportKind.BOARD_REPORT, ReportKind.DECISION_MEMO, ReportKind.MINUTES]
    ) & Q(portfolio__in=portfolios)
    personal = (
        Q(kind=ReportKind.MUNICIPALITY_REPORT)
        & Q(requested_by=user)
        & Q(municipality__in=visible_municipalities(user).values("id"))
    )
    personal |= Q(kind__in=SPREADSHEET_KINDS) & Q(requested_by=user) & Q(portfolio__in=portfolios)
    return ReportJob.objects.filter(shared | personal).select_related(
        "portfolio", "initiative", "municipality", "requested_by", "replaced_by"
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


def _decision_taken(initiative: Initiative, gate: str) -> GateDecision | None:
    """The decision a memo asked for without one reports, once the gate is behind:
    the newest uncorrected decision at that gate."""
    before = GATE_STEPS.get(gate, (None, None))[0]
    if initiative.stage == before:
        return None
    return (
        GateDecision.objects.filter(initiative=initiative, kind=gate, corrections__isnull=True)
        .select_related("recorded_by")
        .order_by("-decided_on", "-id")
        .first()
    )


def _shares_shown(shares: list) -> list[Decimal]:
    """Shares to two decimals of a percent, rounded by largest remainder so that the
    printed shares add up to the printed 100,00 %."""
    exact = [Fraction(share) * 10_000 for share in shares]
    floors = [value.numerator // value.denominator for value in exact]
    left = 10_000 - sum(floors) if shares else 0
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(value) / 10_000 for value in floors]


def _unmet_despite_proposal(criteria: list[dict]) -> list[str]:
    return [
        _("Förslaget lämnas trots att kriteriet ”%(label)s” inte är uppfyllt.")
        % {"label": c["label"]}
        for c in criteria
        if not c["met"]
    ]


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
    if decision is None:
        decision = _decision_taken(initiative, gate)
    kind = decision.kind if decision else gate
    # The portfolio's own body that took (or will take) the decision, if it has one.
    own = (
        decision.deciding_body
        if decision is not None
        else body_for(active_bodies(initiative.portfolio_id), initiative.program_id, kind)
    )
    body = decision.body if decision else (own.kind if own else decision_body(kind))
    before, after = GATE_STEPS.get(gate, (initiative.stage, initiative.stage))
    if decision is not None:
        before, after = decision.stage_before, decision.stage_after
    elif gate == Gate.G1 and initiative.stage == Stage.PRESTUDY:
        after = Stage.PROJECT
    memo_date = decision.decided_on if decision else timezone.localdate()
    # After the decision: the estimates, participants and split it was taken on.
    basis = (
        decision.basis
        if decision is not None and decision.basis
        else sources.decision_basis(initiative, memo_date)
    )
    development, operation = basis["development"], basis["operation"]
    shown = _shares_shown([row["share"] for row in basis["allocation"]])
    allocation_rows = [
        {**row, "share": share} for row, share in zip(basis["allocation"], shown, strict=True)
    ]
    key = basis["key"]
    if decision is not None and decision.criteria_snapshot:
        # What the deciders saw, not what holds today.
        criteria = list(decision.criteria_snapshot)
    else:
        criteria = [r.as_dict() for r in gate_evaluate(initiative, gate)]
    program_name = initiative.program.name if initiative.program else ""
    if own is not None:
        recipient = own.name
    elif body == DecisionBody.BOARD:
        recipient = _("Portföljstyrgruppen (kommundirektörerna i %(group)s)") % {
            "group": initiative.portfolio.constellation.name
        }
    else:
        recipient = _("Programstyrgruppen för %(program)s") % {"program": program_name or "–"}
    return {
        "initiative": initiative,
        "portfolio": initiative.portfolio,
        "gate": gate,
        "gate_label": Gate(gate).label
        if gate in Gate.values
        else (DecisionKind(gate).label if gate in DecisionKind.values else gate),
        "decision": decision,
        "body": DecisionBody(body),
        "body_name": own.name
        if own is not None
        else (_("Portföljstyrgruppen") if body == DecisionBody.BOARD else _("Programstyrgruppen")),
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
        "unmet_despite_proposal": [] if decision else _unmet_despite_proposal(criteria),
        "recorded_by": (decision.recorded_by.get_full_name() or decision.recorded_by.username)
        if decision
        else "",
        "effect_goals": list(initiative.effect_goals.all()),
    }


# --- municipality report ------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationThen:
    """A municipality's participation in an initiative as it stood at a period's end."""

    portfolio_id: int
    reference: str
    title: str
    stage: str
    status: str
    joined_on: dt.date | None
    left_on: dt.date | None
    leave_reason: str
    implemented_on: dt.date | None
    implementation_opted_out: bool

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def status_label(self) -> str:
        return str(ParticipationStatus(self.status).label)


def participations_then(municipality: Municipality, portfolios, day: dt.date) -> list:
    """The municipality's participations in initiatives that existed on `day`, each
    with the initiative's stage and its own status then (`portfolio.selectors.as_of`);
    one query."""
    rows = (
        Participation.objects.filter(
            municipality=municipality,
            initiative__portfolio__in=portfolios,
            initiative__in=Initiative.objects.filter(existing_on_q(day)).values("pk"),
        )
        .annotate(stage_then=stage_on_expression(day, through="initiative"))
        .order_by("initiative__portfolio_id", "initiative__reference")
        .values_list(
            "initiative__portfolio_id",
            "initiative__reference",
            "initiative__title",
            "stage_then",
            "status",
            "joined_on",
            "left_on",
            "leave_reason",
            "implemented_on",
            "implementation_opted_out",
        )
    )
    result = []
    for portfolio_id, reference, title, stage, status, joined, left, reason, done, out in rows:
        status = status_on(status, joined, left, day)
        if status is None:
            continue
        has_left = status == ParticipationStatus.LEFT
        result.append(
            ParticipationThen(
                portfolio_id,
                reference,
                title,
                stage,
                status,
                joined if status in TAKES_PART else None,
                left if has_left else None,
                reason if has_left else "",
                done if done is not None and done <= day else None,
                out,
            )
        )
    return result


def municipality_report_data(municipality: Municipality, period: Period, user=None) -> dict:
    """As the period stood at its end: the portfolios of the constellations the
    municipality then belonged to, and its participations then."""
    portfolios = Portfolio.objects.filter(
        constellation__in=constellations_on(municipality.pk, period.end)
    )
    if user is not None:
        portfolios = portfolios.filter(pk__in=visible_portfolios(user).values("id"))
    portfolios = list(portfolios.select_related("constellation").distinct().order_by("name"))
    participations = participations_then(municipality, portfolios, period.end)
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
                "participations": [p for p in participations if p.portfolio_id == portfolio.pk],
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
    ReportKind.MINUTES: "protokoll",
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
    elif job.kind == ReportKind.MINUTES:
        subject = [job.portfolio.reference_prefix, parameters.get("date", "")]
    else:
        subject = [job.municipality.code, parameters.get("period", "")]
    stem = slugify("-".join([FILENAME_PREFIX[job.kind], *subject, str(job.pk)]))
    return f"{stem or 'rapport'}.{job.file_extension}"


def recent_documents(user, since) -> list[ReportJob]:
    """Documents issued since `since` that the user may read: the start page's
    "reports ready"."""
    jobs = visible_report_jobs(user).filter(
        status=ReportStatus.DONE, kind__in=ISSUED_KINDS, finished_at__gte=since
    )
    return list(
        jobs.select_related("portfolio", "initiative", "municipality").order_by("-finished_at")[:10]
    )


def job_subject(job: ReportJob) -> str:
    parameters = job.parameters or {}
    if job.kind == ReportKind.BOARD_REPORT:
        return f"{job.portfolio.name} {parameters.get('period', '')}"
    if job.kind == ReportKind.DECISION_MEMO:
        return f"{job.initiative.reference} {job.initiative.title} ({parameters.get('gate', '')})"
    if job.kind == ReportKind.MINUTES:
        return parameters.get("title", "")
    if job.kind in SPREADSHEET_KINDS:
        if parameters.get("filters"):
            return _("%(portfolio)s, filtrerat urval") % {"portfolio": job.portfolio.name}
        return job.portfolio.name
    return f"{job.municipality.name} {parameters.get('period', '')}"


def reissue_query(job: ReportJob) -> str:
    """The order form's query string for a new issue of the same document."""
    from urllib.parse import urlencode

    parameters = job.parameters or {}
    if job.kind == ReportKind.BOARD_REPORT:
        fields = {"portfolio": job.portfolio_id, "period": parameters.get("period", "")}
    elif job.kind == ReportKind.DECISION_MEMO:
        fields = {"initiative": job.initiative_id, "gate": parameters.get("gate", "")}
        if job.decision_id:
            fields["decision"] = job.decision_id
    elif job.kind == ReportKind.MUNICIPALITY_REPORT:
        fields = {"municipality": job.municipality_id, "period": parameters.get("period", "")}
    else:
        return ""
    return urlencode({"kind": job.kind, **fields})
