"""The demo's meetings of Dalsland's portfolio board: a past meeting whose minutes are
justerade, and the next meeting with the agenda the product proposes.

Everything goes through the meeting services, as the secretary and the chair would do
it. The past meeting decides nothing that moves an initiative, so the rest of the demo
reads the same with or without it.
"""

import datetime as dt

from django.utils import timezone

from ..choices import DecisionBody
from ..models import ItemKind
from ..services import meetings
from ..services.meeting_decisions import item_record

PAST_MEETING = dt.date(2026, 11, 12)
PLACE = "Kommunhuset i Åmål, sammanträdesrum Dalsland"
ADJUSTER = "kd.amal"
ABSENT = "kd.vanersborg"
# The portfolios whose board meets in the demo (the Dalsland board's chair and
# secretary are the demo's kd.bengtsfors and samordnare).
MEETING_PORTFOLIOS = {"DAL"}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def demo_meetings(portfolio, users) -> None:
    if portfolio.reference_prefix not in MEETING_PORTFOLIOS:
        return
    board = portfolio.bodies.filter(kind=DecisionBody.BOARD, program=None).first()
    if board is None:
        return
    secretary = board.secretary or board.chair
    # Never in the future, so its decisions can be recorded whenever the demo is loaded.
    day = min(PAST_MEETING, timezone.localdate() - dt.timedelta(days=1))
    past = meetings.meeting_plan(actor=secretary, body=board, starts_at=_at(day), place=PLACE)
    _hold(past, board, secretary, users)
    if portfolio.next_board_meeting:
        upcoming = meetings.meeting_plan(
            actor=secretary,
            body=board,
            starts_at=_at(portfolio.next_board_meeting),
            place=PLACE,
            link="https://meet.example.se/dalsland-styrgrupp",
        )
        meetings.agenda_propose(actor=secretary, meeting=upcoming)


def _hold(meeting, board, secretary, users) -> None:
    meetings.agenda_propose(actor=secretary, meeting=meeting)
    for item in meeting.items.all():
        # The gates ready now are left for the next meeting.
        if item.kind in (ItemKind.GATE, ItemKind.CANCEL):
            meetings.agenda_item_remove(actor=secretary, item=item)
    meetings.agenda_item_add(
        actor=secretary,
        meeting=meeting,
        title="Mötesplan för portföljstyrgruppen 2027",
        memo_reference="Dnr 2026/118",
    )
    adjuster = users[ADJUSTER]
    # One member was away and a substitute served for her, as the minutes say.
    absent = users[ABSENT]
    substitute = board.substitutes.first()
    meetings.attendance_set(
        actor=secretary,
        meeting=meeting,
        present=[m for m in board.members.all() if substitute is None or m != absent],
        adjuster=adjuster,
        substitutes=[(substitute, absent)] if substitute is not None else [],
    )
    for item in meeting.items.order_by("order", "id"):
        outcome, motivation = {
            ItemKind.REPORT: ("noterat", "Rapporten läggs till handlingarna."),
            ItemKind.SETTLEMENT: (
                "bordlagt",
                "Utfallet för halvåret är inte komplett; ärendet tas upp vid nästa möte.",
            ),
            ItemKind.AGREEMENT: ("noterat", "Portföljkontoret bereder ett förslag."),
        }.get(item.kind, ("godkand", "Mötesplanen fastställs."))
        item_record(actor=secretary, item=item, outcome=outcome, motivation=motivation)
    meetings.minutes_confirm(actor=board.chair, meeting=meeting)
    meetings.minutes_confirm(actor=adjuster, meeting=meeting)
