"""Justering of a meeting's minutes: the chair and the adjuster each confirm; after the
second the minutes are an issued document (a report job of kind "minutes", with its
file, checksum and figures fixed, in the portfolio's archive like every issued PDF).

The confirmation and the job are written in one transaction; the PDF is rendered by
the report worker after commit, from a meeting that can no longer change.
"""

from django.db import transaction

from portfolio.models import Meeting
from portfolio.selectors.meetings import meeting_day
from portfolio.services.meetings import minutes_confirm

from .models import ReportJob, ReportKind, ReportStatus
from .services import report_job_enqueue


def minutes_adjust(*, actor, meeting: Meeting) -> ReportJob | None:
    """One justering; returns the minutes' report job once both have confirmed."""
    with transaction.atomic():
        if not minutes_confirm(actor=actor, meeting=meeting):
            return None
        body = meeting.body
        day = meeting_day(meeting)
        job = ReportJob.objects.create(
            kind=ReportKind.MINUTES,
            status=ReportStatus.QUEUED,
            requested_by=actor,
            portfolio_id=body.portfolio_id,
            parameters={
                "meeting": meeting.pk,
                "date": day.isoformat(),
                "title": f"{body.name} {day.isoformat()}",
            },
            idempotency_key=f"minutes:{meeting.pk}",
        )
        transaction.on_commit(lambda: report_job_enqueue(job_id=job.pk))
    return job


def minutes_job(meeting: Meeting) -> ReportJob | None:
    """The issued minutes of a justerad meeting (None before justering)."""
    return (
        ReportJob.objects.filter(kind=ReportKind.MINUTES, parameters__meeting=meeting.pk)
        .order_by("-id")
        .first()
    )
