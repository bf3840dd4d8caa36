"""Routes of /api/v1/. Each area registers its viewsets here, one line each."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from reports.api import ReportJobViewSet

from . import economy
from . import excel as excel_api
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

# Money: the allocation calculator, costs and hours, allocations, settlement, scenarios.
urlpatterns += [
    path("allocation/preview/", economy.AllocationPreviewView.as_view(), name="allocation-preview"),
    path(
        "initiatives/<int:initiative_pk>/costs/",
        economy.InitiativeCostsView.as_view(),
        name="initiative-costs",
    ),
    path(
        "initiatives/<int:initiative_pk>/time-entries/",
        economy.InitiativeTimeEntriesView.as_view(),
        name="initiative-time-entries",
    ),
    path("cost-entries/<int:pk>/", economy.CostEntryDetailView.as_view(), name="cost-entry"),
    path("time-entries/<int:pk>/", economy.TimeEntryDetailView.as_view(), name="time-entry"),
    path(
        "economy/portfolios/<int:pk>/",
        economy.PortfolioEconomyView.as_view(),
        name="economy-portfolio",
    ),
    path(
        "economy/programs/<int:pk>/", economy.ProgramEconomyView.as_view(), name="economy-program"
    ),
    path(
        "economy/initiatives/<int:pk>/",
        economy.InitiativeEconomyView.as_view(),
        name="economy-initiative",
    ),
    path(
        "economy/municipalities/<str:code>/",
        economy.MunicipalityEconomyView.as_view(),
        name="economy-municipality",
    ),
    path(
        "settlements/portfolios/<int:pk>/",
        economy.SettlementView.as_view(),
        name="settlement-portfolio",
    ),
    path("scenarios/", economy.ScenarioView.as_view(), name="scenarios"),
]

# Excel import: preview an uploaded file, then confirm it (all rows or none).
urlpatterns += [
    path(
        "portfolios/<int:pk>/excel-import/<str:kind>/preview/",
        excel_api.ImportPreviewView.as_view(),
        name="excel-import-preview",
    ),
    path(
        "portfolios/<int:pk>/excel-import/<str:kind>/confirm/",
        excel_api.ImportConfirmView.as_view(),
        name="excel-import-confirm",
    ),
]
