"""Routes of /api/v1/. Each area registers its viewsets here, one line each."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import PeopleList, PersonDetail
from accounts.api_roles import PersonRoleEnd, PersonRoles

from . import archive, delegation, economy, workflow
from . import attachments as attachments_api
from . import bodies as bodies_api
from . import excel as excel_api
from . import meetings as meetings_api
from . import settings as settings_api
from .constellations import ConstellationViewSet, OrganisationViewSet
from .initiatives import InitiativeViewSet
from .reference import (
    AgreementViewSet,
    CountyViewSet,
    MunicipalityViewSet,
    PortfolioViewSet,
    ProgramViewSet,
)

router = DefaultRouter()
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("counties", CountyViewSet, basename="county")
router.register("constellations", ConstellationViewSet, basename="constellation")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("portfolios", PortfolioViewSet, basename="portfolio")
router.register("programs", ProgramViewSet, basename="program")

urlpatterns = [
    *router.urls,
    path("people/", PeopleList.as_view(), name="people"),
    path("people/<int:pk>/", PersonDetail.as_view(), name="person"),
    path("people/<int:pk>/roles/", PersonRoles.as_view(), name="person-roles"),
    path(
        "people/<int:pk>/roles/<int:assignment_pk>/end/",
        PersonRoleEnd.as_view(),
        name="person-role-end",
    ),
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

# Governance workflow: actions on one initiative (decisions have no PUT/PATCH/DELETE).
_initiative = "initiatives/<int:initiative_pk>/"
urlpatterns += [
    path(f"{_initiative}decisions/", workflow.DecisionList.as_view(), name="decision-list"),
    path(
        f"{_initiative}decisions/<int:pk>/",
        workflow.DecisionDetail.as_view(),
        name="decision-detail",
    ),
    path(
        f"{_initiative}gates/<str:gate>/", workflow.GateChecklist.as_view(), name="gate-checklist"
    ),
    path(
        f"{_initiative}confirmations/",
        workflow.ConfirmationList.as_view(),
        name="confirmation-list",
    ),
    path(
        f"{_initiative}confirmations/<int:criterion_pk>/",
        workflow.ConfirmationDetail.as_view(),
        name="confirmation-detail",
    ),
    path(
        f"{_initiative}participations/",
        workflow.ParticipationList.as_view(),
        name="participation-list",
    ),
    path(
        f"{_initiative}participations/<int:pk>/answer/",
        workflow.ParticipationAnswer.as_view(),
        name="participation-answer",
    ),
    path(
        f"{_initiative}participations/<int:pk>/leave/",
        workflow.ParticipationLeave.as_view(),
        name="participation-leave",
    ),
    path(
        f"{_initiative}participations/<int:pk>/implemented/",
        workflow.ParticipationImplemented.as_view(),
        name="participation-implemented",
    ),
    path(
        f"{_initiative}participations/<int:pk>/opt-out/",
        workflow.ParticipationOptOut.as_view(),
        name="participation-opt-out",
    ),
    path(f"{_initiative}status-updates/", workflow.StatusList.as_view(), name="status-list"),
    path(f"{_initiative}effect-goals/", workflow.EffectGoalList.as_view(), name="effect-goal-list"),
    path(
        f"{_initiative}effect-goals/<int:pk>/",
        workflow.EffectGoalDetail.as_view(),
        name="effect-goal-detail",
    ),
    path(
        f"{_initiative}effect-goals/<int:pk>/measurements/",
        workflow.MeasurementList.as_view(),
        name="measurement-list",
    ),
    path(
        f"{_initiative}priority-scores/",
        workflow.PriorityScores.as_view(),
        name="priority-scores",
    ),
    path(f"{_initiative}history/", workflow.History.as_view(), name="initiative-history"),
    path(f"{_initiative}pause/", workflow.Pause.as_view(), name="initiative-pause"),
    path(f"{_initiative}3n/", workflow.ThreeN.as_view(), name="initiative-3n"),
]

# Excel import: preview an uploaded file, then confirm it (all rows or none).
urlpatterns += [
    path(
        "portfolios/<int:pk>/excel-import/<str:kind>/preview/",
        excel_api.ImportPreviewView.as_view(),
        name="excel-import-preview",
    ),
    path(
        "portfolios/<int:pk>/excel-import/jobs/<int:job_pk>/",
        excel_api.ImportJobView.as_view(),
        name="excel-import-job",
    ),
    path(
        "portfolios/<int:pk>/excel-export/portfolio/",
        excel_api.PortfolioExportView.as_view(),
        name="excel-export-portfolio",
    ),
    path(
        "portfolios/<int:pk>/excel-import/<str:kind>/confirm/",
        excel_api.ImportConfirmView.as_view(),
        name="excel-import-confirm",
    ),
]

# The portfolio office's settings: gate criteria, allocation key, priority, programs, meeting.
_settings = "portfolios/<int:portfolio_pk>/"
urlpatterns += [
    path(
        f"{_settings}gate-criteria/",
        settings_api.GateCriterionList.as_view(),
        name="settings-gate-criteria",
    ),
    path(
        f"{_settings}gate-criteria/reorder/",
        settings_api.GateCriterionReorder.as_view(),
        name="settings-gate-criteria-reorder",
    ),
    path(
        f"{_settings}gate-criteria/<int:pk>/",
        settings_api.GateCriterionDetail.as_view(),
        name="settings-gate-criterion",
    ),
    path(
        f"{_settings}allocation-keys/",
        settings_api.AllocationKeyList.as_view(),
        name="settings-allocation-keys",
    ),
    path(
        f"{_settings}allocation-keys/<int:pk>/",
        settings_api.AllocationKeyDetail.as_view(),
        name="settings-allocation-key",
    ),
    path(
        f"{_settings}priority-criteria/",
        settings_api.PriorityCriterionList.as_view(),
        name="settings-priority-criteria",
    ),
    path(
        f"{_settings}priority-criteria/<int:pk>/",
        settings_api.PriorityCriterionDetail.as_view(),
        name="settings-priority-criterion",
    ),
    path(
        f"{_settings}programs/",
        settings_api.SettingsProgramList.as_view(),
        name="settings-programs",
    ),
    path(
        f"{_settings}programs/<int:pk>/",
        settings_api.SettingsProgramDetail.as_view(),
        name="settings-program",
    ),
    path(
        f"{_settings}programs/<int:pk>/budgets/",
        settings_api.ProgramBudgetList.as_view(),
        name="settings-program-budgets",
    ),
    path(
        f"{_settings}programs/<int:pk>/budgets/<int:year>/",
        settings_api.ProgramBudgetYear.as_view(),
        name="settings-program-budget",
    ),
    path(
        f"{_settings}bodies/",
        bodies_api.BodyList.as_view(),
        name="settings-bodies",
    ),
    path(
        f"{_settings}bodies/<int:pk>/",
        bodies_api.BodyDetail.as_view(),
        name="settings-body",
    ),
    path(
        f"{_settings}settings/",
        settings_api.PortfolioSettings.as_view(),
        name="settings-portfolio",
    ),
    path(
        f"{_settings}settings/history/",
        settings_api.SettingsHistory.as_view(),
        name="settings-history",
    ),
]

# Delegation: who answers participation for the user's municipality besides its director.
urlpatterns += [
    path("delegations/", delegation.DelegationList.as_view(), name="delegation-list"),
    path(
        "delegations/<int:pk>/revoke/",
        delegation.DelegationRevoke.as_view(),
        name="delegation-revoke",
    ),
]

# Archive exports of a portfolio: the samordnare's.
urlpatterns += [
    path(
        "portfolios/<int:portfolio_pk>/archives/",
        archive.ArchiveExportList.as_view(),
        name="archive-export-list",
    ),
    path(
        "portfolios/<int:portfolio_pk>/archives/<int:pk>/",
        archive.ArchiveExportDetail.as_view(),
        name="archive-export-detail",
    ),
    path(
        "portfolios/<int:portfolio_pk>/archives/<int:pk>/download/",
        archive.ArchiveExportDownload.as_view(),
        name="archive-export-download",
    ),
]

# Attachments: list, upload and download per parent (never changed or deleted).
_decision = f"{_initiative}decisions/<int:decision_pk>/"
urlpatterns += [
    path(
        f"{_initiative}attachments/",
        attachments_api.InitiativeAttachmentList.as_view(),
        name="initiative-attachment-list",
    ),
    path(
        f"{_initiative}attachments/<int:pk>/download/",
        attachments_api.InitiativeAttachmentDownload.as_view(),
        name="initiative-attachment-download",
    ),
    path(
        f"{_decision}attachments/",
        attachments_api.DecisionAttachmentList.as_view(),
        name="decision-attachment-list",
    ),
    path(
        f"{_decision}attachments/<int:pk>/download/",
        attachments_api.DecisionAttachmentDownload.as_view(),
        name="decision-attachment-download",
    ),
    path(
        "agreements/<int:agreement_pk>/attachments/",
        attachments_api.AgreementAttachmentList.as_view(),
        name="agreement-attachment-list",
    ),
    path(
        "agreements/<int:agreement_pk>/attachments/<int:pk>/download/",
        attachments_api.AgreementAttachmentDownload.as_view(),
        name="agreement-attachment-download",
    ),
]

# A body's meetings: agenda, proposal, attendance, a decision per item.
urlpatterns += [
    path(
        "portfolios/<int:portfolio_pk>/meetings/",
        meetings_api.PortfolioMeetings.as_view(),
        name="portfolio-meetings",
    ),
    path(
        "portfolios/<int:portfolio_pk>/meetings/series/",
        meetings_api.PortfolioMeetingSeries.as_view(),
        name="portfolio-meeting-series",
    ),
    path("meetings/<int:pk>/", meetings_api.MeetingDetail.as_view(), name="meeting"),
    path(
        "meetings/<int:pk>/proposal/",
        meetings_api.MeetingProposal.as_view(),
        name="meeting-proposal",
    ),
    path("meetings/<int:pk>/items/", meetings_api.MeetingItems.as_view(), name="meeting-items"),
    path(
        "meetings/<int:pk>/agenda/send/",
        meetings_api.MeetingAgendaSend.as_view(),
        name="meeting-agenda-send",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/",
        meetings_api.MeetingItem.as_view(),
        name="meeting-item",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/decision/",
        meetings_api.MeetingItemDecision.as_view(),
        name="meeting-item-decision",
    ),
    path(
        "meetings/<int:pk>/attendance/",
        meetings_api.MeetingAttendance.as_view(),
        name="meeting-attendance",
    ),
    path("bodies/<int:pk>/calendar.ics", meetings_api.BodyCalendar.as_view(), name="body-calendar"),
]
