"""Routes of /api/v1/. Each area registers its viewsets here, one line each."""

from rest_framework.routers import DefaultRouter

from reports.api import ReportJobViewSet

from .initiatives import InitiativeViewSet
from .reference import (
    AgreementViewSet,
    ConstellationViewSet,
    CountyViewSet,
    MunicipalityViewSet,
    PortfolioViewSet,
    ProgramViewSet,
)

router = DefaultRouter()
router.register("reports", ReportJobViewSet, basename="report-job")
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("counties", CountyViewSet, basename="county")
router.register("constellations", ConstellationViewSet, basename="constellation")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("portfolios", PortfolioViewSet, basename="portfolio")
router.register("programs", ProgramViewSet, basename="program")

urlpatterns = [
    *router.urls,
]
