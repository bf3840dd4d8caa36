"""Changing a planned meeting: when it starts, where, the link, the days of notice.

Each change is kept in the meeting's history (services.history.meeting_record), marked
when the kallelse had already gone out with the former time or place.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Meeting, MeetingStatus
from .errors import DomainError
from .history import diff, meeting_record, snapshot
from .meetings import _may_plan, lock_unadjusted
from .versions import check_version

FIELDS = ("starts_at", "place", "link", "agenda_notice_days")


def meeting_update(
    *,
    actor,
    meeting: Meeting,
    version: int | None = None,
    starts_at: dt.datetime | None = None,
    place: str | None = None,
    link: str | None = None,
    agenda_notice_days: int | None = None,
) -> Meeting:
    """Changes what is given (None: as before); a meeting already held keeps its
    time and place, as its minutes say them."""
    _may_plan(actor, meeting.body)
    with transaction.atomic():
        locked = lock_unadjusted(meeting.pk)
        check_version(locked, version)
        if locked.status != MeetingStatus.PLANNED:
            raise DomainError(
                _("Mötet är hållet; tid och plats kan inte längre ändras."),
                rule="meeting_held",
            )
        before = snapshot(locked, FIELDS)
        if starts_at is not None:
            locked.starts_at = starts_at
        if place is not None:
            locked.place = place.strip()
        if link is not None:
            locked.link = link.strip()
        if agenda_notice_days is not None:
            locked.agenda_notice_days = agenda_notice_days
        _validate(locked)
        changes = diff(locked, FIELDS, before)
        if not changes:
            return locked
        locked.version += 1
        locked.save(update_fields=[*FIELDS, "version"])
        meeting_record(meeting=locked, actor=actor, action="updated", changes=changes)
    return locked


def _validate(meeting: Meeting) -> None:
    if not meeting.place and not meeting.link:
        raise ValidationError({"place": [_("Ange plats eller länk till mötet.")]})
    if not 0 <= meeting.agenda_notice_days <= 60:
        raise ValidationError(
            {"agenda_notice_days": [_("Kallelsen skickas mellan 0 och 60 dagar före mötet.")]}
        )
    meeting.full_clean(exclude=["secretary", "adjuster", "created_by", "body"])
