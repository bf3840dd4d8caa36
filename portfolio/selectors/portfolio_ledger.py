"""Portfolio figures kept up to date write by write (ledgers), instead of recomputed.

A ledger holds, for one figure of one portfolio (its economy of a half-year, its costs
against budget, its counts per stage and health, the initiatives awaiting a decision),
what each initiative contributes and the sum of the contributions. A write to an
initiative goes through `history_record`, which calls `initiative_changed`; right after
the commit the ledgers of that portfolio read the new contribution of that initiative
alone, replace its old one in the sums and store the finished figure again. The next
page view reads the finished figure, as after any other view: the first view after a
write costs what a cached view costs.

A write that changes the whole portfolio (its settings, allocation keys, populations,
constellation members, a settled period) still moves the portfolio's version on
(`portfolio_cache.portfolio_changed`), and every ledger of the old version is forgotten.

Consistency: a build reads the database and then stores its ledger; a write that commits
in between must not be lost. Every patch counts the portfolio's writes (`seq`) inside a
lock, and a build stores only when the count has not moved since it started, under the
same lock. Without the lock (Redis slow or down) the version moves on instead: correct,
only slower.
"""

from __future__ import annotations

import gc
import pickle
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction

LOCK_SECONDS = 10
LOCK_WAIT_SECONDS = 3.0


@dataclass(frozen=True)
class LedgerKind:
    """build(portfolio, arg) -> (context, {initiative_id: contribution}) for a whole portfolio;
    refresh(portfolio_id, arg, initiative_ids) -> the contributions of those initiatives now
    (one left out contributes nothing); finish(context, sums or contributions) -> the figure
    (plain data). An additive kind's contributions are {key: number} and `finish` gets
    their sums as {key: number}; another kind's `finish` gets the contributions."""

    name: str
    build: Callable[[Any, str], tuple[Any, dict[int, Any]]]
    refresh: Callable[[int, str, list[int]], dict[int, Any]]
    finish: Callable[[Any, Any], Any]
    additive: bool = True


KINDS: dict[str, LedgerKind] = {}


def register(kind: LedgerKind) -> LedgerKind:
    KINDS[kind.name] = kind
    return kind


# -- sums with counts: a key stays while any initiative contributes to it (even 0) -------


def add_into(sums: dict, contribution: dict | None, sign: int) -> None:
    for key, value in (contribution or {}).items():
        total, n = sums.get(key, (0, 0))
        n += sign
        if n:
            sums[key] = (total + sign * value, n)
        else:
            sums.pop(key, None)


def plain_sums(sums: dict) -> dict:
    return {key: total for key, (total, _n) in sums.items()}


def summed(contributions: dict[int, dict]) -> dict:
    sums: dict = {}
    for contribution in contributions.values():
        add_into(sums, contribution, 1)
    return sums


# -- keys -----------------------------------------------------------------------------


# Part of every ledger key: a release that changes what a ledger holds starts afresh.
FORMAT = 4


def _keys(namespace: str, portfolio_id: int, version: str, name: str) -> tuple[str, str, str]:
    base = f"{namespace}:{portfolio_id}:{version}:l{FORMAT}"
    return f"{base}:{name}", f"{base}:{name}:ledger", f"{base}:ledgers"


def _seq_key(namespace: str, portfolio_id: int) -> str:
    return f"{namespace}:seq:{portfolio_id}"


def seq(namespace: str, portfolio_id: int) -> int:
    return cache.get(_seq_key(namespace, portfolio_id)) or 0


@contextmanager
def _lock(namespace: str, portfolio_id: int):
    key, token = f"{namespace}:lock:{portfolio_id}", uuid.uuid4().hex
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    held = cache.add(key, token, LOCK_SECONDS)
    # Redis away (samverkan.cache bypasses it): waiting would only add the timeout.
    while not held and not getattr(cache, "bypassed", False) and time.monotonic() < deadline:
        time.sleep(0.005)
        held = cache.add(key, token, LOCK_SECONDS)
    try:
        yield held
    finally:
        if held and cache.get(key) == token:
            cache.delete(key)


def _finish(kind: LedgerKind, ledger: dict):
    if kind.additive:
        return kind.finish(ledger["context"], plain_sums(ledger["sums"]))
    by = {pk: pickle.loads(part) for pk, part in ledger["by"].items()}  # noqa: S301 - ours
    return kind.finish(ledger["context"], by)


