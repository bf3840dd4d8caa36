"""Warnings to the parties of agreements whose last day for notice approaches.

The last day to give notice is the end date minus the notice period. Beat runs the
check daily; a warning goes out for each of the configured steps
(REPORTS_AGREEMENT_WARNING_DAYS, default 90, 30 and 7 days before) once the step is
reached. A step whose day was missed (the beat was down, the agreement was registered
late) goes out on the next run; only the nearest step is sent, and each step reaches
each person once (the notification's key names the step).
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import holders_q
from municipalities.models import Agreement
from notifications.models import Kind
from notifications.services import notify


def notice_deadline(agreement: Agreement) -> dt.date:
    return agreement.notice_deadline


def warning_days() -> list[int]:
    return list(getattr(settings, "REPORTS_AGREEMENT_WARNING_DAYS", [90, 30, 7]))


def agreements_to_warn(today: dt.date) -> list[tuple[Agreement, dt.date, int, int]]:
    """(agreement, last day for notice, days left, the step due) for each agreement whose
    nearest step has been reached and whose last day has not passed."""
    steps = sorted(set(warning_days()))
    result = []
    for agreement in Agreement.objects.filter(ends_on__gt=today).prefetch_related("parties"):
        deadline = notice_deadline(agreement)
        remaining = (deadline - today).days
        due = [step for step in steps if step >= remaining]
        if remaining >= 0 and due:
            result.append((agreement, deadline, remaining, due[0]))
    return result


def agreement_notice_warn(*, today: dt.date) -> int:
    """Notifications to the parties' directors and coordinators; each person's choice
    decides whether and how they are e-mailed. Returns the notifications made."""
    made = 0
    for agreement, deadline, remaining, step in agreements_to_warn(today):
        parties = [p.pk for p in agreement.parties.all()]
        recipients = (
            User.objects.filter(
                holders_q([Role.DIRECTOR, Role.COORDINATOR], today, anywhere=True),
                is_active=True,
                municipality_id__in=parties,
            )
            .distinct()
            .order_by("pk")
        )
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Avtal: sista dag för uppsägning %(date)s – %(title)s") % {
                "date": deadline.isoformat(),
                "title": agreement.title,
            }
            body = _(
                "Avtalet %(title)s (diarienummer %(dnr)s) gäller till %(end)s med %(months)s "
                "månaders uppsägningstid. Sista dag att säga upp avtalet är %(date)s, om "
                "%(days)s dagar.\n"
            ) % {
                "title": agreement.title,
                "dnr": agreement.registration_number or "–",
                "end": agreement.ends_on.isoformat(),
                "months": agreement.notice_period_months,
                "date": deadline.isoformat(),
                "days": remaining,
            }
        made += len(
            notify(
                kind=Kind.AGREEMENT_NOTICE,
                recipients=recipients,
                title=title,
                body=body.strip(),
                link=reverse("portfolio:my-municipality"),
                key=f"agreement:{agreement.pk}:{deadline.isoformat()}:{step}",
            )
        )
    return made
