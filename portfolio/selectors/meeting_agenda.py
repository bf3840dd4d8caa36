"""Reads about a meeting's kallelse: by when it should go out, whether it went out late,
and what the agenda looked like when it was sent."""

import datetime as dt
import hashlib

from django.utils import timezone

from ..models import Meeting
from .meetings import meeting_day


def agenda_deadline(meeting: Meeting) -> dt.date:
    """The last day the kallelse is on time."""
    return meeting_day(meeting) - dt.timedelta(days=meeting.agenda_notice_days)


def is_late(meeting: Meeting, moment: dt.datetime) -> bool:
    return timezone.localtime(moment).date() > agenda_deadline(meeting)


def agenda_fingerprint(meeting: Meeting, items) -> str:
    """What a member reads in the kallelse (when and where; each item's order, title,
    memo), as one digest: two sendings with the same digest told the members the same
    thing, and a meeting moved after its kallelse may be called anew."""
    when = f"{meeting.starts_at.isoformat()}\t{meeting.place}\t{meeting.link}"
    lines = [when, *(f"{i.order}\t{i.kind}\t{i.title}\t{i.memo_reference}" for i in items)]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def last_sending(meeting: Meeting):
    return meeting.sendings.order_by("-sent_at", "-id").first()
