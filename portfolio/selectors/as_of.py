"""What held at a past day: the rules every figure for a period reads its records by.

A figure for a period is computed as of the period's end, so that the same period
asked again later gives the same figures, whatever has been recorded since:
- an initiative exists from its submission (or its first decision, for history
  imported after the fact);
- a municipality takes part from its joining date (none: from the start) and no
  longer after the day it left; for the economy a leaver keeps its share of the costs
  dated up to and including its leaving day (domain description), so it is
  *active in* a period it left during, but no longer *participating at* its end;
- an initiative's stage on a day is where the latest decision dated on or before
  that day left it; a correction replaces the decision it corrects from its own date;
- its health on a day is that of its latest status report dated on or before it.

Pure functions over plain values, and query expressions for the rules that are read
in the database (one form per rule).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from ..choices import ParticipationStatus
from ..periods import Period

TAKES_PART = (ParticipationStatus.PARTICIPATING, ParticipationStatus.LEFT)


def participating_on(status: str, joined_on, left_on, day: dt.date) -> bool:
    """Took part on `day` and had not left by then: who stood as a participant."""
    return (
        status in TAKES_PART
        and (joined_on is None or joined_on <= day)
        and (left_on is None or left_on > day)
    )


def left_by(status: str, left_on, day: dt.date) -> bool:
    return status == ParticipationStatus.LEFT and left_on is not None and left_on <= day


def status_on(status: str, joined_on, left_on, day: dt.date) -> str | None:
    """A participation's status on `day`; None for a municipality that joined later
    (what it answered before joining is not dated). Invited, interested and declined
    carry no date: they are as they stand."""
    if status not in TAKES_PART:
        return status
    if joined_on is not None and joined_on > day:
        return None
    if left_by(status, left_on, day):
        return ParticipationStatus.LEFT
    return ParticipationStatus.PARTICIPATING


def active_in_q(period: Period, prefix: str = "") -> Q:
    """Took part on some day of the period: shares costs dated in it (joined on or
    before its end; left, if at all, on or after its start)."""
    return (
        Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": period.end})
    ) & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": period.start}))


def day_after_start(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the local time zone: timestamps before it fall
    on or before `day`."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def existing_on_q(day: dt.date) -> Q:
    """Initiatives that existed on `day`: submitted by then, or decided on by then
    (history registered after the fact)."""
    from ..models import GateDecision

    decided = GateDecision.objects.filter(initiative=OuterRef("pk"), decided_on__lte=day)
    return Q(submitted_at__lt=day_after_start(day)) | Q(Exists(decided))


def stage_on_expression(day: dt.date, through: str = ""):
    """An initiative's stage on `day`, for annotating initiatives (or, with `through`
    naming the foreign key, rows that belong to one): where the latest
    decision dated by then left it (any outcome; a decision corrected by then counts
    through its correction), else the stage before its first decision, else the stage
    it has (nothing records another)."""
    from ..models import GateDecision

    initiative = OuterRef(f"{through}_id" if through else "pk")
    corrected = GateDecision.objects.filter(corrects=OuterRef("pk"), decided_on__lte=day)
    standing = (
        GateDecision.objects.filter(initiative=initiative, decided_on__lte=day)
        .exclude(Exists(corrected))
        .order_by("-decided_on", "-id")
        .values("stage_after")[:1]
    )
    first = (
        GateDecision.objects.filter(initiative=initiative)
        .order_by("decided_on", "id")
        .values("stage_before")[:1]
    )
    return Coalesce(
        Subquery(standing, output_field=CharField()),
        Subquery(first, output_field=CharField()),
        F(f"{through}__stage" if through else "stage"),
        output_field=CharField(),
    )


def costs_on_q(day: dt.date, prefix: str = "") -> Q:
    """Cost entries that stood on `day`: actual costs dated by then, and estimates
    registered by then (an estimate is a plan; what was planned later was not known).

    Use it on `CostEntry.all_entries`: an estimate corrected after a decision stood
    until its correction was registered, and the correction from then on."""
    from ..choices import CostNature

    after = day_after_start(day)
    registered = Q(**{f"{prefix}nature": CostNature.ACTUAL, f"{prefix}period__lte": day}) | Q(
        **{f"{prefix}nature": CostNature.ESTIMATE, f"{prefix}created_at__lt": after}
    )
    return registered & ~Q(**{f"{prefix}corrections__created_at__lt": after})


def health_on_annotations(day: dt.date, prefix: str = "latest_") -> dict:
    """The health of each initiative's latest status report dated on or before `day`
    (None without one), as annotations named `prefix` + health_time/_cost/_quality."""
    from ..models import StatusUpdate

    latest = StatusUpdate.objects.filter(initiative=OuterRef("pk"), reported_on__lte=day).order_by(
        "-reported_on", "-id"
    )
    return {
        f"{prefix}{name}": Subquery(latest.values(name)[:1], output_field=CharField())
        for name in ("health_time", "health_cost", "health_quality")
    }


def local_date(value) -> dt.date:
    """A stored timestamp's day in the local time zone (a date stays as it is)."""
    from django.utils import timezone

    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
