"""Who in the portfolio is told what, and in which words: the events of the portfolio
turned into notifications (`notifications.services.notify`).

The domain services call these inside their transaction; the notifications are written
with the event and e-mailed after commit. The texts are in the product's language
(Swedish) whoever caused the event. The person who caused it is not told about it.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, User
from accounts.roles import holders_q
from notifications.models import Kind
from notifications.services import notify

from ..choices import Health, ParticipationStatus, Stage
from ..models import (
    EffectGoal,
    Initiative,
    Participation,
    ParticipationDelegation,
    StatusUpdate,
)
from ..selectors.due import (
    measurement_days,
    measurements_due,
    status_report_days,
    status_reports_due,
)
from ..selectors.meetings import body_people, meeting_day

# Municipalities with a stake in an initiative's decisions: the ones that said they are
# interested and the ones taking part.
STAKEHOLDING = (ParticipationStatus.INTERESTED, ParticipationStatus.PARTICIPATING)
# Stages in which the initiative is run and reports status; measurements follow once the
# solution is being implemented or in use.


def _page(initiative) -> str:
    return reverse("portfolio:initiative-detail", args=[initiative.pk])


def _manager(initiative):
    program = initiative.program
    return program.manager if program is not None else None


def _directors(municipality_ids, portfolio_id):
    """The municipalities' directors whose role holds in the portfolio today."""
    return User.objects.filter(
        holders_q([Role.DIRECTOR], timezone.localdate(), portfolio_id),
        is_active=True,
        municipality_id__in=municipality_ids,
    ).distinct()


def _answerers(municipality, portfolio_id):
    """Who answers for the municipality: its directors and anyone they delegated to."""
    delegates = User.objects.filter(
        is_active=True,
        pk__in=ParticipationDelegation.objects.active()
        .filter(municipality=municipality)
        .values("delegate_id"),
    )
    return [*_directors([municipality.pk], portfolio_id), *delegates]


def _without(people, actor):
    return [p for p in people if p is not None and (actor is None or p.pk != actor.pk)]


def _name(initiative) -> str:
    return f"{initiative.reference} {initiative.title}"


def idea_submitted(*, actor, initiative: Initiative) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            kind=Kind.IDEA_SUBMITTED,
            recipients=_without([_manager(initiative)], actor),
            title=_("Ny idé i ditt program: %(name)s") % {"name": _name(initiative)},
            body=_("%(who)s har lämnat in idén %(name)s. Den väntar på beslut vid G0.")
            % {"who": actor, "name": _name(initiative)},
            link=_page(initiative),
            key=f"idea:{initiative.pk}",
        )


def invitation_waits(*, actor, participation: Participation) -> None:
    initiative = participation.initiative
    municipality = participation.municipality
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            kind=Kind.INVITATION,
            recipients=_without(_answerers(municipality, initiative.portfolio_id), actor),
            title=_("%(municipality)s är inbjuden till %(name)s")
            % {"municipality": municipality.name, "name": _name(initiative)},
            body=_(
                "%(municipality)s är inbjuden att delta i initiativet %(name)s. Svara för "
                "kommunen: deltar, intresserad eller avstår."
            )
            % {"municipality": municipality.name, "name": _name(initiative)},
            link=_page(initiative),
            key=f"invitation:{participation.pk}",
        )


def decision_taken(*, actor, decision) -> None:
    initiative = decision.initiative
    stakeholders = initiative.participations.filter(status__in=STAKEHOLDING).values_list(
        "municipality_id", flat=True
    )
    people = [
        initiative.owner,
        _manager(initiative),
        *_directors(list(stakeholders), initiative.portfolio_id),
    ]
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "decision": decision.get_kind_display(),
            "outcome": decision.get_outcome_display().lower(),
            "name": _name(initiative),
            "date": decision.decided_on.isoformat(),
            "stage": Stage(decision.stage_after).label.lower(),
        }
        notify(
            kind=Kind.DECISION,
            recipients=_without(people, actor),
            title=_("%(decision)s för %(name)s: %(outcome)s") % values,
            body=_(
                "%(decision)s för initiativet %(name)s fattades %(date)s: %(outcome)s. "
                "Initiativet står nu i steget %(stage)s."
            )
            % values,
            link=_page(initiative),
            key=f"decision:{decision.pk}",
        )