def _packed(by: dict[int, Any]) -> dict[int, bytes]:
    # Each initiative's part pickled on its own: a patch unpickles the few it replaces,
    # not every initiative of the portfolio (most of a ledger's load time).
    return {pk: pickle.dumps(part, pickle.HIGHEST_PROTOCOL) for pk, part in by.items()}


def figure(namespace, portfolio, version: str, kind: LedgerKind, arg: str, timeout: int):
    """The finished figure, built from the database when no ledger holds it."""
    name = f"{kind.name}:{arg}"
    figure_key, ledger_key, index_key = _keys(namespace, portfolio.pk, version, name)
    stored = cache.get(figure_key)
    if stored is not None:
        return stored
    started_at = seq(namespace, portfolio.pk)
    context, by = kind.build(portfolio, arg)
    ledger = {
        "context": context,
        "by": _packed(by),
        "sums": summed(by) if kind.additive else {},
        "built": time.time(),
    }
    result = _finish(kind, ledger)
    with _lock(namespace, portfolio.pk) as held:
        if held and seq(namespace, portfolio.pk) == started_at:
            names = set(cache.get(index_key) or ())
            names.add(name)
            cache.set_many(
                {figure_key: result, ledger_key: ledger, index_key: sorted(names)}, timeout
            )
    return result


@contextmanager
def _without_gc():
    # A ledger unpickles tens of thousands of small tuples; in a process that holds many
    # objects, the collections they trigger cost more than the unpickling (measured:
    # 300 ms against 80 ms). None of them form cycles, so the collector can wait.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def patch(namespace, portfolio_id: int, version: str, initiative_ids: list[int], timeout: int):
    """Replace the contributions of `initiative_ids` in every ledger of the portfolio.
    False when the lock could not be had (the caller then forgets every figure)."""
    with _without_gc(), _lock(namespace, portfolio_id) as held:
        if not held:
            return False
        # Counted first: a build that read the database before this write stores nothing.
        if not cache.add(_seq_key(namespace, portfolio_id), 1, None):
            cache.incr(_seq_key(namespace, portfolio_id))
        _f, _l, index_key = _keys(namespace, portfolio_id, version, "")
        for name in cache.get(index_key) or ():
            kind_name, arg = name.split(":", 1)
            figure_key, ledger_key, _i = _keys(namespace, portfolio_id, version, name)
            ledger = cache.get(ledger_key)
            kind = KINDS.get(kind_name)
            # Patched for at most `timeout` seconds after its build: what changes past
            # the services (a municipality renamed in the admin) shows by then, as in a
            # figure that is only cached.
            stale = ledger is not None and time.time() - ledger.get("built", 0) > timeout
            if ledger is None or kind is None or stale:
                # Evicted, too old, or kept by a newer release than this process runs:
                # the next view builds it again.
                cache.delete_many([figure_key, ledger_key])
                continue
            fresh = kind.refresh(portfolio_id, arg, initiative_ids)
            for initiative_id in initiative_ids:
                old = ledger["by"].pop(initiative_id, None)
                new = fresh.get(initiative_id)
                if kind.additive:
                    add_into(ledger["sums"], pickle.loads(old) if old else None, -1)  # noqa: S301
                    add_into(ledger["sums"], new, 1)
                if new is not None:
                    ledger["by"][initiative_id] = _packed({initiative_id: new})[initiative_id]
            cache.set_many({figure_key: _finish(kind, ledger), ledger_key: ledger}, timeout)
    return True


# -- after commit -------------------------------------------------------------------------


def _pending() -> dict[int, set[int]]:
    # On the connection: one set of changed initiatives per portfolio and transaction.
    # A rolled-back transaction leaves its ids behind; the next commit patches them
    # again, which reads the database as it is and so changes nothing.
    if not hasattr(connection, "_portfolio_ledger_pending"):
        connection._portfolio_ledger_pending = {}
    return connection._portfolio_ledger_pending


def on_commit_patch(portfolio_id: int, initiative_id: int, apply: Callable) -> None:
    """Once the transaction commits, `apply(portfolio_id, initiative_ids)` once for every
    initiative of the portfolio written in it."""
    pending = _pending()
    pending.setdefault(portfolio_id, set()).add(initiative_id)

    # Registered every time (a rollback drops callbacks but not `pending`); the first
    # to run takes every id, the others find nothing left.
    def flush():
        ids = pending.pop(portfolio_id, None)
        if ids:
            apply(portfolio_id, sorted(ids))

    transaction.on_commit(flush)
