from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("inkorg/", views.inbox, name="inbox"),
    path("inkorg/<int:pk>/last/", views.mark_read, name="mark-read"),
    path("inkorg/alla-lasta/", views.mark_all_read, name="mark-all-read"),
    path("profil/aviseringar/", views.preferences, name="preferences"),
]
