"""Loaded only by the worker that test_killed_worker_report_is_produced_exactly_once kills.

Rendering got fast; to kill the worker *while* it renders, whatever the machine's speed,
the first attempt of each job waits a few seconds before rendering. Later attempts (after
the kill) render at once.
"""

import time

from celery.signals import task_prerun

FIRST_ATTEMPT_DELAY = 8.0
_patched = False


@task_prerun.connect
def _slow_first_attempt(**kwargs):
    global _patched
    if _patched:
        return
    from reports import services

    real_render = services.render_job

    def render_job(job):
        if job.attempts == 1:
            time.sleep(FIRST_ATTEMPT_DELAY)
        return real_render(job)

    services.render_job = render_job
    _patched = True
