"""Server-rendered pages. Each area adds its own routes here."""

from django.urls import path  # noqa: F401

app_name = "portfolio"

urlpatterns = []
