"""Celery tasks of the accounts app: ids in, one service call."""

from celery import shared_task

from . import mail


@shared_task(
    name="accounts.choose_password_link", ignore_result=True, time_limit=60, soft_time_limit=50
)
def send_choose_password_link(user_id: int) -> int:
    return mail.choose_password_link_send(user_id=int(user_id))


@shared_task(
    name="accounts.password_reset_link", ignore_result=True, time_limit=60, soft_time_limit=50
)
def send_password_reset_link(user_id: int) -> int:
    return mail.password_reset_link_send(user_id=int(user_id))
