from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("nycklar/<int:token_id>/aterkalla/", views.token_revoke, name="token-revoke"),
]
