"""Password pages under Swedish paths, with Django's own URL names (no namespace), so
`reverse("password_reset_confirm", ...)` and Django's templates find them."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import password_views

urlpatterns = [
    path("andra/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "andra/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("aterstall/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
