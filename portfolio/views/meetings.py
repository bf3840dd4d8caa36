"""A body's meetings as pages: the list per portfolio, and the meeting page on which the
secretary orders the agenda, records who is present and decides item by item.

Everyone in the portfolio's constellation reads them; who may change what is the
policies' answer (403 with the reason), a meeting outside the person's portfolios 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies
from ..choices import DecisionKind
from ..forms.base import apply_error
from ..forms.meetings import (
    AttendanceForm,
    DecisionForm,
    ItemForm,
    MeetingChangeForm,
    MeetingForm,
    SeriesForm,
)
from ..models import MeetingStatus
from ..selectors.bodies import active_bodies
from ..selectors.history import meeting_lines
from ..selectors.meeting_agenda import agenda_deadline, agenda_fingerprint, is_late
from ..selectors.meetings import agenda_proposal, body_people, meeting_for, portfolio_meetings
from ..selectors.settings import settings_portfolio
from ..services import meetings as meeting_services
from ..services.errors import DomainError, NotAllowedError
from ..services.meeting_decisions import item_record, outcomes_for


def _plannable(user, portfolio) -> list:
    bodies = active_bodies(portfolio.pk)
    for body in bodies:
        body.portfolio = portfolio
    return [b for b in bodies if policies.can_plan_meeting(user, b)]


def _run(form, action) -> bool:
    try:
        action()
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except (ValidationError, DomainError) as exc:
        apply_error(form, exc)
        return False
    return True


@login_required
def meeting_list(request, pk, form=None, series_form=None):
    portfolio = settings_portfolio(request.user, pk)
    bodies = _plannable(request.user, portfolio)
    if form is None and bodies:
        form = MeetingForm(bodies=bodies)
    if series_form is None and bodies:
        series_form = SeriesForm(bodies=bodies, prefix="serie")
    return render(
        request,
        "portfolio/meetings/list.html",
        {
            "portfolio": portfolio,
            "meetings": portfolio_meetings(portfolio),
            "bodies": active_bodies(portfolio.pk),
            "form": form,
            "series_form": series_form,
        },
        status=400 if any(f is not None and f.errors for f in (form, series_form)) else 200,
    )


@login_required
@require_POST
def meeting_create(request, pk):
    portfolio = settings_portfolio(request.user, pk)
    bodies = _plannable(request.user, portfolio)
    if not bodies:
        raise PermissionDenied(
            _(
                "Bara ett organs ordförande eller sekreterare, eller portföljkontoret, "
                "planerar möten."
            )
        )
    form = MeetingForm(request.POST, bodies=bodies)
    made = []
    if form.is_valid():
        body = next(b for b in bodies if b.pk == form.cleaned_data["body"])
        values = form.cleaned_data
        if _run(
            form,
            lambda: made.append(
                meeting_services.meeting_plan(
                    actor=request.user,
                    body=body,
                    starts_at=form.starts_at(),
                    place=values["place"],
                    link=values["link"],
                    agenda_notice_days=values["agenda_notice_days"],
                )
            ),
        ):
            messages.success(request, _("Mötet är planerat."))
            return redirect("portfolio:meeting-detail", pk=made[0].pk)
    return meeting_list(request, pk, form=form)


def _decision_form(item, data=None):
    return DecisionForm(
        data,
        prefix=f"item{item.pk}",
        outcomes=outcomes_for(item.kind),
        asks_target=item.decision_kind == DecisionKind.G1,
    )


def _page(request, meeting, *, status=200, failed=None, **forms):
    user = request.user
    may_plan = policies.can_plan_meeting(user, meeting.body) and not meeting.is_adjusted
    may_record = policies.can_record_meeting(user, meeting) and not meeting.is_adjusted
    started = bool(meeting.chair_adjusted_at or meeting.adjuster_adjusted_at)
    people = body_people(meeting.body)
    serving = list(meeting.substitutes.all())
    items = list(meeting.items.all())
    if may_record and not started:
        for item in items:
            if not item.outcome:
                item.form = failed if failed and failed.prefix == f"item{item.pk}" else None
                item.form = item.form or _decision_form(item)
    context = {
        "meeting": meeting,
        "portfolio": meeting.body.portfolio,
        "items": items,
        "people": people,
        "present_ids": {p.pk for p in meeting.present.all()},
        "serving": serving,
        "may_plan": may_plan,
        "may_record": may_record and not started,
        "may_adjust": _may_adjust(user, meeting),
        "proposals": agenda_proposal(meeting) if may_plan else [],
        "item_form": forms.get("item_form") or (ItemForm() if may_plan else None),
        "attendance_form": forms.get("attendance_form")
        or (
            _attendance_form(
                meeting,
                people,
                initial={
                    "present": [p.pk for p in meeting.present.all()],
                    "adjuster": meeting.adjuster_id,
                    **{f"serves_for_{s.substitute_id}": s.serves_for_id for s in serving},
                },
            )
            if may_record and not started
            else None
        ),
        "change_form": forms.get("change_form")
        or (
            _change_form(meeting) if may_plan and meeting.status == MeetingStatus.PLANNED else None
        ),
        "history": meeting_lines(meeting),
        "failed": failed
        or forms.get("item_form")
        or forms.get("attendance_form")
        or forms.get("change_form"),
        **_kallelse(user, meeting, items),
    }
    return render(request, "portfolio/meetings/detail.html", context, status=status)


def _change_form(meeting, data=None) -> MeetingChangeForm:
    when = timezone.localtime(meeting.starts_at)
    return MeetingChangeForm(
        data,
        prefix="change",
        initial={
            "day": when.date(),
            "time": when.time().replace(second=0, microsecond=0),
            "place": meeting.place,
            "link": meeting.link,
            "agenda_notice_days": meeting.agenda_notice_days,
            "version": meeting.version,
        },
    )


def _attendance_form(meeting, people, data=None, **kwargs) -> AttendanceForm:
    body = meeting.body
    return AttendanceForm(
        data,
        people=people,
        substitutes=body.substitutes.all(),
        members=[p for p in people if p in body.members.all()],
        **kwargs,
    )


def _kallelse(user, meeting, items) -> dict:
    """The kallelse's part of the page: when it is due, each sending, whether the
    agenda changed since the last one and whether this person may send it."""
    sendings = list(meeting.sendings.all())  # prefetched by meeting_for, oldest first
    changed = not sendings or sendings[-1].fingerprint != agenda_fingerprint(meeting, items)
    return {
        "agenda_deadline": agenda_deadline(meeting),
        "sendings": sendings,
        "agenda_changed": bool(sendings) and changed,
        "late_now": changed
        and meeting.status == MeetingStatus.PLANNED
        and is_late(meeting, timezone.now()),
        "may_send": policies.can_send_agenda(user, meeting)
        and meeting.status == MeetingStatus.PLANNED
        and bool(items)
        and changed,
    }


def _may_adjust(user, meeting) -> bool:
    """The chair or adjuster, not yet confirmed, of minutes not yet justerade."""
    if meeting.is_adjusted or not policies.can_adjust_minutes(user, meeting):
        return False
    if user.pk == meeting.body.chair_id:
        return meeting.chair_adjusted_at is None
    return meeting.adjuster_adjusted_at is None


@login_required
def meeting_detail(request, pk):
    return _page(request, meeting_for(request.user, pk))


def _back(meeting, anchor="agenda"):
    response = redirect("portfolio:meeting-detail", pk=meeting.pk)
    response["Location"] += f"#{anchor}"
    return response


def _refused(request, exc):
    if isinstance(exc, NotAllowedError):
        raise PermissionDenied(str(exc.message)) from exc
    message = exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages)
    messages.error(request, str(message))


@login_required
@require_POST
def meeting_propose(request, pk):
    meeting = meeting_for(request.user, pk)
    try:
        added = meeting_services.agenda_propose(actor=request.user, meeting=meeting)
    except (NotAllowedError, DomainError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(count)s ärenden lades till.") % {"count": len(added)})
    return _back(meeting)


@login_required
@require_POST
def item_add(request, pk):
    meeting = meeting_for(request.user, pk)
    form = ItemForm(request.POST)
    if form.is_valid() and _run(
        form,
        lambda: meeting_services.agenda_item_add(
            actor=request.user, meeting=meeting, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Ärendet är tillagt."))
        return _back(meeting)
    if not policies.can_plan_meeting(request.user, meeting.body):
        raise PermissionDenied
    return _page(request, meeting, status=400, item_form=form)


def _item(request, pk, item_pk):
    meeting = meeting_for(request.user, pk)
    return meeting, get_object_or_404(meeting.items.all(), pk=item_pk)


@login_required
@require_POST
def item_move(request, pk, item_pk):
    meeting, item = _item(request, pk, item_pk)
    step = -1 if request.POST.get("step") == "up" else 1
    try:
        meeting_services.agenda_item_move(actor=request.user, item=item, step=step)
    except (NotAllowedError, DomainError, ValidationError) as exc:
        _refused(request, exc)
    return _back(meeting, f"item-{item.pk}")


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    meeting, item = _item(request, pk, item_pk)
    try:
        meeting_services.agenda_item_remove(actor=request.user, item=item)
    except (NotAllowedError, DomainError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Ärendet är borttaget från föredragningslistan."))
    return _back(meeting)


@login_required
@require_POST
def attendance(request, pk):
    meeting = meeting_for(request.user, pk)
    if not policies.can_record_meeting(request.user, meeting):
        raise PermissionDenied(_("Bara organets ordförande eller sekreterare för protokollet."))
    people = body_people(meeting.body)
    form = _attendance_form(meeting, people, request.POST)
    if form.is_valid():
        by_id = {p.pk: p for p in people}
        present = [by_id[int(i)] for i in form.cleaned_data["present"]]
        adjuster = by_id.get(form.cleaned_data["adjuster"])
        serving = [(s, by_id.get(member)) for s, member in form.serving()]
        if _run(
            form,
            lambda: meeting_services.attendance_set(
                actor=request.user,
                meeting=meeting,
                present=present,
                adjuster=adjuster,
                substitutes=serving,
            ),
        ):
            messages.success(request, _("Närvaron är sparad."))
            return _back(meeting, "narvaro")
    return _page(request, meeting, status=400, attendance_form=form)


@login_required
@require_POST
def item_decide(request, pk, item_pk):
    meeting, item = _item(request, pk, item_pk)
    if not policies.can_record_meeting(request.user, meeting):
        raise PermissionDenied(
            _("Bara organets ordförande eller sekreterare registrerar organets beslut.")
        )
    form = _decision_form(item, request.POST)
    if form.is_valid() and _run(
        form,
        lambda: item_record(
            actor=request.user,
            item=item,
            outcome=form.cleaned_data["outcome"],
            motivation=form.cleaned_data["motivation"],
            target_stage=form.cleaned_data.get("target_stage") or None,
        ),
    ):
        messages.success(request, _("Beslutet är registrerat."))
        return _back(meeting, f"item-{item.pk}")
    return _page(request, meeting_for(request.user, pk), status=400, failed=form)
