"""One id per request, in every log line it causes, its response and the jobs it starts.

A proxy's X-Request-ID is kept when it looks like an id, so the proxy's access log and
ours name the same request; otherwise a new one is made. The id travels to Celery in a
message header and is set again while the job runs, so a failed report names the click
that ordered it.
"""

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
NONE = "-"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
current = contextvars.ContextVar("request_id", default=NONE)


def _incoming(value: str | None) -> str:
    return value if value and _ACCEPTED.match(value) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming(request.headers.get(HEADER))
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a request_id (`-` outside a request or job)."""

    def filter(self, record):
        record.request_id = current.get()
        return True


@before_task_publish.connect
def _send_with_the_job(headers=None, **kwargs):
    if headers is not None and current.get() != NONE:
        headers["request_id"] = current.get()


@task_prerun.connect
def _set_in_the_job(task=None, **kwargs):
    # A job run in process (no broker) already runs inside its request's context.
    request_id = getattr(task.request, "request_id", None)
    if isinstance(request_id, str) and _ACCEPTED.match(request_id):
        task.request.request_id_token = current.set(request_id)


@task_postrun.connect
def _clear_after_the_job(task=None, **kwargs):
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        current.reset(token)
        task.request.request_id_token = None
