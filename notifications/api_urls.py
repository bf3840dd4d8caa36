from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationList.as_view(), name="notifications"),
    path(
        "notifications/preferences/",
        api.NotificationPreferences.as_view(),
        name="notification-preferences",
    ),
    path(
        "notifications/read-all/", api.NotificationReadAll.as_view(), name="notifications-read-all"
    ),
    path("notifications/<int:pk>/read/", api.NotificationRead.as_view(), name="notification-read"),
]
