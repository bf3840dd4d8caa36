"""Sending the agenda (kallelse) to the body's chair, secretary and members.

Each sending is recorded (AgendaSending) with a digest of the agenda as sent; the
members are told through the notices (inbox now, e-mail after commit). Sending an
unchanged agenda again is refused: the members already have it.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..models import AgendaSending, Meeting, MeetingStatus
from ..selectors.meeting_agenda import agenda_fingerprint, is_late, last_sending
from . import notices
from .errors import DomainError, NotAllowedError
from .meetings import lock_unadjusted


def agenda_send(*, actor, meeting: Meeting) -> AgendaSending:
    if not policies.can_send_agenda(actor, meeting):
        raise NotAllowedError(_("Bara organets ordförande eller sekreterare skickar kallelsen."))
    with transaction.atomic():
        locked = lock_unadjusted(meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise DomainError(
                _("Mötet är redan hållet; kallelsen kan inte längre skickas."),
                rule="meeting_held",
            )
        items = list(locked.items.order_by("order", "id"))
        if not items:
            raise DomainError(
                _("Föredragningslistan är tom; lägg till ärenden innan kallelsen skickas."),
                rule="agenda_empty",
            )
        without_memo = [i for i in items if i.requires_memo and not i.memo_reference.strip()]
        if without_memo:
            raise DomainError(
                _("Kallelsen skickas med tjänsteskrivelserna; ange tjänsteskrivelse för %(items)s.")
                % {"items": ", ".join(f"”{i.title}”" for i in without_memo)},
                rule="memo_missing",
                fields={"memo_reference": [_("Ange tjänsteskrivelsen.")]},
            )
        fingerprint = agenda_fingerprint(locked, items)
        previous = last_sending(locked)
        if previous is not None and previous.fingerprint == fingerprint:
            raise DomainError(
                _(
                    "Kallelsen är redan skickad och varken mötet eller föredragningslistan "
                    "har ändrats sedan dess."
                ),
                rule="agenda_unchanged",
            )
        now = timezone.now()
        sending = AgendaSending.objects.create(
            meeting=locked,
            sent_at=now,
            sent_by=actor,
            fingerprint=fingerprint,
            items=len(items),
            late=is_late(locked, now),
        )
        Meeting.objects.filter(pk=locked.pk).update(
            agenda_sent_at=now, agenda_sent_by=actor, version=F("version") + 1
        )
        notices.agenda_sent(actor=actor, meeting=locked, sending=sending)
    meeting.agenda_sent_at, meeting.agenda_sent_by = now, actor
    return sending
