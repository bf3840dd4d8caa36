"""Routes of the report jobs under /api/v1/reports/ (reports depends on portfolio, never
the other way round)."""

from rest_framework.routers import SimpleRouter

from .api import ReportJobViewSet

router = SimpleRouter()
router.register("reports", ReportJobViewSet, basename="report-job")

urlpatterns = router.urls
