"""Sending a meeting's agenda (kallelse) from the meeting page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..selectors.meetings import meeting_for
from ..services.errors import DomainError, NotAllowedError
from ..services.meeting_agenda import agenda_send


@login_required
@require_POST
def meeting_agenda_send(request, pk):
    meeting = meeting_for(request.user, pk)
    try:
        sending = agenda_send(actor=request.user, meeting=meeting)
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if sending.late:
            messages.warning(
                request,
                _("Kallelsen är skickad, men senare än %(days)s dagar före mötet.")
                % {"days": meeting.agenda_notice_days},
            )
        else:
            messages.success(request, _("Kallelsen är skickad till organets ledamöter."))
    response = redirect("portfolio:meeting-detail", pk=meeting.pk)
    response["Location"] += "#kallelse"
    return response
