"""The agenda (föredragningslista) of a body's meeting as a PDF: the body, when and
where, who is called, and each item in order; then each gate's or cancellation's
decision memo (tjänsteskrivelse), rendered as the issued memo is, on pages of its own.

Rendered as the agenda stands when asked for; the kallelse links to it, so the members
receive the agenda with its memos.
"""

from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portfolio.models import Meeting
from portfolio.selectors.meeting_agenda import agenda_deadline
from portfolio.selectors.meetings import body_people, meeting_day

from .rendering import decision_memo_html, render_pdf

TEMPLATE = "reports/agenda.html"


def _name(person) -> str:
    return (person.get_full_name() or person.username) if person else ""


def _memo_pages(item) -> str:
    if not (item.requires_memo and item.initiative_id and item.decision_kind):
        return ""
    # Rendered from the product's own templates, which escape every user text.
    return mark_safe(decision_memo_html(item.initiative, item.decision_kind))  # noqa: S308


def agenda_data(meeting: Meeting) -> dict:
    body = meeting.body
    return {
        "title": _("Föredragningslista %(body)s %(date)s")
        % {"body": body.name, "date": meeting_day(meeting).isoformat()},
        "portfolio": body.portfolio.name,
        "body": body.name,
        "date": meeting_day(meeting),
        "time": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
        "place": meeting.place or meeting.link or "",
        "called": [_name(p) for p in body_people(body)],
        "substitutes": [_name(p) for p in body.substitutes.all()],
        "chair": _name(body.chair),
        "secretary": _name(meeting.secretary),
        "deadline": agenda_deadline(meeting),
        "items": [
            {
                "number": number,
                "title": i.title,
                "kind": str(i.get_kind_display()),
                "memo": i.memo_reference,
                "note": i.note,
                "memo_pages": _memo_pages(i),
            }
            for number, i in enumerate(meeting.items.all(), start=1)
        ],
    }


def agenda_pdf(meeting_id: int, fetcher=None) -> bytes:
    meeting = (
        Meeting.objects.select_related(
            "body__portfolio", "body__chair", "body__secretary", "secretary"
        )
        .prefetch_related("items__initiative", "body__members", "body__substitutes")
        .get(pk=meeting_id)
    )
    with translation.override("sv"):
        context = agenda_data(meeting)
    return render_pdf(TEMPLATE, context, fetcher)
