"""Readiness: can this process serve requests and hand jobs on right now?

`/healthz` says only that the process answers (liveness: restart it if not). `/readyz`
asks each dependency with a short timeout and answers 503 naming those that failed, so
a load balancer or an operator sees which one is down. The database is needed for every
page; the cache and the broker degrade (pages still answer, report orders wait), but an
operator must know. The file storage, shared by every web and worker machine, is asked
to keep and remove a small probe: a read-only mount or revoked keys fail here rather
than in a worker's render.
"""

import concurrent.futures
import logging
import os
import socket
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger("samverkan.readiness")

NOT_USED = "not_used"
PROBE_DIR = "readiness"
STORAGE_TIMEOUT_SECONDS = 3.0
# One thread for the probe: a storage that hangs (a dead network mount) holds that one
# thread, and later probes time out behind it instead of piling up threads.
_storage_probe = concurrent.futures.ThreadPoolExecutor(max_workers=1)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    cache = caches["default"]
    if not hasattr(cache, "ping"):
        return NOT_USED  # in-process cache: nothing outside to wait for
    cache.ping()
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return NOT_USED  # jobs run in this process
    from samverkan.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=settings.BROKER_SOCKET_TIMEOUT)
        # Redis answers a ping when the channel opens: a hung broker fails here, within
        # the socket timeout of the transport options.
        conn.default_channel  # noqa: B018
    return "ok"


def _write_and_delete_probe() -> None:
    name = f"{PROBE_DIR}/{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex}.txt"
    saved = default_storage.save(name, ContentFile(b"ok"))
    default_storage.delete(saved)


def _storage() -> str:
    _storage_probe.submit(_write_and_delete_probe).result(timeout=STORAGE_TIMEOUT_SECONDS)
    return "ok"


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "storage": _storage}


def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure means: not ready
            logger.warning("readiness.failed dependency=%s error=%s", name, type(exc).__name__)
            results[name] = "failed"
    failed = [name for name, result in results.items() if result == "failed"]
    body = {"status": "ok" if not failed else "unavailable", "checks": results, "failed": failed}
    if failed:
        body["detail"] = _("Svarar inte: %(names)s.") % {"names": ", ".join(failed)}
    return JsonResponse(body, status=503 if failed else 200)
