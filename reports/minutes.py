"""Justering of a meeting's minutes: the chair and the adjuster each confirm; after the
second the minutes are an issued document (a report job of kind "minutes", with its
file, checksum and figures fixed, in the portfolio's archive like every issued PDF).

The confirmation and the job are written in one transaction; the PDF is rendered by
the report worker after commit, from a meeting that can no longer change.
"""

from django.db import IntegrityError, transaction

from portfolio.models import Meeting
from portfolio.selectors.meetings import meeting_day
from portfolio.services.meetings import minutes_confirm

from .models import ReportJob, ReportKind, ReportStatus
from .services import report_job_enqueue


def _issue(meeting: Meeting, actor) -> ReportJob:
    """The minutes' report job, made once per meeting (the key names the meeting)."""
    body = meeting.body
    day = meeting_day(meeting)
    key = f"minutes:{meeting.pk}"
    try:
        with transaction.atomic():
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
                idempotency_key=key,
            )
    except IntegrityError:
        return ReportJob.objects.get(idempotency_key=key)
    transaction.on_commit(lambda: report_job_enqueue(job_id=job.pk))
    return job


def minutes_adjust(*, actor, meeting: Meeting) -> ReportJob | None:
    """One justering; returns the minutes' report job once both have confirmed."""
    with transaction.atomic():
        if not minutes_confirm(actor=actor, meeting=meeting):
            return None
        return _issue(meeting, actor)


def minutes_job(meeting: Meeting) -> ReportJob | None:
    """The issued minutes of a justerad meeting (None before justering).

    A meeting justerad without this app's part (the demo's, loaded without the report
    worker) has its minutes issued here, when first asked for; they are made from the
    fixed record either way."""
    if not meeting.is_adjusted:
        return None
    job = (
        ReportJob.objects.filter(kind=ReportKind.MINUTES, parameters__meeting=meeting.pk)
        .order_by("-id")
        .first()
    )
    return job or _issue(meeting, None)
