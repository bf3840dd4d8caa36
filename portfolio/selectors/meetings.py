"""Reads about a body's meetings, and the agenda the product proposes for one.

The proposal is made from what is ready for the body, using the rules that already
say so: the gates whose criteria are met or all but one (`awaiting_decisions`, the
start page's and the board report's list), which body decides a matter (`body_for`),
an agreement's last day for notice, whether a half-year is settled.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Agreement

from ..choices import TERMINAL_STAGES, Matter
from ..domain.gate_checks import GATE_FROM_STAGE
from ..models import (
    AgendaItem,
    AgendaSending,
    Body,
    Initiative,
    ItemKind,
    ItemOutcome,
    Meeting,
    ServingSubstitute,
    SettledPeriod,
)
from ..periods import half_year_of
from .access import visible_portfolios
from .bodies import active_bodies
from .dashboard import awaiting_decisions

# Without a next meeting planned, agreements whose last day for notice falls within
# this many days of the meeting are brought before it.
AGREEMENT_HORIZON_DAYS = 120


@dataclass
class Proposal:
    kind: str
    title: str
    initiative: Initiative | None = None
    decision_kind: str = ""
    agreement: Agreement | None = None
    memo_reference: str = ""
    note: str = ""


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localtime(meeting.starts_at).date()


def portfolio_meetings(portfolio) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(body__portfolio=portfolio)
        .select_related("body", "secretary")
        .order_by("-starts_at", "-id")
    )


def body_meetings(body: Body) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body=body).select_related("body").order_by("starts_at", "id")


def meeting_for(user, pk: int) -> Meeting:
    """A meeting of a portfolio the user sees (404 otherwise), with what its pages read."""
    items = AgendaItem.objects.select_related("initiative", "decision", "agreement").order_by(
        "order", "id"
    )
    return get_object_or_404(
        Meeting.objects.select_related(
            "body__portfolio", "body__chair", "body__secretary", "secretary", "adjuster"
        ).prefetch_related(
            Prefetch("items", queryset=items),
            Prefetch("sendings", queryset=AgendaSending.objects.select_related("sent_by")),
            "present",
            "body__members",
            "body__substitutes",
            Prefetch(
                "substitutes",
                queryset=ServingSubstitute.objects.select_related("substitute", "serves_for"),
            ),
        ),
        pk=pk,
        body__portfolio__in=visible_portfolios(user).values("id"),
    )


def body_people(body: Body) -> list:
    """Chair, secretary and members: who may be recorded as present, chair first."""
    people = {body.chair_id: body.chair}
    if body.secretary_id:
        people.setdefault(body.secretary_id, body.secretary)
    for member in sorted(body.members.all(), key=lambda m: (m.last_name, m.first_name)):
        people.setdefault(member.pk, member)
    return list(people.values())


def _gate_proposals(body: Body) -> list[Proposal]:
    """Gates whose next decision is this body's and whose criteria are met (or all but
    one, marked)."""
    bodies = active_bodies(body.portfolio_id)
    stages, condition = [], Q(pk__in=[])
    for stage, gate in GATE_FROM_STAGE.items():
        if gate not in body.matters:
            continue
        stages.append(stage)
        if body.program_id is not None:
            condition |= Q(stage=stage, program_id=body.program_id)
        else:
            # A program with its own body for the gate decides it there.
            own = [b.program_id for b in bodies if b.program_id and gate in b.matters]
            condition |= Q(stage=stage) & ~Q(program_id__in=own)
    if not stages:
        return []
    initiatives = Initiative.objects.filter(portfolio_id=body.portfolio_id).filter(condition)
    proposals = []
    for awaiting in awaiting_decisions(body.portfolio, initiatives, stages=stages, nearly=1):
        initiative = awaiting.initiative
        note = (
            ""
            if awaiting.ready
            else _("Alla kriterier utom ett: %(unmet)s") % {"unmet": "; ".join(awaiting.unmet)}
        )
        proposals.append(
            Proposal(
                kind=ItemKind.GATE,
                title=f"{awaiting.gate} {initiative.reference} {initiative.title}",
                initiative=initiative,
                decision_kind=awaiting.gate,
                memo_reference=_("Beslutsunderlag %(gate)s %(ref)s")
                % {"gate": awaiting.gate, "ref": initiative.reference},
                note=note[:300],
            )
        )
    return proposals


def _cancel_proposals(body: Body) -> list[Proposal]:
    """A paused initiative is brought to the body that may cancel it."""
    if Matter.CANCEL not in body.matters:
        return []
    bodies = active_bodies(body.portfolio_id)
    own = [b.program_id for b in bodies if b.program_id and Matter.CANCEL in b.matters]
    paused = Initiative.objects.filter(portfolio_id=body.portfolio_id, is_paused=True).exclude(
        stage__in=TERMINAL_STAGES
    )
    if body.program_id is not None:
        paused = paused.filter(program_id=body.program_id)
    else:
        paused = paused.exclude(program_id__in=own)
    return [
        Proposal(
            kind=ItemKind.CANCEL,
            title=_("Avbryta %(ref)s %(title)s") % {"ref": i.reference, "title": i.title},
            initiative=i,
            decision_kind=Matter.CANCEL,
            memo_reference=_("Beslutsunderlag avbryta %(ref)s") % {"ref": i.reference},
            note=_("Initiativet är pausat."),
        )
        for i in paused.order_by("id")
    ]


def _agreement_proposals(body: Body, day: dt.date, next_day: dt.date | None) -> list[Proposal]:
    if Matter.AGREEMENT not in body.matters:
        return []
    until = next_day or day + dt.timedelta(days=AGREEMENT_HORIZON_DAYS)
    agreements = Agreement.objects.filter(
        constellation_id=body.portfolio.constellation_id, ends_on__gt=day
    ).order_by("ends_on", "id")
    return [
        Proposal(
            kind=ItemKind.AGREEMENT,
            title=_("Avtalet %(title)s: säga upp eller låta löpa vidare")
            % {"title": agreement.title},
            agreement=agreement,
            memo_reference=agreement.registration_number,
            note=_("Sista dag för uppsägning %(date)s.")
            % {"date": agreement.notice_deadline.isoformat()},
        )
        for agreement in agreements
        if day <= agreement.notice_deadline < until
    ]


def _period_proposals(body: Body, day: dt.date) -> list[Proposal]:
    """The half-year that ended before the meeting: to settle and lock, and its
    follow-up report to take note of (for a body of the whole portfolio)."""
    period = half_year_of(day).previous_half_year()
    found = []
    settled = SettledPeriod.objects.filter(
        portfolio_id=body.portfolio_id, starts_on=period.start, ends_on=period.end
    ).exists()
    if Matter.SETTLEMENT in body.matters and not settled:
        found.append(
            Proposal(
                kind=ItemKind.SETTLEMENT,
                title=_("Avräkning och låsning av %(period)s") % {"period": period.label},
            )
        )
    if body.program_id is None:
        found.append(
            Proposal(
                kind=ItemKind.REPORT,
                title=_("Halvårsrapport %(period)s: uppföljning att anmäla")
                % {"period": period.label},
            )
        )
    return found


def _taken(meeting: Meeting) -> set:
    """What the proposal leaves out: what is on this agenda already, and a half-year's
    report or settlement an earlier meeting of the body has dealt with."""
    taken: set = set()
    rows = AgendaItem.objects.filter(
        Q(meeting=meeting)
        | Q(
            meeting__body_id=meeting.body_id,
            kind__in=(ItemKind.REPORT, ItemKind.SETTLEMENT),
            paragraph__isnull=False,
        )
        & ~Q(outcome=ItemOutcome.POSTPONED)
    ).values_list("initiative_id", "decision_kind", "agreement_id", "title")
    for initiative_id, kind, agreement_id, title in rows:
        if initiative_id is not None:
            taken.add((initiative_id, kind))
        elif agreement_id is not None:
            taken.add(("agreement", agreement_id))
        else:
            taken.add(("title", title))
    return taken


def _key(proposal: Proposal) -> tuple:
    if proposal.initiative is not None:
        return (proposal.initiative.pk, proposal.decision_kind)
    if proposal.agreement is not None:
        return ("agreement", proposal.agreement.pk)
    return ("title", proposal.title)


def agenda_proposal(meeting: Meeting) -> list[Proposal]:
    """What is ready for the meeting and not yet on its agenda (nor, for the half-year's
    settlement and report, dealt with at an earlier meeting), in the order a secretary
    lists it: the report to note first, then gates, cancellations, agreements and the
    settlement."""
    body = meeting.body
    day = meeting_day(meeting)
    later = (
        Meeting.objects.filter(body=body, starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
        .first()
    )
    periods = _period_proposals(body, day)
    proposals = [
        *[p for p in periods if p.kind == ItemKind.REPORT],
        *_gate_proposals(body),
        *_cancel_proposals(body),
        *_agreement_proposals(body, day, meeting_day(later) if later else None),
        *[p for p in periods if p.kind == ItemKind.SETTLEMENT],
    ]
    taken = _taken(meeting)
    return [p for p in proposals if _key(p) not in taken]
