"""A Redis that accepts connections and never answers: pages stay fast, orders fail fast.

A listener on 127.0.0.1 (a free port) accepts every connection and never writes a byte,
as a hung Redis or a half-open connection behind a firewall would. The cache and the
broker are configured exactly as settings.py configures them for that REDIS_URL.
"""

import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.models import User
from portfolio.models import Portfolio
from samverkan.cache import FallbackRedisCache
from tests.test_reliability_redis import _forget_connections, _settings_for

# The acceptance bound for a page while Redis hangs.
PAGE_BOUND_SECONDS = 1.0
# A report order may pay the broker's timeouts (two socket timeouts and a short pause).
ORDER_BOUND_SECONDS = 5.0
# Readiness asks the cache (0.5 s timeout) and the broker (1.5 s) one after the other.
READY_BOUND_SECONDS = 3.0


@pytest.fixture
def hung_redis_url():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept_and_stay_silent():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return  # the server socket was closed: the test is over
            held.append(conn)

    thread = threading.Thread(target=accept_and_stay_silent, daemon=True)
    thread.start()
    url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    yield url
    server.shutdown(socket.SHUT_RDWR)  # wakes the accept()
    server.close()
    thread.join(timeout=2)
    for conn in held:
        conn.close()


@pytest.fixture
def redis_hung(settings, monkeypatch, hung_redis_url):
    from samverkan.celery import app

    # Read before the Django settings change: Celery's conf reads through to them.
    applied = {
        "broker_url": "CELERY_BROKER_URL",
        "task_always_eager": "CELERY_TASK_ALWAYS_EAGER",
        "broker_transport_options": "CELERY_BROKER_TRANSPORT_OPTIONS",
        "task_publish_retry_policy": "CELERY_TASK_PUBLISH_RETRY_POLICY",
    }
    previous = {key: app.conf[key] for key in applied}
    configured = _settings_for(monkeypatch, hung_redis_url)
    settings.CACHES = configured["CACHES"]
    settings.CELERY_BROKER_URL = configured["CELERY_BROKER_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = configured["CELERY_TASK_ALWAYS_EAGER"]
    for key, name in applied.items():
        app.conf[key] = configured[name]
    _forget_connections(app)
    FallbackRedisCache._skip_until.clear()
    yield configured
    for key, value in previous.items():
        app.conf[key] = value
    _forget_connections(app)
    FallbackRedisCache._skip_until.clear()


def _timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_every_redis_and_broker_socket_has_a_timeout(redis_hung):
    cache_options = redis_hung["CACHES"]["default"]["OPTIONS"]
    transport = redis_hung["CELERY_BROKER_TRANSPORT_OPTIONS"]
    for options in (cache_options, transport):
        assert 0 < options["socket_timeout"] <= 2
        assert 0 < options["socket_connect_timeout"] <= 2
    assert redis_hung["CELERY_TASK_PUBLISH_RETRY_POLICY"]["max_retries"] <= 1
    assert 0 < redis_hung["EMAIL_TIMEOUT"] <= 30


def test_the_cache_pays_the_timeout_once_then_skips_redis(redis_hung, settings):
    cache = caches["default"]
    timeout = settings.CACHES["default"]["OPTIONS"]["socket_timeout"]
    first, first_seconds = _timed(lambda: cache.get("figures", "miss"))
    assert first == "miss"
    assert first_seconds >= timeout * 0.9  # Redis was really asked, and hung
    assert cache.bypassed
    _, next_seconds = _timed(lambda: [cache.get(f"k{i}", 0) for i in range(20)])
    assert next_seconds < timeout / 2


def test_after_the_pause_redis_is_tried_again(redis_hung, settings):
    settings.CACHES = {
        "default": {**redis_hung["CACHES"]["default"], "SKIP_SECONDS": 0.2},
    }
    cache = caches["default"]
    timeout = settings.CACHES["default"]["OPTIONS"]["socket_timeout"]
    cache.get("a")
    assert cache.bypassed
    time.sleep(0.25)
    assert not cache.bypassed
    _, seconds = _timed(lambda: cache.get("a"))
    assert seconds >= timeout * 0.9
    assert cache.bypassed


def test_the_dashboard_answers_within_a_second(demo, redis_hung):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="kd.bengtsfors"))
    dashboard = reverse(
        "portfolio:dashboard", args=[Portfolio.objects.get(reference_prefix="DAL").pk]
    )
    with pytest.MonkeyPatch.context() as patch:
        # Warm templates and imports, as in a running server, without asking Redis.
        patch.setattr(FallbackRedisCache, "_skip_until", {str(redis_hung["REDIS_URL"]): 1e18})
        assert client.get(dashboard).status_code == 200
    assert not caches["default"].bypassed
    response, seconds = _timed(lambda: client.get(dashboard))
    assert response.status_code == 200
    assert caches["default"].bypassed  # the page did ask the hung Redis
    assert seconds < PAGE_BOUND_SECONDS, f"dashboard took {seconds:.2f} s"


def test_a_report_order_says_plainly_it_cannot_be_sent_now(
    demo, redis_hung, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    from reports.models import ReportJob, ReportStatus

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="kd.bengtsfors"))
    portfolio = Portfolio.objects.get(reference_prefix="DAL")

    def order():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/rapporter/ny/",
                {"kind": "board_report", "portfolio": portfolio.pk, "period": "2026H1"},
            )

    response, seconds = _timed(order)
    assert response.status_code == 302
    assert seconds < ORDER_BOUND_SECONDS, f"the order took {seconds:.2f} s"
    job = ReportJob.objects.get()
    assert job.status == ReportStatus.QUEUED
    assert job.enqueue_failed
    page = client.get(response["Location"]).content.decode()
    assert "går inte att nå just nu" in page


def test_readiness_names_the_hung_cache_and_broker(db, redis_hung):
    response, seconds = _timed(lambda: Client().get("/readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert set(body["failed"]) == {"cache", "broker"}
    assert "Svarar inte" in body["detail"]
    assert seconds < READY_BOUND_SECONDS


@pytest.mark.django_db
def test_readiness_is_ok_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"
