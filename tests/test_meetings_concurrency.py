"""§ numbers under concurrent recording, on PostgreSQL with one connection per thread:
two secretaries recording at the same moment for two meetings of the same body get
consecutive, distinct paragraphs; none is lost and none is taken twice."""

import datetime as dt

import pytest
from meeting_builders import MEETING_AT, board, meeting
from test_workflow_concurrency import run_together
from workflow_builders import world

from portfolio.models import AgendaItem
from portfolio.services import meetings
from portfolio.services.meeting_decisions import item_record

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_simultaneous_recordings_take_distinct_consecutive_paragraphs():
    w = world()
    body = board(w, secretary=w.coordinator)
    first = meeting(w, body)
    second = meeting(w, body, starts_at=MEETING_AT + dt.timedelta(days=1))
    items = [
        meetings.agenda_item_add(actor=w.coordinator, meeting=m, title=f"Ärende {n}")
        for n, m in enumerate((first, second, first, second))
    ]
    # The chair and the secretary each record for their own meeting at once.
    people = (w.coordinator, w.director, w.coordinator, w.director)
    results = run_together(
        *[
            (lambda item=item, who=who: item_record(actor=who, item=item, outcome="noterat"))
            for item, who in zip(items, people, strict=True)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(
        AgendaItem.objects.filter(paragraph_body=body).values_list("paragraph", flat=True)
    )
    assert numbers == [1, 2, 3, 4]
