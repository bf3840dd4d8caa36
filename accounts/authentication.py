"""DRF authentication by personal API token: `Authorization: Bearer sv_…`."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .services import hash_key

# last_used_at is written at most this often per token, so a read stays (mostly) a read.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel.")) from exc
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user", "user__municipality")
            .filter(key_hash=hash_key(key))
            .first()
        )
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("API-nyckeln är ogiltig, har gått ut eller har återkallats.")
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
