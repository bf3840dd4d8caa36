"""A body's meetings as an iCalendar feed (RFC 5545) for its members' calendars."""

import datetime as dt

from django.utils.translation import gettext as _

from ..models import Body, Meeting

# A meeting has no end time in the product; calendars show this long a slot.
MEETING_LENGTH = "PT2H"


def _text(value: str) -> str:
    """TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after one space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return [*out, current]


def _event(meeting: Meeting, host: str) -> list[str]:
    agenda = "\n".join(f"{n}. {item.title}" for n, item in enumerate(meeting.items.all(), start=1))
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(meeting.created_at)}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DURATION:{MEETING_LENGTH}",
        f"SUMMARY:{_text(meeting.body.name)}",
        "STATUS:CONFIRMED",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{_text(meeting.place)}")
    if meeting.link:
        lines.append(f"URL:{meeting.link}")
    if agenda:
        description = _("Föredragningslista") + ":\n" + agenda
        lines.append(f"DESCRIPTION:{_text(description)}")
    return [*lines, "END:VEVENT"]


def body_calendar(body: Body, host: str) -> str:
    meetings = (
        Meeting.objects.filter(body=body)
        .select_related("body")
        .prefetch_related("items")
        .order_by("starts_at", "id")
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samverkan//Möten//SV",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(body.name)}",
    ]
    for meeting in meetings:
        lines += _event(meeting, host)
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))
