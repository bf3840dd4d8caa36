"""The minutes of a meeting: the draft as it stands, the issued PDF after justering,
and the justering itself (the chair's and the adjuster's confirmation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolio.selectors.meetings import meeting_day, meeting_for
from portfolio.services.errors import DomainError, NotAllowedError

from . import agenda_rendering, minutes, minutes_rendering
from .models import ReportStatus


@login_required
def minutes_pdf(request, pk):
    meeting = meeting_for(request.user, pk)
    job = minutes.minutes_job(meeting)
    if job is not None:
        if job.status == ReportStatus.DONE:
            return redirect("reports:download", pk=job.pk)
        return redirect("reports:job", pk=job.pk)
    content = minutes_rendering.draft(meeting.pk)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"protokoll-utkast-{meeting.body.portfolio.reference_prefix}-{meeting_day(meeting)}"
    response["Content-Disposition"] = f'attachment; filename="{name.lower()}.pdf"'
    return response


@login_required
def agenda_pdf(request, pk):
    """The agenda as it stands: everyone who sees the meeting reads it."""
    meeting = meeting_for(request.user, pk)
    response = HttpResponse(agenda_rendering.agenda_pdf(meeting.pk), content_type="application/pdf")
    name = f"foredragningslista-{meeting.body.portfolio.reference_prefix}-{meeting_day(meeting)}"
    response["Content-Disposition"] = f'attachment; filename="{name.lower()}.pdf"'
    return response


@login_required
@require_POST
def minutes_adjust(request, pk):
    meeting = meeting_for(request.user, pk)
    try:
        job = minutes.minutes_adjust(actor=request.user, meeting=meeting)
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        done = _("Protokollet är justerat och utfärdat.")
        waiting = _("Din justering är sparad. Protokollet väntar på den andra justeringen.")
        messages.success(request, waiting if job is None else done)
    return redirect("portfolio:meeting-detail", pk=meeting.pk)
