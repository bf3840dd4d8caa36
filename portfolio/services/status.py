"""Status reports: dated health for time, cost and quality, progress and a comment."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import TERMINAL_STAGES
from ..models import Initiative, StatusUpdate
from . import notices
from .errors import DomainError, NotAllowedError
from .history import history_record


def status_update_create(
    *,
    actor,
    initiative: Initiative,
    reported_on: dt.date,
    health_time: str,
    health_cost: str,
    health_quality: str,
    progress: int,
    comment: str = "",
    municipality=None,
) -> StatusUpdate:
    municipality_id = municipality.pk if municipality is not None else None
    if not policies.can_report_for(actor, initiative, municipality_id):
        raise NotAllowedError(
            _("Du kan bara rapportera status för en kommun som deltar i initiativet.")
        )
    if initiative.stage in TERMINAL_STAGES:
        raise DomainError(_("Initiativet är avslutat."), rule="terminal_stage")
    if reported_on and reported_on > timezone.localdate():
        raise ValidationError({"reported_on": [_("Datumet kan inte ligga i framtiden.")]})
    if municipality is None and policies.participates(initiative, actor.municipality_id):
        municipality = actor.municipality
    update = StatusUpdate(
        initiative=initiative,
        reported_on=reported_on,
        health_time=health_time,
        health_cost=health_cost,
        health_quality=health_quality,
        progress=progress,
        comment=comment,
        author=actor,
        municipality=municipality,
    )
    update.full_clean()
    with transaction.atomic():
        # Reports for one initiative queue here, so each sees the one before it.
        Initiative.objects.select_for_update().filter(pk=initiative.pk).values_list("pk").get()
        previous = (
            StatusUpdate.objects.filter(initiative=initiative)
            .order_by("-reported_on", "-id")
            .first()
        )
        update.save()
        latest_status_refresh([initiative.pk])
        history_record(
            initiative=initiative,
            entity="status",
            entity_id=update.pk,
            action="reported",
            actor=actor,
            changes={
                "reported_on": reported_on,
                "health": f"{health_time}/{health_cost}/{health_quality}",
                "progress": progress,
            },
        )
        notices.status_reported(
            actor=actor, initiative=initiative, update=update, previous=previous
        )
    return update


def latest_status_refresh(initiative_ids) -> None:
    """Point each initiative at its newest status report (by date, then id).

    For writers that insert reports past `status_update_create` (data loads, tests).
    """
    newest = (
        StatusUpdate.objects.filter(initiative=OuterRef("pk"))
        .order_by("-reported_on", "-id")
        .values("pk")[:1]
    )
    Initiative.objects.filter(pk__in=initiative_ids).update(latest_status=Subquery(newest))
