"""Login auditing, refused-access logging, session expiry and request size limits.

Every line goes to the `samverkan.security` logger as `event key=value ...` with a UTC
timestamp (see `samverkan.log_format`). Lines name the user and what was refused; they
never carry a password, a token, a cookie, a header or a query string.
"""

import logging
import time

from axes.backends import AxesStandaloneBackend
from axes.signals import user_locked_out
from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ipware.ip import get_client_ip

from samverkan.errors import API_PREFIX, API_UNKNOWN

logger = logging.getLogger("samverkan.security")

SESSION_LOGIN_AT = "samverkan_login_at"
SESSION_LAST_ACTIVITY = "samverkan_last_activity"
# Writing the session on every request costs a database write; a minute of slack is fine.
ACTIVITY_RESOLUTION_SECONDS = 60
REFUSED_STATUSES = {401, 403, 404, 413, 429}


def _clean(value) -> str:
    """One token, no spaces or line breaks, so a crafted username cannot forge a log line."""
    text = str(value if value not in (None, "") else "-")
    return "".join(ch if ch.isprintable() and not ch.isspace() else "_" for ch in text)[:150]


def client_address(request) -> str | None:
    """The client's address, for the lockout (AXES_CLIENT_IP_CALLABLE) and the audit log.

    Without a proxy count X-Forwarded-For is ignored, since anyone can send it. Behind
    SAMVERKAN_PROXY_COUNT proxies, each appends the address it saw, so the client is that
    many entries from the right; entries further left are whatever the client sent.
    """
    count = settings.SAMVERKAN_PROXY_COUNT
    if not count:
        return request.META.get("REMOTE_ADDR") or None
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        # ipware counts only the proxies named in the header; the nearest one is REMOTE_ADDR.
        proxy_count=count - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        strict=False,
    )
    return address


def client_ip(request) -> str:
    if request is None:
        return "-"
    return client_address(request) or "-"


def _user_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return _clean(user.get_username())


def audit(event: str, request=None, level: int = logging.INFO, **fields) -> None:
    parts = [event, f"ip={_clean(client_ip(request))}"]
    parts += [f"{key}={_clean(value)}" for key, value in fields.items()]
    logger.log(level, " ".join(parts))


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped where no request exists.

    The login page and any HTTP authentication always pass the request, so every
    attempt from outside is counted. Code that authenticates without one (Django's test
    client `login()`, management commands) has no client to lock out; axes would raise.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_logged_in, dispatch_uid="samverkan_audit_login")
def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_LOGIN_AT] = now
        request.session[SESSION_LAST_ACTIVITY] = now
    audit("login.success", request, user=user.get_username(), backend=_backend_name(user))


def _backend_name(user) -> str:
    return getattr(user, "backend", "").rsplit(".", 1)[-1] or "-"


