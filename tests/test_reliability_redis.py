"""Redis down: every page still answers, and a report request says it cannot be sent now.

REDIS_URL points at a port where nothing listens (127.0.0.1:6390). The cache and the
broker are configured exactly as settings.py configures them for that REDIS_URL.
"""

import json
import re
import runpy
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.models import User
from portfolio.models import Portfolio

CLOSED = "redis://127.0.0.1:6390/0"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "samverkan" / "settings.py"
# Per user. Pages that differ only in ids count as one kind; two of each kind are
# visited, so the crawl reaches every kind of page instead of every initiative.
MAX_PAGES = 120
PER_KIND = 2
SKIP = ("/logout/", "/i18n/", "/static/", "/media/", "/admin/logout/")
HREF = re.compile(r"""href=["']([^"'#]+)["']""")


def _settings_for(monkeypatch, redis_url: str) -> dict:
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture
def redis_down(settings, monkeypatch):
    configured = _settings_for(monkeypatch, CLOSED)
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = configured["SESSION_ENGINE"]
    from samverkan.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = configured["CELERY_BROKER_URL"]
    app.conf.task_always_eager = configured["CELERY_TASK_ALWAYS_EAGER"]
    _forget_connections(app)
    yield configured
    app.conf.broker_url, app.conf.task_always_eager = previous
    _forget_connections(app)


def _forget_connections(app) -> None:
    """Drop pooled broker connections and producers an earlier test may have made."""
    app.close()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def test_plain_redis_cache_fails_while_redis_is_down():
    """Why the project wraps it: Django's own Redis cache raises on every call."""
    cache = RedisCache(CLOSED, {"OPTIONS": {"socket_connect_timeout": 0.5}})
    with pytest.raises(RedisConnectionError):
        cache.get("anything")


def test_the_configured_cache_degrades_to_misses(redis_down):
    assert not redis_down["CELERY_TASK_ALWAYS_EAGER"]
    cache = caches["default"]
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("k", 7) == 7
    with pytest.raises(ValueError):
        cache.incr("counter")
    cache.delete("k")


def test_sessions_do_not_depend_on_redis(redis_down):
    assert "cache" not in redis_down["SESSION_ENGINE"]


def _links(response) -> list[str]:
    content_type = response.get("Content-Type", "")
    body = response.content.decode(errors="replace") if not response.streaming else ""
    if "json" in content_type:
        return re.findall(r'"(http://testserver/[^"]+)"', body)
    if "html" in content_type:
        return HREF.findall(body)
    return []


def _crawl(client: Client, seeds: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    kinds: dict[str, int] = {}
    queue = deque(seeds)
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.popleft())[0]
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or path.startswith(SKIP) or not path.startswith("/"):
            continue
        kind = re.sub(r"\d+", "N", parts.path)
        if kinds.get(kind, 0) >= PER_KIND:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 200:
            queue.extend(_links(response))
    return seen


@pytest.mark.parametrize("username", ["kd.bengtsfors", "samordnare", "itchef"])
def test_every_page_answers_while_redis_is_down(demo, redis_down, username):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    statuses = _crawl(client, ["/", "/api/v1/", "/rapporter/", "/profil/", "/healthz"])
    assert len(statuses) > 10
    failing = {path: status for path, status in statuses.items() if status >= 500}
    assert not failing, json.dumps(failing, indent=1)


def test_anonymous_pages_answer_while_redis_is_down(db, redis_down):
    client = Client(raise_request_exception=False)
    for path in ("/login/", "/healthz", "/"):
        assert client.get(path).status_code < 500


def test_a_report_request_says_plainly_it_cannot_be_sent_now(
    demo, redis_down, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    from reports.models import ReportJob, ReportStatus

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="kd.bengtsfors"))
    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/rapporter/ny/",
            {"kind": "board_report", "portfolio": portfolio.pk, "period": "2026H1"},
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    # Nothing is lost: the order is kept, still queued, marked as not yet sent.
    assert job.status == ReportStatus.QUEUED
    assert job.enqueue_failed
    page = client.get(response["Location"]).content.decode()
    assert "går inte att nå just nu" in page
    api = client.get(f"/api/v1/reports/{job.pk}/").json()
    assert "går inte att nå just nu" in api["queued_notice"]
