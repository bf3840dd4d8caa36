"""The minutes (protokoll) of a body's meeting as a PDF in the usual Swedish form:
body, date, place, who was present, the §§ with their decisions, justering by the
chair and the adjuster, and the anslag (notice of the justering).

Made only from what was recorded at the meeting, so the issued minutes of a justerad
meeting (which can no longer change) say what the meeting decided.
"""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portfolio.models import Meeting
from portfolio.selectors.meetings import body_people, meeting_day

from .rendering import Rendered, _issue, render_pdf

# An anslag stays up for the three weeks in which the minutes may be appealed
# (kommunallagen 13 kap. 5 §; laglighetsprövning within three weeks of the anslag).
APPEAL_DAYS = 21
TEMPLATE = "reports/minutes.html"


def _name(person) -> str:
    return (person.get_full_name() or person.username) if person else ""


def minutes_data(meeting: Meeting) -> dict:
    body = meeting.body
    present_ids = {p.pk for p in meeting.present.all()}
    member_ids = {p.pk for p in body.members.all()} | {body.chair_id}
    items = [i for i in meeting.items.all() if i.paragraph is not None]
    items.sort(key=lambda i: i.paragraph)
    adjusted_on = None
    if meeting.chair_adjusted_at and meeting.adjuster_adjusted_at:
        last = max(meeting.chair_adjusted_at, meeting.adjuster_adjusted_at)
        adjusted_on = timezone.localtime(last).date()
    numbers = [i.paragraph for i in items]
    return {
        "title": _("Protokoll %(body)s %(date)s")
        % {"body": body.name, "date": meeting_day(meeting).isoformat()},
        "portfolio": body.portfolio.name,
        "body": body.name,
        "date": meeting_day(meeting),
        "time": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
        "place": meeting.place or meeting.link or "",
        # As Swedish protokoll list them: the members present, the substitutes serving
        # (for whom), then the others present (a secretary who is not a member).
        "present": [_name(p) for p in body_people(body) if p.pk in present_ids & member_ids],
        "serving": [
            _("%(name)s för %(member)s")
            % {"name": _name(s.substitute), "member": _name(s.serves_for)}
            for s in meeting.substitutes.all()
        ],
        "others_present": [_name(p) for p in body_people(body) if p.pk in present_ids - member_ids],
        "chair": _name(body.chair),
        "secretary": _name(meeting.secretary),
        "adjuster": _name(meeting.adjuster),
        "paragraphs": f"§§ {numbers[0]}–{numbers[-1]}" if numbers else "",
        "items": [
            {
                "paragraph": i.paragraph,
                "title": i.title,
                "kind": str(i.get_kind_display()),
                "memo": i.memo_reference,
                "outcome": str(i.get_outcome_display()),
                "motivation": i.motivation,
            }
            for i in items
        ],
        "chair_adjusted": _local(meeting.chair_adjusted_at),
        "adjuster_adjusted": _local(meeting.adjuster_adjusted_at),
        "adjusted_on": adjusted_on,
        "posted_until": adjusted_on + dt.timedelta(days=APPEAL_DAYS) if adjusted_on else None,
        "is_draft": adjusted_on is None,
    }


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _meeting(meeting_id: int) -> Meeting:
    return (
        Meeting.objects.select_related(
            "body__portfolio", "body__chair", "body__secretary", "secretary", "adjuster"
        )
        .prefetch_related(
            "items",
            "present",
            "body__members",
            "substitutes__substitute",
            "substitutes__serves_for",
        )
        .get(pk=meeting_id)
    )


def minutes(meeting_id: int, fetcher=None) -> Rendered:
    """The issued minutes, for the report job made at justering."""
    with translation.override("sv"):
        context = minutes_data(_meeting(meeting_id))
    return _issue(TEMPLATE, context, fetcher)


def draft(meeting_id: int, fetcher=None) -> bytes:
    """The minutes as they stand, marked as a draft; kept nowhere."""
    with translation.override("sv"):
        context = minutes_data(_meeting(meeting_id))
    return render_pdf(TEMPLATE, context, fetcher)
