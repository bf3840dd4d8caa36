"""Asking for a forgotten-password link, and the audit lines of every password change.

The requester is always told the same thing, whether or not the address belongs to an
account and whether or not the request was over the limit; only the audit log says
which (`password.reset_requested users=...`, `password.reset_throttled`).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from samverkan.security import audit, client_ip

from .passwords import users_for_reset
from .tasks import send_password_reset_link


def _counted(key: str, limit: int) -> bool:
    """Counts one request under `key` for the window; False once `limit` is passed."""
    cache.add(key, 0, settings.PASSWORD_RESET_THROTTLE_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The cache is unavailable: the token's own strength still protects the account.
        return True
    return count <= limit


def reset_request_allowed(email: str, ip: str) -> bool:
    """At most PASSWORD_RESET_MAX_PER_ADDRESS requests for one address and
    PASSWORD_RESET_MAX_PER_IP from one client per window, so the form cannot be used to
    flood someone's inbox. The address is kept only as a hash."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    by_address = _counted(
        f"password-reset:address:{digest}", settings.PASSWORD_RESET_MAX_PER_ADDRESS
    )
    by_ip = _counted(f"password-reset:ip:{ip}", settings.PASSWORD_RESET_MAX_PER_IP)
    return by_address and by_ip


def password_reset_request(*, email: str, request) -> None:
    """Sends the link, after commit, to each local account with this address."""
    if not reset_request_allowed(email, client_ip(request)):
        audit("password.reset_throttled", request, logging.WARNING)
        return
    users = users_for_reset(email)
    audit("password.reset_requested", request, users=",".join(u.username for u in users))
    for user in users:
        transaction.on_commit(lambda pk=user.pk: send_password_reset_link.delay(pk))


def password_changed(*, user, request) -> None:
    transaction.on_commit(lambda: audit("password.changed", request, user=user.get_username()))


def password_reset_done(*, user, request) -> None:
    transaction.on_commit(lambda: audit("password.reset_done", request, user=user.get_username()))