@receiver(user_login_failed, dispatch_uid="samverkan_audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the name is kept.
    audit("login.failure", request, logging.WARNING, username=credentials.get("username"))


@receiver(user_logged_out, dispatch_uid="samverkan_audit_logout")
def _on_logout(sender, request, user, **kwargs):
    audit("logout", request, user=_user_label(user))


@receiver(user_locked_out, dispatch_uid="samverkan_audit_lockout")
def _on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit(
        "login.lockout",
        request,
        logging.WARNING,
        username=username,
        refused="inloggning spärrad efter upprepade misslyckade försök",
    )


class RefusedAccessLogMiddleware:
    """Logs every refused request: 401/403, 404 from a view, 413 and 429.

    A 404 for a URL that resolved to a view is an object that is missing or outside
    what the user may see (the two look alike to the user on purpose); the log keeps
    which one was asked for. A 404 for an unknown URL is noise and is not logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status not in REFUSED_STATUSES:
            return response
        match = getattr(request, "resolver_match", None)
        if status == 404 and (match is None or match.url_name == API_UNKNOWN):
            return response
        audit(
            "access.refused",
            request,
            logging.WARNING,
            status=status,
            user=_user_label(getattr(request, "user", None)),
            method=request.method,
            path=request.path,
            view=match.view_name if match else "-",
            object=",".join(f"{k}:{v}" for k, v in sorted(match.kwargs.items())) if match else "-",
        )
        return response


class SessionExpiryMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request, and in any
    case SESSION_COOKIE_AGE seconds after login, however active the user has been."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._enforce(request, user)
        return self.get_response(request)

    def _enforce(self, request, user) -> None:
        session = request.session
        now = int(time.time())
        login_at = session.get(SESSION_LOGIN_AT)
        last = session.get(SESSION_LAST_ACTIVITY)
        if login_at is None or last is None:
            # A session from before this middleware (or a test's force_login): start now.
            session[SESSION_LOGIN_AT] = login_at or now
            session[SESSION_LAST_ACTIVITY] = now
            return
        if now - login_at > settings.SESSION_COOKIE_AGE:
            self._expire(request, user, "absolute")
        elif now - last > settings.SESSION_IDLE_TIMEOUT:
            self._expire(request, user, "idle")
        elif now - last >= ACTIVITY_RESOLUTION_SECONDS:
            session[SESSION_LAST_ACTIVITY] = now

    def _expire(self, request, user, reason: str) -> None:
        audit("session.expired", request, user=user.get_username(), reason=reason)
        logout(request)
        if reason == "idle":
            text = _("Du har loggats ut efter en tids inaktivitet. Logga in igen.")
        else:
            text = _("Inloggningen har gått ut. Logga in igen.")
        messages.info(request, text, fail_silently=True)


class PrivateResponsesMiddleware:
    """No browser or proxy keeps a copy of what a signed-in person was shown.

    Pages, API answers and downloads for a signed-in user (session or API token, which
    DRF sets on the request inside the view) are `private, no-store`. A view that said
    `no-store` itself keeps its header (nothing is stricter); any other header is merged
    with Django's helper, so a looser one cannot stay. Anonymous answers and static
    files (served before this middleware) keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = _is_signed_in(request)
        response = self.get_response(request)
        if (signed_in or _is_signed_in(request)) and not _says_no_store(response):
            add_never_cache_headers(response)
        return response


def _says_no_store(response) -> bool:
    directives = response.get("Cache-Control", "").lower().split(",")
    return "no-store" in {directive.strip() for directive in directives}


def _is_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class RequestSizeLimitMiddleware:
    """Refuses request bodies above SAMVERKAN_MAX_REQUEST_BYTES before they are read,
    and file downloads above SAMVERKAN_MAX_DOWNLOAD_BYTES.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover uploaded files; this does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.SAMVERKAN_MAX_REQUEST_BYTES
        if not request.content_type.startswith("multipart/"):
            # Only files may be large; a form or JSON body above Django's own limit
            # would otherwise end in its bare "Bad Request" page once read.
            limit = min(limit, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if length > limit:
            message = _(
                "Filen eller uppgifterna är för stora. Största tillåtna storlek är %(mb)s MB."
            ) % {"mb": limit // (1024 * 1024)}
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message, "code": "too_large"}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        response = self.get_response(request)
        return self._limit_download(request, response)

    def _limit_download(self, request, response):
        """A file download above SAMVERKAN_MAX_DOWNLOAD_BYTES is not served."""
        if "attachment" not in response.get("Content-Disposition", ""):
            return response
        try:
            size = int(response.get("Content-Length") or 0)
        except ValueError:
            size = 0
        limit = settings.SAMVERKAN_MAX_DOWNLOAD_BYTES
        if size <= limit:
            return response
        response.close()
        message = _("Filen är för stor för att hämtas (största storlek %(mb)s MB).") % {
            "mb": limit // (1024 * 1024)
        }
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": message, "code": "too_large"}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


# The API documentation pages (Swagger UI, ReDoc) are third-party pages that need inline
# script and style; they show only the schema, never user content.
API_DOCS_POLICY = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "worker-src": [SELF, "blob:"],
}


def api_docs_csp(view):
    return csp_replace(API_DOCS_POLICY)(view)
