"""Planning a body's meeting: the date, the place, the agenda, who is present.

Once the minutes are justerade the meeting is a fixed record and none of this changes
(`lock_unadjusted`). Recording the decisions is `meeting_decisions`.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import DecisionKind
from ..models import AgendaItem, ItemKind, Meeting, MeetingStatus, ServingSubstitute
from ..selectors.meetings import agenda_proposal, body_people
from .errors import DomainError, NotAllowedError
from .history import meeting_record


def _invalid(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def _may_plan(actor, body) -> None:
    if not policies.can_plan_meeting(actor, body):
        raise NotAllowedError(
            _(
                "Bara organets ordförande eller sekreterare, eller portföljkontoret, "
                "planerar organets möten."
            )
        )


def lock_unadjusted(meeting_id: int) -> Meeting:
    """The meeting's row, locked; refused once its minutes are justerade."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting_id)
    if meeting.status == MeetingStatus.ADJUSTED:
        raise DomainError(
            _("Protokollet är justerat; mötet och dess ärenden kan inte längre ändras."),
            rule="minutes_adjusted",
        )
    return meeting


def _person_of_body(body, person, field: str):
    if person is None:
        return None
    if person.pk not in {p.pk for p in body_people(body)}:
        raise _invalid(
            field,
            _("%(name)s sitter inte i %(body)s.")
            % {
                "name": person.get_full_name() or person.username,
                "body": body.name,
            },
        )
    return person


# How far ahead the kallelse goes out, unless the planner says otherwise.
AGENDA_NOTICE_DAYS = 7


def meeting_plan(
    *,
    actor,
    body,
    starts_at: dt.datetime,
    place: str = "",
    link: str = "",
    secretary=None,
    agenda_notice_days: int | None = None,
) -> Meeting:
    _may_plan(actor, body)
    if not body.is_active:
        raise DomainError(_("Organet är inte längre aktivt."), rule="inactive_body")
    if starts_at is None:
        raise _invalid("starts_at", _("Ange när mötet börjar."))
    if not (place or "").strip() and not (link or "").strip():
        raise _invalid("place", _("Ange plats eller länk till mötet."))
    if agenda_notice_days is None:
        agenda_notice_days = AGENDA_NOTICE_DAYS
    if not 0 <= agenda_notice_days <= 60:
        raise _invalid(
            "agenda_notice_days", _("Kallelsen skickas mellan 0 och 60 dagar före mötet.")
        )
    meeting = Meeting(
        body=body,
        starts_at=starts_at,
        place=(place or "").strip(),
        link=(link or "").strip(),
        secretary=secretary or body.secretary,
        created_by=actor,
        agenda_notice_days=agenda_notice_days,
    )
    meeting.full_clean(exclude=["secretary", "adjuster", "created_by", "body"])
    meeting.save()
    return meeting


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("order"))["last"] or 0) + 1


def agenda_propose(*, actor, meeting: Meeting) -> list[AgendaItem]:
    """Adds to the agenda what the product proposes (what is not on it already)."""
    _may_plan(actor, meeting.body)
    with transaction.atomic():
        locked = lock_unadjusted(meeting.pk)
        order = _next_order(locked)
        added = []
        for offset, proposal in enumerate(agenda_proposal(locked)):
            item = AgendaItem.objects.create(
                meeting=locked,
                order=order + offset,
                kind=proposal.kind,
                title=proposal.title[:200],
                initiative=proposal.initiative,
                decision_kind=proposal.decision_kind,
                agreement=proposal.agreement,
                memo_reference=proposal.memo_reference[:120],
                note=proposal.note[:300],
            )
            _item_history(locked, actor, "item_added", item)
            added.append(item)
    return added


def _item_history(meeting, actor, action: str, item, **changes) -> None:
    meeting_record(
        meeting=meeting, actor=actor, action=action, changes={"title": item.title, **changes}
    )


def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    memo_reference: str = "",
    initiative=None,
    decision_kind: str = "",
) -> AgendaItem:
    """A matter the secretary adds: any other matter, or a decision on an initiative."""
    _may_plan(actor, meeting.body)
    title = (title or "").strip()
    if not title:
        raise _invalid("title", _("Ange ärendets rubrik."))
    if len(title) > 200:
        raise _invalid("title", _("Rubriken får vara högst 200 tecken."))
    kind = ItemKind.OTHER
    if initiative is not None or decision_kind:
        if initiative is None or initiative.portfolio_id != meeting.body.portfolio_id:
            raise _invalid("initiative", _("Välj ett initiativ i organets portfölj."))
        if decision_kind not in DecisionKind.values:
            raise _invalid("decision_kind", _("Välj vilket beslut ärendet gäller."))
        kind = ItemKind.CANCEL if decision_kind == DecisionKind.CANCEL else ItemKind.GATE
    with transaction.atomic():
        locked = lock_unadjusted(meeting.pk)
        item = AgendaItem.objects.create(
            meeting=locked,
            order=_next_order(locked),
            kind=kind,
            title=title,
            initiative=initiative,
            decision_kind=decision_kind,
            memo_reference=(memo_reference or "").strip()[:120],
        )
        _item_history(locked, actor, "item_added", item)
        return item


def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    """An undecided item leaves the agenda; a decided one is part of the minutes."""
    _may_plan(actor, item.meeting.body)
    with transaction.atomic():
        meeting = lock_unadjusted(item.meeting_id)
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if locked.outcome:
            raise DomainError(
                _("Ärendet är beslutat (§ %(number)s) och kan inte tas bort.")
                % {"number": locked.paragraph},
                rule="item_decided",
            )
        _item_history(meeting, actor, "item_removed", locked)
        locked.delete()


