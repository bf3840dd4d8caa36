"""Two people at once, on PostgreSQL with two real connections (one per thread).

The second of two simultaneous edits is refused (409) and the first is kept; of two
simultaneous decisions at the same gate exactly one is recorded.
"""

import threading

import pytest
from django.db import connection, connections
from workflow_builders import TODAY, fresh, idea, meet_g0, world

from portfolio.models import GateDecision, HistoryEntry
from portfolio.services import workflow
from portfolio.services.errors import DomainError, StaleVersionError
from portfolio.services.initiatives import initiative_update

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_together(*calls):
    """Run each call in its own thread (own connection); return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_connections_really_are_two():
    ids = run_together(
        lambda: connection.cursor().connection.info.backend_pid,
        lambda: connection.cursor().connection.info.backend_pid,
    )
    assert ids[0] != ids[1]


def test_second_of_two_simultaneous_edits_is_refused_and_the_first_kept():
    w = world()
    initiative = idea(w)
    seen = initiative.version
    results = run_together(
        lambda: initiative_update(
            actor=w.manager, initiative=fresh(initiative), version=seen, need="Anna skrev detta."
        ),
        lambda: initiative_update(
            actor=w.owner, initiative=fresh(initiative), version=seen, need="Sofia skrev detta."
        ),
    )
    refused = [r for r in results if isinstance(r, StaleVersionError)]
    saved = [r for r in results if not isinstance(r, Exception)]
    assert len(refused) == 1 and len(saved) == 1, results
    stored = fresh(initiative)
    assert stored.version == seen + 1
    assert stored.need == saved[0].need
    assert HistoryEntry.objects.filter(initiative=initiative, action="updated").count() == 1


def test_two_simultaneous_g0_decisions_yield_exactly_one():
    w = world()
    initiative = idea(w)
    meet_g0(w, initiative)
    second_manager = w.manager

    def decide(motivation):
        return lambda: workflow.decision_record(
            actor=second_manager,
            initiative=fresh(initiative),
            kind="G0",
            outcome="godkand",
            decided_on=TODAY,
            motivation=motivation,
        )

    results = run_together(decide("Första"), decide("Andra"))
    assert GateDecision.objects.filter(initiative=initiative).count() == 1, results
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and refused[0].rule in ("wrong_gate", "stale_version")
    assert fresh(initiative).stage == "forstudie"


def test_two_simultaneous_returns_with_the_same_version_yield_one():
    w = world()
    initiative = idea(w)
    seen = initiative.version

    def decide():
        return workflow.decision_record(
            actor=w.manager,
            initiative=fresh(initiative),
            kind="G0",
            outcome="aterremitterad",
            decided_on=TODAY,
            version=seen,
        )

    results = run_together(decide, decide)
    assert GateDecision.objects.filter(initiative=initiative).count() == 1, results
    assert sum(isinstance(r, StaleVersionError) for r in results) == 1
