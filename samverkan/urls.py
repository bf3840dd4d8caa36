from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from accounts.language import set_language
from samverkan import errors
from samverkan.home import home
from samverkan.metrics import metrics
from samverkan.readiness import readyz
from samverkan.security import api_docs_csp


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(extra_context={"oidc_enabled": settings.OIDC_ENABLED}),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("losenord/", include("accounts.password_urls")),
    path("", include("notifications.urls")),
    path("profil/", include("accounts.urls")),
    path("personer/", include("accounts.people_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("portfolio.urls")),
    path("rapporter/", include("reports.urls")),
    path("api/v1/", include("portfolio.api.urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("notifications.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        api_docs_csp(SpectacularSwaggerView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        api_docs_csp(SpectacularRedocView.as_view(url_name="schema")),
        name="api-redoc",
    ),
    # Last of the API's routes: an unknown API URL answers in the API's error shape,
    # also with DEBUG on, where Django would otherwise show its HTML page.
    re_path(r"^api/", errors.api_not_found, name=errors.API_UNKNOWN),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "samverkan.errors.bad_request"
handler403 = "samverkan.errors.permission_denied"
handler404 = "samverkan.errors.page_not_found"
handler500 = "samverkan.errors.server_error"
