"""Recording a meeting's decision on one agenda item, with its § in the minutes.

A gate or cancellation item is decided through `workflow.decision_record`, the one
service that records a gate decision: who decides, the criteria, the dates and the
immutability of decisions are its rules, not repeated here. One transaction per item:
a refusal leaves neither a decision nor a §.

The § numbers run per body and calendar year. Recording locks the body's row first,
so two secretaries recording at the same moment (two meetings of the body, or two
tabs) take turns and get consecutive numbers; the unique constraint on (body, year, §)
is the last guard.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import DecisionOutcome
from ..models import AgendaItem, Body, ItemKind, ItemOutcome, Meeting, MeetingStatus
from ..selectors.meetings import meeting_day
from . import workflow
from .errors import DomainError, NotAllowedError
from .meetings import lock_unadjusted

DECISION_KINDS = (ItemKind.GATE, ItemKind.CANCEL)


def outcomes_for(kind: str) -> list[str]:
    """A gate or cancellation is approved, returned, rejected or postponed; any other
    matter may also be noted."""
    if kind in DECISION_KINDS:
        return [o for o in ItemOutcome.values if o != ItemOutcome.NOTED]
    return list(ItemOutcome.values)


def _invalid(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def next_paragraph(body: Body, year: int) -> int:
    last = AgendaItem.objects.filter(paragraph_body=body, paragraph_year=year).aggregate(
        last=Max("paragraph")
    )["last"]
    return (last or 0) + 1


def minutes_reference(body: Body, day, number: int) -> str:
    return _("%(body)s %(date)s § %(number)s") % {
        "body": body.name,
        "date": day.isoformat(),
        "number": number,
    }


def _validate(item: AgendaItem, outcome: str) -> None:
    if outcome not in ItemOutcome.values:
        raise _invalid("outcome", _("Välj beslut."))
    if outcome not in outcomes_for(item.kind):
        raise _invalid(
            "outcome",
            _("Ett grindbeslut eller beslut att avbryta kan inte bara noteras."),
        )
    decides = item.requires_memo and outcome != ItemOutcome.POSTPONED
    if decides and not item.memo_reference.strip():
        raise DomainError(
            _("Ärendet saknar tjänsteskrivelse; ange beslutsunderlaget innan beslutet fattas."),
            rule="memo_missing",
            fields={"memo_reference": [_("Ange tjänsteskrivelsen.")]},
        )


def item_record(
    *, actor, item: AgendaItem, outcome: str, motivation: str = "", target_stage=None
) -> AgendaItem:
    meeting = item.meeting
    if not policies.can_record_meeting(actor, meeting):
        raise NotAllowedError(
            _("Bara %(body)ss ordförande eller sekreterare registrerar organets beslut.")
            % {"body": meeting.body.name}
        )
    _validate(item, outcome)
    day = meeting_day(meeting)
    if day > timezone.localdate():
        raise DomainError(
            _("Mötet har inte hållits än; besluten registreras från mötesdagen %(date)s.")
            % {"date": day.isoformat()},
            rule="meeting_not_held",
        )
    motivation = (motivation or "").strip()
    try:
        with transaction.atomic():
            body = Body.objects.select_for_update().get(pk=meeting.body_id)
            locked_meeting = lock_unadjusted(meeting.pk)
            if locked_meeting.chair_adjusted_at or locked_meeting.adjuster_adjusted_at:
                raise DomainError(
                    _("Justeringen har börjat; inga fler beslut kan registreras vid mötet."),
                    rule="adjustment_started",
                )
            locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
            if locked.meeting_id != meeting.pk:
                raise _invalid("item", _("Ärendet hör till ett annat möte."))
            if locked.outcome:
                raise DomainError(
                    _("Ärendet är redan beslutat (§ %(number)s).") % {"number": locked.paragraph},
                    rule="item_decided",
                )
            number = next_paragraph(body, day.year)
            decision = None
            if locked.kind in DECISION_KINDS and outcome in DecisionOutcome.values:
                decision = workflow.decision_record(
                    actor=actor,
                    initiative=locked.initiative,
                    kind=locked.decision_kind,
                    outcome=outcome,
                    decided_on=day,
                    meeting_reference=minutes_reference(body, day, number),
                    motivation=motivation,
                    target_stage=target_stage,
                )
            locked.outcome = outcome
            locked.motivation = motivation
            locked.paragraph = number
            locked.paragraph_body = body
            locked.paragraph_year = day.year
            locked.decision = decision
            locked.recorded_by = actor
            locked.recorded_at = timezone.now()
            locked.save()
            if locked_meeting.status == MeetingStatus.PLANNED:
                Meeting.objects.filter(pk=meeting.pk).update(
                    status=MeetingStatus.HELD, version=F("version") + 1
                )
    except IntegrityError as exc:
        raise DomainError(
            _("Paragrafen finns redan i organets protokoll för året; ingenting sparades."),
            rule="paragraph_taken",
        ) from exc
    return locked
