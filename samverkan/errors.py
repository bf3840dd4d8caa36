"""The product's own answers for 400, 403, 404 and 500.

Under /api/ every error has the API's one shape (`detail`, `code`), also for URLs that
match no route and bodies Django refuses before a view runs, so a client never parses
an HTML page. Elsewhere the person gets a page in their language that says what
happened, gives the reason when there is one, and offers a way back.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

API_PREFIX = "/api/"
# The catch-all route of unknown API URLs: not a refusal worth a log line.
API_UNKNOWN = "api-unknown"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _page(request, template: str, status: int, **context):
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context["back"] = referer if same_site else ""
    return render(request, template, context, status=status)


def _reason(exception) -> str:
    """A refusal's own Swedish message, never Django's internal wording."""
    if isinstance(exception, PermissionDenied) and exception.args:
        return str(exception.args[0])
    return ""


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Begäran kunde inte läsas."), "code": "bad_request"}, status=400
        )
    return _page(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    reason = _reason(exception)
    if _is_api(request):
        detail = reason or _("Du har inte behörighet att utföra denna åtgärd.")
        return JsonResponse({"detail": detail, "code": "permission_denied"}, status=403)
    return _page(request, "errors/403.html", 403, reason=reason)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Hittades inte."), "code": "not_found"}, status=404)
    return _page(request, "errors/404.html", 404)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("Ett fel uppstod. Försök igen om en stund."), "code": "server_error"},
            status=500,
        )
    # No context processors, no database: whatever failed may fail again.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


@csrf_exempt
def api_not_found(request):
    """Every method on an unknown API URL is a 404, also a DELETE with a session cookie
    and no CSRF token (the API's own views are CSRF-exempt too; sessions check it)."""
    return page_not_found(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a refused form post gets the product's 403 page, an API
    request the API's error shape, never Django's HTML page."""
    if _is_api(request):
        return JsonResponse(
            {"detail": _("CSRF-kontrollen misslyckades."), "code": "csrf_failed"}, status=403
        )
    return _page(request, "errors/403.html", 403, reason="")
