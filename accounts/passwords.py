"""Local passwords: the one link by which a person sets a password (a new person's first
one and a forgotten one alike), and who may be sent it.

The link is Django's password-reset link: one use (the token is bound to the password
hash, which changes when it is used, and to the last login) and valid for
PASSWORD_RESET_TIMEOUT. It is built on SITE_URL, never on the request's Host header,
so a forged Host cannot send someone a link to another site.
"""

import unicodedata

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


def password_reset_link(user: User) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def may_receive_reset_link(user: User) -> bool:
    """An active local account with an address. A person added by the samordnare who has
    not yet chosen a password counts as local (their welcome link may have expired); an
    account that signs in only with single sign-on (no usable password, has logged in)
    has no local password to set."""
    if not user.is_active or not user.email:
        return False
    return user.has_usable_password() or user.last_login is None


def _same_address(a: str, b: str) -> bool:
    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold()

    return fold(a) == fold(b)


def users_for_reset(email: str) -> list[User]:
    """The accounts a forgotten-password mail to `email` goes to."""
    candidates = User.objects.filter(email__iexact=email, is_active=True)
    return [u for u in candidates if may_receive_reset_link(u) and _same_address(email, u.email)]
