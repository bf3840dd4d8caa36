"""Settings for the worker that test_reports_worker.py kills: a short visibility timeout.

After a worker is killed, Redis hands its unacknowledged message to another worker
once the visibility timeout has passed; in production that is an hour, here seconds.
The task's time limit stays below it, as in production.
"""

from samverkan.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405 - the socket timeouts stay
    "visibility_timeout": 25,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
REPORTS_TASK_TIME_LIMIT = 20
# The first attempt of a job waits, so that the test's SIGKILL lands mid-render.
CELERY_IMPORTS = ("tests.slow_first_render",)
