"""Celery tasks: ids in (JSON), a service call, limits declared.

Late acknowledgement and requeue on a lost worker come from the settings; the time
limits here stay well below the broker's visibility timeout, so a message is never
handed to a second worker while the first is still rendering it.
"""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from portfolio.periods import half_year_of

from . import notices, services

TIME_LIMIT = getattr(settings, "REPORTS_TASK_TIME_LIMIT", 300)
# The soft limit lets the job record its failure before the hard limit kills the process.
SOFT_TIME_LIMIT = TIME_LIMIT * 9 // 10
assert TIME_LIMIT < settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)


@shared_task(
    name="reports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=TIME_LIMIT,
    soft_time_limit=SOFT_TIME_LIMIT,
    ignore_result=True,
)
def report_job_render(job_id: int) -> None:
    services.report_job_run(job_id=int(job_id))


@shared_task(name="reports.board_reports_half_year", ignore_result=True, time_limit=120)
def board_reports_half_year() -> int:
    """The board report of the half-year that has just ended, for every portfolio."""
    ended = half_year_of(timezone.localdate()).previous_half_year()
    return len(services.board_report_schedule(period=ended, notify=True))


@shared_task(name="reports.agreement_notice_warnings", ignore_result=True, time_limit=120)
def agreement_notice_warnings() -> int:
    return notices.agreement_notice_warn(today=timezone.localdate())


@shared_task(name="reports.resend_queued", ignore_result=True, time_limit=120)
def report_jobs_resend() -> int:
    return services.report_jobs_resend()
