"""Telling people: the inbox row is written in the caller's transaction, the e-mail
goes out after commit, by a Celery job, at most once per notification.

`notify` is what the domain services call where an event happens. A rollback takes
the rows with it and the after-commit hook never runs, so nothing is sent for a write
that did not happen. The job claims a notification by stamping `emailed_at` in one
conditional UPDATE before sending; a redelivered job finds it stamped and sends nothing.
A send that fails clears the stamp again, so the sweep (`pending_send`) retries it.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .models import Delivery, Kind, Mode, Notification, NotificationPreference

logger = logging.getLogger(__name__)

_quiet = contextvars.ContextVar("notifications_quiet", default=False)

MODE_DELIVERY = {Mode.IMMEDIATE: Delivery.IMMEDIATE, Mode.DIGEST: Delivery.DIGEST}


@contextlib.contextmanager
def quiet():
    """Notifications made inside reach the inbox but are never e-mailed: a data load
    writes history, not news."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def notify(*, kind: str, recipients, title: str, body: str, link: str, key: str) -> list:
    """One notification per active recipient for the event `key`, unless the person has
    turned the kind off or already has it. Returns the ones made now."""
    ids = {user.pk for user in recipients if user is not None}
    # Read again: whether the person is active and has an address is as stored now.
    people = dict(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .order_by("pk")
        .values_list("pk", "email")
    )
    if not people:
        return []
    modes = selectors.preference_modes(people, kind)
    made = []
    with transaction.atomic():
        for user_id, email in people.items():
            mode = modes.get(user_id, Mode.IMMEDIATE)
            if mode == Mode.OFF:
                continue
            delivery = Delivery.NONE if _quiet.get() or not email else MODE_DELIVERY[Mode(mode)]
            notification, created = Notification.objects.get_or_create(
                recipient_id=user_id,
                dedupe_key=key,
                defaults={
                    "kind": kind,
                    "title": title[:200],
                    "body": body,
                    "link": link,
                    "delivery": delivery,
                },
            )
            if created:
                made.append(notification)
        immediate = [n.pk for n in made if n.delivery == Delivery.IMMEDIATE]
        if immediate:
            transaction.on_commit(lambda: _enqueue(immediate))
    return made


def _enqueue(notification_ids: list[int]) -> None:
    from .tasks import notification_email  # tasks imports this module

    for pk in notification_ids:
        try:
            notification_email.delay(pk)
        except Exception:  # noqa: BLE001 - the write is committed; the sweep sends it later
            logger.exception("notification %s not queued; the sweep will send it", pk)


def _absolute(link: str) -> str:
    return settings.SITE_URL.rstrip("/") + link


def _claim(rows) -> tuple:
    """Stamp the unsent rows with one instant and return that instant: the rows carrying
    it are this job's, whatever another job claims at the same time."""
    stamp = timezone.now()
    claimed = rows.filter(emailed_at__isnull=True).update(emailed_at=stamp)
    return stamp, claimed


def _send(user, subject: str, notifications) -> int:
    context = {
        "name": user.get_full_name() or user.username,
        "notifications": [(n, _absolute(n.link)) for n in notifications],
        "preferences_url": _absolute("/profil/aviseringar/"),
        "inbox_url": _absolute("/inkorg/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("notifications/email.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def notification_email_send(*, notification_id: int) -> int:
    """The e-mail of one immediate notification; 0 when it is not (or no longer) due."""
    rows = Notification.objects.filter(pk=notification_id, delivery=Delivery.IMMEDIATE)
    stamp, claimed = _claim(rows)
    if not claimed:
        return 0
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Samverkan: %(title)s") % {"title": notification.title}
        return _send(notification.recipient, subject, [notification])
    except Exception:
        Notification.objects.filter(pk=notification_id, emailed_at=stamp).update(emailed_at=None)
        raise


def digest_send() -> int:
    """One e-mail per person with every digest notification not yet sent."""
    waiting = Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
    sent = 0
    for user_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        stamp, claimed = _claim(waiting.filter(recipient_id=user_id))
        if not claimed:
            continue
        mine = list(
            Notification.objects.filter(recipient_id=user_id, emailed_at=stamp)
            .select_related("recipient")
            .order_by("created_at", "id")
        )
        try:
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Samverkan: dagens sammanfattning (%(count)s)") % {"count": len(mine)}
            sent += _send(mine[0].recipient, subject, mine)
        except Exception:
            logger.exception("digest for user %s not sent; tried again next time", user_id)
            Notification.objects.filter(recipient_id=user_id, emailed_at=stamp).update(
                emailed_at=None
            )
    return sent


def pending_send(*, older_than_minutes: int = 10) -> int:
    """Immediate notifications whose job was lost or failed: sent by the sweep."""
    before = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = Notification.objects.filter(
        delivery=Delivery.IMMEDIATE, emailed_at__isnull=True, created_at__lt=before
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(ids):
        try:
            sent += notification_email_send(notification_id=pk)
        except Exception:  # noqa: BLE001 - one bad address must not stop the rest
            logger.exception("notification %s not sent; tried again next time", pk)
    return sent


def mark_read(*, user, notification_id: int) -> Notification:
    """Raises Notification.DoesNotExist for someone else's notification."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_set(*, user, modes: dict[str, str]) -> dict[str, str]:
    """Store the person's choice per kind; unknown kinds or modes are refused by the
    caller's form or serializer, and checked again here."""
    with transaction.atomic():
        for kind, mode in modes.items():
            Kind(kind), Mode(mode)  # ValueError for anything else
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"mode": mode}
            )
    return selectors.preferences(user)
