"""Personal API tokens: create (the key is shown once) and revoke.

A key looks like `sv_<40 url-safe characters>`. Only its SHA-256 is stored, so a
leaked database does not leak usable keys; the first characters are kept so a person
can tell their tokens apart.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

KEY_PREFIX = "sv_"
SHOWN_PREFIX_LENGTH = 10


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the key, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Ge nyckeln ett namn så att du känner igen den.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Slutdatumet måste ligga i framtiden.")})
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        key_hash=hash_key(key),
        prefix=key[:SHOWN_PREFIX_LENGTH],
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token does not exist for them."""
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