def agenda_item_move(*, actor, item: AgendaItem, step: int) -> None:
    """Moves an item one place up (-1) or down (+1) on the agenda."""
    _may_plan(actor, item.meeting.body)
    if step not in (-1, 1):
        raise _invalid("step", _("Flytta ett steg upp eller ned."))
    with transaction.atomic():
        meeting = lock_unadjusted(item.meeting_id)
        items = list(meeting.items.select_for_update().order_by("order", "id"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        if items[index].outcome:
            raise DomainError(
                _("Ärendet är beslutat (§ %(number)s) och ligger kvar där det behandlades.")
                % {"number": items[index].paragraph},
                rule="item_decided",
            )
        other = index + step
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items, start=1):
            if row.order != position:
                AgendaItem.objects.filter(pk=row.pk).update(order=position)
        _item_history(meeting, actor, "item_moved", items[other], place=[index + 1, other + 1])


def _name(person) -> str:
    return person.get_full_name() or person.username


def _serving(body, present: list, substitutes) -> list[tuple]:
    """Each (substitute, member) pair: a substitute of the body serving for a member of
    it who is absent; each substitute and each member at most once."""
    own_substitutes = {p.pk for p in body.substitutes.all()}
    members = {p.pk for p in body.members.all()}
    present_ids = {p.pk for p in present}
    serving, taken = [], set()
    for substitute, member in substitutes:
        if substitute.pk not in own_substitutes:
            raise _invalid(
                "substitutes",
                _("%(name)s är inte ersättare i %(body)s.")
                % {"name": _name(substitute), "body": body.name},
            )
        if member is None or member.pk not in members:
            raise _invalid(
                "substitutes",
                _("En ersättare tjänstgör för en av ledamöterna i %(body)s.") % {"body": body.name},
            )
        if member.pk in present_ids:
            raise _invalid(
                "substitutes",
                _(
                    "%(member)s är närvarande; %(name)s kan bara tjänstgöra för en "
                    "frånvarande ledamot."
                )
                % {"member": _name(member), "name": _name(substitute)},
            )
        if substitute.pk in taken or member.pk in taken:
            raise _invalid(
                "substitutes",
                _("Varje ersättare tjänstgör för en ledamot, och varje ledamot ersätts av en."),
            )
        taken |= {substitute.pk, member.pk}
        serving.append((substitute, member))
    return serving


def attendance_set(
    *, actor, meeting: Meeting, present: list, adjuster=None, substitutes=None
) -> Meeting:
    """Who is present, which substitutes serve for which absent members (None: as
    before), and who of the present adjusts the minutes with the chair."""
    if not policies.can_record_meeting(actor, meeting):
        raise NotAllowedError(
            _("Bara organets ordförande eller sekreterare för protokollet vid mötet.")
        )
    body = meeting.body
    for person in present:
        _person_of_body(body, person, "present")
    serving = None if substitutes is None else _serving(body, present, substitutes)
    if adjuster is not None:
        _person_of_body(body, adjuster, "adjuster")
        if adjuster.pk == body.chair_id:
            raise _invalid("adjuster", _("Justeraren ska vara en annan än ordföranden."))
        if adjuster.pk not in {p.pk for p in present}:
            raise _invalid("adjuster", _("Justeraren ska vara närvarande vid mötet."))
    with transaction.atomic():
        locked = lock_unadjusted(meeting.pk)
        if locked.chair_adjusted_at or locked.adjuster_adjusted_at:
            raise DomainError(
                _("Justeringen har börjat; närvaro och justerare kan inte längre ändras."),
                rule="adjustment_started",
            )
        locked.present.set(present)
        if serving is not None:
            ServingSubstitute.objects.filter(meeting=locked).delete()
            ServingSubstitute.objects.bulk_create(
                ServingSubstitute(meeting=locked, substitute=s, serves_for=m) for s, m in serving
            )
        Meeting.objects.filter(pk=locked.pk).update(adjuster=adjuster, version=F("version") + 1)
    meeting.adjuster = adjuster
    return meeting


def minutes_confirm(*, actor, meeting: Meeting) -> bool:
    """The chair's or the adjuster's justering of the minutes; True when this was the
    second of the two, and the minutes are now a fixed record. The issued PDF is made
    by `reports.minutes.minutes_adjust`, which calls this."""
    if not policies.can_adjust_minutes(actor, meeting):
        raise NotAllowedError(_("Protokollet justeras av ordföranden och den utsedda justeraren."))
    with transaction.atomic():
        locked = lock_unadjusted(meeting.pk)
        if locked.adjuster_id is None:
            raise DomainError(
                _("Ange justerare bland de närvarande innan protokollet justeras."),
                rule="no_adjuster",
            )
        if not locked.items.exists() or locked.items.filter(outcome="").exists():
            raise DomainError(
                _(
                    "Varje ärende ska ha ett beslut (eller vara bordlagt) innan protokollet "
                    "justeras; ta bort de ärenden som inte behandlades."
                ),
                rule="items_undecided",
            )
        field = "chair_adjusted_at" if actor.pk == locked.body.chair_id else "adjuster_adjusted_at"
        if getattr(locked, field) is not None:
            raise DomainError(
                _("Du har redan justerat protokollet; det väntar på den andra justeringen."),
                rule="already_adjusted_by_you",
            )
        setattr(locked, field, timezone.now())
        done = locked.chair_adjusted_at is not None and locked.adjuster_adjusted_at is not None
        Meeting.objects.filter(pk=locked.pk).update(
            **{field: getattr(locked, field)},
            status=MeetingStatus.ADJUSTED if done else MeetingStatus.HELD,
            version=F("version") + 1,
        )
    setattr(meeting, field, getattr(locked, field))
    if done:
        meeting.status = MeetingStatus.ADJUSTED
    return done
