"""E-mail to people about their account. Both mails carry the same link
(`passwords.password_reset_link`), so a person sets their password themselves and nobody
else ever knows it."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import User
from .passwords import may_receive_reset_link, password_reset_link


def choose_password_link_send(*, user_id: int) -> int:
    user = User.objects.select_related("municipality").get(pk=user_id)
    if not user.is_active or not user.email:
        return 0
    subject = _("Ditt konto i Samverkan")
    body = _(
        "Hej %(name)s!\n\nDu har fått ett konto i Samverkan med användarnamnet "
        "%(username)s.\n\nVälj ditt lösenord här (länken kan användas en gång):\n"
        "%(link)s\n\nVäntade du dig inte det här meddelandet kan du bortse från det.\n"
    ) % {
        "name": user.get_full_name() or user.username,
        "username": user.username,
        "link": password_reset_link(user),
    }
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def password_reset_link_send(*, user_id: int) -> int:
    """The forgotten-password mail; checked again here, since the account may have
    changed between the request and the send."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not may_receive_reset_link(user):
        return 0
    context = {
        "name": user.get_full_name() or user.username,
        "username": user.username,
        "link": password_reset_link(user),
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    body = render_to_string("registration/password_reset_email.txt", context)
    return send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
