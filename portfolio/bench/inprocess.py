"""What is measured inside this process: SQL statements per request, and the economy."""

import statistics
import time
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User


def count_queries(path: str, user: User) -> dict:
    """The statements one request runs, through Django's test client on the same database.

    The first request warms what is cached per process (content types, sessions); the
    second is counted, as a steady-state request to a running worker would be.
    """
    client = Client(HTTP_HOST="127.0.0.1")
    # The HTTP login may have re-hashed the password (a newer hasher setting): a session
    # made from the stale row carries a hash that no longer matches, and Django treats
    # every request on it as anonymous (401, or a redirect to the login page).
    user.refresh_from_db()
    # The first configured backend refuses requests without a client address (lockout).
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # Over HTTPS, as the production settings demand: a plain request would be redirected
    # (301) before any query ran, and count nothing.
    first = client.get(path, secure=True)
    if first.status_code != 200:
        return {"status": first.status_code}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        # A refused or redirected request is no count of the page's queries.
        return {"status": response.status_code}
    statements = [q["sql"] for q in captured.captured_queries]
    tables = Counter(_main_table(sql) for sql in statements)
    return {
        "status": response.status_code,
        "queries": len(statements),
        "by_table": dict(tables.most_common()),
        "statements": statements,
    }


def _main_table(sql: str) -> str:
    text = sql.split(" FROM ", 1)
    if len(text) < 2:
        return sql.split(" ", 1)[0]
    return text[1].split()[0].strip('"')


def time_economy(period, runs: int = 3) -> dict:
    """Allocation and settlement of every portfolio for one period, as the pages compute it."""
    try:
        from portfolio.selectors.economy import all_portfolios_economy
    except ImportError as error:
        return {"status": "not available", "reason": str(error)}
    seconds, queries = [], 0
    result = []
    for run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = all_portfolios_economy(period)
            seconds.append(time.perf_counter() - started)
        if run == 0:
            queries = len(captured.captured_queries)
    transfers = sum(len(getattr(e, "transfers", []) or []) for e in result)
    return {
        "status": "ok",
        "period": period.label,
        "portfolios": len(result),
        "transfers": transfers,
        "seconds_first": round(seconds[0], 3),
        "seconds": round(statistics.median(seconds), 3),
        "runs": runs,
        "queries": queries,
    }
