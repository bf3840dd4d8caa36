"""Planning a year's meetings of a body at once: every N weeks from the first meeting
until a date, or on the dates given, all at the first meeting's time of day.

The whole series is planned in one transaction, or none of it: a date in the past, or
on a day the body already meets (or twice in the series), refuses the series with the
date named.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Body, Meeting
from .meetings import _may_plan, meeting_plan

# A year of meetings every other week, and then some; more is a typing mistake.
MAX_SERIES = 24


def _invalid(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def series_days(
    *, first: dt.date, until: dt.date | None, every_weeks: int | None, dates: list[dt.date]
) -> list[dt.date]:
    """The series' days in order: the first and the given dates, or every N weeks."""
    if dates:
        days = sorted({first, *dates})
        if until is not None and days[-1] > until:
            raise _invalid(
                "dates",
                _("Datumet %(date)s ligger efter seriens slutdatum.")
                % {"date": days[-1].isoformat()},
            )
        return days
    if not every_weeks or every_weeks < 1 or every_weeks > 52:
        raise _invalid("every_weeks", _("Ange hur många veckor det är mellan mötena (1–52)."))
    if until is None:
        raise _invalid("until", _("Ange till och med vilket datum serien går."))
    if until < first:
        raise _invalid("until", _("Slutdatumet ska vara efter det första mötet."))
    days, day = [], first
    while day <= until and len(days) <= MAX_SERIES:
        days.append(day)
        day += dt.timedelta(weeks=every_weeks)
    return days


def meeting_series_plan(
    *,
    actor,
    body: Body,
    first_starts_at: dt.datetime,
    until: dt.date | None = None,
    every_weeks: int | None = None,
    dates: list[dt.date] | None = None,
    place: str = "",
    link: str = "",
    agenda_notice_days: int | None = None,
) -> list[Meeting]:
    _may_plan(actor, body)
    if first_starts_at is None:
        raise _invalid("first_starts_at", _("Ange när det första mötet börjar."))
    local = timezone.localtime(first_starts_at)
    days = series_days(
        first=local.date(), until=until, every_weeks=every_weeks, dates=list(dates or [])
    )
    if len(days) > MAX_SERIES:
        raise _invalid(
            "until",
            _("En serie har högst %(max)s möten; den här skulle få fler.") % {"max": MAX_SERIES},
        )
    moments = [
        timezone.make_aware(dt.datetime.combine(day, local.time().replace(tzinfo=None)))
        for day in days
    ]
    now = timezone.now()
    past = [m for m in moments if m <= now]
    if past:
        raise _invalid(
            "first_starts_at",
            _("Mötet %(date)s ligger i det förflutna.")
            % {"date": timezone.localtime(past[0]).date().isoformat()},
        )
    with transaction.atomic():
        # The body's row, locked: two series planned at once cannot take the same day.
        list(Body.objects.select_for_update(of=("self",)).filter(pk=body.pk).values("pk"))
        taken = {
            timezone.localtime(starts).date()
            for starts in Meeting.objects.filter(
                body=body, starts_at__date__range=(days[0], days[-1] + dt.timedelta(days=1))
            ).values_list("starts_at", flat=True)
        }
        clash = next((day for day in days if day in taken), None)
        if clash is not None:
            raise _invalid(
                "first_starts_at",
                _("%(body)s har redan ett möte %(date)s.")
                % {"body": body.name, "date": clash.isoformat()},
            )
        return [
            meeting_plan(
                actor=actor,
                body=body,
                starts_at=moment,
                place=place,
                link=link,
                agenda_notice_days=agenda_notice_days,
            )
            for moment in moments
        ]
