"""Routes of the report jobs under /api/v1/reports/ (reports depends on portfolio, never
the other way round)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ReportJobViewSet
from .api_minutes import MeetingMinutes

router = SimpleRouter()
router.register("reports", ReportJobViewSet, basename="report-job")

urlpatterns = [
    *router.urls,
    path("meetings/<int:pk>/minutes/", MeetingMinutes.as_view(), name="meeting-minutes-api"),
]
