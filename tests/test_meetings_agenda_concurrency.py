"""The kallelse and a series on PostgreSQL, with one connection per thread: the chair
and the secretary sending the same agenda at once make one sending; two series for the
same days make one series; and the database refuses to change a sending."""

import datetime as dt

import pytest
from django.utils import timezone
from meeting_builders import board, meeting
from test_workflow_concurrency import run_together
from workflow_builders import world

from portfolio.models import AgendaSending, Meeting
from portfolio.services import meetings
from portfolio.services.errors import DomainError
from portfolio.services.meeting_agenda import agenda_send
from portfolio.services.meeting_series import meeting_series_plan

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _soon(days: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(13, 0)))


def test_the_same_agenda_sent_twice_at_once_is_one_sending():
    w = world()
    body = board(w)
    m = meeting(w, body, starts_at=_soon(30))
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Budget")
    results = run_together(
        lambda: agenda_send(actor=w.coordinator, meeting=Meeting.objects.get(pk=m.pk)),
        lambda: agenda_send(actor=w.director, meeting=Meeting.objects.get(pk=m.pk)),
    )
    assert AgendaSending.objects.filter(meeting=m).count() == 1
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].rule == "agenda_unchanged", results


def test_two_series_for_the_same_days_at_once_make_one_series():
    w = world()
    body = board(w)
    first = _soon(14)
    until = first.date() + dt.timedelta(weeks=4)

    def plan(actor):
        return meeting_series_plan(
            actor=actor, body=body, first_starts_at=first, every_weeks=2, until=until,
            place="Åmål",
        )  # fmt: skip

    results = run_together(lambda: plan(w.coordinator), lambda: plan(w.director))
    assert Meeting.objects.filter(body=body).count() == 3
    assert len([r for r in results if isinstance(r, Exception)]) == 1, results


def test_the_database_refuses_to_change_or_delete_a_sending():
    from django.db import IntegrityError, transaction

    w = world()
    m = meeting(w, board(w), starts_at=_soon(30))
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Budget")
    sending = agenda_send(actor=w.coordinator, meeting=m)
    with pytest.raises(IntegrityError, match="kallelse"), transaction.atomic():
        AgendaSending.objects.filter(pk=sending.pk).update(items=9)
    with pytest.raises(IntegrityError, match="kallelse"), transaction.atomic():
        AgendaSending.objects.filter(pk=sending.pk).delete()
    assert AgendaSending.objects.get(pk=sending.pk).items == 1
