"""Two clients correcting one cost entry at once, on PostgreSQL with one connection per
thread: no correction is lost, a stale one is refused, and the history chains exactly
(each row's "before" is the previous row's "after")."""

import datetime as dt
import threading
import time

import economy_builders as eb
import pytest
from django.db import connections
from rest_framework.test import APIClient

from portfolio.models import CostEntry, HistoryEntry
from portfolio.services import costs

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROUNDS = 100
FIRST_AMOUNT = 1000


def _chain(entry) -> list[list[int]]:
    """[before, after] of the amount in each correction, in the order they were made."""
    rows = HistoryEntry.objects.filter(
        entity="cost_entry", entity_id=entry.pk, action="corrected"
    ).order_by("id")
    return [row.changes["amount"] for row in rows]


def _assert_exact_chain(entry, corrections: int) -> None:
    chain = _chain(entry)
    assert len(chain) == corrections
    assert chain[0][0] == FIRST_AMOUNT
    broken = [i for i in range(1, len(chain)) if chain[i][0] != chain[i - 1][1]]
    assert broken == [], f"{len(broken)} history rows do not start where the previous ended"
    stored = CostEntry.objects.get(pk=entry.pk)
    assert stored.amount == chain[-1][1]
    assert stored.version == 1 + corrections


def _run(workers):
    """Run each worker in its own thread (own connection); re-raise what one raised."""
    errors = []

    def guarded(work):
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guarded, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_two_clients_times_a_hundred_corrections_through_the_api():
    """Each round both clients read the entry, then both correct it from what they read:
    one is accepted (the version advances by one), the other is refused as stale
    (If-Match: 412, version in the body: 409), and nothing the refused one sent lands."""
    w = eb.money_world()
    initiative = eb.initiative(w)
    entry = eb.actual(w, initiative, FIRST_AMOUNT, dt.date(2026, 2, 1))
    url = f"/api/v1/cost-entries/{entry.pk}/"
    barrier = threading.Barrier(2, timeout=30)
    outcomes = {"if-match": [], "body": []}

    def client(style, offset):
        def work():
            api = APIClient()
            api.force_authenticate(w.coordinator)
            for round_ in range(ROUNDS):
                read = api.get(url)
                seen = int(read["ETag"].strip('"'))
                barrier.wait()  # both have read before either writes
                amount = 10_000 + 2 * round_ + offset
                if style == "if-match":
                    response = api.patch(
                        url, {"amount": amount}, format="json", HTTP_IF_MATCH=read["ETag"]
                    )
                else:
                    response = api.patch(url, {"amount": amount, "version": seen}, format="json")
                body = response.json()
                outcomes[style].append(
                    (seen, response.status_code, body.get("version"), body.get("code"), amount)
                )
                barrier.wait()  # the round is over for both

        return work

    started = time.perf_counter()
    _run([client("if-match", 0), client("body", 1)])
    elapsed = time.perf_counter() - started

    accepted = [o for style in outcomes for o in outcomes[style] if o[1] == 200]
    assert len(accepted) == ROUNDS, "exactly one of the two corrections per round is accepted"
    assert all(version == seen + 1 for seen, _, version, _, _ in accepted)
    refused = {style: [o for o in outcomes[style] if o[1] != 200] for style in outcomes}
    assert len(refused["if-match"]) + len(refused["body"]) == ROUNDS
    assert {o[1] for o in refused["if-match"]} <= {412}
    assert {o[1] for o in refused["body"]} <= {409}
    assert {o[3] for style in refused for o in refused[style]} <= {"stale_version"}
    _assert_exact_chain(entry, ROUNDS)
    landed = {after for _, after in _chain(entry)}
    assert landed == {o[4] for o in accepted}
    print(f"\n2 × {ROUNDS} API corrections: {elapsed:.2f} s, {len(accepted)} accepted")


def test_corrections_without_a_version_are_serialised_by_the_row_lock():
    """Internal callers that send no version still never lose a correction: each one
    reads the row it changes under the lock, so the history chains exactly."""
    w = eb.money_world()
    initiative = eb.initiative(w)
    entry = eb.actual(w, initiative, FIRST_AMOUNT, dt.date(2026, 2, 1))
    barrier = threading.Barrier(2, timeout=30)

    def corrector(offset):
        def work():
            barrier.wait()
            for round_ in range(ROUNDS // 2):
                costs.cost_entry_correct(
                    actor=w.coordinator,
                    entry=CostEntry.objects.get(pk=entry.pk),
                    amount=50_000 + 2 * round_ + offset,
                )

        return work

    _run([corrector(0), corrector(1)])
    _assert_exact_chain(entry, ROUNDS)