def agenda_sent(*, actor, meeting, sending) -> None:
    """The kallelse: every one of the body's people and its substitutes, once per
    sending (a substitute must be ready to serve for an absent member)."""
    body = meeting.body
    when = timezone.localtime(meeting.starts_at)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "body": body.name,
            "date": meeting_day(meeting).isoformat(),
            "time": when.strftime("%H:%M"),
            "place": meeting.place or meeting.link,
            "count": sending.items,
            "pdf": settings.SITE_URL.rstrip("/")
            + reverse("reports:meeting-agenda", args=[meeting.pk]),
        }
        notify(
            kind=Kind.AGENDA,
            recipients=_without([*body_people(body), *body.substitutes.all()], actor),
            title=_("Kallelse till %(body)s %(date)s") % values,
            body=ngettext(
                "Du kallas till sammanträde med %(body)s %(date)s klockan %(time)s, "
                "%(place)s. Föredragningslistan har %(count)s ärende och finns som PDF: "
                "%(pdf)s",
                "Du kallas till sammanträde med %(body)s %(date)s klockan %(time)s, "
                "%(place)s. Föredragningslistan har %(count)s ärenden och finns som PDF: "
                "%(pdf)s",
                sending.items,
            )
            % values,
            link=reverse("portfolio:meeting-detail", args=[meeting.pk]),
            key=f"agenda:{sending.pk}",
        )


def _is_red(update) -> bool:
    return update is not None and Health.RED in (
        update.health_time,
        update.health_cost,
        update.health_quality,
    )


def status_reported(*, actor, initiative: Initiative, update, previous) -> None:
    """Told when the initiative's newest report is red and the one before it was not."""
    newest = (
        StatusUpdate.objects.filter(initiative=initiative).order_by("-reported_on", "-id").first()
    )
    if newest is None or newest.pk != update.pk or not _is_red(update) or _is_red(previous):
        return
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            kind=Kind.STATUS_RED,
            recipients=_without([_manager(initiative), initiative.owner], actor),
            title=_("Röd status: %(name)s") % {"name": _name(initiative)},
            body=_(
                "%(who)s rapporterade %(date)s röd status för %(name)s (tid %(time)s, "
                "kostnad %(cost)s, kvalitet %(quality)s)."
            )
            % {
                "who": actor,
                "date": update.reported_on.isoformat(),
                "name": _name(initiative),
                "time": update.get_health_time_display().lower(),
                "cost": update.get_health_cost_display().lower(),
                "quality": update.get_health_quality_display().lower(),
            },
            link=_page(initiative),
            key=f"red:{update.pk}",
        )


def _period(today: dt.date, since: dt.date | None, days: int) -> str:
    """Which reminder this is: one per `days` the gap lasts, so a person is reminded
    again while nothing arrives, never twice in the same stretch."""
    if since is None:
        return "none"
    return f"{since.isoformat()}:{(today - since).days // days}"


def overdue_reminders_create(*, today: dt.date) -> int:
    """Reminders for status reports and measurements that are overdue."""
    return _status_reminders(today) + _measurement_reminders(today)


def _status_reminders(today: dt.date) -> int:
    days = status_report_days()
    overdue = status_reports_due(Initiative.objects.all(), today).select_related(
        "program__manager", "latest_status"
    )
    made = 0
    for initiative in overdue:
        since = initiative.latest_status.reported_on if initiative.latest_status else None
        with translation.override(settings.LANGUAGE_CODE):
            made += len(
                notify(
                    kind=Kind.STATUS_REPORT_DUE,
                    recipients=[_manager(initiative)],
                    title=_("Statusrapport saknas: %(name)s") % {"name": _name(initiative)},
                    body=(
                        _("Senaste statusrapporten för %(name)s är från %(date)s.")
                        % {"name": _name(initiative), "date": since.isoformat()}
                        if since
                        else _("%(name)s har ingen statusrapport.") % {"name": _name(initiative)}
                    )
                    + " "
                    + _("En statusrapport ska lämnas minst var %(days)s:e dag.") % {"days": days},
                    link=_page(initiative),
                    key=f"status_due:{initiative.pk}:{_period(today, since, days)}",
                )
            )
    return made


def _measurement_reminders(today: dt.date) -> int:
    days = measurement_days()
    goals = measurements_due(EffectGoal.objects.all(), today).select_related(
        "owner", "initiative__program__manager"
    )
    made = 0
    for goal in goals:
        initiative = goal.initiative
        with translation.override(settings.LANGUAGE_CODE):
            made += len(
                notify(
                    kind=Kind.MEASUREMENT_DUE,
                    recipients=[goal.owner or _manager(initiative)],
                    title=_("Mätvärde saknas: %(goal)s") % {"goal": goal.name},
                    body=_(
                        "Effektmålet %(goal)s i %(name)s har inget mätvärde från de senaste "
                        "%(days)s dagarna."
                    )
                    % {"goal": goal.name, "name": _name(initiative), "days": days},
                    link=_page(initiative),
                    key=f"measurement_due:{goal.pk}:{_period(today, goal.last_measured, days)}",
                )
            )
    return made
