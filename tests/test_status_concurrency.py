"""Two status reports for one initiative at once, on PostgreSQL with two connections:
the initiative ends up pointing at the newer report although the older commits last."""

import datetime as dt
import time

import pytest
from test_workflow_concurrency import run_together
from workflow_builders import TODAY, advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.services import status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_report_committed_later_does_not_hide_a_newer_one(monkeypatch):
    w = world()
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    record = status.history_record

    def slow_for_the_newer(**kwargs):
        # The newer report holds its transaction open while the older one is written.
        if kwargs["changes"]["health"] == "gron/gron/gron":
            time.sleep(0.6)
        return record(**kwargs)

    monkeypatch.setattr(status, "history_record", slow_for_the_newer)

    def report(day, health, delay=0.0):
        def call():
            time.sleep(delay)
            return status.status_update_create(
                actor=w.itchef,
                initiative=fresh(initiative),
                reported_on=day,
                health_time=health,
                health_cost=health,
                health_quality=health,
                progress=50,
            )

        return call

    newer, older = run_together(
        report(TODAY, "gron"), report(TODAY - dt.timedelta(days=30), "rod", delay=0.2)
    )
    assert not isinstance(newer, Exception) and not isinstance(older, Exception)
    assert fresh(initiative).latest_status_id == newer.pk
