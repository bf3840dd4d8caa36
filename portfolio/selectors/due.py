"""What is due: status reports and effect measurements that are late. One rule for the
start page and the reminders (portfolio.services.notices); the intervals are settings
(NOTIFICATIONS_STATUS_REPORT_DAYS, NOTIFICATIONS_MEASUREMENT_DAYS)."""

import datetime as dt

from django.conf import settings
from django.db.models import Max, Q, QuerySet

from ..choices import Stage

# Initiatives that report their status while the work goes on.
REPORTING_STAGES = (Stage.PROJECT, Stage.ASSIGNMENT, Stage.IMPLEMENTATION)
# Initiatives whose effect goals are measured.
MEASURED_STAGES = (Stage.IMPLEMENTATION, Stage.OPERATION)


def status_report_days() -> int:
    return settings.NOTIFICATIONS_STATUS_REPORT_DAYS


def measurement_days() -> int:
    return settings.NOTIFICATIONS_MEASUREMENT_DAYS


def status_reports_due(initiatives: QuerySet, today: dt.date) -> QuerySet:
    """Of `initiatives`, those in a reporting stage, not paused, whose latest status
    report is older than the interval, or that have none."""
    limit = today - dt.timedelta(days=status_report_days())
    return initiatives.filter(stage__in=REPORTING_STAGES, is_paused=False).filter(
        Q(latest_status__isnull=True) | Q(latest_status__reported_on__lt=limit)
    )


def measurements_due(goals: QuerySet, today: dt.date) -> QuerySet:
    """Of initiative effect `goals`, those of initiatives in implementation or
    operation, not paused, not measured within the interval (or never); each with
    `last_measured`."""
    limit = today - dt.timedelta(days=measurement_days())
    return (
        goals.filter(initiative__stage__in=MEASURED_STAGES, initiative__is_paused=False)
        .annotate(last_measured=Max("measurements__measured_on"))
        .filter(Q(last_measured__isnull=True) | Q(last_measured__lt=limit))
    )
