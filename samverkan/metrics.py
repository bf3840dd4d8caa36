"""Prometheus metrics at /metrics, for the operator's scraper only.

Requests and latency come from django-prometheus' middleware (per process; with several
gunicorn workers set PROMETHEUS_MULTIPROC_DIR so every worker's counts are added up).
Queue length and job outcomes are read at scrape time from what every machine shares,
Redis and the database, so any web process answers for the whole deployment.
"""

import hmac
import logging
import os

import prometheus_client
from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("samverkan.metrics")

# Celery's default queue: a Redis list of that name holds the waiting jobs.
QUEUES = ("celery",)


class SharedStateCollector:
    """Waiting jobs per queue and report jobs per status."""

    def collect(self):
        jobs = GaugeMetricFamily(
            "samverkan_report_jobs", "Report and export jobs by status.", labels=["status"]
        )
        from reports.models import ReportJob, ReportStatus

        counts = dict(ReportJob.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status in ReportStatus.values:
            jobs.add_metric([status], counts.get(status, 0))
        yield jobs

        queue = GaugeMetricFamily(
            "samverkan_queue_length", "Jobs waiting in the broker's queue.", labels=["queue"]
        )
        lengths = _queue_lengths()
        if lengths is not None:
            for name, length in lengths.items():
                queue.add_metric([name], length)
            yield queue


def _queue_lengths() -> dict[str, int] | None:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return None  # jobs run in process: there is no queue
    import redis

    timeout = settings.BROKER_SOCKET_TIMEOUT
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        return {name: client.llen(name) for name in QUEUES}
    except redis.RedisError as exc:
        # The scrape still answers; readiness says the broker is down.
        logger.warning("metrics.queue_unavailable error=%s", type(exc).__name__)
        return None


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def metrics(request):
    """Off (404) until METRICS_TOKEN is set; then only for that bearer token."""
    if not _authorised(request):
        raise Http404
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        processes = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = prometheus_client.REGISTRY
    shared = prometheus_client.CollectorRegistry()
    shared.register(SharedStateCollector())
    # The text format is a list of metric families: two registries' pages concatenate.
    body = prometheus_client.generate_latest(processes) + prometheus_client.generate_latest(shared)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
