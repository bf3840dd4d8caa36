"""Test set-up shared by every test.

Tests that need PostgreSQL, Redis (with a real Celery worker) or Chromium carry the
markers `postgres`, `redis` and `browser`. Without those services they are skipped
with a reason; with SAMVERKAN_REQUIRE_SERVICES=1 (CI) a missing service fails the
run, and so does any skipped test.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests.smtp_server import smtp_server  # noqa: F401 - a fixture for every test module

REQUIRE_SERVICES = os.environ.get("SAMVERKAN_REQUIRE_SERVICES") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _postgres_available() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _redis_available() -> bool:
    if not settings.CELERY_BROKER_URL:
        return False
    try:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means: not available
        return False
    return True


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


AVAILABILITY = {
    "postgres": (_postgres_available, "needs DATABASE_URL pointing at PostgreSQL"),
    "redis": (_redis_available, "needs REDIS_URL with a reachable Redis"),
    "browser": (_chromium_available, "needs Debian's Chromium (apt-get install chromium)"),
}


def pytest_configure(config):
    # Hashing with the production work factor costs a second per demo load.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    available = {name: check() for name, (check, _) in AVAILABILITY.items()}
    missing = [name for name, ok in available.items() if not ok]
    if REQUIRE_SERVICES and missing:
        needed = {m for item in items for m in missing if item.get_closest_marker(m)}
        if needed:
            raise pytest.UsageError(f"CI needs these services, which are not available: {needed}")
    for item in items:
        for name in missing:
            if item.get_closest_marker(name):
                item.add_marker(pytest.mark.skip(reason=AVAILABILITY[name][1]))


def pytest_sessionfinish(session, exitstatus):
    if not REQUIRE_SERVICES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI runs every test: skipped tests are failures here.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """A request in English activates English for the thread; the next test starts in
    the product's own language again."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _jobs_in_process(request):
    """Background jobs run in process unless a test asks for the real worker."""
    from samverkan.celery import app

    if request.node.get_closest_marker("redis"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _own_portfolio_cache(monkeypatch):
    """Each test caches portfolio figures under its own namespace: ids reused after a
    rollback never meet another test's cached figures."""
    import uuid

    from portfolio.selectors import portfolio_cache

    monkeypatch.setattr(portfolio_cache, "NAMESPACE", f"portfolio-test-{uuid.uuid4().hex}")


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_decision_trigger():
    """A transactional test ends with Django's flush, a TRUNCATE of every table; on
    PostgreSQL the decisions table refuses TRUNCATE (migration 0008). The test
    database's superuser switches triggers off for that one transaction, as the
    migration's docstring allows; nothing else in the suite does."""
    if not _postgres_available():
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, *args, **kwargs):
        statements = original(self, *args, **kwargs)
        if not statements:
            return statements
        return [
            "SET LOCAL session_replication_role = replica",
            *statements,
            "SET LOCAL session_replication_role = origin",
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _reference_data_survives_flushes(request):
    """A transactional test ends by flushing every table, including the municipalities
    the first migration loads; the next transactional test gets them back here."""
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from municipalities.models import County, Municipality, Population
        from municipalities.reference_data import load_reference_data

        if Municipality.objects.count() < 290:
            load_reference_data(County, Municipality, Population)
    yield


@pytest.fixture
def demo(db):
    from portfolio.demo.loader import load_demo

    load_demo()
