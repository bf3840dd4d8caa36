"""Celery tasks of the notifications app: ids in, one service call."""

from celery import shared_task

from . import services


@shared_task(name="notifications.email", ignore_result=True, time_limit=60, soft_time_limit=50)
def notification_email(notification_id: int) -> int:
    return services.notification_email_send(notification_id=int(notification_id))


@shared_task(name="notifications.digest", ignore_result=True, time_limit=600)
def notification_digest() -> int:
    return services.digest_send()


@shared_task(name="notifications.pending", ignore_result=True, time_limit=300)
def notification_pending() -> int:
    return services.pending_send()
