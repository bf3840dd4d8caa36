"""Celery tasks of the portfolio app: ids in, one service call."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .excel.import_jobs import import_job_run
from .services.archive_exports import archive_export_run
from .services.notices import overdue_reminders_create

TIME_LIMIT = settings.CELERY_TASK_TIME_LIMIT
# The soft limit lets the failure be recorded on the job before the hard limit kills it.
SOFT_TIME_LIMIT = TIME_LIMIT * 9 // 10


@shared_task(
    name="portfolio.import_job_apply",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=TIME_LIMIT,
    soft_time_limit=SOFT_TIME_LIMIT,
    ignore_result=True,
)
def import_job_apply(job_id: int) -> None:
    import_job_run(job_id=int(job_id))


@shared_task(
    name="portfolio.archive_export_make",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=TIME_LIMIT,
    soft_time_limit=SOFT_TIME_LIMIT,
    ignore_result=True,
)
def archive_export_make(export_id: int) -> None:
    archive_export_run(export_id=int(export_id))


@shared_task(name="portfolio.overdue_reminders", ignore_result=True, time_limit=300)
def overdue_reminders() -> int:
    return overdue_reminders_create(today=timezone.localdate())
