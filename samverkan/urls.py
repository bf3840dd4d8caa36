from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from portfolio.views_home import home
from samverkan.security import api_docs_csp


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(extra_context={"oidc_enabled": settings.OIDC_ENABLED}),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("profil/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portfolio.urls")),
    path("rapporter/", include("reports.urls")),
    path("api/v1/", include("portfolio.api.urls")),
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
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
