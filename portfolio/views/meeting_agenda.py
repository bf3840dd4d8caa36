"""Sending a meeting's agenda (kallelse) and changing its time and place from the
meeting page, and planning a series of meetings from the list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies
from ..forms.meetings import SeriesForm
from ..selectors.meetings import meeting_for
from ..selectors.settings import settings_portfolio
from ..services.errors import DomainError, NotAllowedError
from ..services.meeting_agenda import agenda_send
from ..services.meeting_changes import meeting_update
from ..services.meeting_series import meeting_series_plan
from .meetings import _back, _change_form, _page, _plannable, _run, meeting_list


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


@login_required
@require_POST
def meeting_series_create(request, pk):
    portfolio = settings_portfolio(request.user, pk)
    bodies = _plannable(request.user, portfolio)
    if not bodies:
        raise PermissionDenied(
            _(
                "Bara ett organs ordförande eller sekreterare, eller portföljkontoret, "
                "planerar möten."
            )
        )
    form = SeriesForm(request.POST, bodies=bodies, prefix="serie")
    made = []
    if form.is_valid():
        values = form.cleaned_data
        body = next(b for b in bodies if b.pk == values["body"])
        if _run(
            form,
            lambda: made.extend(
                meeting_series_plan(
                    actor=request.user,
                    body=body,
                    first_starts_at=form.starts_at(),
                    until=values["until"],
                    every_weeks=values["every_weeks"],
                    dates=values["dates"],
                    place=values["place"],
                    link=values["link"],
                    agenda_notice_days=values["agenda_notice_days"],
                )
            ),
        ):
            messages.success(request, _("%(count)s möten är planerade.") % {"count": len(made)})
            return redirect("portfolio:meeting-list", pk=portfolio.pk)
    return meeting_list(request, pk, series_form=form)


@login_required
@require_POST
def meeting_change(request, pk):
    meeting = meeting_for(request.user, pk)
    if not policies.can_plan_meeting(request.user, meeting.body):
        raise PermissionDenied(
            _("Bara organets ordförande eller sekreterare, eller portföljkontoret, planerar mötet.")
        )
    form = _change_form(meeting, request.POST)
    if form.is_valid():
        values = form.cleaned_data
        if _run(
            form,
            lambda: meeting_update(
                actor=request.user,
                meeting=meeting,
                version=values["version"],
                starts_at=form.starts_at(),
                place=values["place"],
                link=values["link"],
                agenda_notice_days=values["agenda_notice_days"],
            ),
        ):
            messages.success(request, _("Mötet är ändrat."))
            return _back(meeting, "historik")
    return _page(request, meeting, status=400, change_form=form)
